/*-------------------------------------------------------------------------
 *
 * jwk.c
 *	  JSON Web Keys: from a jansson object to an OpenSSL EVP_PKEY.
 *
 * Supported: "kty" RSA (n, e), EC (crv P-256/P-384/P-521, x, y) and OKP
 * (crv Ed25519, x).  Private members are ignored: only the public half is
 * ever built.  "oct" (symmetric) keys are refused, since a verifier that
 * only holds public keys must never treat key material as an HMAC secret.
 *
 * The members that restrict a key are enforced (RFC 7517 section 4):
 * "use" other than "sig" is refused, "key_ops" without "verify" is
 * refused, and "alg", when present, must equal the token's algorithm
 * exactly (so one RSA key published for RS256 cannot be used for PS384,
 * RFC 8725 section 3.1).
 *
 * Keys are built with EVP_PKEY_fromdata (OpenSSL 3, no deprecated
 * low-level RSA/EC calls).  EC points are validated with
 * EVP_PKEY_public_check so an off-curve point is refused at load time.
 *
 * Memory: every BIGNUM, OSSL_PARAM, builder, context and decoded buffer is
 * released on every path; the caller owns the returned EVP_PKEY.
 *
 * src/jwt/jwk.c
 *
 *-------------------------------------------------------------------------
 */
#include "jwk.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>

#include "base64url.h"

/* jwk_str returns member name of jwk if it is a string, else NULL. */
static const char *
jwk_str(json_t *jwk, const char *name)
{
	json_t	   *v = json_object_get(jwk, name);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* pj_jwk_is_symmetric says whether jwk holds a secret ("kty": "oct"). */
bool
pj_jwk_is_symmetric(json_t *jwk)
{
	const char *kty = jwk_str(jwk, "kty");

	return kty != NULL && strcmp(kty, "oct") == 0;
}

/* pj_jwk_kty_fits says whether the key type (and curve) of jwk suits alg,
 * judging from its JSON alone; used to count candidate keys in a set. */
bool
pj_jwk_kty_fits(json_t *jwk, const pj_alg *alg)
{
	const char *kty = jwk_str(jwk, "kty");
	const char *crv = jwk_str(jwk, "crv");

	if (kty == NULL)
		return false;
	switch (alg->family)
	{
		case PJ_FAMILY_RSA_PKCS1:
		case PJ_FAMILY_RSA_PSS:
			return strcmp(kty, "RSA") == 0;
		case PJ_FAMILY_ECDSA:
			if (strcmp(kty, "EC") != 0 || crv == NULL)
				return false;
			return (alg->ec_size == 32 && strcmp(crv, "P-256") == 0) ||
				(alg->ec_size == 48 && strcmp(crv, "P-384") == 0) ||
				(alg->ec_size == 66 && strcmp(crv, "P-521") == 0);
		case PJ_FAMILY_EDDSA:
			return strcmp(kty, "OKP") == 0 && crv != NULL &&
				strcmp(crv, "Ed25519") == 0;
		default:
			return false;
	}
}

/* pj_jwk_check_use enforces "use", "key_ops" and "alg" of jwk for alg. */
bool
pj_jwk_check_use(json_t *jwk, const pj_alg *alg, pj_error *err)
{
	json_t	   *v;
	char		quoted[PJ_MAX_QUOTED + 8];

	v = json_object_get(jwk, "use");
	if (v != NULL)
	{
		if (!json_is_string(v))
			return pj_error_set(err, PJ_ERR_KEY_INVALID,
								"JWK member \"use\" is not a string");
		if (strcmp(json_string_value(v), "sig") != 0)
		{
			pj_sanitize(quoted, sizeof(quoted), json_string_value(v),
						json_string_length(v));
			pj_error_set(err, PJ_ERR_KEY_USE,
						 "key is meant for use \"%s\", not for signatures", quoted);
			pj_error_detail(err, "The JWK member \"use\" must be \"sig\" or absent.");
			return false;
		}
	}

	v = json_object_get(jwk, "key_ops");
	if (v != NULL)
	{
		size_t		i;
		json_t	   *op;
		bool		verify = false;

		if (!json_is_array(v))
			return pj_error_set(err, PJ_ERR_KEY_INVALID,
								"JWK member \"key_ops\" is not an array");
		json_array_foreach(v, i, op)
		{
			if (!json_is_string(op))
				return pj_error_set(err, PJ_ERR_KEY_INVALID,
									"JWK member \"key_ops\" holds a value that is not a string");
			if (strcmp(json_string_value(op), "verify") == 0)
				verify = true;
		}
		if (!verify)
		{
			pj_error_set(err, PJ_ERR_KEY_USE,
						 "key operations do not include \"verify\"");
			pj_error_detail(err, "The JWK member \"key_ops\" must list \"verify\" or be absent.");
			return false;
		}
	}

	v = json_object_get(jwk, "alg");
	if (v != NULL)
	{
		if (!json_is_string(v))
			return pj_error_set(err, PJ_ERR_KEY_INVALID,
								"JWK member \"alg\" is not a string");
		if (strcmp(json_string_value(v), alg->name) != 0)
		{
			pj_sanitize(quoted, sizeof(quoted), json_string_value(v),
						json_string_length(v));
			return pj_error_set(err, PJ_ERR_KEY_USE,
								"key is bound to algorithm \"%s\", not \"%s\"",
								quoted, alg->name);
		}
	}
	return true;
}

/* jwk_bytes decodes the base64url member name of jwk; "want" > 0 demands
 * that exact length (EC and OKP coordinates are fixed-size). */
static bool
jwk_bytes(json_t *jwk, const char *name, size_t want,
		  unsigned char **out, size_t *outlen, pj_error *err)
{
	json_t	   *v = json_object_get(jwk, name);

	*out = NULL;
	if (!json_is_string(v))
		return pj_error_set(err, PJ_ERR_KEY_INVALID,
							"JWK has no string member \"%s\"", name);
	if (!pj_b64url_decode(json_string_value(v), json_string_length(v), "JWK member",
						  out, outlen, err))
		return pj_error_set(err, PJ_ERR_KEY_INVALID,
							"JWK member \"%s\" is not valid base64url", name);
	if (*outlen == 0 || (want > 0 && *outlen != want))
	{
		free(*out);
		*out = NULL;
		pj_error_set(err, PJ_ERR_KEY_INVALID,
					 "JWK member \"%s\" has the wrong length", name);
		if (want > 0)
			pj_error_detail(err, "It must decode to %zu bytes.", want);
		return false;
	}
	return true;
}

/* jwk_fromdata builds a public key of type "type" from params. */
static bool
jwk_fromdata(const char *type, OSSL_PARAM_BLD *bld, EVP_PKEY **out,
			 pj_error *err)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = NULL;
	bool		ok = false;

	if (params == NULL)
		return pj_error_oom(err);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (ctx != NULL &&
		EVP_PKEY_fromdata_init(ctx) == 1 &&
		EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) == 1)
		ok = true;
	else
	{
		pj_error_set(err, PJ_ERR_KEY_INVALID, "invalid JWK");
		pj_error_log_openssl(err, "OpenSSL could not build the key");
		pj_error_detail(err, "The key parameters are not a valid %s public key.", type);
	}
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return ok;
}

