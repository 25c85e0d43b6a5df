/*-------------------------------------------------------------------------
 *
 * scope.c
 *	  Scope keys: reading "integration:NAME", "credential:ID" and
 *	  "configuration:ext:ID" (or the "*" of a level), and naming levels.
 *
 * A scope key that could silently never match is refused rather than
 * read: a deny rule that never matches would widen access.
 *
 * src/core/scope.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pp_scope.h"

/* pp_level_name names a level for messages. */
const char *
pp_level_name(int level)
{
	switch (level)
	{
		case PP_LEVEL_INTEGRATION:
			return "integration";
		case PP_LEVEL_CREDENTIAL:
			return "credential";
		default:
			return "configuration";
	}
}

/* has_prefix tells whether the key starts with the prefix. */
static inline bool
has_prefix(const char *key, size_t len, const char *prefix, size_t plen)
{
	return len >= plen && memcmp(key, prefix, plen) == 0;
}

/*
 * pp_scope_parse reads "integration:NAME", "credential:ID" or
 * "configuration:ext:ID" (or the "*" of each level).  Anything else is an
 * error: in particular "credential:ext:..." is refused rather than
 * treated as a credential ID that never matches, since a deny rule that
 * silently never matches would widen access.  pp_scope_error_of words
 * the refusal.
 */
pp_scope_status
pp_scope_parse(const char *key, size_t len, pp_scope *out)
{
	const char *sel;
	size_t		sel_len;

	memset(out, 0, sizeof(*out));
	if (has_prefix(key, len, "integration:", 12))
	{
		out->level = PP_LEVEL_INTEGRATION;
		sel = key + 12;
		sel_len = len - 12;
	}
	else if (has_prefix(key, len, "credential:", 11))
	{
		out->level = PP_LEVEL_CREDENTIAL;
		sel = key + 11;
		sel_len = len - 11;
		if (has_prefix(sel, sel_len, "ext:", 4))
			return PP_SCOPE_CREDENTIAL_EXT;
	}
	else if (has_prefix(key, len, "configuration:", 14))
	{
		out->level = PP_LEVEL_CONFIGURATION;
		sel = key + 14;
		sel_len = len - 14;
		if (!(sel_len == 1 && sel[0] == '*'))
		{
			if (!has_prefix(sel, sel_len, "ext:", 4))
				return PP_SCOPE_CONFIGURATION_UNRECOGNIZED;
			sel += 4;
			sel_len -= 4;
			if (sel_len == 0)
				return PP_SCOPE_EXT_EMPTY;
			/*
			 * The External ID "*" could never be asked about (a "*" argument
			 * is the unspecified configuration), so a deny written this way
			 * would silently match nothing: refuse it, as credential:ext:.
			 */
			if (sel_len == 1 && sel[0] == '*')
				return PP_SCOPE_EXT_STAR;
			out->sel = sel;
			out->sel_len = sel_len;
			return PP_SCOPE_OK;
		}
	}
	else
		return PP_SCOPE_UNRECOGNIZED;

	if (sel_len == 0)
		return PP_SCOPE_EMPTY;
	if (sel_len == 1 && sel[0] == '*')
	{
		out->wildcard = true;
		return PP_SCOPE_OK;
	}
	out->sel = sel;
	out->sel_len = sel_len;
	if (out->level == PP_LEVEL_CREDENTIAL && pp_uuid_parse(sel, sel_len, out->uuid))
		out->isuuid = true;
	else if (out->level == PP_LEVEL_CREDENTIAL && pp_cred_spaced_uuid(sel, sel_len))
	{
		/* as text it would never match the UUID: a deny would be lost */
		return PP_SCOPE_SPACED_UUID;
	}
	return PP_SCOPE_OK;
}

/* How each refusal of pp_scope_parse reads: the message is before "KEY"after. */
static const pp_scope_error scope_errors[] = {
	[PP_SCOPE_UNRECOGNIZED] = {"unrecognized scope", "",
		"Scope keys start with \"integration:\", \"credential:\" or \"configuration:\", in lowercase."},
	[PP_SCOPE_CREDENTIAL_EXT] = {"credentials cannot be selected by External ID in scope", "",
		"Credentials are selected by ID only, as in \"credential:<uuid>\"."},
	[PP_SCOPE_CONFIGURATION_UNRECOGNIZED] = {"unrecognized configuration scope", "",
		"Configurations are selected as \"configuration:ext:<External ID>\" or \"configuration:*\"."},
	[PP_SCOPE_EXT_EMPTY] = {"empty selector in scope", "",
		"Give the External ID after \"configuration:ext:\"."},
	[PP_SCOPE_EXT_STAR] = {"External ID \"*\" in scope", " can never be matched",
		"Use \"configuration:*\" for every configuration."},
	[PP_SCOPE_EMPTY] = {"empty selector in scope", "",
		"Name a member after the colon, or use \"*\" for every member."},
	[PP_SCOPE_SPACED_UUID] = {"credential ID with white space around a UUID in scope", "",
		"Trim the credential ID: with the white space it compares as text and would never match the UUID."},
};

/* pp_scope_error_of returns the message and hint of a refusal (st is not PP_SCOPE_OK). */
const pp_scope_error *
pp_scope_error_of(pp_scope_status st)
{
	return &scope_errors[st];
}
