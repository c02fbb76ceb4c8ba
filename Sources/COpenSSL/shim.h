// OpenSSL's libcrypto, which libcurl already loads: HMAC, digests and RSA signatures without a second crypto library
// (swift-crypto pulls in Foundation and ICU, tripling the CLI's resident memory). It is opened on first use, not
// linked: loading it costs about a millisecond at every start, and most commands (localzone, --help, a provider
// without signatures) never use it; an HTTP command's libcurl loads it on its own thread meanwhile.
#ifndef LEXICON_COPENSSL_SHIM_H
#define LEXICON_COPENSSL_SHIM_H
#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    const EVP_MD *(*md5)(void);
    const EVP_MD *(*sha1)(void);
    const EVP_MD *(*sha256)(void);
    const EVP_MD *(*sha384)(void);
    const EVP_MD *(*sha512)(void);
    unsigned char *(*hmac)(const EVP_MD *, const void *, int, const unsigned char *, size_t, unsigned char *,
                           unsigned int *);
    int (*digest)(const void *, size_t, unsigned char *, unsigned int *, const EVP_MD *, ENGINE *);
    BIO *(*bio_new_mem_buf)(const void *, int);
    EVP_PKEY *(*pem_read_bio_private_key)(BIO *, EVP_PKEY **, pem_password_cb *, void *);
    int (*bio_free)(BIO *);
    int (*pkey_get_base_id)(const EVP_PKEY *);
    int (*pkey_get_size)(const EVP_PKEY *);
    void (*pkey_free)(EVP_PKEY *);
    void (*err_clear_error)(void);
    EVP_MD_CTX *(*md_ctx_new)(void);
    void (*md_ctx_free)(EVP_MD_CTX *);
    int (*digest_sign_init)(EVP_MD_CTX *, EVP_PKEY_CTX **, const EVP_MD *, ENGINE *, EVP_PKEY *);
    int (*digest_sign)(EVP_MD_CTX *, unsigned char *, size_t *, const unsigned char *, size_t);
} lexicon_crypto_api;

static inline lexicon_crypto_api *lexicon_crypto_table(void) {
    static lexicon_crypto_api api;
    return &api;
}

static inline pthread_once_t *lexicon_crypto_once(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    return &once;
}

/// Opens libcrypto and resolves what we use. Without it nothing here can work and no command could sign or
/// verify, so it ends the process as the dynamic loader would, with the reason and the package to install.
static inline void lexicon_crypto_load(void) {
    void *library = dlopen("libcrypto.so.3", RTLD_LAZY | RTLD_LOCAL);
    if (library == NULL) library = dlopen("libcrypto.so", RTLD_LAZY | RTLD_LOCAL);
    const char *failure = library == NULL ? dlerror() : NULL;
    lexicon_crypto_api *api = lexicon_crypto_table();
#define LEXICON_RESOLVE(field, symbol)                                                                                \
    if (failure == NULL) {                                                                                             \
        *(void **)(&api->field) = dlsym(library, symbol);                                                              \
        if (api->field == NULL) failure = dlerror();                                                                   \
    }
    LEXICON_RESOLVE(md5, "EVP_md5")
    LEXICON_RESOLVE(sha1, "EVP_sha1")
    LEXICON_RESOLVE(sha256, "EVP_sha256")
    LEXICON_RESOLVE(sha384, "EVP_sha384")
    LEXICON_RESOLVE(sha512, "EVP_sha512")
    LEXICON_RESOLVE(hmac, "HMAC")
    LEXICON_RESOLVE(digest, "EVP_Digest")
    LEXICON_RESOLVE(bio_new_mem_buf, "BIO_new_mem_buf")
    LEXICON_RESOLVE(pem_read_bio_private_key, "PEM_read_bio_PrivateKey")
    LEXICON_RESOLVE(bio_free, "BIO_free")
    LEXICON_RESOLVE(pkey_get_base_id, "EVP_PKEY_get_base_id")
    LEXICON_RESOLVE(pkey_get_size, "EVP_PKEY_get_size")
    LEXICON_RESOLVE(pkey_free, "EVP_PKEY_free")
    LEXICON_RESOLVE(err_clear_error, "ERR_clear_error")
    LEXICON_RESOLVE(md_ctx_new, "EVP_MD_CTX_new")
    LEXICON_RESOLVE(md_ctx_free, "EVP_MD_CTX_free")
    LEXICON_RESOLVE(digest_sign_init, "EVP_DigestSignInit")
    LEXICON_RESOLVE(digest_sign, "EVP_DigestSign")
#undef LEXICON_RESOLVE
    if (failure != NULL) {
        fprintf(stderr, "lexicon: libcrypto cannot be loaded (install libssl3): %s\n", failure);
        exit(127);
    }
}

