/*-------------------------------------------------------------------------
 *
 * cmd_verify.c
 *	  paragon-perm verify: verify a signed token with the extension's
 *	  verifier (src/jwt) and print its claims.
 *
 * The steps and defaults are paragon_verify_token's: the signature with
 * the caller's key and allowed algorithms (RS256 unless --alg is given),
 * then exp, nbf, iat and aud at an instant (now unless --at is given)
 * with 30 seconds of leeway, a token without "exp" refused unless
 * --no-require-exp.  The claims are printed as indented JSON so they can
 * be read, or piped into the other commands:
 *	 paragon-perm verify --key key.pem "$TOKEN" | paragon-perm allowed events -
 * A refused token prints nothing on standard output, so the next command
 * fails on empty input instead of answering for unverified claims.
 *
 * The message of a refusal is the extension's errmsg.  The precise reason
 * (say, OpenSSL's reason for a bad signature), which the extension keeps
 * for the server log, is printed only with --verbose: the operator running
 * the tool is the log's reader, but a script forwarding stderr to a client
 * should not leak it by default.
 *
 * src/cli/cmd_verify.c
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "cli.h"
#include "jansson_walk.h"
#include "jws.h"
#include "jwt_claims.h"
#include "jwt_error.h"

/* Keys are small; a larger file is surely not a key. */
#define VERIFY_MAX_KEY_BYTES (1024 * 1024)

/* At most this many --alg options. */
#define VERIFY_MAX_ALGS 32

/* verify_usage prints the help of the verify command. */
static void
verify_usage(FILE *out)
{
	fprintf(out,
			"%s verify verifies a signed JWT (compact JWS) as paragon_verify_token does\n"
			"and prints its claims as JSON, ready to pipe into the other commands.\n\n"
			"Usage:\n"
			"  %s verify --key=FILE [OPTION]... TOKEN|-\n\n"
			"Options:\n"
			"  -k, --key=FILE        the verification key: PEM public key or certificate,\n"
			"                        JWK or JWK Set (required)\n"
			"  -a, --alg=ALG         allow algorithm ALG; repeatable (default RS256)\n"
			"      --aud=AUD         require AUD in the \"aud\" claim\n"
			"      --at=SECONDS      judge exp/nbf/iat at this Unix time (default now)\n"
			"      --leeway=SECONDS  clock skew tolerated (default 30)\n"
			"      --no-require-exp  accept a token without \"exp\"\n"
			"  -v, --verbose         also print the precise reason of a refusal\n"
			"  -h, --help            show this help, then exit\n\n"
			"TOKEN \"-\" reads the token from standard input.\n"
			"Exit status: 0 verified, 1 token refused, 2 usage error, unreadable or invalid key.\n",
			CLI_NAME, CLI_NAME);
}

/* parse_seconds reads a finite number of seconds, or prints why not. */
static bool
parse_seconds(const char *opt, const char *arg, double *out)
{
	char	   *end;

	errno = 0;
	*out = strtod(arg, &end);
	if (end == arg || *end != '\0' || errno != 0 || !isfinite(*out) ||
		fabs(*out) > 9.0e12)	/* ~ 285,000 years: keeps microseconds in int64 */
	{
		cli_usage_error("verify", "invalid value \"%s\" for %s: a number of seconds is expected", arg, opt);
		return false;
	}
	return true;
}

/* format_time prints Unix seconds as PostgreSQL prints a timestamptz in UTC. */
static void
format_time(double when, char *buf, size_t len)
{
	time_t		t = (time_t) floor(when);
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M:%S+00", &tm) == 0)
		snprintf(buf, len, "%.0f (Unix time)", when);
}

/* report_refusal prints a verifier error as the extension raises it. */
static void
report_refusal(const pj_error *err, bool verbose)
{
	char		when[64];

	switch (err->code)
	{
		case PJ_ERR_EXPIRED:
			format_time(err->when, when, sizeof(when));
			cli_error("token expired at %s", when);
			break;
		case PJ_ERR_NOT_YET_VALID:
			format_time(err->when, when, sizeof(when));
			cli_error("token is not valid until %s", when);
			break;
		case PJ_ERR_ISSUED_IN_FUTURE:
			format_time(err->when, when, sizeof(when));
			cli_error("token issue time %s is in the future", when);
			break;
		default:
			cli_error("%s", err->message);
			break;
	}
	if (err->detail[0])
		fprintf(stderr, "DETAIL:  %s\n", err->detail);
	if (verbose && err->log_detail[0])
		fprintf(stderr, "DETAIL (log):  %s\n", err->log_detail);
	if (err->code == PJ_ERR_NO_EXP)
		fprintf(stderr, "HINT:  Pass --no-require-exp to accept tokens that never expire.\n");
	else if (err->code == PJ_ERR_TOO_LARGE)
		fprintf(stderr, "HINT:  Tokens are limited to 64 kB.\n");
}

