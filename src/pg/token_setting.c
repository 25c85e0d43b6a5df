/*-------------------------------------------------------------------------
 *
 * token_setting.c
 *	  paragon.token, the setting that holds the session's token: its shape
 *	  check, the generation its changes bump, and the verdict on whether
 *	  its value lasts for the transaction, also for parallel workers.
 *
 * One place holds the token: the user-settable setting paragon.token, the
 * raw compact JWS.  It cannot be forged, since its signature is checked
 * wherever it is read (session.c); its check hook looks at size and shape
 * only (it also runs when the library replays placeholder values at load,
 * maybe before the key is defined).  Keeping the token in a setting gives
 * the right behaviour for free: SET LOCAL scopes it to a transaction, a
 * rolled back transaction or savepoint restores the previous value,
 * DISCARD ALL forgets it, and parallel workers receive it with the
 * leader's settings.  The assign hooks of the token and of the settings
 * it is verified with bump a generation counter, so the session forms
 * notice a change with one integer comparison per row and look again only
 * then.
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
 * src/pg/token_setting.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/guc_tables.h"

#include "citus.h"
#include "jws.h"
#include "pg_policy.h"
#include "session_int.h"
#include "settings.h"

#define TOKEN_SCOPE_GUC "paragon.token_scope"

/* paragon.token (session_int.h) and the leader's verdict on it */
char	   *paragon_token_value = NULL;
static char *token_scope = NULL;

/* paragon.token's own GUC record, for its stack (found once at load) */
static struct config_generic *token_gconf = NULL;

/*
 * A parallel worker that loaded this library itself, after restoring its
 * leader's state: the leader had not loaded it when it launched the
 * worker, so it recorded no verdict on the token (token_scope_record).
 */
bool		paragon_worker_loaded_late = false;

/*
 * Bumped by every change of paragon.token and of the settings it is
 * verified with: verified claims are valid for one generation.
 */
uint64		paragon_token_generation = 1;

/*
 * the SHA-256 of paragon.token in hex, as of the generation
 * hash_generation, and the token it was computed from (in
 * TopMemoryContext), so that the same token set again is not hashed again
 */
static char token_hash[PG_SHA256_DIGEST_LENGTH * 2 + 1];
static uint64 hash_generation = 0;
static char *hashed_token = NULL;
static Size hashed_len = 0;

static ExecutorStart_hook_type prev_executor_start = NULL;

/*
 * The bytes of a base64url segment, filled by paragon_token_setting_init before
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
 * With Citus, the guard of citus.c first refuses a SET or set_config()
 * whose value would not reach the workers.
 */
static bool
check_token(char **newval, void **extra, GucSource source)
{
	const char *v = *newval;
	size_t		len;
	size_t		i;
	int			dots = 0;
	size_t		seg_len = 0;

	/*
	 * With Citus, a SET or set_config() that cannot reach the workers
	 * raises; values from elsewhere (start-up, ALTER ROLE) are judged when
	 * claims are read.
	 */
	if (source == PGC_S_SESSION)
		paragon_citus_guard(PARAGON_CITUS_SET_TOKEN_SETTING, v != NULL && v[0] != '\0');
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
	if (paragon_session_token_is(v, len))
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
 * token_find_gconf returns paragon.token's GUC record, which holds its
 * stack.  The record, allocated when the setting is defined, stays at the
 * same address for the life of the backend (the list of records may move,
 * the records do not), so it is looked up once, at load.
 */
static struct config_generic *
token_find_gconf(void)
{
	struct config_generic *found = pp_find_guc_record(TOKEN_GUC);

	if (found == NULL)
		elog(ERROR, "setting \"%s\" not found", TOKEN_GUC);
	return found;
}

static void token_executor_start(QueryDesc *queryDesc, int eflags);

/*
 * paragon_token_setting_init defines paragon.token and the hidden verdict
 * for parallel workers; the superuser settings are settings.c's.  Called
 * from _PG_init.
 */
void
paragon_token_setting_init(void)
{
	token_segment_bytes_init();
	DefineCustomStringVariable(TOKEN_GUC,
							   "The Paragon User Token of the transaction, a compact JWS verified where claims are read.",
							   "Set it with SET LOCAL paragon.token = '...' inside BEGIN ... COMMIT.",
							   &paragon_token_value, "", PGC_USERSET,
							   GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   check_token, paragon_settings_assign_string, NULL);
	paragon_settings_guard_begin(TOKEN_SCOPE_GUC);
	DefineCustomStringVariable(TOKEN_SCOPE_GUC,
							   "The leader's verdict on paragon.token, for parallel workers (set by the extension).",
							   NULL, &token_scope, "", PGC_SUSET,
							   GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   NULL, NULL, NULL);
	paragon_settings_guard_end(TOKEN_SCOPE_GUC);

	token_gconf = token_find_gconf();
	paragon_worker_loaded_late = IsParallelWorker() && !InitializingParallelWorker;
	prev_executor_start = ExecutorStart_hook;
	ExecutorStart_hook = token_executor_start;
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
	if (hash_generation != paragon_token_generation)
	{
		Size		len = strlen(paragon_token_value);
		pg_cryptohash_ctx *ctx;
		uint8		digest[PG_SHA256_DIGEST_LENGTH];

		if (hashed_token != NULL && hashed_len == len &&
			memcmp(hashed_token, paragon_token_value, len) == 0)
		{
			hash_generation = paragon_token_generation;
			return token_hash;
		}
		ctx = pg_cryptohash_create(PG_SHA256);
		if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
			pg_cryptohash_update(ctx, (const uint8 *) paragon_token_value, len) < 0 ||
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
		memcpy(hashed_token, paragon_token_value, len + 1);
		hashed_len = len;
		hash_generation = paragon_token_generation;
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
 * Why a worker then decides exactly as its leader (paragon_token_lifetime_check):
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
 * an error (paragon_worker_loaded_late) rather than guess.
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

	if (paragon_token_value == NULL || paragon_token_value[0] == '\0' ||
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
 * paragon_token_lifetime_check refuses a paragon.token that lasts for the session
 * while paragon.token_lifetime is transaction.  The leader reads the
 * setting's stack; a parallel worker, whose stack says nothing, reads the
 * leader's verdict (token_scope_record).
 */
void
paragon_token_lifetime_check(void)
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
