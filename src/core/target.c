/*-------------------------------------------------------------------------
 *
 * target.c
 *	  Building a target from the members of a row; the per-row fill is
 *	  inline, in pp_target.h.
 *
 * src/core/target.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pp_target.h"

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
