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
				 errhint("Permissions are credential:write, config:write, settings:read, settings:write, metadata:read, metadata:write, proxy-api, events and workflows.")));
	}
	return perm;
}

/*
 * paragon_permission_arg_memo is paragon_permission_arg for a call site
 * that keeps *memo (zeroed before the first call): when the argument is
 * a Const of the plan, the name is looked up once, not on every row.
 */
int
paragon_permission_arg_memo(FunctionCallInfo fcinfo, int argno, PermMemo *memo)
{
	int			perm;

	if (memo->state == PERM_MEMO_FIXED)
		return memo->perm;
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
 * text_arg returns argument argno's bytes in place, or NULL for SQL NULL.
 * Only a compressed or out-of-line value goes through the detoaster: a
 * column's short text never needs the call, and this runs three times a
 * row.
 */
static inline const char *
text_arg(FunctionCallInfo fcinfo, int argno, size_t *len)
{
	text	   *t;

	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
	{
		*len = 0;
		return NULL;
	}
	t = (text *) PG_GETARG_POINTER(argno);
	if (VARATT_IS_COMPRESSED(t) || VARATT_IS_EXTERNAL(t))
		t = (text *) pg_detoast_datum_packed((struct varlena *) t);
	*len = VARSIZE_ANY_EXHDR(t);
	return VARDATA_ANY(t);
}

/*
 * paragon_target_args reads (integration, credential, config_ext_id) from
 * arguments argno .. argno + 2; the credential is a uuid when cred_is_uuid.
 */
void
paragon_target_args(FunctionCallInfo fcinfo, int argno, bool cred_is_uuid,
					pp_target *t)
{
	const char *integ,
			   *cred = NULL,
			   *conf;
	size_t		integ_len,
				cred_len = 0,
				conf_len;
	const unsigned char *cred_uuid = NULL;

	integ = text_arg(fcinfo, argno, &integ_len);
	if (cred_is_uuid)
	{
		if (!PG_ARGISNULL(argno + 1))
			cred_uuid = PG_GETARG_UUID_P(argno + 1)->data;
	}
	else
		cred = text_arg(fcinfo, argno + 1, &cred_len);
	conf = text_arg(fcinfo, argno + 2, &conf_len);
	pp_target_init(t, integ, integ_len, cred, cred_len, cred_uuid, conf, conf_len);
}
