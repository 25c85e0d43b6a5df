/*-------------------------------------------------------------------------
 *
 * citus.c
 *	  The Citus guard: on a distributed cluster, a token that does not
 *	  reach the node that checks the rows raises an error instead of
 *	  letting that node answer "no claims, no rows".
 *
 * Citus runs the policies of a distributed table on the workers, inside
 * each shard's scan, in backends the coordinator opened for the query.
 * The claims reach a worker only as a setting the coordinator sends to
 * it, and Citus sends exactly one kind: a literal SET LOCAL run inside a
 * transaction block while citus.propagate_set_commands is 'local'.  A
 * token given by set_config() (paragon_set_token), by a plain SET, or
 * with propagation off stays on the coordinator, and every worker would
 * then deny every row: a silent empty answer to a query that should
 * have rows.  So, when the citus extension exists in the database:
 *
 *	- paragon_set_token raises 0A000: it sets the claims with set_config,
 *	  which Citus never sends;
 *	- a backend that Citus opened for a query of another node (its
 *	  application_name starts with one of Citus's internal prefixes) and
 *	  finds no token raises 55000: it cannot tell a request without a
 *	  token from a token that did not travel, and an error is the answer
 *	  that is right in both cases;
 *	- a backend a client opened (the coordinator, or any node used as
 *	  one) that reads a token while citus.propagate_set_commands is not
 *	  'local' raises 55000: its workers would not receive it.
 *
 * A client may set its own application_name to an internal prefix: that
 * only turns its "no rows" into an error, never into rows.  None of this
 * trusts a setting a client could use to obtain claims.
 *
 * The answer depends on settings and the catalog only, so it is worked
 * out once per statement and cached; each later call in the statement
 * costs two comparisons.
 *
 * src/pg/citus.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/extension.h"
#include "storage/proc.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "citus.h"

#define PROPAGATE_GUC "citus.propagate_set_commands"

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
	CITUS_NO_PROPAGATION,		/* a client's, SET LOCAL is not propagated */
	CITUS_READY					/* a client's, SET LOCAL is propagated */
} CitusRole;

/* the role worked out for one statement */
static CitusRole cached_role = CITUS_ABSENT;
static LocalTransactionId cached_lxid = InvalidLocalTransactionId;
static TimestampTz cached_stmt = 0;

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
	propagate = GetConfigOption(PROPAGATE_GUC, true, false);
	return (propagate != NULL && strcmp(propagate, "local") == 0) ?
		CITUS_READY : CITUS_NO_PROPAGATION;
}

/* current_role returns citus_role for the running statement, cached. */
static CitusRole
current_role(void)
{
	TimestampTz stmt = GetCurrentStatementStartTimestamp();

	if (MY_LXID != cached_lxid || stmt != cached_stmt)
	{
		cached_role = citus_role();
		cached_lxid = MY_LXID;
		cached_stmt = stmt;
	}
	return cached_role;
}

/* paragon_citus_guard: see citus.h. */
void
paragon_citus_guard(ParagonCitusStep step, bool has_input)
{
	CitusRole	role = current_role();

	if (role == CITUS_ABSENT)
		return;
	if (step == PARAGON_CITUS_SET_TOKEN)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("paragon_set_token cannot be used with Citus"),
				 errdetail("Citus does not send a setting made by a function to the worker nodes, so they would see no claims."),
				 errhint("Inside a transaction, run SET LOCAL paragon.token = '<token>' with citus.propagate_set_commands = 'local'.")));
	if (role == CITUS_SHARD_BACKEND && !has_input)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no token reached this Citus node"),
				 errdetail("This backend runs part of a distributed query, and paragon.token is empty here: a token set with set_config(), a plain SET or paragon_set_token() is not sent to the workers."),
				 errhint("On the coordinator, run SET LOCAL paragon.token = '<token>' inside the transaction, with citus.propagate_set_commands = 'local'.")));
	if (role == CITUS_NO_PROPAGATION && has_input)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the token would not reach the Citus workers"),
				 errdetail("citus.propagate_set_commands is \"%s\", so SET LOCAL paragon.token is not sent to the worker nodes.",
						   GetConfigOption(PROPAGATE_GUC, true, false)),
				 errhint("Set citus.propagate_set_commands = 'local', for example with ALTER DATABASE ... SET, before SET LOCAL paragon.token.")));
}
