/*-------------------------------------------------------------------------
 *
 * scope.c
 *	  The vocabulary of Paragon permissions: permission names and their
 *	  implications, scope keys, UUID text, targets, and the claim names
 *	  that look like the permissions claim.
 *
 * Credential selectors and arguments that are valid input for
 * PostgreSQL's uuid type compare as UUIDs, so case, braces and hyphen
 * placement do not matter; pp_uuid_parse accepts exactly what uuid_in
 * accepts, so the extension and the tool agree with the uuid type.  A
 * credential argument that is UUID input but for white space around it
 * is refused by the front ends (pp_cred_spaced_uuid): as text it would
 * slip past a deny written for the UUID.
 *
 * src/core/scope.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pp_int.h"

static const char *const perm_names[PP_PERM_COUNT] = {
	"credential:write",
	"config:write",
	"settings:read",
	"settings:write",
	"metadata:read",
	"metadata:write",
	"proxy-api",
	"events",
	"workflows",
};

/* pp_perm_lookup returns the permission named by the bytes, or -1. */
int
pp_perm_lookup(const char *name, size_t len)
{
	int			i;

	/* lengths of perm_names, so a per-row lookup calls no strlen */
	static const uint8_t perm_lens[PP_PERM_COUNT] = {16, 12, 13, 14, 13, 14, 9, 6, 9};

	for (i = 0; i < PP_PERM_COUNT; i++)
		if (perm_lens[i] == len && memcmp(perm_names[i], name, len) == 0)
			return i;
	return -1;
}

/* pp_perm_name returns the name of a permission. */
const char *
pp_perm_name(int perm)
{
	return (perm >= 0 && perm < PP_PERM_COUNT) ? perm_names[perm] : NULL;
}

/* pp_perm_implied adds what write permissions imply to a set. */
uint16_t
pp_perm_implied(uint16_t perms)
{
	if (perms & (1u << PP_PERM_SETTINGS_WRITE))
		perms |= 1u << PP_PERM_SETTINGS_READ;
	if (perms & (1u << PP_PERM_METADATA_WRITE))
		perms |= 1u << PP_PERM_METADATA_READ;
	return perms;
}

/* hexval returns the value of a hex digit, or -1. */
static inline int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * pp_uuid_parse reads UUID text the way PostgreSQL's uuid_in does: 32 hex
 * digits, optionally a hyphen after any group of four, optionally the
 * whole in braces, nothing else.
 */
bool
pp_uuid_parse(const char *s, size_t len, unsigned char out[16])
{
	size_t		pos = 0;
	bool		braces = false;
	int			i;

	if (len > 0 && s[0] == '{')
	{
		braces = true;
		pos = 1;
	}
	for (i = 0; i < 16; i++)
	{
		int			hi,
					lo;

		if (pos + 2 > len)
			return false;
		hi = hexval((unsigned char) s[pos]);
		lo = hexval((unsigned char) s[pos + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char) (hi << 4 | lo);
		pos += 2;
		if (pos < len && s[pos] == '-' && (i % 2) == 1 && i < 15)
			pos++;
	}
	if (braces)
	{
		if (pos >= len || s[pos] != '}')
			return false;
		pos++;
	}
	return pos == len;
}

/* is_space is C isspace in the "C" locale, for ASCII white space. */
static inline bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * pp_cred_spaced_uuid tells whether text has white space at either end
 * and is valid UUID input once that is trimmed.  Two byte tests when the
 * text has none, so it can run on every row.
 */
bool
pp_cred_spaced_uuid(const char *s, size_t len)
{
	unsigned char uuid[16];

	if (len == 0 || (!is_space((unsigned char) s[0]) && !is_space((unsigned char) s[len - 1])))
		return false;
	while (len > 0 && is_space((unsigned char) *s))
		s++, len--;
	while (len > 0 && is_space((unsigned char) s[len - 1]))
		len--;
	return pp_uuid_parse(s, len, uuid);
}

/* lower_ascii folds an ASCII letter to lower case. */
static inline unsigned char
lower_ascii(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char) (c + ('a' - 'A')) : c;
}

/* has_prefix_ci says whether key starts with prefix, ASCII case folded. */
static bool
has_prefix_ci(const char *key, size_t len, const char *prefix)
{
	size_t		plen = strlen(prefix);
	size_t		i;

	if (len < plen)
		return false;
	for (i = 0; i < plen; i++)
		if (lower_ascii((unsigned char) key[i]) != (unsigned char) prefix[i])
			return false;
	return true;
}

/* contains_ci says whether key contains word (lower case), ASCII case folded. */
static bool
contains_ci(const char *key, size_t len, const char *word)
{
	size_t		wlen = strlen(word);
	size_t		i;

	for (i = 0; i + wlen <= len; i++)
		if (has_prefix_ci(key + i, len - i, word))
			return true;
	return false;
}

#define LOOKALIKE_MAX_EDITS 3

/*
 * edit_distance is the Levenshtein distance between key (ASCII case
 * folded) and the permissions claim; the caller bounds key's length.
 */
