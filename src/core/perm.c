/*-------------------------------------------------------------------------
 *
 * perm.c
 *	  The permissions of Paragon: their names, in the order the
 *	  documentation lists them, and what a write permission implies.
 *
 * src/core/perm.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pp.h"

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
