/*-------------------------------------------------------------------------
 *
 * session.c
 *	  Session claims: paragon_set_token, and the short forms of
 *	  paragon_allowed/paragon_visible that policies use.
 *
 * The claims of the session come from exactly one source, chosen by the
 * superuser-only setting paragon.claims_source:
 *
 *	token	claims of a token verified by paragon_set_token with the
 *			superuser's key (paragon.public_key) and options;
 *	setting	the JSON text of the setting named by paragon.claims_setting
 *			(request.jwt.claims by default, PostgREST's convention), for
 *			deployments that verify tokens elsewhere.
 *
 * Never both: a role that can run SQL must not be able to replace
 * verified claims with a SET.  The settings, and the guard that refuses
 * claims when one of them was lost as the library loaded, are in
 * settings.c.
 *
 * Verified claims are kept in a hidden setting, paragon.token_claims,
 * that only superusers (or this module, acting for paragon_set_token)
 * can change.  Keeping them in a setting rather than in a static
 * variable gives the right behaviour for free: parallel workers receive
 * them with the leader's settings, is_local means SET LOCAL, a rolled
 * back transaction restores the previous value, and DISCARD ALL (as
 * connection poolers issue) forgets them.  Its assign hook bumps a
 * generation counter, so the short forms notice a change with one
 * integer comparison per row and recompile only then.
 *
 * Memory: the claims live in a child of TopMemoryContext, replaced
 * whenever they change; their compiled policy is held in the backend's
 * store (store.c), so a call site that keeps it for its execution holds a
 * reference of its own and the policy outlives a change of the claims.
 *
 * src/pg/session.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "common/hashfn.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "citus.h"
#include "pg_policy.h"
#include "settings.h"
#include "token.h"

#define TOKEN_CLAIMS_GUC "paragon.token_claims"

/* the verified claims (hidden setting) */
static char *token_claims = NULL;

/* bumped by every change of paragon.token_claims */
static uint64 token_generation = 1;

/* The compiled claims of the session, and what they were compiled from. */
typedef struct SessionClaims
{
	bool		valid;			/* the fields below describe a compile */
	ClaimsSource source;		/* TOKEN or SETTING */
	uint64		generation;		/* token_generation compiled (TOKEN) */
	char	   *setting_name;	/* setting read (SETTING) */
	char	   *text;			/* its text (SETTING) */
	Jsonb	   *claims;			/* NULL: no claims */
	bool		has_exp;
	TimestampTz exp;
	SharedPolicy *sp;			/* compiled claims, a reference in the store */
	MemoryContext cxt;			/* holds all of the above but sp */
} SessionClaims;

static SessionClaims session;

/* assign_token_claims notes that the verified claims changed. */
static void
assign_token_claims(const char *newval, void *extra)
{
	token_generation++;
}

/*
 * paragon_session_init defines the hidden setting of verified claims; the
 * superuser settings are settings.c's.  Called from _PG_init.
 */
void
paragon_session_init(void)
{
	paragon_settings_guard_begin(TOKEN_CLAIMS_GUC);
	DefineCustomStringVariable(TOKEN_CLAIMS_GUC,
							   "Claims of the token verified by paragon_set_token (set by the extension).",
							   NULL, &token_claims, "", PGC_SUSET,
							   GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   NULL, assign_token_claims, NULL);
	paragon_settings_guard_end(TOKEN_CLAIMS_GUC);
}

/* paragon_session_invalidate makes the next read compile the session's claims again. */
void
paragon_session_invalidate(void)
{
	session.valid = false;
}

/* effective_source is where the session's claims come from. */
static ClaimsSource
effective_source(void)
{
	return (ClaimsSource) paragon_claims_source;
}

/*
 * session_reset forgets the session claims; a call site still using their
 * policy for its execution holds its own reference to it.
 */
static void
session_reset(void)
{
	if (session.sp != NULL)
		paragon_store_release(session.sp);
	if (session.cxt != NULL)
		MemoryContextDelete(session.cxt);
	memset(&session, 0, sizeof(session));
}

