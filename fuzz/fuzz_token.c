/*-------------------------------------------------------------------------
 *
 * fuzz_token.c
 *	  libFuzzer target for the token verifier (src/jwt): base64url, the
 *	  compact split, the JOSE header, key parsing, signature length
 *	  handling and the claims checks, without the signature check hiding
 *	  everything behind it.
 *
 * The first byte picks a mode:
 *	0  strict base64url: what decodes must re-encode to the same text
 *	   (canonical, no padding), and any bytes encoded must decode back;
 *	1  the JOSE header parser on raw bytes;
 *	2  a whole token as text, verified with the fixture keys (RSA PEM, EC
 *	   JWK, Ed25519 PEM, a JWK Set): split, decode, header, algorithm and
 *	   key checks, signature length;
 *	3  header JSON and payload from the input (split at the first 0xff),
 *	   base64url-encoded and signed with the test Ed25519 key, so the
 *	   signature verifies and the payload reaches the claims checks; a
 *	   token whose header parses with alg EdDSA must verify and yield
 *	   exactly the payload, and the same token with one signature bit
 *	   flipped, or one byte more or less of signature, must not;
 *	4  the caller's key text from the input (PEM, JWK, JWK Set) loaded
 *	   for a header whose alg and kid come from the input;
 *	5  the claims checks (exp, nbf, iat, aud) on a raw payload.
 * Every allocation is freed on every path; LeakSanitizer checks that.
 *
 * The keys below are the throwaway test keys of test/fixtures/keys.
 *
 * fuzz/fuzz_token.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "base64url.h"
#include "fuzz_check.h"
#include "jose_header.h"
#include "jws.h"
#include "jws_key.h"
#include "jwt_claims.h"
#include "jwt_error.h"

static const char ed25519_private[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MC4CAQAwBQYDK2VwBCIEIOpUCGwlkrpdAq1t8GYOF75A3pVzB+fAo8Kn+qoHq7Tt\n"
	"-----END PRIVATE KEY-----\n";

static const char ed25519_public[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MCowBQYDK2VwAyEA1IHVJmVtjKn9HBuUdKSkQugmI9WP8i3K25jf8Z8sCjI=\n"
	"-----END PUBLIC KEY-----\n";

static const char rsa_public[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA27slHP0jJ96X5kCq2tvl\n"
	"ko7vJItFKeM/dt40lRM3SXAhXxaMJIrYj5CppsbxvFdgwJHfdnbM9rGP6Kgu4wlf\n"
	"eGimIyaM7dyqqver6kfGrXJCnLmznXdezmOAcuJUPx25UEE94x5j+gX2k6EqnPsk\n"
	"tkkAZDa3B1UM5aZ0ylcF1Mqn/49kMiniWFpXHqbx7qKAT/erles0xev/LN1daaeA\n"
	"UBGlUF/XugHzpK/Lj1LalUOWYKozGITVAv43FI2JiGY4R4MwEGykpdajx4BRipo+\n"
	"P0eXsIg2Zdh7AuIILaxKIdzQqkFxbGqTP8BtLnjhWjesRlspF80hFw5BgXlp+Z/Z\n"
	"GQIDAQAB\n"
	"-----END PUBLIC KEY-----\n";

static const char ec_jwk[] =
	"{\"kty\":\"EC\",\"kid\":\"ec-1\",\"crv\":\"P-256\",\"x\":\"LrmdlW_vvNluUojrUrOHGWYnbWZ6eP-zCl3oIbaCm38\",\"y\":\"dbiQoJEzXra0WraLy60a47JrwmjwyJKUqO3faKVMuBE\"}\n";

static const char jwks[] =
	"{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa-1\",\"n\":\"27slHP0jJ96X5kCq2tvlko7vJItFKeM_dt40lRM3SXAhXxaMJIrYj5CppsbxvFdgwJHfdnbM9rGP6Kgu4wlfeGimIyaM7dyqqver6kfGrXJCnLmznXdezmOAcuJUPx25UEE94x5j-gX2k6EqnPsktkkAZDa3B1UM5aZ0ylcF1Mqn_49kMiniWFpXHqbx7qKAT_erles0xev_LN1daaeAUBGlUF_XugHzpK_Lj1LalUOWYKozGITVAv43FI2JiGY4R4MwEGykpdajx4BRipo-P0eXsIg2Zdh7AuIILaxKIdzQqkFxbGqTP8BtLnjhWjesRlspF80hFw5BgXlp-Z_ZGQ\",\"e\":\"AQAB\"},{\"kty\":\"EC\",\"kid\":\"ec-1\",\"crv\":\"P-256\",\"x\":\"LrmdlW_vvNluUojrUrOHGWYnbWZ6eP-zCl3oIbaCm38\",\"y\":\"dbiQoJEzXra0WraLy60a47JrwmjwyJKUqO3faKVMuBE\"},{\"kty\":\"OKP\",\"kid\":\"ed-1\",\"crv\":\"Ed25519\",\"x\":\"1IHVJmVtjKn9HBuUdKSkQugmI9WP8i3K25jf8Z8sCjI\"}]}\n";

static const char *const keys[] = {rsa_public, ec_jwk, ed25519_public, jwks};

static const char *const all_algs[] = {
	"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512", "EdDSA"
};

static EVP_PKEY *signer;

/* one PEM key cache per fixture key: the key texts never change */
static pj_key_cache caches[4];

