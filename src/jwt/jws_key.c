/*-------------------------------------------------------------------------
 *
 * jws_key.c
 *	  The caller's key text: recognizing its form, loading it, choosing
 *	  the key a token names, and checking it against the token's algorithm.
 *
 * Accepted forms, recognized by their first non-blank bytes:
 *	- PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo);
 *	- PEM "RSA PUBLIC KEY" (PKCS#1 RSAPublicKey);
 *	- PEM "CERTIFICATE": its public key is used; the certificate's dates,
 *	  issuer and extensions are not checked, because the caller pins this
 *	  exact certificate as the key, it is not building a chain;
 *	- a JWK (a JSON object with "kty");
 *	- a JWK Set (a JSON object with "keys").
 * Private keys are refused with a hint rather than silently reduced to
 * their public half: a private key in SQL text is a leak waiting to happen.
 *
 * Choosing a key from a set: when the token has a "kid", exactly one key
 * of the set must carry it; without "kid", the set must hold exactly one
 * usable key (right type and curve, "use", "key_ops" and "alg" allowing
 * the token's algorithm).  A set that contains a symmetric key is
 * refused as a whole: secret material does not belong in a public-key
 * argument and is probably a mistake that leaks it.
 *
 * Only the caller's text is ever used: header members "jwk", "jku",
 * "x5u" and "x5c" are ignored by jose_header.c.
 *
 * Memory: BIOs, X509 objects, jansson trees and failed keys are freed on
 * every path; the caller frees the EVP_PKEY returned in *out.  The
 * OpenSSL error queue is drained on every failure.
 *
 * src/jwt/jws_key.c
 *
 *-------------------------------------------------------------------------
 */
#include "jws_key.h"

#include <string.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "jwk.h"

/* key_describe names the key type for messages ("an RSA key"). */
static const char *
key_describe(EVP_PKEY *pkey)
{
	char		group[64];

	switch (EVP_PKEY_get_base_id(pkey))
	{
		case EVP_PKEY_RSA:
			return "an RSA key";
		case EVP_PKEY_RSA_PSS:
			return "an RSA-PSS key";
		case EVP_PKEY_ED25519:
			return "an Ed25519 key";
		case EVP_PKEY_ED448:
			return "an Ed448 key";
		case EVP_PKEY_EC:
			if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
											   group, sizeof(group), NULL) == 1)
			{
				if (strcmp(group, "prime256v1") == 0)
					return "an EC P-256 key";
				if (strcmp(group, "secp384r1") == 0)
					return "an EC P-384 key";
				if (strcmp(group, "secp521r1") == 0)
					return "an EC P-521 key";
			}
			ERR_clear_error();
			return "an EC key on an unsupported curve";
		default:
			return "a key of an unsupported type";
	}
}

/* key_check_strength refuses RSA keys under PJ_RSA_MIN_BITS and RSA
 * exponents that are even or 1 (which make "signatures" trivial). */
static bool
key_check_strength(EVP_PKEY *pkey, pj_error *err)
{
	BIGNUM	   *e = NULL;
	bool		ok;
	int			bits;

	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA)
		return true;
	bits = EVP_PKEY_get_bits(pkey);
	if (bits < PJ_RSA_MIN_BITS)
	{
		pj_error_set(err, PJ_ERR_KEY_WEAK, "RSA key is too short");
		pj_error_detail(err, "The key has %d bits; at least %d are required.",
						bits, PJ_RSA_MIN_BITS);
		return false;
	}
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1)
	{
		pj_error_set(err, PJ_ERR_KEY_INVALID, "invalid RSA key");
		pj_error_log_openssl(err, "could not read the RSA exponent");
		return false;
	}
	ok = BN_is_odd(e) && !BN_is_one(e);
	BN_free(e);
	if (!ok)
	{
		pj_error_set(err, PJ_ERR_KEY_WEAK, "invalid RSA key");
		pj_error_detail(err, "The public exponent must be odd and greater than 1.");
	}
	return ok;
}

/* key_der_to_pkey decodes the DER body of a PEM block named name; the
 * whole body must be consumed, so trailing bytes are refused. */
static EVP_PKEY *
key_der_to_pkey(const char *name, const unsigned char *der, long derlen)
{
	const unsigned char *p = der;
	EVP_PKEY   *pkey = NULL;

	if (strcmp(name, "PUBLIC KEY") == 0)
		pkey = d2i_PUBKEY(NULL, &p, derlen);
	else if (strcmp(name, "RSA PUBLIC KEY") == 0)
		pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, derlen);
	else if (strcmp(name, "CERTIFICATE") == 0)
	{
		X509	   *cert = d2i_X509(NULL, &p, derlen);

		if (cert != NULL)
		{
			pkey = X509_get_pubkey(cert);
			X509_free(cert);
		}
	}
	if (pkey != NULL && p != der + derlen)
	{
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	return pkey;
}