/*
 * session_compile parses and compiles claims text into the session cache;
 * an empty or NULL text means no claims.  Invalid claims raise an error
 * and leave no claims behind.
 */
static void
session_compile(ClaimsSource source, const char *text)
{
	MemoryContext old;

	session_reset();
	if (text == NULL || text[0] == '\0')
	{
		session.source = source;
		session.valid = true;
		return;
	}
	session.cxt = AllocSetContextCreate(TopMemoryContext, "paragon_perm session",
										ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(session.cxt);
	PG_TRY();
	{
		JsonbValue *exp;
		JsonbValue	key;
		const char *data;
		Size		len;

		session.text = pstrdup(text);
		session.claims = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(text)));
		paragon_check_strict_claims(session.claims);
		data = VARDATA(session.claims);
		len = VARSIZE(session.claims) - VARHDRSZ;
		/* the store's key, as cache.c computes it: explicit claims share it */
		session.sp = paragon_store_acquire(JsonbPGetDatum(session.claims), data, len,
										   hash_bytes_extended((const unsigned char *) data,
															   (int) len, 0));

		/* the expiry of verified claims, checked at each statement's start */
		key.type = jbvString;
		key.val.string.val = "exp";
		key.val.string.len = 3;
		exp = JB_ROOT_IS_OBJECT(session.claims) ?
			findJsonbValueFromContainer(&session.claims->root, JB_FOBJECT, &key) : NULL;
		if (exp != NULL && exp->type == jbvNumeric)
		{
			double		secs = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
																  NumericGetDatum(exp->val.numeric)));
			double		pg_secs = secs - ((double) POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;

			/* clamp before converting: an absurd exp must not overflow */
			session.has_exp = true;
			if (pg_secs >= (double) (END_TIMESTAMP / USECS_PER_SEC))
				session.exp = END_TIMESTAMP;
			else if (pg_secs <= (double) (MIN_TIMESTAMP / USECS_PER_SEC))
				session.exp = MIN_TIMESTAMP;
			else
				session.exp = (TimestampTz) (pg_secs * USECS_PER_SEC);
		}
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(old);
		session_reset();
		PG_RE_THROW();
	}
	PG_END_TRY();
	MemoryContextSwitchTo(old);
	session.source = source;
	session.valid = true;
}

/*
 * session_policy returns the session's compiled claims, or NULL when the
 * session has none (or its verified token expired before the statement
 * began), recompiling only when the claims changed.
 */
static const pp_policy *
session_policy(void)
{
	ClaimsSource source;

	paragon_settings_check();
	source = effective_source();

	if (source == CLAIMS_SOURCE_TOKEN)
	{
		paragon_citus_guard(PARAGON_CITUS_READ_CLAIMS, token_claims != NULL && token_claims[0] != '\0');
		if (!session.valid || session.source != source || session.generation != token_generation)
		{
			uint64		generation = token_generation;

			session_compile(source, token_claims);
			session.generation = generation;
		}
		if (session.claims != NULL && session.has_exp &&
			session.exp + (TimestampTz) paragon_leeway_s * USECS_PER_SEC < GetCurrentStatementStartTimestamp())
			return NULL;
	}
	else
	{
		const char *text = GetConfigOption(paragon_claims_setting, true, false);

		if (text != NULL && text[0] == '\0')
			text = NULL;
		paragon_citus_guard(PARAGON_CITUS_READ_CLAIMS, text != NULL);
		/* the setting can change under us at any time: compare its text */
		if (!session.valid || session.source != source ||
			session.setting_name == NULL || strcmp(session.setting_name, paragon_claims_setting) != 0 ||
			(text == NULL) != (session.text == NULL) ||
			(text != NULL && strcmp(text, session.text) != 0))
		{
			session_compile(source, text);
			if (session.cxt == NULL)
				session.cxt = AllocSetContextCreate(TopMemoryContext, "paragon_perm session",
													ALLOCSET_SMALL_SIZES);
			session.setting_name = MemoryContextStrdup(session.cxt, paragon_claims_setting);
		}
	}
	return session.claims != NULL ? session.sp->compiled.policy : NULL;
}

