/*-------------------------------------------------------------------------
 *
 * jws.c
 *	  Compact JWS verification: split, decode, pick the algorithm and the
 *	  key, verify the signature with OpenSSL EVP.
 *
 * The order of the steps is chosen so that the cheapest and most
 * security-relevant refusals come first and no hostile byte reaches
 * OpenSSL or jansson before it has to:
 *	1. the length limit (64 KiB), before anything is read;
 *	2. exactly three dot-separated parts, each strict base64url;
 *	3. the protected header, parsed strictly (jose_header.c);
 *	4. the header's "alg": "none" refused, then it must be in the caller's
 *	   list; the list, not the token, is what pins the algorithm;
 *	5. the key (jws_key.c), then the algorithm must suit the key's type, which
 *	   also refuses HS* for every key;
 *	6. the signature's exact length (RSA: the modulus size; ECDSA: twice
 *	   the curve size, the raw r||s JWS form of RFC 7518 section 3.4; EdDSA:
 *	   64 bytes), then EVP_DigestVerify over the ASCII signing input.
 *
 * ECDSA signatures arrive as raw r||s; OpenSSL wants DER, so they are
 * rebuilt through ECDSA_SIG.  A DER signature inside a JWS is refused by
 * the length check, as it must be.  PSS uses MGF1 with the same hash and
 * a salt as long as the hash (RFC 7518 section 3.5).
 *
 * Memory: all intermediate buffers, the header, the key and every OpenSSL
 * context are freed on every path.  On success only the payload in
 * pj_jws remains, and pj_jws_free releases it.
 *
 * src/jwt/jws.c
 *
 *-------------------------------------------------------------------------
 */
#include "jws.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "base64url.h"
#include "jose_header.h"
#include "jws_alg.h"
#include "jws_key.h"

/* pj_jws_free releases the payload of a verified token. */
void
pj_jws_free(pj_jws *jws)
{
	free(jws->payload);
	jws->payload = NULL;
	jws->payload_len = 0;
}

/* jws_check_algs validates the caller's list and says whether alg is in it. */
static bool
jws_check_algs(const char *const *algs, int nalgs, const pj_header *hdr,
			   pj_error *err)
{
	int			i;
	bool		listed = false;

	if (nalgs <= 0)
		return pj_error_set(err, PJ_ERR_OPTION,
							"list of allowed algorithms is empty");
	for (i = 0; i < nalgs; i++)
	{
		if (algs[i] == NULL || pj_alg_lookup(algs[i], strlen(algs[i])) == NULL)
		{
			char		quoted[PJ_MAX_QUOTED + 8];
			char		names[PJ_ALG_LIST_SIZE];

			pj_sanitize(quoted, sizeof(quoted), algs[i] ? algs[i] : "",
						algs[i] ? strlen(algs[i]) : 0);
			pj_error_set(err, PJ_ERR_OPTION,
						 "unrecognized algorithm \"%s\" in the list of allowed algorithms",
						 quoted);
			pj_error_detail(err, "Recognized algorithms are %s.",
							pj_alg_verifiable_list(names, sizeof(names)));
			return false;
		}
		if (strcmp(algs[i], hdr->alg->name) == 0)
			listed = true;
	}
	if (!listed)
		return pj_error_set(err, PJ_ERR_ALG_NOT_ALLOWED,
							"algorithm \"%s\" is not allowed", hdr->alg->name);
	return true;
}

/* jws_ecdsa_der turns a raw r||s signature of 2*size bytes into DER. */
static bool
jws_ecdsa_der(const unsigned char *sig, size_t size, unsigned char **der,
			  int *derlen, pj_error *err)
{
	ECDSA_SIG  *es = ECDSA_SIG_new();
	BIGNUM	   *r = BN_bin2bn(sig, (int) size, NULL);
	BIGNUM	   *s = BN_bin2bn(sig + size, (int) size, NULL);

	*der = NULL;
	if (es == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1)
	{
		ECDSA_SIG_free(es);
		BN_free(r);
		BN_free(s);
		return pj_error_oom(err);
	}
	/* es now owns r and s. */
	*derlen = i2d_ECDSA_SIG(es, der);
	ECDSA_SIG_free(es);
	if (*derlen <= 0)
	{
		*der = NULL;
		return pj_error_oom(err);
	}
	return true;
}

/*
 * jws_cached_ctx returns the verification context of the cached key for
 * alg, initialized once (padding and digest set, the digest fetched), or
 * NULL when there is none to use (no cache, a key not from the cache,
 * EdDSA, which signs the message itself, or an OpenSSL failure: the
 * caller then verifies the usual way).
 */
