/*-------------------------------------------------------------------------
 *
 * target.c
 *	  Turning command-line arguments into the core's permission numbers
 *	  and targets, with the SQL functions' semantics.
 *
 * A shell has no NULL, so the tool spells SQL NULL as "-": every argument
 * of allowed and visible is text, "-" is NULL and anything else is the
 * text itself, "*" included (the unspecified member, exactly as in SQL).
 * Trailing NULLs are simply left out.  The target is then built by the
 * core's pp_target_init, the function the extension calls, so depth and
 * unspecified members follow the same rules:
 *	 allowed events -		  = paragon_allowed(c, 'events', NULL)
 *	 allowed events s		  = paragon_allowed(c, 'events', 's')
 *	 allowed events s '*'	  = paragon_allowed(c, 'events', 's', '*')
 *	 allowed events s - team  = paragon_allowed(c, 'events', 's', NULL, 'team')
 * The price is that a member literally named "-" cannot be asked about
 * from the command line; the SQL functions can.
 *
 * src/cli/target.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "cli.h"

/* cli_member_arg maps an argument to the core's notion: "-" is SQL NULL. */
const char *
cli_member_arg(const char *arg)
{
	return strcmp(arg, "-") == 0 ? NULL : arg;
}

/*
 * cli_permission_arg reads a permission argument: "-" asks for point
 * visibility (SQL NULL, perm -1), an unrecognized name is an error with
 * the extension's message and hint.
 */
bool
cli_permission_arg(const char *command, const char *arg, int *perm)
{
	if (strcmp(arg, "-") == 0)
	{
		*perm = -1;
		return true;
	}
	*perm = pp_perm_lookup(arg, strlen(arg));
	if (*perm >= 0)
		return true;
	cli_usage_error(command, "unrecognized permission \"%s\"\n"
					"HINT:  Permissions are credential:write, config:write, settings:read, settings:write, metadata:read, metadata:write, proxy-api, events and workflows.",
					arg);
	return false;
}

/*
 * cli_target_args builds a target from up to three member arguments; a
 * credential that is a UUID but for white space around it is an error,
 * as in SQL.
 */
bool
cli_target_args(const char *command, pp_target *t, char **args, int nargs)
{
	const char *m[PP_MAX_DEPTH] = {NULL, NULL, NULL};
	int			i;

	for (i = 0; i < nargs && i < PP_MAX_DEPTH; i++)
		m[i] = cli_member_arg(args[i]);
	if (m[1] != NULL && pp_cred_spaced_uuid(m[1], strlen(m[1])))
	{
		cli_usage_error(command, PP_SPACED_UUID_MESSAGE "\nHINT:  %s", m[1], PP_SPACED_UUID_HINT);
		return false;
	}
	pp_target_init(t,
				   m[0], m[0] ? strlen(m[0]) : 0,
				   m[1], m[1] ? strlen(m[1]) : 0,
				   NULL,
				   m[2], m[2] ? strlen(m[2]) : 0);
	return true;
}
