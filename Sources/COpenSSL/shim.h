// OpenSSL's libcrypto, which libcurl already loads: HMAC and digests without a second crypto library (swift-crypto
// pulls in Foundation and ICU, tripling the CLI's resident memory).
#include <openssl/evp.h>
#include <openssl/hmac.h>

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