static const pj_verify_ctx *
jws_cached_ctx(pj_key_cache *cache, EVP_PKEY *pkey, const pj_alg *alg)
{
	pj_verify_ctx *v;
	int			i;

	if (cache == NULL || cache->pem_key != pkey || alg->digest == NULL)
		return NULL;
	for (i = 0; i < PJ_KEY_CACHE_CTX; i++)
		if (cache->verify[i].alg == alg)
			return &cache->verify[i];
	for (i = 0; i < PJ_KEY_CACHE_CTX; i++)
		if (cache->verify[i].alg == NULL)
			break;
	if (i == PJ_KEY_CACHE_CTX)
		return NULL;
	v = &cache->verify[i];
	v->md = EVP_MD_fetch(NULL, alg->digest, NULL);
	v->mdctx = EVP_MD_CTX_new();
	v->ctx = EVP_PKEY_CTX_new(pkey, NULL);
	if (v->md == NULL || v->mdctx == NULL || v->ctx == NULL ||
		EVP_PKEY_verify_init(v->ctx) != 1 ||
		(alg->family == PJ_FAMILY_RSA_PKCS1 &&
		 EVP_PKEY_CTX_set_rsa_padding(v->ctx, RSA_PKCS1_PADDING) != 1) ||
		(alg->family == PJ_FAMILY_RSA_PSS &&
		 (EVP_PKEY_CTX_set_rsa_padding(v->ctx, RSA_PKCS1_PSS_PADDING) != 1 ||
		  EVP_PKEY_CTX_set_rsa_mgf1_md(v->ctx, v->md) != 1 ||
		  EVP_PKEY_CTX_set_rsa_pss_saltlen(v->ctx, RSA_PSS_SALTLEN_DIGEST) != 1)) ||
		EVP_PKEY_CTX_set_signature_md(v->ctx, v->md) != 1)
	{
		EVP_PKEY_CTX_free(v->ctx);
		EVP_MD_free(v->md);
		EVP_MD_CTX_free(v->mdctx);
		memset(v, 0, sizeof(*v));
		ERR_clear_error();
		return NULL;
	}
	v->alg = alg;
	return v;
}

/* jws_verify_signature checks sig over input with pkey and alg. */
static bool
jws_verify_signature(EVP_PKEY *pkey, const pj_alg *alg, const pj_verify_ctx *pre,
					 const unsigned char *input, size_t inputlen,
					 const unsigned char *sig, size_t siglen, pj_error *err)
{
	size_t		want;
	unsigned char *der = NULL;
	int			derlen = 0;
	EVP_MD_CTX *md = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	int			rc;
	bool		ok = false;

	switch (alg->family)
	{
		case PJ_FAMILY_RSA_PKCS1:
		case PJ_FAMILY_RSA_PSS:
			want = (size_t) EVP_PKEY_get_size(pkey);
			break;
		case PJ_FAMILY_ECDSA:
			want = 2 * alg->ec_size;
			break;
		case PJ_FAMILY_EDDSA:
			want = 64;
			break;
		default:
			return pj_error_set(err, PJ_ERR_INTERNAL,
								"unexpected algorithm family");
	}
	if (siglen != want)
	{
		pj_error_set(err, PJ_ERR_SIGNATURE, "token signature is invalid");
		pj_error_log(err, "The %s signature has %zu bytes; exactly %zu are required.",
					 alg->name, siglen, want);
		return false;
	}
	if (alg->family == PJ_FAMILY_ECDSA)
	{
		if (!jws_ecdsa_der(sig, alg->ec_size, &der, &derlen, err))
			return false;
		sig = der;
		siglen = (size_t) derlen;
	}

	if (pre != NULL)
	{
		/* a context made for this key and algorithm: digest, then verify */
		unsigned char digest[EVP_MAX_MD_SIZE];
		unsigned int dlen = 0;

		if (EVP_DigestInit_ex(pre->mdctx, pre->md, NULL) != 1 ||
			EVP_DigestUpdate(pre->mdctx, input, inputlen) != 1 ||
			EVP_DigestFinal_ex(pre->mdctx, digest, &dlen) != 1)
		{
			pj_error_set(err, PJ_ERR_INTERNAL, "could not initialize signature verification");
			pj_error_log_openssl(err, "the digest of the signing input failed");
			goto done;
		}
		rc = EVP_PKEY_verify(pre->ctx, sig, siglen, digest, dlen);
		goto verified;
	}

	md = EVP_MD_CTX_new();
	if (md == NULL)
	{
		pj_error_oom(err);
		goto done;
	}
	if (EVP_DigestVerifyInit_ex(md, &pctx, alg->digest, NULL, NULL, pkey, NULL) != 1)
	{
		pj_error_set(err, PJ_ERR_INTERNAL, "could not initialize signature verification");
		pj_error_log_openssl(err, "EVP_DigestVerifyInit_ex failed");
		goto done;
	}
	if (alg->family == PJ_FAMILY_RSA_PKCS1 &&
		EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
	{
		pj_error_set(err, PJ_ERR_INTERNAL, "could not initialize signature verification");
		pj_error_log_openssl(err, "could not set PKCS#1 v1.5 padding");
		goto done;
	}
	if (alg->family == PJ_FAMILY_RSA_PSS &&
		(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
		 EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, alg->digest, NULL) != 1 ||
		 EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1))
	{
		pj_error_set(err, PJ_ERR_INTERNAL, "could not initialize signature verification");
		pj_error_log_openssl(err, "could not set PSS parameters");
		goto done;
	}

	rc = EVP_DigestVerify(md, sig, siglen, input, inputlen);
verified:
	if (rc != 1)
	{
		char		what[64];

		snprintf(what, sizeof(what), "The %s signature does not verify%s",
				 alg->name, rc < 0 ? " (OpenSSL error)" : "");
		pj_error_set(err, PJ_ERR_SIGNATURE, "token signature is invalid");
		pj_error_log_openssl(err, what);
		goto done;
	}
	ok = true;
done:
	EVP_MD_CTX_free(md);		/* also frees pctx, which md owns */
	OPENSSL_free(der);
	ERR_clear_error();
	return ok;
}