/*
 * set_token_claims sets the hidden setting that holds verified claims
 * ("" for none), for the session or, with is_local, the transaction.  It
 * acts with superuser context on behalf of paragon_set_token, which has
 * verified the token first; a role cannot SET it itself.
 */
static void
set_token_claims(const char *claims_text, bool is_local)
{
	(void) set_config_option(TOKEN_CLAIMS_GUC, claims_text, PGC_SUSET, PGC_S_SESSION,
							 is_local ? GUC_ACTION_LOCAL : GUC_ACTION_SET,
							 true, 0, false);
}

/* paragon_current_claims returns the session's claims, or NULL when there are none. */
PG_FUNCTION_INFO_V1(paragon_current_claims);
Datum
paragon_current_claims(PG_FUNCTION_ARGS)
{
	if (session_policy() == NULL)
		PG_RETURN_NULL();
	PG_RETURN_JSONB_P(DatumGetJsonbPCopy(JsonbPGetDatum(session.claims)));
}

/*
 * paragon_set_token verifies a token with the superuser's settings and
 * makes its claims the session's (or, with is_local, the transaction's).
 */
PG_FUNCTION_INFO_V1(paragon_set_token);
Datum
paragon_set_token(PG_FUNCTION_ARGS)
{
	text	   *token;
	bool		is_local = PG_ARGISNULL(1) ? false : PG_GETARG_BOOL(1);
	char	   *list;
	char	   *algs[16];
	int			nalgs;
	Jsonb	   *claims;
	MemoryContext cxt;
	char	   *claims_text;

	paragon_citus_guard(PARAGON_CITUS_SET_TOKEN_FUNCTION, !PG_ARGISNULL(0));

	/*
	 * No token (a request without one) means no claims: clear them rather
	 * than keep the previous request's, which a STRICT function would do.
	 */
	paragon_settings_check();
	if (PG_ARGISNULL(0))
	{
		set_token_claims("", is_local);
		PG_RETURN_VOID();
	}
	token = PG_GETARG_TEXT_PP(0);

	if (effective_source() != CLAIMS_SOURCE_TOKEN)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("session claims do not come from tokens"),
				 errdetail("paragon.claims_source is \"setting\".")));
	if (paragon_public_key == NULL || paragon_public_key[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("paragon.public_key is not set"),
				 errhint("A superuser sets it, for example with ALTER DATABASE ... SET paragon.public_key = '...'.")));

	list = pstrdup(paragon_algorithms);
	nalgs = paragon_split_algorithms(list, algs, lengthof(algs));
	claims = paragon_token_verify(VARDATA_ANY(token), VARSIZE_ANY_EXHDR(token),
								  paragon_public_key, (const char *const *) algs, nalgs,
								  (paragon_audience != NULL && paragon_audience[0] != '\0') ? paragon_audience : NULL,
								  (int64) paragon_leeway_s * USECS_PER_SEC,
								  GetCurrentTimestamp(), true);

	/* refuse claims that would not compile, before they become the session's */
	cxt = AllocSetContextCreate(CurrentMemoryContext, "paragon_perm check", ALLOCSET_SMALL_SIZES);
	(void) paragon_compile_jsonb(claims, cxt);
	MemoryContextDelete(cxt);
	paragon_check_strict_claims(claims);

	claims_text = JsonbToCString(NULL, &claims->root, VARSIZE(claims));
	set_token_claims(claims_text, is_local);
	PG_RETURN_VOID();
}

/* paragon_clear_token forgets the session's verified claims. */
PG_FUNCTION_INFO_V1(paragon_clear_token);
Datum
paragon_clear_token(PG_FUNCTION_ARGS)
{
	paragon_settings_check();
	set_token_claims("", false);
	PG_RETURN_VOID();
}

/*
 * The state of a short form's call site.  A call the planner support
 * function marked (src/pg/support.c: it sits in a query that is run by a
 * fresh executor each time, not in a PL/pgSQL simple expression) reads
 * claims from a setting once, at its first row, and keeps that policy for
 * the rest of the execution, as the recipe's (SELECT current_setting(...))
 * would: otherwise each row would look the setting up and compare its
 * whole text with the compiled one.  Verified-token claims need no such
 * snapshot (one integer comparison per row) and are not snapshotted.
 */