static int
edit_distance(const char *key, size_t len)
{
	const char *claim = PP_PERMISSIONS_CLAIM;
	size_t		clen = sizeof(PP_PERMISSIONS_CLAIM) - 1;
	int			prev[sizeof(PP_PERMISSIONS_CLAIM)];
	int			cur[sizeof(PP_PERMISSIONS_CLAIM)];
	size_t		i,
				j;

	for (j = 0; j <= clen; j++)
		prev[j] = (int) j;
	for (i = 1; i <= len; i++)
	{
		cur[0] = (int) i;
		for (j = 1; j <= clen; j++)
		{
			int			sub = prev[j - 1] +
				(lower_ascii((unsigned char) key[i - 1]) != (unsigned char) claim[j - 1]);
			int			del = prev[j] + 1;
			int			ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[clen];
}

/*
 * pp_claim_lookalike tells whether a top-level claim name looks like the
 * permissions claim without being it: another "urn:useparagon:" claim,
 * any name containing "useparagon", or one within three edits of the
 * claim, case folded ("urn:useparagon:connect:permission",
 * "URN:useparagon:connect:permissions").
 */
bool
pp_claim_lookalike(const char *key, size_t len)
{
	size_t		clen = sizeof(PP_PERMISSIONS_CLAIM) - 1;

	if (len == clen && memcmp(key, PP_PERMISSIONS_CLAIM, clen) == 0)
		return false;
	if (contains_ci(key, len, "useparagon"))
		return true;
	return len + LOOKALIKE_MAX_EDITS >= clen && len <= clen + LOOKALIKE_MAX_EDITS &&
		edit_distance(key, len) <= LOOKALIKE_MAX_EDITS;
}

/* pp_uuid_format writes the canonical text of a UUID. */
void
pp_uuid_format(const unsigned char in[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	int			i,
				o = 0;

	for (i = 0; i < 16; i++)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[in[i] >> 4];
		out[o++] = hex[in[i] & 15];
	}
	out[o] = '\0';
}

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
 * silently never matches would widen access.
 */
const char *
pp_scope_parse(const char *key, size_t len, pp_scope *out, const char **hint)
{
	const char *sel;
	size_t		sel_len;

	memset(out, 0, sizeof(*out));
	*hint = NULL;
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
		{
			*hint = "Credentials are selected by ID only, as in \"credential:<uuid>\".";
			return "credentials cannot be selected by External ID in scope \"%s\"";
		}
	}
	else if (has_prefix(key, len, "configuration:", 14))
	{
		out->level = PP_LEVEL_CONFIGURATION;
		sel = key + 14;
		sel_len = len - 14;
		if (!(sel_len == 1 && sel[0] == '*'))
		{
			if (!has_prefix(sel, sel_len, "ext:", 4))
			{
				*hint = "Configurations are selected as \"configuration:ext:<External ID>\" or \"configuration:*\".";
				return "unrecognized configuration scope \"%s\"";
			}
			sel += 4;
			sel_len -= 4;
			if (sel_len == 0)
			{
				*hint = "Give the External ID after \"configuration:ext:\".";
				return "empty selector in scope \"%s\"";
			}
			/*
			 * The External ID "*" could never be asked about (a "*" argument
			 * is the unspecified configuration), so a deny written this way
			 * would silently match nothing: refuse it, as credential:ext:.
			 */
			if (sel_len == 1 && sel[0] == '*')
			{
				*hint = "Use \"configuration:*\" for every configuration.";
				return "External ID \"*\" in scope \"%s\" can never be matched";
			}
			out->sel = sel;
			out->sel_len = sel_len;
			return NULL;
		}
	}
	else
	{
		*hint = "Scope keys start with \"integration:\", \"credential:\" or \"configuration:\", in lowercase.";
		return "unrecognized scope \"%s\"";
	}

	if (sel_len == 0)
	{
		*hint = "Name a member after the colon, or use \"*\" for every member.";
		return "empty selector in scope \"%s\"";
	}
	if (sel_len == 1 && sel[0] == '*')
	{
		out->wildcard = true;
		return NULL;
	}
	out->sel = sel;
	out->sel_len = sel_len;
	if (out->level == PP_LEVEL_CREDENTIAL && pp_uuid_parse(sel, sel_len, out->uuid))
		out->isuuid = true;
	else if (out->level == PP_LEVEL_CREDENTIAL && pp_cred_spaced_uuid(sel, sel_len))
	{
		/* as text it would never match the UUID: a deny would be lost */
		*hint = "Trim the credential ID: with the white space it compares as text and would never match the UUID.";
		return "credential ID with white space around a UUID in scope \"%s\"";
	}
	return NULL;
}

/*
 * pp_target_init builds a target: its depth is the level of the last
 * non-NULL argument (at least 1), and NULLs before it are unspecified.
 * A UUID credential is copied into the target, which owns it.
 */
void
pp_target_init(pp_target *t,
			   const char *integ, size_t integ_len,
			   const char *cred, size_t cred_len,
			   const unsigned char *cred_uuid,
			   const char *conf, size_t conf_len)
{
	if (cred_uuid != NULL)
	{
		memcpy(t->uuid, cred_uuid, 16);
		cred_uuid = t->uuid;
	}
	pp_target_fill(t, integ, integ_len, cred, cred_len, cred_uuid, conf, conf_len);
}
