/*-------------------------------------------------------------------------
 *
 * pp_scope.h
 *	  A parsed scope key ("integration:NAME", "credential:ID",
 *	  "configuration:ext:ID" or the "*" of a level).
 *
 * src/core/pp_scope.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_SCOPE_H
#define PP_SCOPE_H

#include "pp.h"

/* A parsed scope key. */
typedef struct pp_scope
{
	int			level;			/* PP_LEVEL_* */
	bool		wildcard;
	const char *sel;			/* exact selector text */
	size_t		sel_len;
	bool		isuuid;			/* credential selector that is a UUID */
	unsigned char uuid[16];
} pp_scope;

/*
 * pp_scope_parse parses a scope key.  On failure it returns a message
 * format holding one %s for the key, and sets *hint.
 */
extern const char *pp_scope_parse(const char *key, size_t len, pp_scope *out,
								  const char **hint);
extern const char *pp_level_name(int level);

#endif							/* PP_SCOPE_H */
