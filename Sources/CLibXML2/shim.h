#ifndef FEEDS_CLIBXML2_SHIM_H
#define FEEDS_CLIBXML2_SHIM_H

#include <string.h>
#include <libxml/xmlversion.h>
/* ICU types from libxml2's encoding.h clash with Foundation's bundled ICU; the feed code never needs them. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>
#include <libxml/encoding.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlsave.h>
#include <libxml/uri.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

/// Errors captured from one parse, stored in the parser context's `_private`.
typedef struct {
    int errorCount;
    int fatalCount;
    int firstLine;
    char firstMessage[256];
} feeds_error_log;

static void feeds_capture_error(void *userData, xmlErrorPtr error) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)userData;
    if (ctxt == NULL || error == NULL || ctxt->_private == NULL) return;
    feeds_error_log *log = (feeds_error_log *)ctxt->_private;
    if (error->level == XML_ERR_WARNING) return;
    log->errorCount += 1;
    if (error->level == XML_ERR_FATAL) log->fatalCount += 1;
    if (log->errorCount == 1) {
        log->firstLine = error->line;
        if (error->message != NULL) {
            strncpy(log->firstMessage, error->message, sizeof(log->firstMessage) - 1);
            log->firstMessage[sizeof(log->firstMessage) - 1] = 0;
            size_t n = strlen(log->firstMessage);
            while (n > 0 && (log->firstMessage[n - 1] == '\n' || log->firstMessage[n - 1] == ' ')) {
                log->firstMessage[--n] = 0;
            }
        }
    }
}

static void feeds_silent_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

static xmlParserInputPtr feeds_deny_entity_loader(const char *URL, const char *ID, xmlParserCtxtPtr ctxt) {
    (void)URL; (void)ID; (void)ctxt;
    return NULL;
}

/// Frees memory libxml2 allocated (xmlFree is a global function pointer, which Swift 6 treats as shared mutable state).
static inline void feeds_free(void *p) { xmlFree(p); }

/// First occurrence of `needle` in `haystack` (memchr on the first byte, then memcmp); NULL when absent.
static inline const unsigned char *feeds_find(const unsigned char *haystack, size_t length, const unsigned char *needle, size_t needleLength) {
    if (needleLength == 0 || length < needleLength) return NULL;
    const unsigned char *end = haystack + length - needleLength + 1;
    const unsigned char *p = haystack;
    while (p < end) {
        p = (const unsigned char *)memchr(p, needle[0], (size_t)(end - p));
        if (p == NULL) return NULL;
        if (memcmp(p, needle, needleLength) == 0) return p;
        p += 1;
    }
    return NULL;
}

/// Initialises libxml2 and installs the deny-all external entity loader; call once per process.
static inline void feeds_libxml_init(void) {
    xmlInitParser();
    xmlSetExternalEntityLoader(feeds_deny_entity_loader);
}

/// Silences libxml2's generic (stderr) error channel for the calling thread.
static inline void feeds_silence_thread(void) {
    xmlSetGenericErrorFunc(NULL, feeds_silent_generic);
    xmlSetStructuredErrorFunc(NULL, NULL);
}

/// Routes this context's errors into `log` instead of stderr.
static inline void feeds_capture_errors(xmlParserCtxtPtr ctxt, feeds_error_log *log) {
    ctxt->_private = log;
    if (ctxt->sax != NULL) {
        ctxt->sax->serror = feeds_capture_error;
        ctxt->sax->error = NULL;
        ctxt->sax->warning = NULL;
    }
    ctxt->vctxt.error = NULL;
    ctxt->vctxt.warning = NULL;
}

#endif
