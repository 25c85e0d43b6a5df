/*-------------------------------------------------------------------------
 *
 * jose_vectors.c
 *	  A standalone runner for the PostgreSQL-free verifier in src/jwt:
 *	  feeds it JWS test files in the layout of Project Wycheproof (the
 *	  project's own test/jwt/vectors.json, or Wycheproof's files), or one
 *	  token and key.
 *
 * test/suite-jose.sh builds it and runs it on test/jwt/vectors.json, plainly
 * and under valgrind.  By hand:
 *	cc -O2 -Isrc/jwt $(pkg-config --cflags jansson openssl) \
 *	   test/jwt/jose_vectors.c src/jwt/\*.c -ljansson -lcrypto -lm -o /tmp/jose_vectors
 *	/tmp/jose_vectors [-v] test/jwt/vectors.json [json_web_signature_test.json ...]
 *	/tmp/jose_vectors --token TOKEN-FILE --key KEY-FILE [ALG...]
 *
 * File mode: each group's "public" key is the key text: a string (a PEM
 * key) as it is, an object (a JWK or JWK Set) as compact JSON; failing
 * "public", the group's "private" JWK, whose private members the verifier
 * ignores.  The group's "algs" array, when present, is the caller's list
 * of allowed algorithms; without it every asymmetric algorithm is allowed,
 * so that only the key's own "alg" and type pin the algorithm.  A case
 * passes when the verifier's verdict matches "result" ("acceptable" counts
 * either way) and, for a refusal, when the optional "message" and "log"
 * are substrings of the client message and of the log-only detail: "log"
 * is how a test sees a reason the extension writes only to the server log.
 * Mismatches are printed with the verifier's message and log detail; with
 * -v every case gets a line.  Only the signature layer is run: these
 * tokens' claims are not checked.
 *
 * Exit status: 0 every case agrees, 1 a case disagrees, 2 an unreadable
 * file.  The runner frees what it parses, so it can run under valgrind.
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

static bool verbose = false;	/* -v: a line for every case, not only mismatches */

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

/* group_algs reads a group's "algs" into algs; false if it has none. */
static bool
group_algs(json_t *group, const char **algs, int *nalgs)
{
	json_t	   *list = json_object_get(group, "algs");
	json_t	   *alg;
	size_t		i;

	if (!json_is_array(list))
		return false;
	*nalgs = 0;
	json_array_foreach(list, i, alg)
		if (json_is_string(alg) && *nalgs < NALGS * 2)
			algs[(*nalgs)++] = json_string_value(alg);
	return true;
}

/* contains says whether text holds want; no expectation always holds. */
static bool
contains(const char *text, json_t *want)
{
	return !json_is_string(want) || strstr(text, json_string_value(want)) != NULL;
}

/* run_file runs every test of one JWS test file. */
static int
run_file(const char *path, int *npass, int *nfail)
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
		const char *galgs[NALGS * 2];
		const char *const *algs = all_algs;
		int			nalgs = NALGS;

		if (group_algs(group, galgs, &nalgs))
			algs = galgs;
		if (keyj == NULL || json_is_null(keyj))
			keyj = json_object_get(group, "private");
		if (json_is_string(keyj))
			key = strdup(json_string_value(keyj));
		else
			key = json_dumps(keyj, JSON_COMPACT);
		json_array_foreach(json_object_get(group, "tests"), ti, test)
		{
			const char *token = json_string_value(json_object_get(test, "jws"));
			const char *result = json_string_value(json_object_get(test, "result"));
			long long	tcid = (long long) json_integer_value(json_object_get(test, "tcId"));
			const char *comment = json_string_value(json_object_get(test, "comment"));
			pj_error	err;
			bool		ok;
			bool		agree;
			char	   *flat = NULL;

			if (token == NULL)	/* JSON serialization: refuse it as text */
			{
				flat = json_dumps(json_object_get(test, "jws"), JSON_COMPACT);
				token = flat;
			}
			if (result == NULL)
				result = "valid";
			ok = run_one(token, key ? key : "", algs, nalgs, &err);
			agree = strcmp(result, "acceptable") == 0 ||
				ok == (strcmp(result, "valid") == 0);
			if (agree && !ok)
				agree = contains(err.message, json_object_get(test, "message")) &&
					contains(err.log_detail, json_object_get(test, "log"));
			if (agree)
				(*npass)++;
			else
				(*nfail)++;
			if (verbose || !agree)
				printf("%s %s #%lld %s (expected %s): %s%s%s%s%s\n",
					   agree ? "ok  " : "FAIL", path, tcid,
					   comment ? comment : "", result,
					   ok ? "ACCEPT" : "REJECT: ",
					   ok ? "" : err.message,
					   (!ok && err.log_detail[0]) ? " [log: " : "",
					   ok ? "" : err.log_detail,
					   (!ok && err.log_detail[0]) ? "]" : "");
			if (!agree && !ok)
			{
				json_t	   *m = json_object_get(test, "message");
				json_t	   *l = json_object_get(test, "log");

				if (json_is_string(m) || json_is_string(l))
					printf("  wanted message containing \"%s\", log containing \"%s\"\n",
						   json_is_string(m) ? json_string_value(m) : "",
						   json_is_string(l) ? json_string_value(l) : "");
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
		else if (run_file(argv[i], &npass, &nfail) != 0)
			return 2;
	printf("%d cases agree, %d disagree\n", npass, nfail);
	return nfail == 0 ? 0 : 1;
}
