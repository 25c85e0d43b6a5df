/*-------------------------------------------------------------------------
 *
 * citus.c
 *	  The Citus guard: on a distributed cluster, a token that does not
 *	  reach the node that checks the rows, or reaches it in another
 *	  version, raises an error instead of letting that node answer.
 *
 * Citus runs the policies of a distributed table on the workers, inside
 * each shard's scan, in backends the coordinator opened for the query.
 * The claims reach a worker only as a setting the coordinator sends to
 * it, and Citus sends exactly one kind: a literal SET LOCAL run inside a
 * transaction block while citus.propagate_set_commands is 'local'.  A
 * token given by set_config() (paragon_set_token), by a plain SET, or
 * with propagation off stays on the coordinator, and every worker would
 * then deny every row: a silent empty answer.  Worse, Citus forgets the
 * SET LOCAL commands of a subtransaction when it is released (PostgreSQL
 * keeps them), so after
 *
 *	SET LOCAL paragon.token = A; SAVEPOINT s; SET LOCAL paragon.token = B;
 *	RELEASE s;
 *
 * the coordinator holds B while a worker connection opened next receives
 * A: the rows of another token.  So, when the citus extension exists in
 * the database:
 *
 *	- paragon_set_token raises 0A000: it sets the claims with set_config,
 *	  which Citus never sends;
 *	- setting paragon.token in a client's backend raises 0A000 inside a
 *	  subtransaction, and 55000 while citus.propagate_set_commands is not
 *	  'local';
 *	- inside a transaction block it raises 0A000 unless a statement Citus
 *	  sends to the workers sets it (SET LOCAL, RESET: noted by a utility
 *	  hook): after SET LOCAL paragon.token = A, a set_config() of B, a
 *	  plain SET or a function's SET clause would change the coordinator's
 *	  token while the workers kept A, and clearing it the same way would
 *	  leave them A;
 *	- a client's backend that reads a token while citus.propagate_set_
 *	  commands is not 'local' (changed after the token was set) raises
 *	  55000; so does one where paragon_perm is not preloaded, since a
 *	  token set before the library loads escapes the checks above;
 *	- a backend that Citus opened for a query of another node (its
 *	  application_name starts with one of Citus's internal prefixes) and
 *	  finds no token raises 55000: it cannot tell a request without a
 *	  token from a token that did not travel, and an error is the answer
 *	  that is right in both cases.
 *
 * A client may set its own application_name to an internal prefix: that
 * only turns its "no rows" into an error, never into rows.  Nothing here
 * trusts a setting a client could use to obtain claims.
 *
 * The answer depends on settings and the catalog only, so reading claims
 * works it out once per statement and caches it; each later read in the
 * statement costs two comparisons.  Setting a token works it out afresh.
 *
 * src/pg/citus.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "commands/extension.h"
#include "nodes/parsenodes.h"
#include "storage/proc.h"
#include "tcop/utility.h"
#include "utils/guc.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "citus.h"

#define PROPAGATE_GUC "citus.propagate_set_commands"
#define PRELOAD_LINE "shared_preload_libraries = 'citus,paragon_perm'"

#if PG_VERSION_NUM >= 170000
#define MY_LXID (MyProc->vxid.lxid)
#else
#define MY_LXID (MyProc->lxid)
#endif

/* where this backend stands, for the statement being run */
typedef enum CitusRole
{
	CITUS_ABSENT,				/* no Citus in this database */
	CITUS_SHARD_BACKEND,		/* opened by Citus for another node's query */
	CITUS_NOT_PRELOADED,		/* a client's, paragon_perm not preloaded */
	CITUS_NO_PROPAGATION,		/* a client's, SET LOCAL is not propagated */
	CITUS_READY					/* a client's, SET LOCAL is propagated */
} CitusRole;

/* the role worked out for one statement */
static CitusRole cached_role = CITUS_ABSENT;
static LocalTransactionId cached_lxid = InvalidLocalTransactionId;
static TimestampTz cached_stmt = 0;

