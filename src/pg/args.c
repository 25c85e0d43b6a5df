/*-------------------------------------------------------------------------
 *
 * args.c
 *	  Turning SQL arguments into the core's permission numbers and targets.
 *
 * Text arguments are read in place (PG_GETARG_TEXT_PP does not copy a
 * short, uncompressed value), so a check allocates nothing per row.
 *
 * src/pg/args.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/uuid.h"

#include "pg_policy.h"

/*
 * paragon_permission_arg returns the permission named by argument argno,
 * -1 for NULL (visibility), and raises an error for an unknown name.
 */
int
paragon_permission_arg(FunctionCallInfo fcinfo, int argno)
{
	text	   *t;
	int			perm;
	char		hint[PP_PERM_HINT_SIZE];

	if (PG_ARGISNULL(argno))
		return -1;
	t = PG_GETARG_TEXT_PP(argno);
	perm = pp_perm_lookup(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	if (perm < 0)
	{
		bool		looks_like_json = VARSIZE_ANY_EXHDR(t) > 0 && *VARDATA_ANY(t) == '{';

		/* a JSON object here is claims that reached a short form */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unrecognized permission \"%s\"", text_to_cstring(t)),
				 looks_like_json ?
				 errhint("To pass claims explicitly, give every argument and cast the claims to jsonb.") :
				 errhint("%s", pp_perm_hint(hint))));
	}
	return perm;
}

/*
 * paragon_permission_arg_memo_slow is paragon_permission_arg_memo (see
 * pg_policy.h) before the permission is known to be fixed.
 */
int
paragon_permission_arg_memo_slow(FunctionCallInfo fcinfo, int argno, PermMemo *memo)
{
	int			perm;

	perm = paragon_permission_arg(fcinfo, argno);
	if (memo->state == PERM_MEMO_UNKNOWN)
	{
		memo->state = paragon_arg_fixed(fcinfo->flinfo, argno) ?
			PERM_MEMO_FIXED : PERM_MEMO_VARIES;
		memo->perm = perm;
	}
	return perm;
}

/*
 * paragon_target_args reads (integration, credential, config_ext_id) from
 * arguments argno .. argno + 2; the credential is a uuid when cred_is_uuid.
 */
void
paragon_target_args(FunctionCallInfo fcinfo, int argno, bool cred_is_uuid,
					pp_target *t)
{
	TargetArgs	a;

	paragon_read_target_args(fcinfo, argno, cred_is_uuid, &a);
	pp_target_init(t, a.integ, a.integ_len, a.cred, a.cred_len, a.cred_uuid,
				   a.conf, a.conf_len);
}

/*
 * paragon_spaced_uuid_error refuses a credential argument that is a UUID
 * but for white space around it: compared as text, it would slip past a
 * deny written for the UUID (semantics: UUIDs compare as UUIDs only when
 * both sides are uuid input).  At most 80 bytes are quoted.
 */
void
paragon_spaced_uuid_error(const char *cred, size_t len)
{
	char	   *quoted = pnstrdup(cred, Min(len, 80));

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg(PP_SPACED_UUID_MESSAGE, quoted),
			 errhint(PP_SPACED_UUID_HINT)));
}