/// The loaded libcrypto (opened once, from any thread).
static inline lexicon_crypto_api *lexicon_crypto(void) {
    pthread_once(lexicon_crypto_once(), lexicon_crypto_load);
    return lexicon_crypto_table();
}

/// Digest algorithms by number, so Swift needs no function pointers: 0 MD5, 1 SHA-1, 2 SHA-256, 3 SHA-384,
/// 4 SHA-512.
static inline const EVP_MD *lexicon_digest(int algorithm) {
    lexicon_crypto_api *api = lexicon_crypto();
    switch (algorithm) {
    case 0: return api->md5();
    case 1: return api->sha1();
    case 2: return api->sha256();
    case 3: return api->sha384();
    default: return api->sha512();
    }
}

/// HMAC of data under key into out (at least EVP_MAX_MD_SIZE bytes); returns the MAC length, 0 on failure.
static inline unsigned int lexicon_hmac(int algorithm, const void *key, int key_length, const unsigned char *data,
                                        size_t length, unsigned char *out) {
    unsigned int out_length = 0;
    const EVP_MD *digest = lexicon_digest(algorithm);
    if (lexicon_crypto()->hmac(digest, key, key_length, data, length, out, &out_length) == NULL) return 0;
    return out_length;
}

/// Digest of data into out (at least EVP_MAX_MD_SIZE bytes); returns the digest length, 0 on failure.
static inline unsigned int lexicon_digest_bytes(int algorithm, const unsigned char *data, size_t length,
                                                unsigned char *out) {
    unsigned int out_length = 0;
    const EVP_MD *digest = lexicon_digest(algorithm);
    if (lexicon_crypto()->digest(data, length, out, &out_length, digest, NULL) != 1) return 0;
    return out_length;
}

/// Refuses every passphrase, so an encrypted key fails instead of prompting on the terminal.
static int lexicon_no_passphrase(char *buffer, int size, int writing, void *context) {
    (void)buffer;
    (void)size;
    (void)writing;
    (void)context;
    return -1;
}

/// The RSA private key in PEM text (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`); NULL when the text holds
/// none (*not_rsa is then 1 if it holds a key of another kind). Encrypted keys are refused. Free the key with
/// lexicon_key_free. OpenSSL's error queue is left empty, so a failure here never shows up in a later TLS error.
static inline EVP_PKEY *lexicon_rsa_private_key(const char *pem, int length, int *not_rsa) {
    lexicon_crypto_api *api = lexicon_crypto();
    BIO *bio = api->bio_new_mem_buf(pem, length);
    EVP_PKEY *key = bio == NULL ? NULL : api->pem_read_bio_private_key(bio, NULL, lexicon_no_passphrase, NULL);
    api->bio_free(bio);
    *not_rsa = key != NULL && api->pkey_get_base_id(key) != EVP_PKEY_RSA;
    if (*not_rsa) {
        api->pkey_free(key);
        key = NULL;
    }
    api->err_clear_error();
    return key;
}

/// Frees a key from lexicon_rsa_private_key.
static inline void lexicon_key_free(EVP_PKEY *key) { lexicon_crypto()->pkey_free(key); }

/// The largest signature the key makes, in bytes.
static inline int lexicon_key_size(const EVP_PKEY *key) { return lexicon_crypto()->pkey_get_size(key); }

/// RSASSA-PKCS1-v1_5 signature of data with a digest algorithm (numbered as for lexicon_digest) into out (capacity
/// bytes, at least lexicon_key_size); returns the signature length, 0 on failure.
static inline size_t lexicon_rsa_sign(EVP_PKEY *key, int algorithm, const unsigned char *data, size_t length,
                                      unsigned char *out, size_t capacity) {
    lexicon_crypto_api *api = lexicon_crypto();
    const EVP_MD *digest = lexicon_digest(algorithm);
    EVP_MD_CTX *context = api->md_ctx_new();
    size_t out_length = capacity;
    int signed_ok = context != NULL && api->digest_sign_init(context, NULL, digest, NULL, key) == 1
                    && api->digest_sign(context, out, &out_length, data, length) == 1;
    api->md_ctx_free(context);
    api->err_clear_error();
    return signed_ok ? out_length : 0;
}
#endif
