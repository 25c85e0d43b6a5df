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

/* What is wrong with a scope key, if anything (pp_scope_parse). */
typedef enum pp_scope_status
{
	PP_SCOPE_OK = 0,
	PP_SCOPE_UNRECOGNIZED,		/* no level's prefix */
	PP_SCOPE_CREDENTIAL_EXT,	/* "credential:ext:..." */
	PP_SCOPE_CONFIGURATION_UNRECOGNIZED,	/* "configuration:" without "ext:" */
	PP_SCOPE_EXT_EMPTY,			/* "configuration:ext:" */
	PP_SCOPE_EXT_STAR,			/* "configuration:ext:*" */
	PP_SCOPE_EMPTY,				/* "integration:", "credential:" */
	PP_SCOPE_SPACED_UUID		/* a credential UUID with white space around */
} pp_scope_status;

/* pp_scope_parse parses a scope key into *out, or says what is wrong with it. */
extern pp_scope_status pp_scope_parse(const char *key, size_t len, pp_scope *out);

/*
 * How a refused scope key is reported: the message is the text before the
 * quoted key, the key, the text after it (pp_add_error's "%s \"%s\"%s").
 */
typedef struct pp_scope_error
{
	const char *before;
	const char *after;
	const char *hint;			/* a complete sentence */
} pp_scope_error;

extern const pp_scope_error *pp_scope_error_of(pp_scope_status st);
extern const char *pp_level_name(int level);

#endif							/* PP_SCOPE_H */
