/*-------------------------------------------------------------------------
 *
 * input.c
 *	  Reading a whole input (a file, or "-" for standard input) into memory
 *	  with a size limit.
 *
 * Claims, keys and tokens are small and must be seen whole before anything
 * is decided, so they are read into one buffer.  The limit is checked
 * while reading, so a huge or endless input (a device, a pipe that never
 * ends) costs at most limit + 1 bytes of memory.
 *
 * src/cli/input.c
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* cli_display_name names an input in messages: "standard input" for "-". */
const char *
cli_display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "standard input" : path;
}

/*
 * cli_read_file reads path ("-" for standard input) into a malloc'd,
 * NUL-terminated buffer.  On failure it prints why, naming the input as
 * "what", and returns false.
 */
bool
cli_read_file(const char *path, size_t limit, const char *what,
			  char **data, size_t *len)
{
	bool		is_stdin = strcmp(path, "-") == 0;
	FILE	   *f = is_stdin ? stdin : fopen(path, "rb");
	size_t		cap = limit + 1 < 8192 ? limit + 1 : 8192;
	size_t		n = 0;
	char	   *buf;

	if (f == NULL)
	{
		cli_error("could not open %s \"%s\": %s", what, path, strerror(errno));
		return false;
	}
	buf = cli_malloc(cap + 1);
	for (;;)
	{
		size_t		got;

		if (n == cap)
		{
			/* grow geometrically, but never past limit + 1 bytes */
			size_t		newcap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
			char	   *nbuf;

			if (newcap <= cap)
				break;
			nbuf = realloc(buf, newcap + 1);
			if (nbuf == NULL)
			{
				free(buf);
				cli_error("out of memory");
				exit(CLI_EXIT_ERROR);
			}
			buf = nbuf;
			cap = newcap;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
	{
		cli_error("could not read %s \"%s\": %s", what, cli_display_name(path),
				  strerror(errno));
		free(buf);
		if (!is_stdin)
			fclose(f);
		return false;
	}
	if (!is_stdin)
		fclose(f);
	if (n > limit)
	{
		cli_error("%s \"%s\" exceeds the maximum size of %zu bytes",
				  what, cli_display_name(path), limit);
		free(buf);
		return false;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return true;
}
