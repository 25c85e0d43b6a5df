/*-------------------------------------------------------------------------
 *
 * token.h
 *	  Token verification for other C code of the extension (for example
 *	  the session claims in session.c).
 *
 * paragon_token_verify verifies a compact JWS with the caller's key and
 * allowed algorithms, checks the JWT claims, and returns the payload as
 * jsonb, palloc'd in the current memory context.
 *
 * Arguments: token is token_len bytes and need not be NUL-terminated
 * (VARDATA_ANY of a text is fine; over 64 kB is refused before any work);
 * key is a NUL-terminated PEM public key, PEM certificate, JWK or JWK Set;
 * algs are nalgs NUL-terminated names ("RS256", ...), and "none" or HS*
 * there never make such a token pass; audience NULL means "aud" is not
 * checked; leeway_us >= 0; at must be finite (the instant of judgement,
 * e.g. GetCurrentTimestamp()); require_exp refuses tokens without "exp".  Every refusal is an
 * ereport(ERROR) with SQLSTATE class 28 (the token) or 22 (the key or
 * the options); nothing is leaked when it raises, since the verifier
 * frees its own objects before control returns here.
 *
 * src/pg/token.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PARAGON_TOKEN_H
#define PARAGON_TOKEN_H

/* the including file has included postgres.h first, as every .c file does */
#include "datatype/timestamp.h"
#include "utils/jsonb.h"

extern Jsonb *paragon_token_verify(const char *token, size_t token_len,
								   const char *key,
								   const char *const *algs, int nalgs,
								   const char *audience, int64 leeway_us,
								   TimestampTz at, bool require_exp);

#endif							/* PARAGON_TOKEN_H */