/* true while a statement that Citus propagates sets paragon.token */
static bool set_by_statement = false;
static ProcessUtility_hook_type prev_process_utility = NULL;

/* Citus's prefixes of application_name for the connections it opens */
static const char *const internal_prefixes[] = {
	"citus_internal gpid=",
	"citus_rebalancer gpid=",
	"citus_run_command gpid="
};

/*
 * citus_loaded says whether Citus is loaded in this backend: its settings
 * are defined, not placeholders a client could create with SET.
 */
static bool
citus_loaded(void)
{
	return GetConfigOption(PROPAGATE_GUC, true, false) != NULL &&
		(GetConfigOptionFlags(PROPAGATE_GUC, true) & GUC_CUSTOM_PLACEHOLDER) == 0;
}

/* preloaded says whether a preload setting lists this library. */
static bool
preloaded(const char *setting)
{
	const char *value = GetConfigOption(setting, true, false);
	char	   *copy;
	List	   *names;
	ListCell   *lc;
	bool		found = false;

	if (value == NULL)
		return false;
	copy = pstrdup(value);
	if (!SplitDirectoriesString(copy, ',', &names))
		return false;
	foreach(lc, names)
	{
		const char *name = (const char *) lfirst(lc);
		const char *base = strrchr(name, '/');

		base = base != NULL ? base + 1 : name;
		if (strcmp(base, "paragon_perm") == 0 || strcmp(base, "paragon_perm" DLSUFFIX) == 0)
			found = true;
	}
	return found;
}

/* citus_role works out where this backend stands (see CitusRole). */
static CitusRole
citus_role(void)
{
	const char *appname;
	const char *propagate;
	int			i;

	/* a preloaded Citus that this database does not use distributes nothing */
	if (!citus_loaded() || !OidIsValid(get_extension_oid("citus", true)))
		return CITUS_ABSENT;
	appname = GetConfigOption("application_name", true, false);
	for (i = 0; appname != NULL && i < (int) lengthof(internal_prefixes); i++)
		if (strncmp(appname, internal_prefixes[i], strlen(internal_prefixes[i])) == 0)
			return CITUS_SHARD_BACKEND;
	if (!preloaded("shared_preload_libraries") && !preloaded("session_preload_libraries"))
		return CITUS_NOT_PRELOADED;
	propagate = GetConfigOption(PROPAGATE_GUC, true, false);
	return (propagate != NULL && strcmp(propagate, "local") == 0) ?
		CITUS_READY : CITUS_NO_PROPAGATION;
}

/*
 * current_role returns citus_role for the running statement, cached; with
 * fresh, worked out again (the statements of one multi-statement query
 * string share their start time, and one may change the settings).
 */
static CitusRole
current_role(bool fresh)
{
	TimestampTz stmt = GetCurrentStatementStartTimestamp();

	if (fresh || MY_LXID != cached_lxid || stmt != cached_stmt)
	{
		cached_role = citus_role();
		cached_lxid = MY_LXID;
		cached_stmt = stmt;
	}
	return cached_role;
}

/* no_propagation raises the error of a token that would stay on this node. */
static void
no_propagation(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("the token would not reach the Citus workers"),
			 errdetail("citus.propagate_set_commands is \"%s\", so SET LOCAL paragon.token is not sent to the worker nodes.",
					   GetConfigOption(PROPAGATE_GUC, true, false)),
			 errhint("Set citus.propagate_set_commands = 'local', for example with ALTER DATABASE ... SET, before SET LOCAL paragon.token.")));
}

/*
 * propagated_set says whether Citus sends this SET to the workers: a SET
 * LOCAL of a value or the default, a RESET, or a RESET ALL (Citus's own
 * rule, which also requires propagation to be 'local': checked apart).
 */
static bool
propagated_set(VariableSetStmt *stmt)
{
	switch (stmt->kind)
	{
		case VAR_SET_VALUE:
		case VAR_SET_CURRENT:
		case VAR_SET_DEFAULT:
			return stmt->is_local;
		case VAR_RESET:
		case VAR_RESET_ALL:
			return true;
		default:
			return false;
	}
}