/* key_load_pem loads the public key from the first PEM block of text.
 * PEM_read_bio plus d2i_* is used rather than PEM_read_bio_PUBKEY: with
 * OpenSSL 3.0 the latter goes through the decoder framework and costs
 * several times more per call. */
static bool
key_load_pem(const char *text, size_t len, EVP_PKEY **out, pj_error *err)
{
	BIO		   *bio;
	char	   *name = NULL;
	char	   *header = NULL;
	unsigned char *der = NULL;
	long		derlen = 0;
	bool		ok = false;
	size_t		namelen;

	bio = BIO_new_mem_buf(text, (int) len);
	if (bio == NULL)
		return pj_error_oom(err);
	if (PEM_read_bio(bio, &name, &header, &der, &derlen) != 1)
	{
		pj_error_set(err, PJ_ERR_KEY_INVALID, "invalid PEM key");
		pj_error_log_openssl(err, "OpenSSL could not read the PEM block");
		pj_error_detail(err, "The text is not a well-formed PEM block.");
		goto done;
	}
	namelen = strlen(name);
	if (namelen >= 11 && strcmp(name + namelen - 11, "PRIVATE KEY") == 0)
	{
		pj_error_set(err, PJ_ERR_KEY_INVALID, "key is a private key");
		pj_error_detail(err, "Only a public key, a certificate or a JWK can verify tokens; pass the public key.");
		goto done;
	}
	if (strcmp(name, "PUBLIC KEY") != 0 &&
		strcmp(name, "RSA PUBLIC KEY") != 0 &&
		strcmp(name, "CERTIFICATE") != 0)
	{
		pj_error_set(err, PJ_ERR_KEY_INVALID, "unsupported PEM key type");
		pj_error_detail(err, "Supported PEM blocks are PUBLIC KEY, RSA PUBLIC KEY and CERTIFICATE.");
		goto done;
	}
	/* Public keys and certificates are never encrypted: no PEM headers. */
	if (header != NULL && header[0] != '\0')
	{
		pj_error_set(err, PJ_ERR_KEY_INVALID, "invalid PEM key");
		pj_error_detail(err, "The PEM block has headers, which public keys and certificates never have.");
		goto done;
	}

	*out = key_der_to_pkey(name, der, derlen);
	if (*out == NULL)
	{
		pj_error_set(err, PJ_ERR_KEY_INVALID, "invalid PEM key");
		pj_error_log_openssl(err, "OpenSSL could not decode the key");
		pj_error_detail(err, "The PEM block does not hold a valid key or certificate.");
		goto done;
	}
	ok = true;
done:
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(der);
	BIO_free(bio);
	ERR_clear_error();
	return ok;
}

/* key_kid_equals says whether jwk's "kid" equals the header's kid. */
static bool
key_kid_equals(json_t *jwk, const pj_header *hdr)
{
	json_t	   *kid = json_object_get(jwk, "kid");

	return json_is_string(kid) && json_string_length(kid) == hdr->kid_len &&
		memcmp(json_string_value(kid), hdr->kid, hdr->kid_len) == 0;
}

/* key_pick_from_set chooses the JWK of the set "keys" for the token. */
static json_t *
key_pick_from_set(json_t *keys, const pj_header *hdr, pj_error *err)
{
	size_t		i;
	json_t	   *jwk;
	json_t	   *found = NULL;
	int			nfound = 0;

	if (!json_is_array(keys))
	{
		pj_error_set(err, PJ_ERR_KEY_INVALID, "invalid JWK Set");
		pj_error_detail(err, "The member \"keys\" must be an array of JWK objects.");
		return NULL;
	}
	json_array_foreach(keys, i, jwk)
	{
		if (!json_is_object(jwk))
		{
			pj_error_set(err, PJ_ERR_KEY_INVALID, "invalid JWK Set");
			pj_error_detail(err, "The member \"keys\" must be an array of JWK objects.");
			return NULL;
		}
		if (pj_jwk_is_symmetric(jwk))
		{
			pj_error_set(err, PJ_ERR_KEY_INVALID, "JWK Set contains a symmetric key");
			pj_error_detail(err, "Only public keys (RSA, EC, Ed25519) can verify tokens; remove the key of type \"oct\".");
			return NULL;
		}
	}

	json_array_foreach(keys, i, jwk)
	{
		if (hdr->has_kid)
		{
			if (!key_kid_equals(jwk, hdr))
				continue;
		}
		else
		{
			pj_error scratch;

			pj_error_clear(&scratch);
			if (!pj_jwk_kty_fits(jwk, hdr->alg) ||
				!pj_jwk_check_use(jwk, hdr->alg, &scratch))
				continue;
		}
		found = jwk;
		nfound++;
	}

	if (nfound == 1)
		return found;
	if (hdr->has_kid)
	{
		if (nfound == 0)
			pj_error_set(err, PJ_ERR_KEY_NOT_FOUND,
						 "no key with kid \"%s\" in the JWK Set", hdr->kid_quoted);
		else
			pj_error_set(err, PJ_ERR_KEY_AMBIGUOUS,
						 "JWK Set holds more than one key with kid \"%s\"", hdr->kid_quoted);
	}
	else
	{
		if (nfound == 0)
			pj_error_set(err, PJ_ERR_KEY_NOT_FOUND,
						 "JWK Set holds no key usable with algorithm \"%s\"", hdr->alg->name);
		else
		{
			pj_error_set(err, PJ_ERR_KEY_AMBIGUOUS,
						 "token has no kid and the JWK Set holds several usable keys");
			pj_error_detail(err, "Without a \"kid\" header, the JWK Set must hold exactly one key usable with algorithm \"%s\".",
							hdr->alg->name);
		}
	}
	return NULL;
}