/* b64url_encode writes unpadded base64url; out needs 4 * (n + 2) / 3 + 1 bytes. */
static size_t
b64url_encode(const unsigned char *in, size_t n, char *out)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t		i,
				o = 0;

	for (i = 0; i + 2 < n; i += 3)
	{
		uint32_t	v = (uint32_t) in[i] << 16 | (uint32_t) in[i + 1] << 8 | in[i + 2];

		out[o++] = tab[v >> 18];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = tab[(v >> 6) & 63];
		out[o++] = tab[v & 63];
	}
	if (n - i == 1)
	{
		uint32_t	v = (uint32_t) in[i] << 16;

		out[o++] = tab[v >> 18];
		out[o++] = tab[(v >> 12) & 63];
	}
	else if (n - i == 2)
	{
		uint32_t	v = (uint32_t) in[i] << 16 | (uint32_t) in[i + 1] << 8;

		out[o++] = tab[v >> 18];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = tab[(v >> 6) & 63];
	}
	out[o] = '\0';
	return o;
}

/* check_error: a failure carries a class, a one-line message, NUL-terminated texts. */
static void
check_error(const pj_error *err)
{
	CHECK(err->code != PJ_OK && err->eclass != PJ_CLASS_NONE, "error without code or class");
	CHECK(err->message[0] != '\0' && memchr(err->message, '\0', PJ_MSG_LEN) != NULL &&
		  strchr(err->message, '\n') == NULL, "bad message");
	CHECK(memchr(err->detail, '\0', PJ_DETAIL_LEN) != NULL &&
		  memchr(err->log_detail, '\0', PJ_DETAIL_LEN) != NULL, "unterminated detail");
}

/* check_quoted: a sanitized quote is printable ASCII without quotes or backslashes. */
static void
check_quoted(const char *q, size_t size)
{
	size_t		i;

	CHECK(memchr(q, '\0', size) != NULL, "unterminated quote");
	for (i = 0; q[i]; i++)
		CHECK(q[i] >= 0x20 && q[i] < 0x7f && q[i] != '"' && q[i] != '\\', "unsanitized byte in a quote");
}

static void
mode_base64(const uint8_t *data, size_t size)
{
	unsigned char *out;
	size_t		outlen;
	pj_error	err;
	char	   *enc = malloc(4 * (size + 2) / 3 + 2);

	pj_error_clear(&err);
	if (pj_b64url_decode((const char *) data, size, "fuzz", &out, &outlen, &err))
	{
		size_t		n = b64url_encode(out, outlen, enc);

		CHECK(n == size && memcmp(enc, data, size) == 0, "decoding is not canonical");
		CHECK(out[outlen] == '\0', "decoded bytes are not NUL-terminated");
		free(out);
	}
	else
	{
		check_error(&err);
		CHECK(out == NULL, "output left on failure");
	}
	/* any bytes round-trip */
	{
		size_t		n = b64url_encode(data, size, enc);

		pj_error_clear(&err);
		CHECK(pj_b64url_decode(enc, n, "fuzz", &out, &outlen, &err), "valid encoding refused");
		CHECK(outlen == size && memcmp(out, data, size) == 0, "round trip");
		free(out);
	}
	free(enc);
}

static void
mode_header(const uint8_t *data, size_t size)
{
	pj_header	hdr;
	pj_error	err;

	pj_error_clear(&err);
	if (pj_header_parse(data, size, &hdr, &err))
	{
		CHECK(hdr.alg != NULL && hdr.alg->family != PJ_FAMILY_NONE, "accepted header without an alg, or alg none");
		check_quoted(hdr.alg_quoted, sizeof(hdr.alg_quoted));
		if (hdr.has_kid)
		{
			CHECK(hdr.kid != NULL && hdr.kid[hdr.kid_len] == '\0', "kid");
			check_quoted(hdr.kid_quoted, sizeof(hdr.kid_quoted));
		}
		pj_header_free(&hdr);
	}
	else
	{
		check_error(&err);
		pj_header_free(&hdr);
	}
}