/*
 * citus_process_utility notes, while a SET statement runs, whether Citus
 * propagates it, so that the check hook of paragon.token can tell it from
 * set_config() and the other ways that stay on this node.
 */
static void
citus_process_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
					  ProcessUtilityContext context, ParamListInfo params,
					  QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	bool		saved = set_by_statement;

	set_by_statement = IsA(pstmt->utilityStmt, VariableSetStmt) &&
		propagated_set((VariableSetStmt *) pstmt->utilityStmt);
	PG_TRY();
	{
		if (prev_process_utility != NULL)
			prev_process_utility(pstmt, queryString, readOnlyTree, context, params,
								 queryEnv, dest, qc);
		else
			standard_ProcessUtility(pstmt, queryString, readOnlyTree, context, params,
									queryEnv, dest, qc);
	}
	PG_FINALLY();
	{
		set_by_statement = saved;
	}
	PG_END_TRY();
}

/* paragon_citus_init installs the utility hook (from _PG_init). */
void
paragon_citus_init(void)
{
	prev_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = citus_process_utility;
}

/* paragon_citus_guard: see citus.h. */
void
paragon_citus_guard(ParagonCitusStep step, bool has_input)
{
	CitusRole	role;

	/*
	 * A setting's default is applied outside any transaction (no catalog
	 * then); a parallel worker receives the value its leader had passed.
	 */
	if (step == PARAGON_CITUS_SET_TOKEN_SETTING && (!IsTransactionState() || IsParallelWorker()))
		return;
	/* setting a token is rare, and must see the settings as they are now */
	role = current_role(step != PARAGON_CITUS_READ_CLAIMS);
	if (role == CITUS_ABSENT)
		return;

	switch (step)
	{
		case PARAGON_CITUS_SET_TOKEN_FUNCTION:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("paragon_set_token cannot be used with Citus"),
					 errdetail("Citus does not send a setting made by a function to the worker nodes, so they would see no claims."),
					 errhint("Inside a transaction, run SET LOCAL paragon.token = '<token>' with citus.propagate_set_commands = 'local'.")));
			break;
		case PARAGON_CITUS_SET_TOKEN_SETTING:
			if (role == CITUS_SHARD_BACKEND || role == CITUS_NOT_PRELOADED)
				return;
			if (GetCurrentTransactionNestLevel() > 1)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("paragon.token cannot be set inside a subtransaction with Citus"),
						 errdetail("Citus forgets the SET LOCAL commands of a released savepoint, so worker connections opened afterwards would receive an earlier token."),
						 errhint("Run SET LOCAL paragon.token right after BEGIN, before any SAVEPOINT.")));
			if (role == CITUS_NO_PROPAGATION && has_input)
				no_propagation();
			if (role == CITUS_READY && !set_by_statement && IsTransactionBlock())
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("paragon.token can only be set with SET LOCAL inside a transaction with Citus"),
						 errdetail("Citus sends SET LOCAL and RESET to the worker nodes, never set_config(), a plain SET or a function's SET clause, so the workers would keep the token they had."),
						 errhint("Run SET LOCAL paragon.token = '<token>' right after BEGIN.")));
			break;
		case PARAGON_CITUS_READ_CLAIMS:
			if (role == CITUS_SHARD_BACKEND && !has_input)
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("no token reached this Citus node"),
						 errdetail("This backend runs part of a distributed query, and its token is empty: a token set with set_config(), a plain SET or paragon_set_token() is not sent to the workers."),
						 errhint("On the coordinator, run SET LOCAL paragon.token = '<token>' inside the transaction, with citus.propagate_set_commands = 'local'.")));
			if (role == CITUS_NOT_PRELOADED)
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("paragon_perm must be preloaded on a Citus node"),
						 errdetail("A token set before the library is loaded escapes the checks that keep it consistent across the nodes."),
						 errhint("Add paragon_perm after citus in postgresql.conf: " PRELOAD_LINE ".")));
			if (role == CITUS_NO_PROPAGATION && has_input)
				no_propagation();
			break;
	}
}
