/*-------------------------------------------------------------------------
 *
 * main.c
 *	  Entry point of paragon-perm: dispatches to a subcommand.
 *
 * paragon-perm answers the extension's questions from a shell: validate
 * claims (check), decide one permission or visibility (allowed, visible),
 * tabulate what a token may do (matrix) and verify a token (verify),
 * whose output can be piped into the others.
 *
 * src/cli/main.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "cli.h"

typedef struct cli_command
{
	const char *name;
	cli_command_fn fn;
	const char *summary;
} cli_command;

static const cli_command commands[] = {
	{"check", cli_cmd_check, "validate a claims document and list every problem"},
	{"allowed", cli_cmd_allowed, "does the token grant a permission at a target?"},
	{"visible", cli_cmd_visible, "is a target, or anything beneath it, visible?"},
	{"matrix", cli_cmd_matrix, "table of what the token may do, scope by scope"},
	{"verify", cli_cmd_verify, "verify a signed token and print its claims"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* usage prints the tool's synopsis and its subcommands. */
static void
usage(FILE *out)
{
	size_t		i;

	fprintf(out,
			"%s answers Paragon User Token permission questions with the same code\n"
			"as the paragon_perm PostgreSQL extension.\n\n"
			"Usage:\n"
			"  %s COMMAND [OPTION]... [ARGUMENT]...\n\n"
			"Commands:\n", CLI_NAME, CLI_NAME);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
			"\nOptions:\n"
			"  -h, --help     show this help, then exit\n"
			"  -V, --version  show the version, then exit\n\n"
			"Run \"%s COMMAND --help\" for a command's arguments.\n"
			"Exit status: 0 true/valid/verified, 1 false/invalid/refused, 2 usage error or trouble.\n",
			CLI_NAME);
}

/* main dispatches on the first argument. */
int
main(int argc, char **argv)
{
	size_t		i;

	if (argc < 2)
	{
		fprintf(stderr, "%s: missing command\nTry \"%s --help\" for more information.\n",
				CLI_NAME, CLI_NAME);
		return CLI_EXIT_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
		strcmp(argv[1], "help") == 0)
	{
		usage(stdout);
		return CLI_EXIT_YES;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
	{
		printf("%s (paragon_perm) %s\n", CLI_NAME, PP_CLI_VERSION);
		return CLI_EXIT_YES;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
		{
			int			rc = commands[i].fn(argc - 1, argv + 1);

			/* an answer nobody could read is no answer: report a failed write */
			if (fflush(stdout) != 0 || ferror(stdout))
			{
				cli_error("could not write to standard output");
				return CLI_EXIT_ERROR;
			}
			return rc;
		}
	fprintf(stderr, "%s: unrecognized command \"%s\"\nTry \"%s --help\" for more information.\n",
			CLI_NAME, argv[1], CLI_NAME);
	return CLI_EXIT_ERROR;
}
