/*-------------------------------------------------------------------------
 *
 * session.c
 *	  Session claims: paragon.token and paragon_set_token, and the short
 *	  forms of paragon_allowed and paragon_visible that policies use.
 *
 * The claims of the session come from exactly one source, chosen by the
 * superuser-only setting paragon.claims_source:
 *
 *	token	claims of the token in paragon.token, verified where they are
 *			read with the superuser's key (paragon.public_key) and options;
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
 * One place holds the token: the user-settable setting paragon.token, the
 * raw compact JWS.  It cannot be forged, since its signature is checked
 * wherever it is read; its check hook looks at size and shape only (it
 * also runs when the library replays placeholder values at load, maybe
 * before the key is defined).  Keeping the token in a setting gives the
 * right behaviour for free: SET LOCAL scopes it to a transaction, a
 * rolled back transaction or savepoint restores the previous value,
 * DISCARD ALL forgets it, and parallel workers receive it with the
 * leader's settings.  The assign hooks of the token and of the settings
 * it is verified with bump a generation counter, so the short forms
 * notice a change with one integer comparison per row and look again only
 * then: when the token's bytes and those settings are the very ones the
 * kept claims were verified from (the same token set again by the next
 * transaction, as each request of a pooled application does), the claims
 * and their compiled policy are kept, with no hash, parse or signature
 * check; otherwise the token is verified and compiled again.  exp, nbf
 * and iat are compared with the statement's start on every call, so a
 * token that expires while it is set, or is set again after it expired,
 * is refused from the next statement on.
 *
 * Lifetime: with paragon.token_lifetime = transaction (the default) a
 * value of paragon.token that outlives its transaction (plain SET, -c at
 * connection start, ALTER ROLE/DATABASE ... SET, set_config(..., false))
 * is refused with an error where claims are read, so that a token left
 * on a pooled server connection never answers for the next client.  The
 * verdict comes from the setting's own state (its GUC stack; see
 * token_value_is_local), never from a backend-local flag.  A parallel
 * worker cannot read that state (RestoreGUCState sets every value at
 * session level inside the worker's own transaction), so the leader
 * records its verdict at each executor start in a hidden superuser
 * setting, paragon.token_scope, that travels to the workers with the
 * other settings; see token_scope_record.
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

#include "access/parallel.h"
#include "access/xact.h"
#include "common/cryptohash.h"
#include "common/hashfn.h"
#include "common/sha2.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/guc_tables.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "jws.h"
#include "pg_policy.h"
#include "settings.h"
#include "token.h"

#define TOKEN_GUC "paragon.token"
#define TOKEN_SCOPE_GUC "paragon.token_scope"

/* paragon.token and the leader's verdict on it (defined here) */
static char *token_value = NULL;
static char *token_scope = NULL;

/* paragon.token's own GUC record, for its stack (found once at load) */
static struct config_generic *token_gconf = NULL;

/*
 * A parallel worker that loaded this library itself, after restoring its
 * leader's state: the leader had not loaded it when it launched the
 * worker, so it recorded no verdict on the token (token_scope_record).
 */
static bool worker_loaded_late = false;

/*
 * Bumped by every change of paragon.token and of the settings it is
 * verified with: verified claims are valid for one generation.
 */
static uint64 token_generation = 1;

/*
 * the SHA-256 of paragon.token in hex, as of token_generation
 * hash_generation, and the token it was computed from (in
 * TopMemoryContext), so that the same token set again is not hashed again
 */
static char token_hash[PG_SHA256_DIGEST_LENGTH * 2 + 1];
static uint64 hash_generation = 0;
static char *hashed_token = NULL;
static Size hashed_len = 0;

static ExecutorStart_hook_type prev_executor_start = NULL;

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
	uint64		generation;		/* token_generation compiled (TOKEN) */
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
 * The bytes of a base64url segment, filled by paragon_session_init before
 * the setting is defined: check_token runs on every SET of paragon.token,
 * and one load per byte costs a fraction of the five comparisons it took
 * (the scan was 44% of a request that sets the same token again).
 */