/* key_load_json loads the key from a JWK or a JWK Set. */
static bool
key_load_json(const char *text, size_t len, const pj_header *hdr,
			  EVP_PKEY **out, pj_error *err)
{
	json_t	   *root;
	json_t	   *jwk;
	json_error_t jerr;
	bool		ok = false;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL || !json_is_object(root))
	{
		pj_error_set(err, PJ_ERR_KEY_INVALID, "invalid JWK");
		if (root == NULL)
			pj_error_detail(err, "JSON error at line %d, column %d: %s.",
							jerr.line, jerr.column, jerr.text);
		json_decref(root);
		return false;
	}

	if (json_object_get(root, "keys") != NULL)
	{
		jwk = key_pick_from_set(json_object_get(root, "keys"), hdr, err);
		if (jwk == NULL)
			goto done;
	}
	else
	{
		jwk = root;
		/* A lone JWK that names a kid must name the token's. */
		if (hdr->has_kid && json_object_get(jwk, "kid") != NULL &&
			!key_kid_equals(jwk, hdr))
		{
			pj_error_set(err, PJ_ERR_KEY_NOT_FOUND,
						 "key does not have kid \"%s\"", hdr->kid_quoted);
			goto done;
		}
	}

	if (!pj_jwk_check_use(jwk, hdr->alg, err))
		goto done;
	ok = pj_jwk_to_pkey(jwk, out, err);
done:
	json_decref(root);
	return ok;
}

/* pj_key_load parses the caller's key text and returns the key to verify
 * the token described by hdr; the caller frees *out. */
bool
pj_key_load(const char *text, size_t len, const pj_header *hdr,
			EVP_PKEY **out, pj_error *err)
{
	bool		ok;

	*out = NULL;
	while (len > 0 && (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r'))
		text++, len--;

	if (len > 0 && *text == '{')
		ok = key_load_json(text, len, hdr, out, err);
	else if (len > 0 && *text == '-')
		ok = key_load_pem(text, len, out, err);
	else
	{
		pj_error_set(err, PJ_ERR_KEY_INVALID, "unrecognized key format");
		pj_error_detail(err, "The key must be a PEM public key, a PEM certificate, a JWK or a JWK Set.");
		ok = false;
	}

	if (ok && !key_check_strength(*out, err))
		ok = false;
	if (!ok)
	{
		EVP_PKEY_free(*out);
		*out = NULL;
		ERR_clear_error();
	}
	return ok;
}

/* pj_key_fits checks that the token's algorithm suits the key's type and
 * curve; HS* and none never suit any key. */
bool
pj_key_fits(EVP_PKEY *pkey, const pj_header *hdr, pj_error *err)
{
	const pj_alg *alg = hdr->alg;
	bool		fits = false;

	switch (alg->family)
	{
		case PJ_FAMILY_RSA_PKCS1:
		case PJ_FAMILY_RSA_PSS:
			fits = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA;
			break;
		case PJ_FAMILY_ECDSA:
			if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC)
			{
				char		group[64];

				fits = EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
													  group, sizeof(group), NULL) == 1 &&
					strcmp(group, alg->curve) == 0;
				ERR_clear_error();
			}
			break;
		case PJ_FAMILY_EDDSA:
			fits = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519;
			break;
		case PJ_FAMILY_HMAC:
		case PJ_FAMILY_NONE:
			fits = false;
			break;
	}
	if (!fits)
	{
		pj_error_set(err, PJ_ERR_ALG_KEY_MISMATCH,
					 "algorithm \"%s\" is not allowed for %s",
					 alg->name, key_describe(pkey));
		if (alg->family == PJ_FAMILY_HMAC)
			pj_error_detail(err, "HMAC algorithms are never accepted: a public key is not a shared secret.");
	}
	return fits;
}