/* jwk_rsa builds an RSA public key from "n" and "e". */
static bool
jwk_rsa(json_t *jwk, EVP_PKEY **out, pj_error *err)
{
	unsigned char *n = NULL,
			   *e = NULL;
	size_t		nlen,
				elen;
	BIGNUM	   *bn_n = NULL,
			   *bn_e = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	bool		ok = false;

	if (!jwk_bytes(jwk, "n", 0, &n, &nlen, err) ||
		!jwk_bytes(jwk, "e", 0, &e, &elen, err))
		goto done;
	bn_n = BN_bin2bn(n, (int) nlen, NULL);
	bn_e = BN_bin2bn(e, (int) elen, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (bn_n == NULL || bn_e == NULL || bld == NULL ||
		!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) ||
		!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
	{
		pj_error_oom(err);
		goto done;
	}
	ok = jwk_fromdata("RSA", bld, out, err);
done:
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_n);
	BN_free(bn_e);
	free(n);
	free(e);
	return ok;
}

/* jwk_ec builds an EC public key from "crv", "x" and "y", and checks that
 * the point lies on the curve. */
static bool
jwk_ec(json_t *jwk, EVP_PKEY **out, pj_error *err)
{
	const char *crv = jwk_str(jwk, "crv");
	const char *group;
	size_t		size;
	unsigned char *x = NULL,
			   *y = NULL,
			   *pt = NULL;
	size_t		xlen,
				ylen;
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY_CTX *check = NULL;
	bool		ok = false;

	if (crv == NULL)
		return pj_error_set(err, PJ_ERR_KEY_INVALID,
							"JWK has no string member \"crv\"");
	if (strcmp(crv, "P-256") == 0)
		group = "prime256v1", size = 32;
	else if (strcmp(crv, "P-384") == 0)
		group = "secp384r1", size = 48;
	else if (strcmp(crv, "P-521") == 0)
		group = "secp521r1", size = 66;
	else
	{
		char		quoted[PJ_MAX_QUOTED + 8];

		pj_sanitize(quoted, sizeof(quoted), crv, strlen(crv));
		return pj_error_set(err, PJ_ERR_KEY_INVALID,
							"unsupported JWK curve \"%s\"", quoted);
	}

	if (!jwk_bytes(jwk, "x", size, &x, &xlen, err) ||
		!jwk_bytes(jwk, "y", size, &y, &ylen, err))
		goto done;

	/* An uncompressed point: 0x04 || x || y (SEC 1 section 2.3.3). */
	pt = malloc(1 + 2 * size);
	bld = OSSL_PARAM_BLD_new();
	if (pt == NULL || bld == NULL)
	{
		pj_error_oom(err);
		goto done;
	}
	pt[0] = 0x04;
	memcpy(pt + 1, x, size);
	memcpy(pt + 1 + size, y, size);
	if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
		!OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt, 1 + 2 * size))
	{
		pj_error_oom(err);
		goto done;
	}
	if (!jwk_fromdata("EC", bld, out, err))
		goto done;

	check = EVP_PKEY_CTX_new_from_pkey(NULL, *out, NULL);
	if (check == NULL || EVP_PKEY_public_check(check) != 1)
	{
		EVP_PKEY_free(*out);
		*out = NULL;
		pj_error_set(err, PJ_ERR_KEY_INVALID, "invalid JWK");
		pj_error_detail(err, "The EC point is not on the curve.");
		pj_error_log_openssl(err, "EVP_PKEY_public_check failed");
		goto done;
	}
	ok = true;