static bool token_segment_byte[256];

/* token_segment_bytes_init fills token_segment_byte. */
static void
token_segment_bytes_init(void)
{
	int			c;

	for (c = 0; c < 256; c++)
		token_segment_byte[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * check_token accepts an empty paragon.token or one of the shape of a
 * compact JWS: at most 64 kB, three base64url segments separated by dots,
 * header and payload not empty.  It never verifies: it also runs when
 * the library replays placeholder values at load, before the key may be
 * defined, and an error there would break every later load.  It quotes
 * nothing of the value, and refuses with the verifier's SQLSTATE (28000).
 */
static bool
check_token(char **newval, void **extra, GucSource source)
{
	const char *v = *newval;
	size_t		len;
	size_t		i;
	int			dots = 0;
	size_t		seg_len = 0;

	if (v == NULL || v[0] == '\0')
		return true;
	len = strlen(v);
	if (len > PJ_MAX_TOKEN_LEN)
	{
		GUC_check_errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION);
		GUC_check_errmsg("token is too large");
		GUC_check_errdetail("The token has %zu bytes; the limit is %d.", len, PJ_MAX_TOKEN_LEN);
		return false;
	}
	/*
	 * The shape depends on the bytes alone, and the token whose claims the
	 * session keeps passed this check when it was set: the same token set
	 * again by the next request needs only a memcmp.
	 */
	if (session.inputs.token != NULL && session.inputs.token_len == len &&
		memcmp(session.inputs.token, v, len) == 0)
		return true;
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) v[i];

		if (likely(token_segment_byte[c]))
			seg_len++;
		else if (c == '.')
		{
			/* the header and the payload are never empty */
			if (seg_len == 0 || ++dots > 2)
				break;
			seg_len = 0;
		}
		else
			break;
	}
	if (i < len || dots != 2)
	{
		GUC_check_errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION);
		GUC_check_errmsg("token is not a compact JWS");
		GUC_check_errdetail("paragon.token holds three base64url segments separated by dots, with nothing around them.");
		return false;
	}
	return true;
}

/*
 * paragon_session_invalidate makes the next read verify and compile the
 * session's claims again: the assign hook of paragon.token and of every
 * setting the token is verified with calls it.
 */
void
paragon_session_invalidate(void)
{
	token_generation++;
	/* claims from a setting are compared by text: make them compile again too */
	session.valid = false;
}

/* assign_token_input notes that the token or a setting it is verified with changed. */
static void
assign_token_input(const char *newval, void *extra)
{
	paragon_session_invalidate();
}

/*
 * token_find_gconf returns paragon.token's GUC record, which holds its
 * stack.  The record, allocated when the setting is defined, stays at the
 * same address for the life of the backend (the list of records may move,
 * the records do not), so it is looked up once, at load.
 */
static struct config_generic *
token_find_gconf(void)
{
	struct config_generic **vars;
	int			n;
	int			i;

#if PG_VERSION_NUM >= 160000
	vars = get_guc_variables(&n);
#else
	vars = get_guc_variables();
	n = GetNumConfigOptions();
#endif
	for (i = 0; i < n; i++)
	{
		struct config_generic *found = vars[i];

		if (strcmp(found->name, TOKEN_GUC) == 0)
		{
#if PG_VERSION_NUM >= 160000
			pfree(vars);		/* a palloc'd copy since 16; the records stay */
#endif
			return found;
		}
	}
	elog(ERROR, "setting \"%s\" not found", TOKEN_GUC);
	pg_unreachable();
}

static void token_executor_start(QueryDesc *queryDesc, int eflags);

/*
 * paragon_session_init defines paragon.token and the hidden verdict for
 * parallel workers; the superuser settings are settings.c's.  Called from
 * _PG_init.
 */
