/*-------------------------------------------------------------------------
 *
 * cli.h
 *	  Shared declarations of the paragon-perm command-line tool.
 *
 * The tool is built from the same PostgreSQL-free core (src/core), JSON
 * front end (src/json) and token verifier (src/jwt) as the extension, so
 * its answers are the extension's answers by construction.  Nothing under
 * src/cli may include a PostgreSQL header; the Makefile compiles these
 * files without the server's include directories to make sure of it.
 *
 * Exit statuses follow grep and diff: 0 and 1 are answers (true/false,
 * valid/invalid, verified/refused) and 2 is trouble (usage, unreadable
 * input, invalid claims where an answer was asked for), so a script that
 * treats anything but 0 as "no" fails closed.
 *
 * Memory: the tool is short-lived and allocates with malloc; it frees
 * what it allocates on the normal paths so that valgrind stays quiet, and
 * exits on out-of-memory.
 *
 * src/cli/cli.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_CLI_H
#define PP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "pp.h"

#define CLI_NAME "paragon-perm"

#ifndef PP_CLI_VERSION
#define PP_CLI_VERSION "unknown"
#endif

/* Exit statuses. */
#define CLI_EXIT_YES	0		/* true, valid, verified */
#define CLI_EXIT_NO		1		/* false, invalid, refused */
#define CLI_EXIT_ERROR	2		/* usage error or trouble */

/* A subcommand: argv[0] is the subcommand's name. */
typedef int (*cli_command_fn) (int argc, char **argv);

/* util.c */
extern void *cli_malloc(size_t size);
extern void cli_error(const char *fmt,...) __attribute__((format(printf, 1, 2)));
extern int	cli_try_help(const char *command);
extern int	cli_usage_error(const char *command, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
extern const pp_allocator *cli_allocator(void);

/* input.c */
extern bool cli_read_file(const char *path, size_t limit, const char *what,
						  char **data, size_t *len);
extern const char *cli_display_name(const char *path);

/* claims.c */
extern json_t *cli_load_claims(const char *path, bool *syntax_error);
extern pp_builder *cli_walk_claims(json_t *doc, bool collect_all);
extern pp_policy *cli_compile_claims(const char *path);
extern void cli_report_claims_error(const pp_error *e);

/* target.c */
extern const char *cli_member_arg(const char *arg);
extern bool cli_permission_arg(const char *command, const char *arg, int *perm);
extern bool cli_target_args(const char *command, pp_target *t, char **args, int nargs);

/* The subcommands: cmd_check.c, cmd_decide.c, cmd_matrix.c, cmd_verify.c. */
extern int	cli_cmd_check(int argc, char **argv);
extern int	cli_cmd_allowed(int argc, char **argv);
extern int	cli_cmd_visible(int argc, char **argv);
extern int	cli_cmd_matrix(int argc, char **argv);
extern int	cli_cmd_verify(int argc, char **argv);

#endif							/* PP_CLI_H */
