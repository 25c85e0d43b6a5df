/*-------------------------------------------------------------------------
 *
 * session.c
 *	  The session's claims: verified from paragon.token or read from a
 *	  setting, compiled once and kept while they stay the same;
 *	  paragon_set_token, paragon_clear_token and paragon_current_claims.
 *
 * The claims of the session come from exactly one source, chosen by the
 * superuser-only setting paragon.claims_source:
 *
 *	token	claims of the token in paragon.token (token_setting.c), verified
 *			where they are read with the superuser's key
 *			(paragon.public_key) and options;
 *	setting	the JSON text of the setting named by paragon.claims_setting
 *			(request.jwt.claims by default, PostgREST's convention), for
 *			deployments that verify tokens elsewhere.
 *
 * Never both: a role that can run SQL must not be able to replace
 * verified claims with a SET, and a non-empty paragon.token while claims
 * come from a setting is an error.  The superuser settings, and the guard
 * that refuses claims when one of them was lost as the library loaded,
 * are in settings.c.
 *
 * When the token's generation changed but its bytes and the settings it
 * is verified with are the very ones the kept claims were verified from
 * (the same token set again by the next transaction, as each request of a
 * pooled application does), the claims and their compiled policy are
 * kept, with no hash, parse or signature check; otherwise the token is
 * verified and compiled again.  exp, nbf and iat are compared with the
 * statement's start on every call, so a token that expires while it is
 * set, or is set again after it expired, is refused from the next
 * statement on.
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
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "citus.h"
#include "pg_policy.h"
#include "session_int.h"
#include "settings.h"
#include "token.h"

/*
 * What verified claims depend on besides the time: the token's bytes and
 * every setting that changes the verifier's verdict or the install's
 * (strict_claims).  Kept with the claims, in their memory context, so that
 * a new generation whose inputs are byte for byte the same (the same token
 * set again in the next transaction, as every pooled request does) keeps
 * the verified claims and their compiled policy: see token_inputs_same.
 */
typedef struct TokenInputs
{
	char	   *token;			/* NULL: nothing recorded */
	Size		token_len;
	char	   *public_key;
	char	   *algorithms;
	char	   *audience;
	int			leeway_s;
	bool		strict_claims;
} TokenInputs;

/* The compiled claims of the session, and what they were compiled from. */
typedef struct SessionClaims
{
	bool		valid;			/* the fields below describe a compile */
	ClaimsSource source;		/* TOKEN or SETTING */
	uint64		generation;		/* paragon_token_generation compiled (TOKEN) */
	char	   *setting_name;	/* setting read (SETTING) */
	char	   *text;			/* its text (SETTING) */
	Jsonb	   *claims;			/* NULL: no claims */
	bool		has_exp;		/* TOKEN: exp + leeway, less a second */
	TimestampTz exp_edge;
	bool		has_nbf;		/* TOKEN: nbf - leeway, plus a second */
	TimestampTz nbf_edge;
	bool		has_iat;		/* TOKEN: iat - leeway, plus a second */
	TimestampTz iat_edge;
	TimestampTz judged_at;		/* TOKEN: last instant the verifier judged */
	TokenInputs inputs;			/* TOKEN: what the claims were verified from */
	SharedPolicy *sp;			/* compiled claims, a reference in the store */
	MemoryContext cxt;			/* holds all of the above but sp */
} SessionClaims;

static SessionClaims session;

/*
 * paragon_session_token_is says whether the session's claims were verified
 * from exactly this token: the check hook of paragon.token then knows its
 * shape is good without scanning it.
 */
bool
paragon_session_token_is(const char *token, Size len)
{
	return session.inputs.token != NULL && session.inputs.token_len == len &&
		memcmp(session.inputs.token, token, len) == 0;
}

/*
 * paragon_session_invalidate makes the next read verify and compile the
 * session's claims again: the assign hook of paragon.token and of every
 * setting the token is verified with calls it.
 */
void
paragon_session_invalidate(void)
{
	paragon_token_generation++;
	/* claims from a setting are compared by text: make them compile again too */
	session.valid = false;
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
 * claims_time reads a numeric time claim (seconds since 1970) of verified
 * claims as a timestamp, moved by offset_s; false when absent or not a
 * number (the verifier has refused such tokens already).
 */
static bool
claims_time(Jsonb *claims, const char *name, double offset_s, TimestampTz *out)
{
	JsonbValue *v;
	JsonbValue	key;
	double		secs;

	if (!JB_ROOT_IS_OBJECT(claims))
		return false;
	key.type = jbvString;
	key.val.string.val = (char *) name;
	key.val.string.len = strlen(name);
	v = findJsonbValueFromContainer(&claims->root, JB_FOBJECT, &key);
	if (v == NULL || v->type != jbvNumeric)
		return false;
	secs = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)))
		+ offset_s - ((double) POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
	/* clamp before converting: an absurd time must not overflow */
	if (secs >= (double) (END_TIMESTAMP / USECS_PER_SEC))
		*out = END_TIMESTAMP;
	else if (secs <= (double) (MIN_TIMESTAMP / USECS_PER_SEC))
		*out = MIN_TIMESTAMP;
	else
		*out = (TimestampTz) (secs * USECS_PER_SEC);
	return true;
}

