#ifndef DIVERGENCE_CCURL_SHIM_H
#define DIVERGENCE_CCURL_SHIM_H

#include <curl/curl.h>
#include <sys/socket.h>

/* Swift cannot call the variadic curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt,
   so each argument type gets a non-variadic wrapper here. */

typedef size_t (*divergence_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);
typedef int (*divergence_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                                 curl_off_t ultotal, curl_off_t ulnow);
typedef curl_socket_t (*divergence_curl_opensocket_callback)(void *userdata, curlsocktype purpose,
                                                             struct curl_sockaddr *address);

static inline CURLcode divergence_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline CURLcode divergence_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode divergence_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode divergence_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode divergence_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode divergence_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode divergence_curl_setopt_write_callback(CURL *handle, divergence_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode divergence_curl_setopt_header_callback(CURL *handle, divergence_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

static inline CURLcode divergence_curl_setopt_xferinfo_callback(CURL *handle,
                                                               divergence_curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode divergence_curl_setopt_opensocket_callback(CURL *handle,
                                                                 divergence_curl_opensocket_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, callback);
}

static inline CURLcode divergence_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode divergence_curl_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode divergence_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode divergence_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode divergence_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/* The address curl is about to connect to (storage is sized for the family, IPv6 included). */
static inline const struct sockaddr *divergence_curl_sockaddr_address(const struct curl_sockaddr *address) {
    return &address->addr;
}

static inline curl_socket_t divergence_curl_socket_bad(void) {
    return CURL_SOCKET_BAD;
}

#endif
