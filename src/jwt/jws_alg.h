/*-------------------------------------------------------------------------
 *
 * jws_alg.h
 *	  The table of JWS "alg" values (RFC 7518 section 3, RFC 8037) and what
 *	  each one demands of a key.
 *
 * src/jwt/jws_alg.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef JWS_ALG_H
#define JWS_ALG_H

#include <stdbool.h>
#include <stddef.h>

/* The family of an algorithm, which fixes the key type it needs. */
typedef enum pj_alg_family
{
	PJ_FAMILY_NONE,				/* "none": unsecured, always refused */
	PJ_FAMILY_HMAC,				/* HS*: symmetric, always refused */
	PJ_FAMILY_RSA_PKCS1,		/* RS* */
	PJ_FAMILY_RSA_PSS,			/* PS* */
	PJ_FAMILY_ECDSA,			/* ES* */
	PJ_FAMILY_EDDSA				/* EdDSA, Ed25519 only */
} pj_alg_family;

typedef struct pj_alg
{
	const char *name;			/* as in the JOSE header */
	pj_alg_family family;
	const char *digest;			/* OpenSSL digest name, NULL for EdDSA */
	const char *curve;			/* OpenSSL group name for ES*, else NULL */
	size_t		ec_size;		/* bytes per ECDSA coordinate (r, s) */
} pj_alg;

extern const pj_alg *pj_alg_lookup(const char *name, size_t len);
extern const char *pj_alg_verifiable(size_t i);

#endif							/* JWS_ALG_H */
