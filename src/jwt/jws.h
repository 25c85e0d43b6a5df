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

typedef struct pj_jws
{
	unsigned char *payload;		/* malloc'd, NUL-terminated */
	size_t		payload_len;
} pj_jws;

extern bool pj_jws_verify(const char *token, size_t token_len,
						  const char *key, size_t key_len,
						  const char *const *algs, int nalgs,
						  pj_jws *out, pj_error *err);
extern void pj_jws_free(pj_jws *jws);

#endif							/* JWS_H */