static void
mode_token(const uint8_t *data, size_t size)
{
	int			k = size > 0 ? data[0] % 4 : 0;
	int			nalgs = size > 1 ? 1 + data[1] % 10 : 10;
	pj_jws		out,
				out2;
	pj_error	err,
				err2;
	bool		ok,
				ok2;

	if (size < 2)
		return;
	ok = pj_jws_verify_cached((const char *) data + 2, size - 2, keys[k], strlen(keys[k]),
							  all_algs + (10 - nalgs), nalgs, &caches[k], &out, &err);
	ok2 = pj_jws_verify((const char *) data + 2, size - 2, keys[k], strlen(keys[k]),
						all_algs + (10 - nalgs), nalgs, &out2, &err2);
	CHECK(ok == ok2 && (ok || err.code == err2.code),
		  "the key cache changes the answer: %d %d (%s / %s)", ok, ok2,
		  ok ? "" : err.message, ok2 ? "" : err2.message);
	if (ok)
	{
		/* only a token signed by a fixture key can get here */
		CHECK(out.payload_len == out2.payload_len &&
			  memcmp(out.payload, out2.payload, out.payload_len) == 0, "payloads differ");
		pj_jws_free(&out);
		pj_jws_free(&out2);
	}
	else
	{
		check_error(&err);
		CHECK(out.payload == NULL && out2.payload == NULL, "payload left on failure");
	}
}

/* sign_token builds header.payload.signature with the Ed25519 test key. */
static char *
sign_token(const uint8_t *h, size_t hlen, const uint8_t *p, size_t plen, size_t *len)
{
	char	   *tok = malloc(4 * (hlen + plen + 64 + 6) / 3 + 16);
	size_t		n = b64url_encode(h, hlen, tok);
	unsigned char sig[64];
	size_t		siglen = sizeof(sig);
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	tok[n++] = '.';
	n += b64url_encode(p, plen, tok + n);
	CHECK(md && EVP_DigestSignInit(md, NULL, NULL, NULL, signer) == 1 &&
		  EVP_DigestSign(md, sig, &siglen, (unsigned char *) tok, n) == 1 && siglen == 64,
		  "could not sign");
	EVP_MD_CTX_free(md);
	tok[n++] = '.';
	n += b64url_encode(sig, siglen, tok + n);
	*len = n;
	return tok;
}

static void
mode_signed(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 0xff, size);
	const uint8_t *h = data,
			   *p;
	size_t		hlen,
				plen,
				len;
	char	   *tok;
	pj_jws		out;
	pj_error	err;
	pj_header	hdr;
	bool		hdr_ok;
	static const char *const algs[] = {"RS256", "EdDSA"};
	const char *key = (size > 0 && (data[size - 1] & 1)) ? jwks : ed25519_public;
	pj_key_cache *cache = key == jwks ? &caches[3] : &caches[2];

	if (sep == NULL)
		return;
	hlen = (size_t) (sep - data);
	p = sep + 1;
	plen = size - hlen - 1;
	tok = sign_token(h, hlen, p, plen, &len);

	pj_error_clear(&err);
	hdr_ok = pj_header_parse(h, hlen, &hdr, &err);
	if (pj_jws_verify_cached(tok, len, key, strlen(key), algs, 2, cache, &out, &err))
	{
		pj_claims_opts opts;
		pj_error	cerr;

		CHECK(hdr_ok && strcmp(hdr.alg->name, "EdDSA") == 0, "verified a token whose header is refused");
		CHECK(out.payload_len == plen && memcmp(out.payload, p, plen) == 0, "payload differs from what was signed");
		opts.at_us = 1767225600LL * 1000000;
		opts.leeway_us = 30 * 1000000LL;
		opts.audience = (hlen & 1) ? "paragon-test" : NULL;
		opts.require_exp = (hlen & 2) != 0;
		pj_error_clear(&cerr);
		if (!pj_claims_check(out.payload, out.payload_len, &opts, &cerr))
			check_error(&cerr);
		else
		{
			/* accepted claims are one strict JSON object: no duplicate names */
			json_error_t jerr;
			json_t	   *v = json_loadb((const char *) out.payload, out.payload_len,
									   JSON_REJECT_DUPLICATES, &jerr);

			CHECK(v != NULL && json_is_object(v), "accepted claims that are not one strict JSON object");
			json_decref(v);
		}
		pj_jws_free(&out);
	}
	else
	{
		check_error(&err);
		/* with the raw Ed25519 key, a valid EdDSA header must verify */
		CHECK(!(hdr_ok && strcmp(hdr.alg->name, "EdDSA") == 0 && key == ed25519_public && !hdr.has_kid),
			  "a correctly signed token was refused: %s", err.message);
	}
	if (hdr_ok)
		pj_header_free(&hdr);

	/* a damaged signature never verifies */
	{
		size_t		dot2 = len;

		while (dot2 > 0 && tok[dot2 - 1] != '.')
			dot2--;
		if (dot2 > 0 && len > dot2)
		{
			size_t		i = dot2 + (plen % (len - dot2));
			char		saved = tok[i];

			tok[i] = tok[i] == 'A' ? 'B' : 'A';
			if (!(i == len - 1))	/* the last char carries padding bits */
				CHECK(!pj_jws_verify_cached(tok, len, ed25519_public, strlen(ed25519_public), algs, 2, &caches[2], &out, &err),
					  "a damaged signature verified");
			else if (pj_jws_verify_cached(tok, len, ed25519_public, strlen(ed25519_public), algs, 2, &caches[2], &out, &err))
				CHECK(0, "a damaged signature verified");
			tok[i] = saved;
			/* one character less: a wrong length */
			CHECK(!pj_jws_verify(tok, len - 1, ed25519_public, strlen(ed25519_public), algs, 2, &out, &err),
				  "a short signature verified");
		}
	}
	free(tok);
}

