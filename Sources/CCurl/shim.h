#ifndef LEXICON_CCURL_SHIM_H
#define LEXICON_CCURL_SHIM_H
#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

/* libcurl is opened on first use, not linked: its dependency tree (TLS, LDAP, Kerberos, SSH, ...) costs several
   milliseconds of loading on every start, and most commands (localzone, rfc2136, --help) never make an HTTP
   request. lexicon_curl_load() must be called once, before anything else here, from a thread-safe initialiser. */
typedef struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} lexicon_curl_api;

static inline lexicon_curl_api *lexicon_curl(void) {
    static lexicon_curl_api api;
    return &api;
}

/* Opens libcurl and resolves what we use; returns NULL on success or dlerror()'s text. */
static inline const char *lexicon_curl_load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_LAZY | RTLD_LOCAL);
    if (library == NULL) library = dlopen("libcurl.so", RTLD_LAZY | RTLD_LOCAL);
    if (library == NULL) return dlerror();
    lexicon_curl_api *api = lexicon_curl();
#define LEXICON_RESOLVE(field, symbol)                                                                                \
    *(void **)(&api->field) = dlsym(library, symbol);                                                                  \
    if (api->field == NULL) return dlerror();
    LEXICON_RESOLVE(global_init, "curl_global_init")
    LEXICON_RESOLVE(easy_init, "curl_easy_init")
    LEXICON_RESOLVE(easy_cleanup, "curl_easy_cleanup")
    LEXICON_RESOLVE(easy_reset, "curl_easy_reset")
    LEXICON_RESOLVE(easy_perform, "curl_easy_perform")
    LEXICON_RESOLVE(easy_strerror, "curl_easy_strerror")
    LEXICON_RESOLVE(easy_setopt, "curl_easy_setopt")
    LEXICON_RESOLVE(easy_getinfo, "curl_easy_getinfo")
    LEXICON_RESOLVE(slist_append, "curl_slist_append")
    LEXICON_RESOLVE(slist_free_all, "curl_slist_free_all")
#undef LEXICON_RESOLVE
    if (api->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return "curl_global_init failed";
    return NULL;
}

static inline CURL *lexicon_curl_easy_init(void) { return lexicon_curl()->easy_init(); }
static inline void lexicon_curl_easy_cleanup(CURL *handle) { lexicon_curl()->easy_cleanup(handle); }
static inline void lexicon_curl_easy_reset(CURL *handle) { lexicon_curl()->easy_reset(handle); }
static inline CURLcode lexicon_curl_easy_perform(CURL *handle) { return lexicon_curl()->easy_perform(handle); }
static inline const char *lexicon_curl_easy_strerror(CURLcode code) { return lexicon_curl()->easy_strerror(code); }
static inline struct curl_slist *lexicon_curl_slist_append(struct curl_slist *list, const char *text) {
    return lexicon_curl()->slist_append(list, text);
}
static inline void lexicon_curl_slist_free_all(struct curl_slist *list) { lexicon_curl()->slist_free_all(list); }

/* curl_easy_setopt and curl_easy_getinfo are variadic and cannot be called from Swift; these typed wrappers are. */
static inline CURLcode lexicon_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return lexicon_curl()->easy_setopt(handle, option, value);
}
static inline CURLcode lexicon_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return lexicon_curl()->easy_setopt(handle, option, value);
}
static inline CURLcode lexicon_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return lexicon_curl()->easy_setopt(handle, option, value);
}
static inline CURLcode lexicon_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return lexicon_curl()->easy_setopt(handle, option, value);
}
static inline CURLcode lexicon_curl_setopt_write_callback(
    CURL *handle, CURLoption option, size_t (*callback)(char *, size_t, size_t, void *)) {
    return lexicon_curl()->easy_setopt(handle, option, callback);
}
static inline CURLcode lexicon_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return lexicon_curl()->easy_getinfo(handle, info, value);
}
static inline CURLcode lexicon_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return lexicon_curl()->easy_getinfo(handle, info, value);
}
#endif
