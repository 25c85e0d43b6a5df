/*-------------------------------------------------------------------------
 *
 * cmd_decide.c
 *	  paragon-perm allowed and visible: one permission check or one
 *	  visibility check, with an optional explanation.
 *
 * The permission is looked up before the claims are read, as the SQL
 * function does, so an unrecognized permission is an error even when the
 * claims would deny everything.  The claims are compiled in first-error
 * mode, like the extension's compile; an invalid document is trouble
 * (exit 2), never a "false" that a script could mistake for an answer.
 *
 * --explain prints the fields of paragon_explain, one per line, after the
 * answer; values that are JSON in paragon_explain (value, permissions,
 * rule) are printed as JSON in the same spelling jsonb uses.
 *
 * src/cli/cmd_decide.c
 *
 *-------------------------------------------------------------------------
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* decide_usage prints the help of allowed (visible = false) or visible. */
static void
decide_usage(FILE *out, bool visible)
{
	if (visible)
		fprintf(out,
				"%s visible tells whether a target, or any member beneath it, is visible\n"
				"to the token, as paragon_visible does.\n\n"
				"Usage:\n"
				"  %s visible [OPTION]... INTEGRATION [CREDENTIAL [CONFIG_EXT_ID]] < claims.json\n\n",
				CLI_NAME, CLI_NAME);
	else
		fprintf(out,
				"%s allowed tells whether the token grants PERMISSION at a target, as\n"
				"paragon_allowed does.\n\n"
				"Usage:\n"
				"  %s allowed [OPTION]... PERMISSION INTEGRATION [CREDENTIAL [CONFIG_EXT_ID]] < claims.json\n\n"
				"PERMISSION is one of credential:write, config:write, settings:read,\n"
				"settings:write, metadata:read, metadata:write, proxy-api, events, workflows;\n"
				"\"-\" asks for point visibility (SQL NULL permission).\n\n",
				CLI_NAME, CLI_NAME);
	fprintf(out,
			"Arguments are the SQL function's: \"-\" is SQL NULL, \"*\" is the unspecified\n"
			"member of its level (a new credential, say), anything else is a name.\n"
			"Trailing NULLs are left out; \"-\" alone as INTEGRATION is the unspecified\n"
			"integration at depth 1 (user-level permissions such as events).\n"
			"Put \"--\" before a name that starts with \"-\".\n\n"
			"Options:\n"
			"  -c, --claims=FILE  read the claims from FILE instead of standard input\n"
			"  -e, --explain      also print the effective value, the deciding rule and the reason\n"
			"  -h, --help         show this help, then exit\n\n"
			"Exit status: 0 true, 1 false, 2 usage error, unreadable or invalid claims.\n");
}

/* print_perms prints a JSON array of permission names, in documented order. */
static void
print_perms(uint16_t perms)
{
	bool		first = true;
	int			i;

	putchar('[');
	for (i = 0; i < PP_PERM_COUNT; i++)
		if (perms & (1u << i))
		{
			printf("%s\"%s\"", first ? "" : ", ", pp_perm_name(i));
			first = false;
		}
	putchar(']');
}

/* print_rule prints the deciding rule as a JSON array of its keys, or null. */
static void
print_rule(const pp_policy *p, int rule)
{
	const char *keys[PP_MAX_DEPTH];
	size_t		lens[PP_MAX_DEPTH];
	json_t	   *arr;
	char	   *text;
	int			n;
	int			i;

	if (rule < 0)
	{
		fputs("null", stdout);
		return;
	}
	/* jansson escapes the keys as JSON strings, as jsonb prints them */
	n = pp_rule_path(p, rule, keys, lens);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_stringn(keys[i], lens[i]));
	text = json_dumps(arr, JSON_ENCODE_ANY);
	fputs(text ? text : "null", stdout);
	free(text);
	json_decref(arr);
}

/* explain prints the fields of paragon_explain for a target. */
static void
explain(const pp_policy *p, int perm, const pp_target *t)
{
	pp_decision d;
	bool		allowed;

	pp_decide(p, t, &d);
	allowed = perm < 0 ? d.kind != PP_VALUE_DENY : ((d.perms >> perm) & 1) != 0;
	printf("allowed: %s\n", allowed ? "true" : "false");
	printf("visible: %s\n", pp_visible(p, t) ? "true" : "false");
	fputs("value: ", stdout);
	if (d.kind == PP_VALUE_LIST)
		print_perms(d.perms);
	else
		fputs(d.kind == PP_VALUE_ALLOW ? "true" : "false", stdout);
	fputs("\npermissions: ", stdout);
	print_perms(d.perms);
	fputs("\nrule: ", stdout);
	print_rule(p, d.rule);
	printf("\nreason: %s\n",
		   d.reason == PP_REASON_RULE ? "matched rule" :
		   d.reason == PP_REASON_UNRESTRICTED ? "no permissions claim" : "default deny");
}

/* decide runs allowed (visible = false) or visible. */
static int
decide(int argc, char **argv, bool visible)
{
	static const struct option opts[] = {
		{"claims", required_argument, NULL, 'c'},
		{"explain", no_argument, NULL, 'e'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *command = visible ? "visible" : "allowed";
	const char *claims = "-";
	bool		want_explain = false;
	int			perm = -1;
	int			nfixed = visible ? 0 : 1;	/* arguments before the target */
	int			nargs;
	pp_policy  *p;
	pp_target	t;
	bool		answer;
	int			c;

	while ((c = getopt_long(argc, argv, "c:eh", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'c':
				claims = optarg;
				break;
			case 'e':
				want_explain = true;
				break;
			case 'h':
				decide_usage(stdout, visible);
				return CLI_EXIT_YES;
			default:
				return cli_try_help(command);
		}
	}
	nargs = argc - optind;
	if (nargs < nfixed + 1)
		return cli_usage_error(command, nargs < nfixed ? "missing permission and integration" :
						"missing integration (use \"-\" for NULL)");
	if (nargs > nfixed + PP_MAX_DEPTH)
		return cli_usage_error(command, "too many arguments");
	if (!visible && !cli_permission_arg(command, argv[optind], &perm))
		return CLI_EXIT_ERROR;

	p = cli_compile_claims(claims);
	if (p == NULL)
		return CLI_EXIT_ERROR;
	if (!cli_target_args(command, &t, argv + optind + nfixed, nargs - nfixed))
	{
		pp_policy_free(p);
		return CLI_EXIT_ERROR;
	}
	answer = visible ? pp_visible(p, &t) : pp_allowed(p, perm, &t);
	printf("%s\n", answer ? "true" : "false");
	if (want_explain)
		explain(p, perm, &t);
	pp_policy_free(p);
	return answer ? CLI_EXIT_YES : CLI_EXIT_NO;
}

/* cli_cmd_allowed runs the allowed command. */
int
cli_cmd_allowed(int argc, char **argv)
{
	return decide(argc, argv, false);
}

/* cli_cmd_visible runs the visible command. */
int
cli_cmd_visible(int argc, char **argv)
{
	return decide(argc, argv, true);
}