void
paragon_session_init(void)
{
	token_segment_bytes_init();
	DefineCustomStringVariable(TOKEN_GUC,
							   "The Paragon User Token of the transaction, a compact JWS verified where claims are read.",
							   "Set it with SET LOCAL paragon.token = '...' inside BEGIN ... COMMIT.",
							   &token_value, "", PGC_USERSET,
							   GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   check_token, assign_token_input, NULL);
	paragon_settings_guard_begin(TOKEN_SCOPE_GUC);
	DefineCustomStringVariable(TOKEN_SCOPE_GUC,
							   "The leader's verdict on paragon.token, for parallel workers (set by the extension).",
							   NULL, &token_scope, "", PGC_SUSET,
							   GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   NULL, NULL, NULL);
	paragon_settings_guard_end(TOKEN_SCOPE_GUC);

	token_gconf = token_find_gconf();
	worker_loaded_late = IsParallelWorker() && !InitializingParallelWorker;
	prev_executor_start = ExecutorStart_hook;
	ExecutorStart_hook = token_executor_start;
}

/* effective_source is where the session's claims come from. */
static ClaimsSource
effective_source(void)
{
	return (ClaimsSource) paragon_claims_source;
}

/*
 * token_value_is_local says whether the current value of paragon.token
 * ends with its transaction (or with the function whose SET clause set
 * it).  A value set by SET LOCAL or set_config(..., true) sits on top of
 * the setting's stack as GUC_LOCAL, or GUC_SET_LOCAL when a plain SET
 * came before it in the same transaction; a function's SET clause leaves
 * GUC_SAVE.  Any other value (no stack entry, or GUC_SET: a plain SET in
 * this transaction, which survives COMMIT) lasts for the session.  Only
 * meaningful in the backend that set the value: see token_scope_record.
 */
static bool
token_value_is_local(void)
{
	GucStack   *top = token_gconf->stack;

	return top != NULL &&
		(top->state == GUC_LOCAL || top->state == GUC_SET_LOCAL || top->state == GUC_SAVE);
}

/*
 * token_current_hash returns the SHA-256 of paragon.token in hex, computed
 * once per change of the token's bytes: a new generation whose token is
 * the one hashed last (the same token set again by the next transaction)
 * compares the bytes instead.
 */
static const char *
token_current_hash(void)
{
	if (hash_generation != token_generation)
	{
		Size		len = strlen(token_value);
		pg_cryptohash_ctx *ctx;
		uint8		digest[PG_SHA256_DIGEST_LENGTH];

		if (hashed_token != NULL && hashed_len == len &&
			memcmp(hashed_token, token_value, len) == 0)
		{
			hash_generation = token_generation;
			return token_hash;
		}
		ctx = pg_cryptohash_create(PG_SHA256);
		if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
			pg_cryptohash_update(ctx, (const uint8 *) token_value, len) < 0 ||
			pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
			elog(ERROR, "could not compute the SHA-256 of paragon.token");
		pg_cryptohash_free(ctx);
		/* forget the old token first: an error below leaves nothing stale */
		if (hashed_token != NULL)
			pfree(hashed_token);
		hashed_token = NULL;
		hex_encode((const char *) digest, sizeof(digest), token_hash);
		token_hash[sizeof(token_hash) - 1] = '\0';
		hashed_token = MemoryContextAlloc(TopMemoryContext, len + 1);
		memcpy(hashed_token, token_value, len + 1);
		hashed_len = len;
		hash_generation = token_generation;
	}
	return token_hash;
}