/*
 * session_install makes claims (NULL: none) the session's, compiled, for
 * source; text is the setting's text they were parsed from (SETTING).
 * Invalid claims raise an error and leave no claims behind: as in the
 * store, everything is built in a context under the caller's and moved
 * under TopMemoryContext only once complete, so an error frees it with
 * the caller's context.  The store's reference is taken last, after
 * everything else that can fail, so that an error never leaves one held.
 */
static void
session_install(ClaimsSource source, Jsonb *claims, const char *text)
{
	SessionClaims built;
	MemoryContext old;
	const char *data;
	Size		len;

	session_reset();
	if (claims == NULL)
	{
		session.source = source;
		session.valid = true;
		return;
	}
	/* a look-alike of the permissions claim, refused when strict_claims is on */
	paragon_check_strict_claims(claims);
	memset(&built, 0, sizeof(built));
	built.cxt = AllocSetContextCreate(CurrentMemoryContext, "paragon_perm session",
									  ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(built.cxt);
	if (text != NULL)
		built.text = pstrdup(text);
	built.claims = DatumGetJsonbPCopy(JsonbPGetDatum(claims));
	MemoryContextSwitchTo(old);
	if (source == CLAIMS_SOURCE_TOKEN)
	{
		/*
		 * The edges past which the verifier must judge again, a second
		 * inside its own limits so that rounding never lets a statement
		 * through that the verifier would refuse.
		 */
		built.has_exp = claims_time(built.claims, "exp", paragon_leeway_s - 1.0, &built.exp_edge);
		built.has_nbf = claims_time(built.claims, "nbf", 1.0 - paragon_leeway_s, &built.nbf_edge);
		built.has_iat = claims_time(built.claims, "iat", 1.0 - paragon_leeway_s, &built.iat_edge);
	}
	data = VARDATA(built.claims);
	len = VARSIZE(built.claims) - VARHDRSZ;
	/* the store's own key: explicit claims of the same bytes share the policy */
	built.sp = paragon_store_acquire(JsonbPGetDatum(built.claims), data, len,
									 paragon_store_key(data, len));
	MemoryContextSetParent(built.cxt, TopMemoryContext);
	built.source = source;
	built.valid = true;
	session = built;
}

/*
 * token_verify_now verifies paragon.token with the superuser's settings
 * at the given instant and returns its claims; every refusal is an error
 * (class 28 for the token, 55000 when no key is set).
 */
static Jsonb *
token_verify_now(TimestampTz at)
{
	char	   *list;
	char	   *algs[16];
	int			nalgs;

	if (paragon_public_key == NULL || paragon_public_key[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("paragon.public_key is not set"),
				 errhint("A superuser sets it, for example with ALTER DATABASE ... SET paragon.public_key = '...'.")));
	list = pstrdup(paragon_algorithms);
	nalgs = paragon_split_algorithms(list, algs, lengthof(algs));
	return paragon_token_verify(paragon_token_value, strlen(paragon_token_value),
								paragon_public_key, (const char *const *) algs, nalgs,
								(paragon_audience != NULL && paragon_audience[0] != '\0') ? paragon_audience : NULL,
								(int64) paragon_leeway_s * USECS_PER_SEC, at, true);
}

/* token_inputs_record notes what the session's claims were just verified from. */
static void
token_inputs_record(void)
{
	TokenInputs rec;
	Size		len = strlen(paragon_token_value);

	Assert(session.cxt != NULL);
	/* copied first, recorded at once: an error halfway records nothing */
	rec.token = MemoryContextAlloc(session.cxt, len + 1);
	memcpy(rec.token, paragon_token_value, len + 1);
	rec.token_len = len;
	rec.public_key = MemoryContextStrdup(session.cxt, paragon_public_key != NULL ? paragon_public_key : "");
	rec.algorithms = MemoryContextStrdup(session.cxt, paragon_algorithms != NULL ? paragon_algorithms : "");
	rec.audience = MemoryContextStrdup(session.cxt, paragon_audience != NULL ? paragon_audience : "");
	rec.leeway_s = paragon_leeway_s;
	rec.strict_claims = paragon_strict_claims;
	session.inputs = rec;
}

/* setting_equals compares a string setting's value (NULL as "") with a recorded one. */
static inline bool
setting_equals(const char *value, const char *recorded)
{
	return strcmp(value != NULL ? value : "", recorded) == 0;
}

/*
 * token_inputs_same says whether the session holds claims verified from
 * exactly the current paragon.token under exactly the current settings.
 * A change of generation says only that something was assigned: SET LOCAL
 * paragon.token, its reset at COMMIT, paragon_set_token, and the same
 * token set again by the next request.  Comparing the bytes (a memcmp of
 * the token, a strcmp of the key: far less than hashing, parsing or
 * verifying) lets that next request keep the claims and their compiled
 * policy.  The time claims are not kept as a verdict: the caller judges
 * them against the statement's start as for any statement.
 */
static bool
token_inputs_same(void)
{
	const TokenInputs *in = &session.inputs;

	return in->token != NULL && session.source == CLAIMS_SOURCE_TOKEN &&
		session.claims != NULL && session.sp != NULL &&
		in->token_len == strlen(paragon_token_value) &&
		memcmp(in->token, paragon_token_value, in->token_len) == 0 &&
		in->leeway_s == paragon_leeway_s &&
		in->strict_claims == paragon_strict_claims &&
		setting_equals(paragon_public_key, in->public_key) &&
		setting_equals(paragon_algorithms, in->algorithms) &&
		setting_equals(paragon_audience, in->audience);
}

/*
 * token_policy returns the compiled claims of paragon.token, or NULL when
 * it is empty.  A token that may not count (paragon_token_lifetime_check) or does
 * not verify raises an error: never a silent deny or allow.  It is
 * verified again only when it or a setting it is verified with changed
 * (the same bytes set again change nothing: token_inputs_same), and judged
 * again when the statement starts past its exp, before its nbf or before
 * its iat, so an expired token is refused however long ago it was
 * verified.
 *
 * An empty token reads no claims and leaves the last verified ones as
 * they are (they are never answered from without the same token again):
 * a pool's request that sets the token in its transaction finds them
 * after the empty token between two transactions.
 */
static const pp_policy *
token_policy(void)
{
	TimestampTz now;

	paragon_citus_guard(PARAGON_CITUS_READ_CLAIMS, paragon_token_value != NULL && paragon_token_value[0] != '\0');
	if (paragon_token_value == NULL || paragon_token_value[0] == '\0')
		return NULL;
	paragon_token_lifetime_check();
	now = GetCurrentStatementStartTimestamp();
	if (!session.valid || session.source != CLAIMS_SOURCE_TOKEN ||
		session.generation != paragon_token_generation)
	{
		uint64		generation = paragon_token_generation;

		if (token_inputs_same())
		{
			/* the same token under the same settings: only the time is judged, below */
			session.generation = generation;
			session.valid = true;
		}
		else
		{
			/* a refusal leaves no claims behind, not even the previous token's */
			session_reset();
			session_install(CLAIMS_SOURCE_TOKEN, token_verify_now(now), NULL);
			token_inputs_record();
			session.generation = generation;
			session.judged_at = now;
			return session.sp->compiled.policy;
		}
	}
	if (now != session.judged_at &&
		((session.has_exp && now >= session.exp_edge) ||
		 (session.has_nbf && now < session.nbf_edge) ||
		 (session.has_iat && now < session.iat_edge)))
	{
		/* near or past a time limit: the verifier judges, and raises if it is past */
		(void) token_verify_now(now);
		session.judged_at = now;
	}
	return session.sp->compiled.policy;
}

/*
 * session_policy returns the session's compiled claims, or NULL when the
 * session has none, recompiling only when the claims changed.
 */
const pp_policy *
session_policy(void)
{
	ClaimsSource source;
	const char *text;

	/*
	 * A worker that loaded the library itself could not apply its leader's
	 * paragon.* values (PostgreSQL refuses to set them during a parallel
	 * operation, with a warning), and has no verdict on the token: any
	 * answer would come from defaults.
	 */
	if (paragon_worker_loaded_late)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("session claims cannot be read in this parallel worker"),
				 errdetail("The leader had not loaded paragon_perm when it started the parallel query, so the worker did not receive the paragon.* settings."),
				 errhint("Load the library at server start (shared_preload_libraries = 'paragon_perm') or in every session (session_preload_libraries).")));
	paragon_settings_check();
	source = effective_source();

	if (source == CLAIMS_SOURCE_TOKEN)
		return token_policy();

	if (paragon_token_value != NULL && paragon_token_value[0] != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("paragon.token is set but session claims come from a setting"),
				 errdetail("paragon.claims_source is \"setting\"; the claims are read from %s.",
						   paragon_claims_setting),
				 errhint("Either pass the token and have a superuser set paragon.public_key, or pass the claims in %s and leave paragon.token empty.",
						 paragon_claims_setting)));
	text = GetConfigOption(paragon_claims_setting, true, false);
	if (text != NULL && text[0] == '\0')
		text = NULL;
	paragon_citus_guard(PARAGON_CITUS_READ_CLAIMS, text != NULL);
	/* the setting can change under us at any time: compare its text */
	if (!session.valid || session.source != source ||
		session.setting_name == NULL || strcmp(session.setting_name, paragon_claims_setting) != 0 ||
		(text == NULL) != (session.text == NULL) ||
		(text != NULL && strcmp(text, session.text) != 0))
	{
		session_reset();
		session_install(source,
						text != NULL ? DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(text))) : NULL,
						text);
		if (session.cxt == NULL)
			session.cxt = AllocSetContextCreate(TopMemoryContext, "paragon_perm session",
												ALLOCSET_SMALL_SIZES);
		session.setting_name = MemoryContextStrdup(session.cxt, paragon_claims_setting);
	}
	return session.claims != NULL ? session.sp->compiled.policy : NULL;
}

