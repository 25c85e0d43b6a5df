/*-------------------------------------------------------------------------
 *
 * lint.c
 *	  Top-level claim names that look like the permissions claim without
 *	  being it.
 *
 * Evaluation ignores such a claim, as Paragon does, so a token whose
 * only permissions sit under a misspelt name is unrestricted: the front
 * ends that list problems (paragon_claims_errors, the tool's check) and
 * strict mode make it an error through pp_builder_lint.
 *
 * src/core/lint.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pp.h"

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