/*
 * token_scope_record, in the leader at each executor start, records in
 * paragon.token_scope the SHA-256 of paragon.token when its value ends
 * with the transaction, and "" otherwise.  It is set only when it
 * changes, and for the transaction only (GUC_ACTION_LOCAL), so it never
 * outlives the value it judged.
 *
 * Why a worker then decides exactly as its leader (token_lifetime_check):
 * workers are launched only by an executor (Gather, Gather Merge), whose
 * ExecutorStart ran this first; the leader's settings, paragon.token and
 * paragon.token_scope among them (a PGC_SUSET setting with a non-default
 * source is always serialized), are copied into the worker when it is
 * launched; and between that ExecutorStart and the launch no setting can
 * change inside a parallel plan.  So the worker sees the token the leader
 * judged and the leader's verdict on it.  The hash ties the two together:
 * should a token ever differ from the one judged, the worker refuses
 * (fail closed) rather than trust a verdict made for another value.  The
 * functions that read claims carry a planner support function, so the
 * leader loads the library (and installs this hook) while it plans the
 * query; should a worker still load it first (claims read only inside a
 * PL/pgSQL function run by the worker, say), reading claims there raises
 * an error (worker_loaded_late) rather than guess.
 * Nothing is recorded in parallel mode (a query run by a function inside
 * a parallel query's leader), where settings cannot change, so the outer
 * statement's record still holds.  An application role cannot forge the
 * record: the setting is superuser-only, and a client's start-up value
 * for it is refused when the library defines it.
 */
static void
token_scope_record(void)
{
	const char *want = "";

	if (token_value == NULL || token_value[0] == '\0' ||
		paragon_token_lifetime != TOKEN_LIFETIME_TRANSACTION || IsInParallelMode())
		return;
	if (token_value_is_local())
		want = token_current_hash();
	if (strcmp(token_scope, want) != 0)
		(void) set_config_option(TOKEN_SCOPE_GUC, want, PGC_SUSET, PGC_S_SESSION,
								 GUC_ACTION_LOCAL, true, 0, false);
}

/* token_executor_start records the token's verdict for parallel workers (leader only). */
static void
token_executor_start(QueryDesc *queryDesc, int eflags)
{
	if (!IsParallelWorker())
		token_scope_record();
	if (prev_executor_start != NULL)
		prev_executor_start(queryDesc, eflags);
	else
		standard_ExecutorStart(queryDesc, eflags);
}

/* token_source_detail says how a session-level paragon.token was set. */
static const char *
token_source_detail(void)
{
	switch (token_gconf->source)
	{
		case PGC_S_CLIENT:
			return "It was set at connection start (a -c option or PGOPTIONS), which lasts for the session.";
		case PGC_S_DATABASE:
		case PGC_S_USER:
		case PGC_S_DATABASE_USER:
			return "It was set with ALTER ROLE or ALTER DATABASE ... SET, which lasts for the session.";
		case PGC_S_SESSION:
			return "It was set with SET or set_config(..., false), which lasts for the session.";
		default:
			return "It lasts for the session.";
	}
}

/*
 * token_lifetime_check refuses a paragon.token that lasts for the session
 * while paragon.token_lifetime is transaction.  The leader reads the
 * setting's stack; a parallel worker, whose stack says nothing, reads the
 * leader's verdict (token_scope_record).
 */
static void
token_lifetime_check(void)
{
	bool		local;

	if (paragon_token_lifetime == TOKEN_LIFETIME_SESSION)
		return;
	if (IsParallelWorker())
		local = token_scope[0] != '\0' && strcmp(token_scope, token_current_hash()) == 0;
	else
		local = token_value_is_local();
	if (!local)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 errmsg("paragon.token is set for the session, not for the transaction"),
				 errdetail("%s paragon.token_lifetime is \"transaction\".", token_source_detail()),
				 errhint("Set the token inside the transaction that uses it: BEGIN; SET LOCAL paragon.token = '...'; ... COMMIT;")));
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
 * Invalid claims raise an error and leave no claims behind.
 */