typedef struct ShortSite
{
	PermMemo	perm;			/* the permission argument, if a Const */
	bool		run_scoped;		/* marked: may snapshot for the execution */
	bool		have;			/* policy holds the snapshot */
	const pp_policy *policy;	/* NULL: no claims */
	SharedPolicy *sp;			/* the snapshot's reference, or NULL */
	MemoryContextCallback release;
} ShortSite;

/* short_site_release lets go of a snapshot when its execution ends. */
static void
short_site_release(void *arg)
{
	ShortSite  *site = (ShortSite *) arg;

	paragon_store_release(site->sp);
}

/* short_site returns the call site's state, creating it on first use. */
static ShortSite *
short_site(FunctionCallInfo fcinfo)
{
	ShortSite  *site = (ShortSite *) fcinfo->flinfo->fn_extra;

	if (site == NULL)
	{
		site = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ShortSite));
		site->run_scoped = paragon_call_run_scoped(fcinfo->flinfo);
		fcinfo->flinfo->fn_extra = site;
	}
	return site;
}

/* short_policy returns the policy a short form's call checks against. */
static const pp_policy *
short_policy(FunctionCallInfo fcinfo, ShortSite *site)
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
			site->sp = session.sp;
			paragon_store_retain(site->sp);
			site->release.func = short_site_release;
			site->release.arg = site;
			MemoryContextRegisterResetCallback(fcinfo->flinfo->fn_mcxt, &site->release);
		}
		site->policy = p;
		site->have = true;
	}
	return p;
}

/* short_allowed answers the short form of paragon_allowed. */
static inline Datum
short_allowed(FunctionCallInfo fcinfo, bool cred_is_uuid)
{
	ShortSite  *site = short_site(fcinfo);
	int			perm = paragon_permission_arg_memo(fcinfo, 0, &site->perm);
	const pp_policy *p = short_policy(fcinfo, site);

	if (p == NULL)
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(paragon_allowed_args(fcinfo, p, perm, 1, cred_is_uuid));
}

/* paragon_session_allowed is paragon_allowed against the session's claims. */
PG_FUNCTION_INFO_V1(paragon_session_allowed);
Datum
paragon_session_allowed(PG_FUNCTION_ARGS)
{
	return short_allowed(fcinfo, false);
}

/* paragon_session_allowed_uuid is the uuid-credential variant. */
PG_FUNCTION_INFO_V1(paragon_session_allowed_uuid);
Datum
paragon_session_allowed_uuid(PG_FUNCTION_ARGS)
{
	return short_allowed(fcinfo, true);
}

/* short_visible answers the short form of paragon_visible. */
static inline Datum
short_visible(FunctionCallInfo fcinfo, bool cred_is_uuid)
{
	const pp_policy *p;
	pp_target	t;

	/* claims that reached the short form by mistake: never read them as a name */
	if (!PG_ARGISNULL(0))
	{
		text	   *integ = PG_GETARG_TEXT_PP(0);

		if (VARSIZE_ANY_EXHDR(integ) > 0 && *VARDATA_ANY(integ) == '{')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("integration name looks like a JSON object"),
					 errhint("To pass claims explicitly, give every argument and cast the claims to jsonb.")));
	}
	p = short_policy(fcinfo, short_site(fcinfo));
	if (p == NULL)
		PG_RETURN_BOOL(false);
	paragon_target_args(fcinfo, 0, cred_is_uuid, &t);
	PG_RETURN_BOOL(pp_visible(p, &t));
}

/* paragon_session_visible is paragon_visible against the session's claims. */
PG_FUNCTION_INFO_V1(paragon_session_visible);
Datum
paragon_session_visible(PG_FUNCTION_ARGS)
{
	return short_visible(fcinfo, false);
}

/* paragon_session_visible_uuid is the uuid-credential variant. */
PG_FUNCTION_INFO_V1(paragon_session_visible_uuid);
Datum
paragon_session_visible_uuid(PG_FUNCTION_ARGS)
{
	return short_visible(fcinfo, true);
}
