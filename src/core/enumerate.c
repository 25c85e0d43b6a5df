/*-------------------------------------------------------------------------
 *
 * enumerate.c
 *	  Listing the exact selectors a compiled policy names at each level.
 *
 * The evaluator never needs this: it resolves a target's members by hash.
 * A tool that wants to show "what may this token do" (the matrix command
 * of paragon-perm) needs the other direction, the finite set of members
 * the claims talk about; every other member of a level is treated like the
 * unspecified one, so these plus the unspecified member cover every
 * distinct answer the policy can give.
 *
 * The selectors are read from the policy's dictionaries, in the order the
 * compiler met them; nothing is allocated and the pointers stay valid
 * until pp_policy_free().
 *
 * src/core/enumerate.c
 *
 *-------------------------------------------------------------------------
 */
#include "pp_int.h"

/* pp_policy_selector_count returns how many exact selectors the keys of a level name. */
size_t
pp_policy_selector_count(const pp_policy *p, int level)
{
	if (level < PP_LEVEL_INTEGRATION || level > PP_MAX_DEPTH)
		return 0;
	return p->dict[level - 1].nentries;
}

/*
 * pp_policy_selector describes exact selector i of a level as a target
 * member: text, or 16 bytes for a credential that is a UUID (so that it
 * can be passed to pp_target_init as cred_uuid, or printed with
 * pp_uuid_format).  Returns false when i is out of range.
 */
bool
pp_policy_selector(const pp_policy *p, int level, size_t i, pp_member *out)
{
	const pp_dict_entry *e;

	if (i >= pp_policy_selector_count(p, level))
		return false;
	e = &p->dict[level - 1].entries[i];
	out->kind = e->isuuid ? PP_MEMBER_UUID : PP_MEMBER_TEXT;
	out->s = (const char *) e->s;
	out->len = e->len;
	return true;
}
