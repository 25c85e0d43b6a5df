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
#include <stdio.h>
#include <string.h>

#include "pp.h"

/*
 * The one list of permission names, in pp_perm order: the names, their
 * lengths and the hint that lists them are all generated from it.
 */
#define PERM_NAMES(X) \
	X("credential:write") \
	X("config:write") \
	X("settings:read") \
	X("settings:write") \
	X("metadata:read") \
	X("metadata:write") \
	X("proxy-api") \
	X("events") \
	X("workflows")

#define PERM_NAME(s)	s,
#define PERM_LEN(s)		sizeof(s) - 1,

static const char *const perm_names[] = {PERM_NAMES(PERM_NAME)};

/* lengths of perm_names, so a per-row lookup calls no strlen */
static const uint8_t perm_lens[] = {PERM_NAMES(PERM_LEN)};

_Static_assert(sizeof(perm_names) / sizeof(perm_names[0]) == PP_PERM_COUNT,
			   "one name per pp_perm");

/* pp_perm_lookup returns the permission named by the bytes, or -1. */
int
pp_perm_lookup(const char *name, size_t len)
{
	int			i;

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

/*
 * pp_perm_hint writes the hint that lists every permission ("Permissions
 * are credential:write, ... events and workflows.") into buf, for the
 * messages that refuse a permission name; returns buf.
 */
const char *
pp_perm_hint(char buf[PP_PERM_HINT_SIZE])
{
	size_t		n;
	int			i;

	n = (size_t) snprintf(buf, PP_PERM_HINT_SIZE, "Permissions are");
	for (i = 0; i < PP_PERM_COUNT && n < PP_PERM_HINT_SIZE; i++)
		n += (size_t) snprintf(buf + n, PP_PERM_HINT_SIZE - n, "%s%s",
							   i == 0 ? " " : i == PP_PERM_COUNT - 1 ? " and " : ", ",
							   perm_names[i]);
	if (n < PP_PERM_HINT_SIZE)
		snprintf(buf + n, PP_PERM_HINT_SIZE - n, ".");
	return buf;
}
