/*-------------------------------------------------------------------------
 *
 * util.c
 *	  Memory and diagnostics helpers of the paragon-perm tool.
 *
 * Diagnostics go to stderr, prefixed with the tool's name, in the style
 * of PostgreSQL's messages (lowercase, no final period) so that the text
 * a user sees matches what the extension would raise for the same input.
 *
 * src/cli/util.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stdlib.h>

#include "cli.h"

/* cli_malloc allocates or exits: the core's allocator must never return NULL. */
void *
cli_malloc(size_t size)
{
	void	   *p = malloc(size > 0 ? size : 1);

	if (p == NULL)
	{
		fprintf(stderr, "%s: out of memory\n", CLI_NAME);
		exit(CLI_EXIT_ERROR);
	}
	return p;
}

/* core_alloc is the core's allocation hook over cli_malloc. */
static void *
core_alloc(void *ctx, size_t size)
{
	(void) ctx;
	return cli_malloc(size);
}

/* core_free is the core's release hook. */
static void
core_free(void *ctx, void *ptr)
{
	(void) ctx;
	free(ptr);
}

/* cli_allocator returns the allocator every policy of the tool is built with. */
const pp_allocator *
cli_allocator(void)
{
	static const pp_allocator alloc = {core_alloc, core_free, NULL};

	return &alloc;
}

/* cli_error prints one diagnostic line, prefixed with the tool's name. */
void
cli_error(const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "%s: ", CLI_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * cli_try_help says where to find the command's help; it returns
 * CLI_EXIT_ERROR, so that a command can end with it.
 */
int
cli_try_help(const char *command)
{
	fprintf(stderr, "Try \"%s %s --help\" for more information.\n", CLI_NAME, command);
	return CLI_EXIT_ERROR;
}

/*
 * cli_usage_error prints a usage problem and where to find the command's
 * help; it returns CLI_EXIT_ERROR, as cli_try_help does.
 */
int
cli_usage_error(const char *command, const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "%s %s: ", CLI_NAME, command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return cli_try_help(command);
}
