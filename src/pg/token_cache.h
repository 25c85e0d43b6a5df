/*-------------------------------------------------------------------------
 *
 * token_cache.h
 *	  The backend's caches behind paragon_token_verify (token.c): parsed
 *	  verification keys (key_cache.c) and verified tokens (token_cache.c).
 *
 * src/pg/token_cache.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PARAGON_TOKEN_CACHE_H
#define PARAGON_TOKEN_CACHE_H

#include "postgres.h"

#include "utils/jsonb.h"

#include "jws.h"
#include "jwt_claims.h"

/* Bounds of the verified-token cache of one backend. */
#define PP_TOKEN_CACHE_ENTRIES	4096
#define PP_TOKEN_CACHE_BYTES	((Size) 8 * 1024 * 1024)
/* Claims larger than this are verified every time, never kept. */
#define PP_TOKEN_CACHE_MAX_ENTRY ((Size) 256 * 1024)
/* Parsed keys kept per backend. */
#define PP_KEY_CACHE_ENTRIES	8

#define PP_TOKEN_DIGEST_LEN 32	/* SHA-256 */

/* The inputs that decide a verdict, hashed into a cache key. */
typedef struct TokenVerdictKey
{
	const char *token;
	size_t		token_len;
	const uint8 *key_digest;	/* SHA-256 of the key text */
	const char *const *algs;
	int			nalgs;
	const char *audience;		/* NULL: not checked */
	int64		leeway_us;
	bool		require_exp;
} TokenVerdictKey;

/* key_cache.c */
extern pj_key_cache *paragon_key_cache(const char *key, size_t key_len,
										const uint8 **key_digest);
extern int	paragon_key_cache_count(void);

/* token_cache.c */
extern bool paragon_token_cache_digest(const TokenVerdictKey *k,
									   uint8 digest[PP_TOKEN_DIGEST_LEN]);
extern Jsonb *paragon_token_cache_find(const uint8 digest[PP_TOKEN_DIGEST_LEN],
									   pj_claims_times *times);
extern void paragon_token_cache_add(const uint8 digest[PP_TOKEN_DIGEST_LEN],
									const pj_claims_times *times,
									const Jsonb *claims);

#endif							/* PARAGON_TOKEN_CACHE_H */