static void
session_install(ClaimsSource source, Jsonb *claims, const char *text)
{
	MemoryContext old;

	session_reset();
	if (claims == NULL)
	{
		session.source = source;
		session.valid = true;
		return;
	}
	/* a look-alike of the permissions claim, refused when strict_claims is on */
	paragon_check_strict_claims(claims);
	session.cxt = AllocSetContextCreate(TopMemoryContext, "paragon_perm session",
										ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(session.cxt);
	PG_TRY();
	{
		const char *data;
		Size		len;

		if (text != NULL)
			session.text = pstrdup(text);
		session.claims = DatumGetJsonbPCopy(JsonbPGetDatum(claims));
		data = VARDATA(session.claims);
		len = VARSIZE(session.claims) - VARHDRSZ;
		/* the store's key, as cache.c computes it: explicit claims share it */
		session.sp = paragon_store_acquire(JsonbPGetDatum(session.claims), data, len,
										   hash_bytes_extended((const unsigned char *) data,
															   (int) len, 0));
		if (source == CLAIMS_SOURCE_TOKEN)
		{
			/*
			 * The edges past which the verifier must judge again, a second
			 * inside its own limits so that rounding never lets a statement
			 * through that the verifier would refuse.
			 */
			session.has_exp = claims_time(session.claims, "exp", paragon_leeway_s - 1.0, &session.exp_edge);
			session.has_nbf = claims_time(session.claims, "nbf", 1.0 - paragon_leeway_s, &session.nbf_edge);
			session.has_iat = claims_time(session.claims, "iat", 1.0 - paragon_leeway_s, &session.iat_edge);
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
	return paragon_token_verify(token_value, strlen(token_value),
								paragon_public_key, (const char *const *) algs, nalgs,
								(paragon_audience != NULL && paragon_audience[0] != '\0') ? paragon_audience : NULL,
								(int64) paragon_leeway_s * USECS_PER_SEC, at, true);
}

/* token_inputs_record notes what the session's claims were just verified from. */
static void
token_inputs_record(void)
{
	TokenInputs rec;
	Size		len = strlen(token_value);

	Assert(session.cxt != NULL);
	/* copied first, recorded at once: an error halfway records nothing */
	rec.token = MemoryContextAlloc(session.cxt, len + 1);
	memcpy(rec.token, token_value, len + 1);
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
		in->token_len == strlen(token_value) &&
		memcmp(in->token, token_value, in->token_len) == 0 &&
		in->leeway_s == paragon_leeway_s &&
		in->strict_claims == paragon_strict_claims &&
		setting_equals(paragon_public_key, in->public_key) &&
		setting_equals(paragon_algorithms, in->algorithms) &&
		setting_equals(paragon_audience, in->audience);
}

/*
 * token_policy returns the compiled claims of paragon.token, or NULL when
 * it is empty.  A token that may not count (token_lifetime_check) or does
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

	if (token_value == NULL || token_value[0] == '\0')
		return NULL;
	token_lifetime_check();
	now = GetCurrentStatementStartTimestamp();
	if (!session.valid || session.source != CLAIMS_SOURCE_TOKEN ||
		session.generation != token_generation)
	{
		uint64		generation = token_generation;

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
static const pp_policy *
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
	if (worker_loaded_late)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("session claims cannot be read in this parallel worker"),
				 errdetail("The leader had not loaded paragon_perm when it started the parallel query, so the worker did not receive the paragon.* settings."),
				 errhint("Load the library at server start (shared_preload_libraries = 'paragon_perm') or in every session (session_preload_libraries).")));
	paragon_settings_check();
	source = effective_source();

	if (source == CLAIMS_SOURCE_TOKEN)
		return token_policy();

	if (token_value != NULL && token_value[0] != '\0')
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
struct ShortSite
{
	PermMemo	perm;			/* the permission argument, if a Const */
	bool		run_scoped;		/* marked: may snapshot for the execution */
	bool		have;			/* policy holds the snapshot */
	const pp_policy *policy;	/* NULL: no claims */
	SharedPolicy *sp;			/* the snapshot's reference, or NULL */
	MemoryContextCallback release;
};

/* short_site_release lets go of a snapshot when its execution ends. */
static void
short_site_release(void *arg)
{
	ShortSite  *site = (ShortSite *) arg;

	paragon_store_release(site->sp);
}

/* short_site returns the call site's state, creating it on first use. */
ShortSite *
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

/* short_site_perm returns the call site's memory of its permission argument. */
PermMemo *
short_site_perm(ShortSite *site)
{
	return &site->perm;
}

/* short_policy returns the policy a short form's call checks against. */
const pp_policy *
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
