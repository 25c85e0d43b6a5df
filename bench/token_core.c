/*-------------------------------------------------------------------------
 *
 * token_core.c
 *	  The token verifier (src/jwt) alone, without PostgreSQL, against the
 *	  bare OpenSSL signature check it is built on (`make bench-token-core`).
 *
 * Usage: bench/token_core PUBLIC_KEY_PEM ALG TOKENS_FILE [ROUNDS]
 * TOKENS_FILE has one compact token per line (or "n<TAB>token<TAB>..." as
 * bench/sign_tokens.py writes it).  Each round times, over every token:
 *	bare	  base64url-decoding the signature, the SHA-256 of the signing
 *			  input and EVP_PKEY_verify on a context initialized once (what
 *			  `openssl speed` measures, plus the digest, the decoding and,
 *			  for ECDSA, the r||s to DER step);
 *	jws		  pj_jws_verify_cached with a key cache (what a new token costs
 *			  the extension's signature layer);
 *	claims	  pj_claims_check_ex on the verified payload (jansson parse and
 *			  the time and audience checks);
 * and prints the median over the rounds of the mean time per token, in
 * microseconds, and the ratios.  The variants alternate within each
 * round so that the load of a shared machine weighs on all of them.
 *
 * bench/token_core.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include "base64url.h"
#include "jws.h"
#include "jwt_claims.h"

#define MAX_TOKENS 100000

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* bare_verify checks one token's signature with OpenSSL alone. */
static int
bare_verify(EVP_PKEY_CTX *pctx, int ecdsa, const char *tok, size_t len)
{
	const char *dot2 = memrchr(tok, '.', len);
	unsigned char *sig = NULL;
	unsigned char *der = NULL;
	size_t		slen;
	int			dlen;
	unsigned char digest[32];
	pj_error	err;
	int			ok;

	if (dot2 == NULL || !pj_b64url_decode(dot2 + 1, len - (dot2 + 1 - tok), "sig", &sig, &slen, &err))
		return 0;
	if (ecdsa)
	{
		ECDSA_SIG  *es = ECDSA_SIG_new();

		ECDSA_SIG_set0(es, BN_bin2bn(sig, (int) slen / 2, NULL),
					   BN_bin2bn(sig + slen / 2, (int) slen / 2, NULL));
		dlen = i2d_ECDSA_SIG(es, &der);
		ECDSA_SIG_free(es);
	}
	ok = SHA256((const unsigned char *) tok, (size_t) (dot2 - tok), digest) != NULL &&
		EVP_PKEY_verify(pctx, ecdsa ? der : sig, ecdsa ? (size_t) dlen : slen,
						digest, sizeof(digest)) == 1;
	OPENSSL_free(der);
	free(sig);
	return ok;
}

int
main(int argc, char **argv)
{
	FILE	   *f;
	char	   *key;
	long		keylen;
	char	  **toks = malloc(sizeof(char *) * MAX_TOKENS);
	size_t	   *lens = malloc(sizeof(size_t) * MAX_TOKENS);
	int			ntok = 0;
	int			rounds = argc > 4 ? atoi(argv[4]) : 5;
	const char *algs[1];
	char		line[70000];
	EVP_PKEY   *pkey;
	EVP_PKEY_CTX *pctx;
	BIO		   *bio;
	pj_key_cache cache = {0};
	double	   *t_bare,
			   *t_jws,
			   *t_claims;
	int			r,
				i;

	if (argc < 4)
	{
		fprintf(stderr, "usage: %s PUBLIC_KEY_PEM ALG TOKENS_FILE [ROUNDS]\n", argv[0]);
		return 2;
	}
	algs[0] = argv[2];
	f = fopen(argv[1], "rb");
	if (f == NULL)
		return perror(argv[1]), 1;
	fseek(f, 0, SEEK_END);
	keylen = ftell(f);
	rewind(f);
	key = malloc(keylen + 1);
	if (fread(key, 1, keylen, f) != (size_t) keylen)
		return perror(argv[1]), 1;
	key[keylen] = '\0';
	fclose(f);
	bio = BIO_new_mem_buf(key, (int) keylen);
	pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (pkey == NULL)
		return fprintf(stderr, "cannot read %s\n", argv[1]), 1;
	pctx = EVP_PKEY_CTX_new(pkey, NULL);
	if (pctx == NULL || EVP_PKEY_verify_init(pctx) != 1 ||
		EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) != 1 ||
		(EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA &&
		 EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1))
		return fprintf(stderr, "cannot initialize verification\n"), 1;

	f = fopen(argv[3], "r");
	if (f == NULL)
		return perror(argv[3]), 1;
	while (ntok < MAX_TOKENS && fgets(line, sizeof(line), f) != NULL)
	{
		char	   *t = strchr(line, '\t') ? strchr(line, '\t') + 1 : line;

		t[strcspn(t, "\t\r\n")] = '\0';
		toks[ntok] = strdup(t);
		lens[ntok++] = strlen(t);
	}
	fclose(f);
	if (ntok == 0)
		return fprintf(stderr, "no tokens in %s\n", argv[3]), 1;

	t_bare = malloc(sizeof(double) * rounds);
	t_jws = malloc(sizeof(double) * rounds);
	t_claims = malloc(sizeof(double) * rounds);
	for (r = 0; r < rounds; r++)
	{
		double		t0;
		double		claims_us = 0;

		t0 = now_us();
		for (i = 0; i < ntok; i++)
			if (!bare_verify(pctx, strcmp(argv[2], "ES256") == 0, toks[i], lens[i]))
				return fprintf(stderr, "token %d does not verify (bare)\n", i + 1), 1;
		t_bare[r] = (now_us() - t0) / ntok;

		t0 = now_us();
		for (i = 0; i < ntok; i++)
		{
			pj_jws		jws;
			pj_error	err;
			pj_claims_opts opts = {(int64_t) time(NULL) * 1000000, 30000000, NULL, true};
			pj_claims_times times;
			double		t1;

			if (!pj_jws_verify_cached(toks[i], lens[i], key, (size_t) keylen, algs, 1,
									  &cache, &jws, &err))
				return fprintf(stderr, "token %d: %s\n", i + 1, err.message), 1;
			t1 = now_us();
			if (!pj_claims_check_ex(jws.payload, jws.payload_len, &opts, &times, &err))
				return fprintf(stderr, "token %d: %s\n", i + 1, err.message), 1;
			claims_us += now_us() - t1;
			pj_jws_free(&jws);
		}
		t_jws[r] = (now_us() - t0 - claims_us) / ntok;
		t_claims[r] = claims_us / ntok;
	}
	qsort(t_bare, rounds, sizeof(double), cmp_double);
	qsort(t_jws, rounds, sizeof(double), cmp_double);
	qsort(t_claims, rounds, sizeof(double), cmp_double);
	printf("%s, %d tokens, median of %d rounds, us per token:\n", argv[2], ntok, rounds);
	printf("bare %.2f\njws %.2f\nclaims %.2f\njws_ratio %.2f\njws_claims_ratio %.2f\n",
		   t_bare[rounds / 2], t_jws[rounds / 2], t_claims[rounds / 2],
		   t_jws[rounds / 2] / t_bare[rounds / 2],
		   (t_jws[rounds / 2] + t_claims[rounds / 2]) / t_bare[rounds / 2]);
	pj_key_cache_free(&cache);
	EVP_PKEY_CTX_free(pctx);
	EVP_PKEY_free(pkey);
	return 0;
}
