/*-------------------------------------------------------------------------
 *
 * pp_target.h
 *	  Filling a target from the members of a row, inline: the per-row
 *	  path of pp_allowed_at.
 *
 * src/core/pp_target.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_TARGET_H
#define PP_TARGET_H

#include "pp.h"

/* pp_member_set fills one member of a target; "*" is the unspecified member. */
static inline void
pp_member_set(pp_member *m, const char *s, size_t len)
{
	if (s == NULL || (len == 1 && s[0] == '*'))
	{
		m->kind = PP_MEMBER_UNSPECIFIED;
		m->s = NULL;
		m->len = 0;
	}
	else
	{
		m->kind = PP_MEMBER_TEXT;
		m->s = s;
		m->len = len;
	}
}

/*
 * pp_target_fill is pp_target_init without copying a UUID credential:
 * the target points at cred_uuid, which must outlive it.  A credential
 * given as text that spells a UUID is parsed into the target.
 */
static inline void
pp_target_fill(pp_target *t,
			   const char *integ, size_t integ_len,
			   const char *cred, size_t cred_len,
			   const unsigned char *cred_uuid,
			   const char *conf, size_t conf_len)
{
	bool		has_cred = (cred != NULL || cred_uuid != NULL);

	t->depth = conf != NULL ? 3 : has_cred ? 2 : 1;
	pp_member_set(&t->m[0], integ, integ_len);
	pp_member_set(&t->m[2], conf, conf_len);
	if (cred_uuid != NULL)
	{
		t->m[1].kind = PP_MEMBER_UUID;
		t->m[1].s = (const char *) cred_uuid;
		t->m[1].len = 16;
	}
	else
	{
		pp_member_set(&t->m[1], cred, cred_len);
		if (t->m[1].kind == PP_MEMBER_TEXT && pp_uuid_parse(cred, cred_len, t->uuid))
		{
			t->m[1].kind = PP_MEMBER_UUID;
			t->m[1].s = (const char *) t->uuid;
			t->m[1].len = 16;
		}
	}
}

#endif							/* PP_TARGET_H */