/*
 * session_shared_policy returns the store's entry of the session's claims
 * (after session_policy returned them), for a call site that keeps them.
 */
SharedPolicy *
session_shared_policy(void)
{
	return session.sp;
}

/* set_token sets paragon.token ("" for none) as set_config(name, value, is_local) does. */
static void
set_token(const char *value, bool is_local)
{
	(void) set_config_option(TOKEN_GUC, value,
							 superuser() ? PGC_SUSET : PGC_USERSET, PGC_S_SESSION,
							 is_local ? GUC_ACTION_LOCAL : GUC_ACTION_SET,
							 true, 0, false);
}

/* refuse_clear_setting_claims explains that claims from a setting are not ours to clear. */
static void
refuse_clear_setting_claims(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("%s cannot clear claims that come from a setting", what),
			 errdetail("paragon.claims_source is \"setting\"; the claims are read from %s.",
					   paragon_claims_setting),
			 errhint("Reset that setting instead, for example RESET %s.", paragon_claims_setting)));
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
 * paragon_set_token(token, is_local DEFAULT true) is
 * set_config('paragon.token', token, is_local) followed at once by the
 * verification that reading claims would do, so that a bad token raises
 * here (and the statement's failure undoes the setting).  A NULL token
 * (a request without one) clears paragon.token.
 */
PG_FUNCTION_INFO_V1(paragon_set_token);
Datum
paragon_set_token(PG_FUNCTION_ARGS)
{
	bool		is_local = PG_ARGISNULL(1) ? true : PG_GETARG_BOOL(1);
	char	   *token;

	/* Citus never sends a setting made by a function to the workers */
	paragon_citus_guard(PARAGON_CITUS_SET_TOKEN_FUNCTION, !PG_ARGISNULL(0));
	paragon_settings_check();
	if (effective_source() != CLAIMS_SOURCE_TOKEN)
	{
		if (PG_ARGISNULL(0))
			refuse_clear_setting_claims("paragon_set_token(NULL)");
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("session claims do not come from tokens"),
				 errdetail("paragon.claims_source is \"setting\".")));
	}
	/* SET LOCAL warns the same way: the value would end with this statement */
	if (is_local && !IsTransactionBlock())
		ereport(WARNING,
				(errcode(ERRCODE_NO_ACTIVE_SQL_TRANSACTION),
				 errmsg("paragon_set_token with is_local can only be used in transaction blocks"),
				 errdetail("Outside BEGIN ... COMMIT the token counts for this statement only."),
				 errhint("Call it after BEGIN, in the transaction that reads the claims.")));

	token = PG_ARGISNULL(0) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(0));
	set_token(token, is_local);
	/* verify now: a refused token raises here, not at the first policy */
	(void) session_policy();
	PG_RETURN_VOID();
}

/*
 * paragon_clear_token empties paragon.token for the session (and the
 * current transaction): the first call of a request on a connection that
 * honours session tokens, so that a refused token cannot leave the
 * previous request's in place.
 */
PG_FUNCTION_INFO_V1(paragon_clear_token);
Datum
paragon_clear_token(PG_FUNCTION_ARGS)
{
	paragon_settings_check();
	if (effective_source() != CLAIMS_SOURCE_TOKEN)
		refuse_clear_setting_claims("paragon_clear_token()");
	set_token("", false);
	PG_RETURN_VOID();
}