done:
	EVP_PKEY_CTX_free(check);
	OSSL_PARAM_BLD_free(bld);
	free(pt);
	free(x);
	free(y);
	return ok;
}

/* jwk_okp builds an Ed25519 public key from "x". */
static bool
jwk_okp(json_t *jwk, EVP_PKEY **out, pj_error *err)
{
	const char *crv = jwk_str(jwk, "crv");
	unsigned char *x = NULL;
	size_t		xlen;

	if (crv == NULL || strcmp(crv, "Ed25519") != 0)
		return pj_error_set(err, PJ_ERR_KEY_INVALID,
							"unsupported JWK curve for key type \"OKP\"");
	if (!jwk_bytes(jwk, "x", 32, &x, &xlen, err))
		return false;
	*out = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x, xlen);
	free(x);
	if (*out == NULL)
	{
		pj_error_set(err, PJ_ERR_KEY_INVALID, "invalid JWK");
		pj_error_log_openssl(err, "OpenSSL could not build the Ed25519 key");
		return false;
	}
	return true;
}

/* pj_jwk_to_pkey builds the public key that jwk describes. */
bool
pj_jwk_to_pkey(json_t *jwk, EVP_PKEY **out, pj_error *err)
{
	const char *kty = jwk_str(jwk, "kty");

	*out = NULL;
	if (!json_is_object(jwk))
		return pj_error_set(err, PJ_ERR_KEY_INVALID, "JWK is not a JSON object");
	if (kty == NULL)
		return pj_error_set(err, PJ_ERR_KEY_INVALID,
							"JWK has no string member \"kty\"");
	if (strcmp(kty, "RSA") == 0)
		return jwk_rsa(jwk, out, err);
	if (strcmp(kty, "EC") == 0)
		return jwk_ec(jwk, out, err);
	if (strcmp(kty, "OKP") == 0)
		return jwk_okp(jwk, out, err);
	if (strcmp(kty, "oct") == 0)
	{
		pj_error_set(err, PJ_ERR_KEY_INVALID, "symmetric keys are not supported");
		pj_error_detail(err, "Only public keys (RSA, EC, Ed25519) can verify tokens.");
		return false;
	}
	{
		char		quoted[PJ_MAX_QUOTED + 8];

		pj_sanitize(quoted, sizeof(quoted), kty, strlen(kty));
		return pj_error_set(err, PJ_ERR_KEY_INVALID,
							"unsupported JWK key type \"%s\"", quoted);
	}
}
