// OpenSSL's libcrypto, which libcurl already loads: HMAC, digests and RSA signatures without a second crypto library
// (swift-crypto pulls in Foundation and ICU, tripling the CLI's resident memory).
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

/// Digest algorithms by number, so Swift needs no function pointers: 0 MD5, 1 SHA-1, 2 SHA-256, 3 SHA-384,
/// 4 SHA-512.
static inline const EVP_MD *lexicon_digest(int algorithm) {
    switch (algorithm) {
    case 0: return EVP_md5();
    case 1: return EVP_sha1();
    case 2: return EVP_sha256();
    case 3: return EVP_sha384();
    default: return EVP_sha512();
    }
}

/// HMAC of data under key into out (at least EVP_MAX_MD_SIZE bytes); returns the MAC length, 0 on failure.
static inline unsigned int lexicon_hmac(int algorithm, const void *key, int key_length, const unsigned char *data,
                                        size_t length, unsigned char *out) {
    unsigned int out_length = 0;
    if (HMAC(lexicon_digest(algorithm), key, key_length, data, length, out, &out_length) == NULL) return 0;
    return out_length;
}

/// Digest of data into out (at least EVP_MAX_MD_SIZE bytes); returns the digest length, 0 on failure.
static inline unsigned int lexicon_digest_bytes(int algorithm, const unsigned char *data, size_t length,
                                                unsigned char *out) {
    unsigned int out_length = 0;
    if (EVP_Digest(data, length, out, &out_length, lexicon_digest(algorithm), NULL) != 1) return 0;
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
/// EVP_PKEY_free. OpenSSL's error queue is left empty, so a failure here never shows up in a later TLS error.
static inline EVP_PKEY *lexicon_rsa_private_key(const char *pem, int length, int *not_rsa) {
    BIO *bio = BIO_new_mem_buf(pem, length);
    EVP_PKEY *key = bio == NULL ? NULL : PEM_read_bio_PrivateKey(bio, NULL, lexicon_no_passphrase, NULL);
    BIO_free(bio);
    *not_rsa = key != NULL && EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA;
    if (*not_rsa) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    ERR_clear_error();
    return key;
}

/// The largest signature the key makes, in bytes.
static inline int lexicon_key_size(const EVP_PKEY *key) { return EVP_PKEY_get_size(key); }

/// RSASSA-PKCS1-v1_5 signature of data with a digest algorithm (numbered as for lexicon_digest) into out (capacity
/// bytes, at least lexicon_key_size); returns the signature length, 0 on failure.
static inline size_t lexicon_rsa_sign(EVP_PKEY *key, int algorithm, const unsigned char *data, size_t length,
                                      unsigned char *out, size_t capacity) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t out_length = capacity;
    int signed_ok = context != NULL && EVP_DigestSignInit(context, NULL, lexicon_digest(algorithm), NULL, key) == 1
                    && EVP_DigestSign(context, out, &out_length, data, length) == 1;
    EVP_MD_CTX_free(context);
    ERR_clear_error();
    return signed_ok ? out_length : 0;
}
