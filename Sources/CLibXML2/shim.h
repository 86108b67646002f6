#include <libxml/xmlversion.h>
/* Foundation ships its own ICU; libxml2's ICU converter fields are never touched from Swift. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/HTMLparser.h>

static inline void divergence_xml_free(void *pointer) { xmlFree(pointer); }
