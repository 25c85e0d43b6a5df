/*-------------------------------------------------------------------------
 *
 * session_forms.c
 *	  The session forms of paragon_allowed and paragon_visible, which
 *	  policies use: the same questions against the session's claims
 *	  (session.c), and the state of their call sites.
 *
 * src/pg/session_forms.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "pg_policy.h"
#include "session_int.h"

/*
 * The state of a session form's call site.  A call the planner support
 * function marked (src/pg/support.c: it sits in a query that is run by a
 * fresh executor each time, not in a PL/pgSQL simple expression) reads
 * claims from a setting once, at its first row, and keeps that policy for
 * the rest of the execution, as the recipe's (SELECT current_setting(...))
 * would: otherwise each row would look the setting up and compare its
 * whole text with the compiled one.  Verified-token claims need no such
 * snapshot (one integer comparison per row) and are not snapshotted.
 */
struct SessionSite
{
	PermMemo	perm;			/* the permission argument, if a Const */
	bool		run_scoped;		/* marked: may snapshot for the execution */
	bool		have;			/* policy holds the snapshot */
	const pp_policy *policy;	/* NULL: no claims */
	SharedPolicy *sp;			/* the snapshot's reference, or NULL */
	MemoryContextCallback release;
};

/* session_site_release lets go of a snapshot when its execution ends. */
static void
session_site_release(void *arg)
{
	SessionSite *site = (SessionSite *) arg;

	paragon_store_release(site->sp);
}

/* session_site returns the call site's state, creating it on first use. */
SessionSite *
session_site(FunctionCallInfo fcinfo)
{
	SessionSite *site = (SessionSite *) fcinfo->flinfo->fn_extra;

	if (site == NULL)
	{
		site = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SessionSite));
		site->run_scoped = paragon_call_run_scoped(fcinfo->flinfo);
		fcinfo->flinfo->fn_extra = site;
	}
	return site;
}

/* session_site_perm returns the call site's memory of its permission argument. */
PermMemo *
session_site_perm(SessionSite *site)
{
	return &site->perm;
}

/* session_site_policy returns the policy a session form's call checks against. */
const pp_policy *
session_site_policy(FunctionCallInfo fcinfo, SessionSite *site)
{
	const pp_policy *p;

	if (site->have)
		return site->policy;
	p = session_policy();
	if (site->run_scoped && effective_source() == CLAIMS_SOURCE_SETTING)
	{
		/* no claims (p NULL) leave nothing to keep alive */
		if (p != NULL)
		{
			site->sp = session_shared_policy();
			paragon_store_retain(site->sp);
			site->release.func = session_site_release;
			site->release.arg = site;
			MemoryContextRegisterResetCallback(fcinfo->flinfo->fn_mcxt, &site->release);
		}
		site->policy = p;
		site->have = true;
	}
	return p;
}

/* session_form_allowed answers the session form of paragon_allowed. */
static inline Datum
session_form_allowed(FunctionCallInfo fcinfo, bool cred_is_uuid)
{
	SessionSite *site = session_site(fcinfo);
	int			perm = paragon_permission_arg_memo(fcinfo, 0, &site->perm);
	const pp_policy *p = session_site_policy(fcinfo, site);

	if (p == NULL)
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(paragon_allowed_args(fcinfo, p, perm, 1, cred_is_uuid));
}

/*
 * paragon_session_allowed is paragon_allowed against the session's claims;
 * paragon_session_allowed_uuid is the uuid-credential variant.
 */
TEXT_AND_UUID_FORMS(paragon_session_allowed, paragon_session_allowed_uuid, session_form_allowed)

/* session_form_visible answers the session form of paragon_visible. */
static inline Datum
session_form_visible(FunctionCallInfo fcinfo, bool cred_is_uuid)
{
	const pp_policy *p;
	pp_target	t;

	/* claims that reached the session form by mistake: never read them as a name */
	if (!PG_ARGISNULL(0))
	{
		text	   *integ = PG_GETARG_TEXT_PP(0);

		if (VARSIZE_ANY_EXHDR(integ) > 0 && *VARDATA_ANY(integ) == '{')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("integration name looks like a JSON object"),
					 errhint("To pass claims explicitly, give every argument and cast the claims to jsonb.")));
	}
	p = session_site_policy(fcinfo, session_site(fcinfo));
	if (p == NULL)
		PG_RETURN_BOOL(false);
	paragon_target_args(fcinfo, 0, cred_is_uuid, &t);
	PG_RETURN_BOOL(pp_visible(p, &t));
}

/*
 * paragon_session_visible is paragon_visible against the session's claims;
 * paragon_session_visible_uuid is the uuid-credential variant.
 */
TEXT_AND_UUID_FORMS(paragon_session_visible, paragon_session_visible_uuid, session_form_visible)
