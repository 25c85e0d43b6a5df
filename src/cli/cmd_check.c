/*-------------------------------------------------------------------------
 *
 * cmd_check.c
 *	  paragon-perm check: validate a claims document and list every
 *	  problem with its JSON path.
 *
 * The builder runs in collect mode, as for paragon_claims_errors, and each
 * problem is printed as that function's row, "PATH: MESSAGE", so the two
 * can be compared line by line; a hint, when the core has one, follows on
 * its own line indented by two spaces.  Like that function, it lists a
 * top-level claim that looks like the permissions claim without being it
 * ("urn:useparagon:connect:permission"): evaluation ignores such a claim,
 * so the token is unrestricted, and exit status 1 says so.
 *
 * src/cli/cmd_check.c
 *
 *-------------------------------------------------------------------------
 */
#include <getopt.h>

#include "cli.h"

/* check_usage prints the help of the check command. */
static void
check_usage(FILE *out)
{
	fprintf(out,
			"%s check validates a claims document (a JWT payload, as JSON) and prints\n"
			"every problem as \"PATH: MESSAGE\", the rows of paragon_claims_errors.\n\n"
			"Usage:\n"
			"  %s check [OPTION]... FILE|-\n\n"
			"Options:\n"
			"  -q, --quiet    print nothing for a valid document\n"
			"  -h, --help     show this help, then exit\n\n"
			"Exit status: 0 valid, 1 invalid (JSON syntax or claims), 2 usage error or unreadable file.\n",
			CLI_NAME, CLI_NAME);
}

/* cli_cmd_check runs the check command. */
int
cli_cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	bool		quiet = false;
	bool		syntax_error;
	const char *path;
	json_t	   *doc;
	pp_builder *b;
	const pp_error *e;
	pp_policy  *p;
	int			c;

	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'q':
				quiet = true;
				break;
			case 'h':
				check_usage(stdout);
				return CLI_EXIT_YES;
			default:
				return cli_try_help("check");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("check", argc - optind < 1 ? "missing claims file (use \"-\" for standard input)" :
						"too many arguments");
	path = argv[optind];

	doc = cli_load_claims(path, &syntax_error);
	if (doc == NULL)
		return syntax_error ? CLI_EXIT_NO : CLI_EXIT_ERROR;
	b = cli_walk_claims(doc, true);
	json_decref(doc);

	e = pp_builder_errors(b);
	if (e != NULL)
	{
		for (; e != NULL; e = e->next)
		{
			printf("%s: %s\n", e->path, e->message);
			if (e->hint)
				printf("  hint: %s\n", e->hint);
		}
		pp_builder_free(b);
		return CLI_EXIT_NO;
	}
	p = pp_builder_finish(b);
	pp_builder_free(b);
	if (p == NULL)
	{
		cli_error("claims walk ended early");	/* cannot happen */
		return CLI_EXIT_ERROR;
	}
	if (!quiet)
	{
		if (pp_policy_restricted(p))
			printf("%s: valid, %zu scope key%s\n", cli_display_name(path),
				   pp_policy_rule_count(p), pp_policy_rule_count(p) == 1 ? "" : "s");
		else
			printf("%s: valid, no permissions claim (unrestricted token: every check is true)\n",
				   cli_display_name(path));
	}
	pp_policy_free(p);
	return CLI_EXIT_YES;
}