/* jws_split finds the two dots of a compact JWS. */
static bool
jws_split(const char *token, size_t len, size_t *dot1, size_t *dot2,
		  pj_error *err)
{
	const char *end = token + len;
	const char *d1 = memchr(token, '.', len);
	const char *d2 = d1 ? memchr(d1 + 1, '.', end - d1 - 1) : NULL;

	if (d2 == NULL || memchr(d2 + 1, '.', end - d2 - 1) != NULL)
	{
		int			ndots = 0;
		size_t		i;

		for (i = 0; i < len; i++)
			ndots += token[i] == '.';
		pj_error_set(err, PJ_ERR_MALFORMED, "token is not a compact JWS");
		pj_error_log(err, "The token has %d parts separated by dots; exactly 3 are required.",
					 ndots + 1);
		return false;
	}
	*dot1 = d1 - token;
	*dot2 = d2 - token;
	/* Empty parts are left to later steps, so that an unsecured token
	 * ("alg":"none", empty signature) is refused by name. */
	return true;
}

/* pj_jws_verify verifies a compact JWS; on success out->payload holds the
 * payload bytes, malloc'd. */
bool
pj_jws_verify(const char *token, size_t token_len,
			  const char *key, size_t key_len,
			  const char *const *algs, int nalgs,
			  pj_jws *out, pj_error *err)
{
	return pj_jws_verify_cached(token, token_len, key, key_len, algs, nalgs,
								NULL, out, err);
}

/* pj_jws_verify_cached is pj_jws_verify with a key cache, which may be
 * NULL; the caller empties the cache whenever the key text changes. */
bool
pj_jws_verify_cached(const char *token, size_t token_len,
					 const char *key, size_t key_len,
					 const char *const *algs, int nalgs,
					 pj_key_cache *cache,
					 pj_jws *out, pj_error *err)
{
	size_t		dot1 = 0,
				dot2 = 0;
	unsigned char *hjson = NULL,
			   *payload = NULL,
			   *sig = NULL;
	size_t		hlen,
				plen,
				slen;
	pj_header	hdr;
	EVP_PKEY   *pkey = NULL;
	bool		ok = false;

	memset(&hdr, 0, sizeof(hdr));
	out->payload = NULL;
	out->payload_len = 0;
	pj_error_clear(err);

	if (token_len > PJ_MAX_TOKEN_LEN)
	{
		pj_error_set(err, PJ_ERR_TOO_LARGE, "token is too large");
		pj_error_log(err, "The token has %zu bytes; the limit is %d.",
					 token_len, PJ_MAX_TOKEN_LEN);
		return false;
	}
	if (!jws_split(token, token_len, &dot1, &dot2, err))
		return false;

	if (!pj_b64url_decode(token, dot1, "token header", &hjson, &hlen, err) ||
		!pj_b64url_decode(token + dot1 + 1, dot2 - dot1 - 1, "token payload",
						  &payload, &plen, err) ||
		!pj_b64url_decode(token + dot2 + 1, token_len - dot2 - 1, "token signature",
						  &sig, &slen, err))
		goto done;

	if (!pj_header_parse(hjson, hlen, &hdr, err))
		goto done;
	if (!jws_check_algs(algs, nalgs, &hdr, err))
		goto done;
	if (!pj_key_load(key, key_len, &hdr, cache, &pkey, err))
		goto done;
	if (!pj_key_fits(pkey, &hdr, err))
		goto done;
	if (!jws_verify_signature(pkey, hdr.alg, jws_cached_ctx(cache, pkey, hdr.alg),
							  (const unsigned char *) token, dot2, sig, slen, err))
		goto done;

	out->payload = payload;
	out->payload_len = plen;
	payload = NULL;
	ok = true;
done:
	EVP_PKEY_free(pkey);
	pj_header_free(&hdr);
	free(hjson);
	free(payload);
	free(sig);
	ERR_clear_error();
	return ok;
}
