/*-------------------------------------------------------------------------
 *
 * jws_alg.c
 *	  The table of JWS algorithms known to the verifier.
 *
 * "none" and the HS* names are in the table only so that they are
 * recognized and refused by name with a clear message: they are never
 * verified, whatever list of algorithms the caller allows, because a
 * public key handed to us as text must never become an HMAC secret (the
 * classic algorithm-confusion attack, RFC 8725 section 2.1).
 *
 * Names are compared case-sensitively, as RFC 7515 section 4.1.1 requires,
 * so "NONE" or "rs256" are simply unrecognized.
 *
 * src/jwt/jws_alg.c
 *
 *-------------------------------------------------------------------------
 */
#include "jws_alg.h"

#include <string.h>

static const pj_alg pj_algs[] = {
	{"RS256", PJ_FAMILY_RSA_PKCS1, "SHA256", NULL, 0},
	{"RS384", PJ_FAMILY_RSA_PKCS1, "SHA384", NULL, 0},
	{"RS512", PJ_FAMILY_RSA_PKCS1, "SHA512", NULL, 0},
	{"PS256", PJ_FAMILY_RSA_PSS, "SHA256", NULL, 0},
	{"PS384", PJ_FAMILY_RSA_PSS, "SHA384", NULL, 0},
	{"PS512", PJ_FAMILY_RSA_PSS, "SHA512", NULL, 0},
	{"ES256", PJ_FAMILY_ECDSA, "SHA256", "prime256v1", 32},
	{"ES384", PJ_FAMILY_ECDSA, "SHA384", "secp384r1", 48},
	{"ES512", PJ_FAMILY_ECDSA, "SHA512", "secp521r1", 66},
	{"EdDSA", PJ_FAMILY_EDDSA, NULL, NULL, 0},
	{"HS256", PJ_FAMILY_HMAC, NULL, NULL, 0},
	{"HS384", PJ_FAMILY_HMAC, NULL, NULL, 0},
	{"HS512", PJ_FAMILY_HMAC, NULL, NULL, 0},
	{"none", PJ_FAMILY_NONE, NULL, NULL, 0},
};

/* pj_alg_lookup finds an algorithm by its exact name (len bytes, which
 * may contain a NUL from hostile input: then it matches nothing). */
const pj_alg *
pj_alg_lookup(const char *name, size_t len)
{
	size_t		i;

	for (i = 0; i < sizeof(pj_algs) / sizeof(pj_algs[0]); i++)
	{
		if (strlen(pj_algs[i].name) == len &&
			memcmp(pj_algs[i].name, name, len) == 0)
			return &pj_algs[i];
	}
	return NULL;
}

/*
 * pj_alg_verifiable names the i-th algorithm of the table that can verify
 * a signature (neither "none" nor HS*), or returns NULL past the last: the
 * one list that settings and messages enumerate.
 */
const char *
pj_alg_verifiable(size_t i)
{
	size_t		j;

	for (j = 0; j < sizeof(pj_algs) / sizeof(pj_algs[0]); j++)
	{
		if (pj_algs[j].family == PJ_FAMILY_NONE || pj_algs[j].family == PJ_FAMILY_HMAC)
			continue;
		if (i-- == 0)
			return pj_algs[j].name;
	}
	return NULL;
}
