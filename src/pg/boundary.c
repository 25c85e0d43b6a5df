/*-------------------------------------------------------------------------
 *
 * boundary.c
 *	  The Connected User boundary: paragon_sub, and the checks that the
 *	  policies written by paragon_enable_rls put on every row.
 *
 * A Paragon User Token is issued for one Connected User, named by its
 * "sub" claim, and reaches only that user's credentials and
 * configurations; the permissions claim narrows access inside that
 * boundary.  The core records "sub" when it compiles the claims
 * (pp_policy_sub), so a compiled policy knows whose it is.
 *
 * paragon_user_allowed and paragon_user_visible are the session short
 * forms of paragon_allowed and paragon_visible with the row's Connected
 * User as first argument: they compare it with the sub of the very
 * policy they then evaluate.  A policy also compares the column with
 * paragon_sub(), which an index scan can use, but an index condition is
 * evaluated when the scan starts (and again at each rescan), while a
 * short form reads the claims of the moment, or keeps those of its first
 * row (session.c): a set_config inside the statement could otherwise
 * pair one token's sub with another token's permissions, claims that no
 * token carries.  Comparing inside the check rules that out.
 *
 * src/pg/boundary.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "pg_policy.h"

/* invalid_sub raises the error of a "sub" claim that is not a string. */
static void
invalid_sub(const pp_policy *p)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("claim \"sub\" must be a string, not %s",
					pp_jtype_name(pp_policy_sub_type(p))),
			 errdetail("JSON path: $.\"sub\"."),
			 errhint("A token's sub names its Connected User; RFC 7519 makes it a string.")));
}

/*
 * policy_sub returns the Connected User of a policy as text, or NULL when
 * it names none (no sub, or the empty string); an invalid sub raises an
 * error.
 */
static text *
policy_sub(const pp_policy *p)
{
	const char *s;
	size_t		len;

	switch (pp_policy_sub(p, &s, &len))
	{
		case PP_SUB_STRING:
			return cstring_to_text_with_len(s, (int) len);
		case PP_SUB_INVALID:
			invalid_sub(p);
			break;
		case PP_SUB_NONE:
			break;
	}
	return NULL;
}

/* paragon_sub_claims returns the Connected User of explicit claims. */
PG_FUNCTION_INFO_V1(paragon_sub_claims);
Datum
paragon_sub_claims(PG_FUNCTION_ARGS)
{
	text	   *sub;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	sub = policy_sub(paragon_policy_for_arg(fcinfo, 0));
	if (sub == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(sub);
}

/*
 * paragon_sub_session returns the Connected User of the session's claims
 * (per paragon.claims_source), read afresh on every call.
 */
PG_FUNCTION_INFO_V1(paragon_sub_session);
Datum
paragon_sub_session(PG_FUNCTION_ARGS)
{
	const pp_policy *p = short_policy(fcinfo, short_site(fcinfo));
	text	   *sub;

	if (p == NULL)
		PG_RETURN_NULL();
	sub = policy_sub(p);
	if (sub == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(sub);
}

/*
 * within_boundary tells whether the row's Connected User (argument 0) is
 * the policy's: byte for byte, as a deterministic collation compares.
 * No Connected User on either side is false; an invalid sub is an error.
 */
static inline bool
within_boundary(FunctionCallInfo fcinfo, const pp_policy *p)
{
	const char *sub;
	size_t		sub_len;
	const char *user;
	size_t		user_len;

	switch (pp_policy_sub(p, &sub, &sub_len))
	{
		case PP_SUB_STRING:
			break;
		case PP_SUB_INVALID:
			invalid_sub(p);
			return false;
		case PP_SUB_NONE:
			return false;
	}
	user = paragon_text_arg(fcinfo, 0, &user_len);
	return user != NULL && user_len == sub_len && memcmp(user, sub, sub_len) == 0;
}

/* user_allowed answers paragon_user_allowed for a text or uuid credential. */
static inline Datum
user_allowed(FunctionCallInfo fcinfo, bool cred_is_uuid)
{
	ShortSite  *site = short_site(fcinfo);
	int			perm = paragon_permission_arg_memo(fcinfo, 1, short_site_perm(site));
	const pp_policy *p = short_policy(fcinfo, site);

	if (p == NULL || !within_boundary(fcinfo, p))
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(paragon_allowed_args(fcinfo, p, perm, 2, cred_is_uuid));
}

/*
 * paragon_user_allowed is paragon_allowed against the session's claims,
 * for a row of the given Connected User; paragon_user_allowed_uuid is the
 * uuid-credential variant.
 */
TEXT_AND_UUID_FORMS(paragon_user_allowed, paragon_user_allowed_uuid, user_allowed)

/* user_visible answers paragon_user_visible for a text or uuid credential. */
static inline Datum
user_visible(FunctionCallInfo fcinfo, bool cred_is_uuid)
{
	const pp_policy *p = short_policy(fcinfo, short_site(fcinfo));
	pp_target	t;

	if (p == NULL || !within_boundary(fcinfo, p))
		PG_RETURN_BOOL(false);
	paragon_target_args(fcinfo, 1, cred_is_uuid, &t);
	PG_RETURN_BOOL(pp_visible(p, &t));
}

/*
 * paragon_user_visible is paragon_visible against the session's claims,
 * for a row of the given Connected User; paragon_user_visible_uuid is the
 * uuid-credential variant.
 */
TEXT_AND_UUID_FORMS(paragon_user_visible, paragon_user_visible_uuid, user_visible)