/* print_claims prints the verified payload as indented JSON. */
static void
print_claims(const char *payload, size_t len)
{
	json_error_t jerr;
	json_t	   *doc = json_loadb(payload, len, PP_JSON_FLAGS, &jerr);
	char	   *text = NULL;

	if (doc != NULL)
		text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
						  JSON_REAL_PRECISION(17) | JSON_ENCODE_ANY);
	/* jansson cannot hold every number jsonb can: print the signed bytes then */
	if (text != NULL)
		puts(text);
	else
		printf("%.*s\n", (int) len, payload);
	free(text);
	if (doc)
		json_decref(doc);
}

/* trim strips the blanks and newline a shell or a file leaves around a token. */
static char *
trim(char *s, size_t *len)
{
	while (*len > 0 && strchr(" \t\r\n", s[*len - 1]))
		s[--*len] = '\0';
	while (*len > 0 && strchr(" \t\r\n", s[0]))
	{
		s++;
		(*len)--;
	}
	return s;
}

/* cli_cmd_verify runs the verify command. */
int
cli_cmd_verify(int argc, char **argv)
{
	enum
	{
		OPT_AUD = 256, OPT_AT, OPT_LEEWAY, OPT_NO_REQUIRE_EXP
	};
	static const struct option opts[] = {
		{"key", required_argument, NULL, 'k'},
		{"alg", required_argument, NULL, 'a'},
		{"aud", required_argument, NULL, OPT_AUD},
		{"at", required_argument, NULL, OPT_AT},
		{"leeway", required_argument, NULL, OPT_LEEWAY},
		{"no-require-exp", no_argument, NULL, OPT_NO_REQUIRE_EXP},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *algs[VERIFY_MAX_ALGS];
	int			nalgs = 0;
	const char *key_path = NULL;
	const char *audience = NULL;
	double		at;
	bool		have_at = false;
	double		leeway = 30.0;
	bool		require_exp = true;
	bool		verbose = false;
	char	   *key = NULL;
	size_t		key_len;
	char	   *token_buf = NULL;
	char	   *token;
	size_t		token_len;
	pj_jws		jws;
	pj_error	err;
	pj_claims_opts copts;
	int			rc;
	int			c;

	while ((c = getopt_long(argc, argv, "k:a:vh", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'k':
				key_path = optarg;
				break;
			case 'a':
				if (nalgs == VERIFY_MAX_ALGS)
					return cli_usage_error("verify", "too many --alg options");
				algs[nalgs++] = optarg;
				break;
			case OPT_AUD:
				audience = optarg;
				break;
			case OPT_AT:
				if (!parse_seconds("--at", optarg, &at))
					return CLI_EXIT_ERROR;
				have_at = true;
				break;
			case OPT_LEEWAY:
				if (!parse_seconds("--leeway", optarg, &leeway))
					return CLI_EXIT_ERROR;
				if (leeway < 0)
					return cli_usage_error("verify", "leeway must not be negative");
				break;
			case OPT_NO_REQUIRE_EXP:
				require_exp = false;
				break;
			case 'v':
				verbose = true;
				break;
			case 'h':
				verify_usage(stdout);
				return CLI_EXIT_YES;
			default:
				return cli_try_help("verify");
		}
	}
	if (key_path == NULL)
		return cli_usage_error("verify", "missing --key");
	if (argc - optind != 1)
		return cli_usage_error("verify", argc - optind < 1 ? "missing token (use \"-\" for standard input)" :
						"too many arguments");
	if (strcmp(key_path, "-") == 0 && strcmp(argv[optind], "-") == 0)
		return cli_usage_error("verify", "the key and the token cannot both come from standard input");
	if (nalgs == 0)
		algs[nalgs++] = "RS256";
	if (!have_at)
	{
		struct timeval tv;

		gettimeofday(&tv, NULL);
		at = (double) tv.tv_sec + (double) tv.tv_usec / 1e6;
	}

	if (!cli_read_file(key_path, VERIFY_MAX_KEY_BYTES, "key file", &key, &key_len))
		return CLI_EXIT_ERROR;
	if (strcmp(argv[optind], "-") == 0)
	{
		/* read a little beyond the limit so the verifier reports "too large" itself */
		if (!cli_read_file("-", 2 * PJ_MAX_TOKEN_LEN, "token", &token_buf, &token_len))
		{
			free(key);
			return CLI_EXIT_ERROR;
		}
		token = trim(token_buf, &token_len);
	}
	else
	{
		token = argv[optind];
		token_len = strlen(token);
	}

	rc = CLI_EXIT_YES;
	if (!pj_jws_verify(token, token_len, key, key_len, algs, nalgs, &jws, &err))
	{
		report_refusal(&err, verbose);
		rc = err.eclass == PJ_CLASS_TOKEN ? CLI_EXIT_NO : CLI_EXIT_ERROR;
	}
	else
	{
		copts.at_us = (int64_t) llround(at * 1e6);
		copts.leeway_us = (int64_t) llround(leeway * 1e6);
		copts.audience = audience;
		copts.require_exp = require_exp;
		if (!pj_claims_check(jws.payload, jws.payload_len, &copts, &err))
		{
			report_refusal(&err, verbose);
			rc = err.eclass == PJ_CLASS_TOKEN ? CLI_EXIT_NO : CLI_EXIT_ERROR;
		}
		else
			print_claims((const char *) jws.payload, jws.payload_len);
		pj_jws_free(&jws);
	}
	free(key);
	free(token_buf);
	return rc;
}
