/*-------------------------------------------------------------------------
 *
 * jws.h
 *	  Verifying a JWS in compact serialization (RFC 7515 section 7.1).
 *
 * This is the signature layer's entry point: pj_jws_verify returns the
 * payload bytes of a token whose signature verifies under the caller's
 * key with an algorithm the caller allows, or a pj_error.
 *
 * src/jwt/jws.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef JWS_H
#define JWS_H

#include <stdbool.h>
#include <stddef.h>

#include "jwt_error.h"

/* Tokens longer than this are refused before any decoding. */
#define PJ_MAX_TOKEN_LEN 65536

struct evp_pkey_st;				/* OpenSSL's EVP_PKEY */
struct evp_pkey_ctx_st;			/* OpenSSL's EVP_PKEY_CTX */
struct evp_md_st;				/* OpenSSL's EVP_MD */
struct evp_md_ctx_st;			/* OpenSSL's EVP_MD_CTX */
struct pj_alg;

/* Verification contexts kept per cached key, one per algorithm used. */
#define PJ_KEY_CACHE_CTX 4

/*
 * A PEM key decoded once, for a caller that verifies many tokens with the
 * same key text: decoding a PEM key costs more than verifying a signature
 * with it.  With it are kept verification contexts already initialized for
 * that key and an algorithm (padding and digest set, the digest fetched
 * from its provider), so that a new token costs its digest and the
 * public-key operation, as in `openssl speed`, not OpenSSL 3's per-call
 * lookups of a fresh context and of the digest.  JWKs and JWK Sets
 * are not cached: which key they yield depends on each token's header.
 * Start zeroed; the caller must call pj_key_cache_free when the key text
 * changes and when it drops the cache.
 */
typedef struct pj_verify_ctx
{
	const struct pj_alg *alg;	/* NULL: free slot */
	struct evp_pkey_ctx_st *ctx;
	struct evp_md_st *md;		/* the algorithm's digest, fetched once */
	struct evp_md_ctx_st *mdctx;	/* reused for every digest */
} pj_verify_ctx;

typedef struct pj_key_cache
{
	struct evp_pkey_st *pem_key;	/* NULL until a PEM key was loaded */
	pj_verify_ctx verify[PJ_KEY_CACHE_CTX];
} pj_key_cache;

typedef struct pj_jws
{
	unsigned char *payload;		/* malloc'd, NUL-terminated */
	size_t		payload_len;
} pj_jws;

extern bool pj_jws_verify(const char *token, size_t token_len,
						  const char *key, size_t key_len,
						  const char *const *algs, int nalgs,
						  pj_jws *out, pj_error *err);
extern bool pj_jws_verify_cached(const char *token, size_t token_len,
								 const char *key, size_t key_len,
								 const char *const *algs, int nalgs,
								 pj_key_cache *cache,
								 pj_jws *out, pj_error *err);
extern void pj_jws_free(pj_jws *jws);
extern void pj_key_cache_free(pj_key_cache *cache);

#endif							/* JWS_H */