static void
mode_key(const uint8_t *data, size_t size)
{
	pj_header	hdr;
	EVP_PKEY   *pkey = NULL;
	pj_error	err;
	pj_key_cache cache = {0};
	char		hjson[160];
	size_t		n;

	if (size < 2)
		return;
	n = (size_t) snprintf(hjson, sizeof(hjson), "{\"alg\":\"%s\"%s}", all_algs[data[0] % 10],
						  (data[1] & 1) ? ",\"kid\":\"rsa-1\"" : (data[1] & 2) ? ",\"kid\":\"ed-1\"" : "");
	pj_error_clear(&err);
	if (!pj_header_parse((const unsigned char *) hjson, n, &hdr, &err))
		abort();
	if (pj_key_load((const char *) data + 2, size - 2, &hdr, &cache, &pkey, &err))
	{
		EVP_PKEY   *again = NULL;

		CHECK(pkey != NULL, "no key");
		/* a second load of the same text (from the cache, for PEM) succeeds too */
		CHECK(pj_key_load((const char *) data + 2, size - 2, &hdr, &cache, &again, &err) &&
			  again != NULL, "a key loaded once fails the second time");
		EVP_PKEY_free(again);
		if (!pj_key_fits(pkey, &hdr, &err))
			check_error(&err);
		EVP_PKEY_free(pkey);
	}
	else
	{
		check_error(&err);
		CHECK(pkey == NULL, "key left on failure");
	}
	pj_header_free(&hdr);
	pj_key_cache_free(&cache);
	ERR_clear_error();
}

static void
mode_claims(const uint8_t *data, size_t size)
{
	pj_claims_opts opts;
	pj_error	err;

	if (size < 1)
		return;
	opts.at_us = 1767225600LL * 1000000 + (int64_t) data[0] * 1000000007LL;
	opts.leeway_us = (data[0] & 1) ? 0 : 30 * 1000000LL;
	opts.audience = (data[0] & 2) ? "paragon-test" : NULL;
	opts.require_exp = (data[0] & 4) != 0;
	pj_error_clear(&err);
	if (!pj_claims_check(data + 1, size - 1, &opts, &err))
		check_error(&err);
	else
	{
		json_error_t jerr;
		json_t	   *v = json_loadb((const char *) data + 1, size - 1, JSON_REJECT_DUPLICATES, &jerr);

		CHECK(v != NULL && json_is_object(v), "accepted claims that are not one strict JSON object");
		json_decref(v);
	}
}

/* the modes, chosen by the input's first byte: keep their order (the corpus relies on it) */
static void (*const modes[]) (const uint8_t *data, size_t size) = {
	mode_base64, mode_header, mode_token, mode_signed, mode_key, mode_claims
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	BIO		   *bio = BIO_new_mem_buf(ed25519_private, -1);

	signer = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (signer == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 70000)
		return 0;
	modes[data[0] % (sizeof(modes) / sizeof(modes[0]))] (data + 1, size - 1);
	ERR_clear_error();
	return 0;
}
