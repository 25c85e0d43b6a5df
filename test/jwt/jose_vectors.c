/*-------------------------------------------------------------------------
 *
 * jose_vectors.c
 *	  A standalone runner for the PostgreSQL-free verifier in src/jwt:
 *	  feeds it Project Wycheproof JWS test files, or one token and key.
 *
 * Build and run by hand (it is not part of the extension or of make):
 *	cc -O2 -Isrc/jwt test/jwt/jose_vectors.c src/jwt/\*.c \
 *	   -ljansson -lcrypto -lm -o /tmp/jose_vectors
 *	/tmp/jose_vectors [-v] json_web_signature_test.json json_web_key_test.json
 *	/tmp/jose_vectors --token TOKEN-FILE --key KEY-FILE [ALG...]
 *
 * Wycheproof mode: each group's "public" key (or, failing that, its
 * "private" one, whose private members the verifier ignores) is the key
 * text; every asymmetric algorithm is allowed, so that only the key's own
 * "alg" and type pin the algorithm.  A case passes when the verifier's
 * verdict matches "result" ("acceptable" counts either way).  Mismatches
 * are printed with the verifier's message and log detail.  Only the
 * signature layer is run: these tokens carry no JWT claims.
 *
 * Memory: the runner frees what it parses, so it can run under valgrind.
 *
 * test/jwt/jose_vectors.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jws.h"

static const char *const all_algs[] = {
	"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512", "EdDSA"
};
#define NALGS ((int) (sizeof(all_algs) / sizeof(all_algs[0])))

static bool verbose = false;	/* -v: print every case, not only mismatches */

/* run_one verifies token under key and prints the outcome. */
static bool
run_one(const char *token, const char *key, const char *const *algs, int nalgs,
		pj_error *err)
{
	pj_jws		jws;

	if (!pj_jws_verify(token, strlen(token), key, strlen(key), algs, nalgs, &jws, err))
		return false;
	pj_jws_free(&jws);
	return true;
}

/* run_wycheproof runs every test of one Wycheproof JWS/JWK file. */
static int
run_wycheproof(const char *path, int *npass, int *nfail)
{
	json_error_t jerr;
	json_t	   *root = json_load_file(path, 0, &jerr);
	json_t	   *group;
	size_t		gi;

	if (root == NULL)
	{
		fprintf(stderr, "%s: %s\n", path, jerr.text);
		return 1;
	}
	json_array_foreach(json_object_get(root, "testGroups"), gi, group)
	{
		json_t	   *keyj = json_object_get(group, "public");
		char	   *key;
		json_t	   *test;
		size_t		ti;

		if (keyj == NULL || json_is_null(keyj))
			keyj = json_object_get(group, "private");
		key = json_dumps(keyj, JSON_COMPACT);
		json_array_foreach(json_object_get(group, "tests"), ti, test)
		{
			const char *token = json_string_value(json_object_get(test, "jws"));
			const char *result = json_string_value(json_object_get(test, "result"));
			pj_error	err;
			bool		ok;
			char	   *flat = NULL;

			if (token == NULL)	/* JSON serialization: refuse it as text */
			{
				flat = json_dumps(json_object_get(test, "jws"), JSON_COMPACT);
				token = flat;
			}
			ok = run_one(token, key ? key : "", all_algs, NALGS, &err);
			if (verbose)
				printf("tcId %lld expected %s: %s %s\n",
					   (long long) json_integer_value(json_object_get(test, "tcId")),
					   result, ok ? "ACCEPT" : "REJECT:", ok ? "" : err.message);
			if (strcmp(result, "acceptable") == 0 ||
				ok == (strcmp(result, "valid") == 0))
				(*npass)++;
			else
			{
				(*nfail)++;
				printf("MISMATCH %s tcId %lld (%s, expected %s): got %s%s%s%s%s\n",
					   path, (long long) json_integer_value(json_object_get(test, "tcId")),
					   json_string_value(json_object_get(test, "comment")), result,
					   ok ? "ACCEPT" : "REJECT: ",
					   ok ? "" : err.message,
					   (!ok && err.log_detail[0]) ? " [" : "",
					   ok ? "" : err.log_detail,
					   (!ok && err.log_detail[0]) ? "]" : "");
			}
			free(flat);
		}
		free(key);
	}
	json_decref(root);
	return 0;
}

/* slurp reads a whole file, without its trailing newlines. */
static char *
slurp(const char *path)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf;
	long		n;

	if (f == NULL)
	{
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t) n + 1);
	if (buf == NULL || fread(buf, 1, (size_t) n, f) != (size_t) n)
		exit(2);
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return buf;
}

/* main dispatches between the two modes. */
int
main(int argc, char **argv)
{
	int			npass = 0,
				nfail = 0;
	int			i;

	if (argc >= 5 && strcmp(argv[1], "--token") == 0 && strcmp(argv[3], "--key") == 0)
	{
		char	   *token = slurp(argv[2]);
		char	   *key = slurp(argv[4]);
		pj_error	err;
		bool		ok;

		if (argc > 5)
			ok = run_one(token, key, (const char *const *) argv + 5, argc - 5, &err);
		else
			ok = run_one(token, key, all_algs, NALGS, &err);
		if (ok)
			printf("ACCEPT\n");
		else
			printf("REJECT: %s%s%s%s\n", err.message,
				   err.log_detail[0] ? " [" : "", err.log_detail,
				   err.log_detail[0] ? "]" : "");
		free(token);
		free(key);
		return ok ? 0 : 1;
	}
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-v") == 0)
			verbose = true;
		else if (run_wycheproof(argv[i], &npass, &nfail) != 0)
			return 2;
	printf("%d cases agree, %d disagree\n", npass, nfail);
	return nfail == 0 ? 0 : 1;
}
