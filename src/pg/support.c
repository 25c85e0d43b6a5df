/*-------------------------------------------------------------------------
 *
 * support.c
 *	  Planner support: marking calls whose claims argument cannot change
 *	  while their executor run lasts.
 *
 * The per-call-site cache (cache.c) may skip comparing the claims' bytes
 * only when the datum at an address cannot be replaced by another value
 * while the call site lives.  A Const guarantees that by itself; two more
 * forms do too, but only the planner can tell them from look-alikes, so
 * the support function of the explicit-claims functions checks them while
 * the query is planned and marks the call (claims_arg_fixed): (a) an
 * uncorrelated scalar subquery, such as (SELECT
 * current_setting('request.jwt.claims', true)::jsonb), and (b) an external
 * Param in a query that a fresh executor runs each time (run_scoped).
 * The session forms, which take no claims argument, get the test of (b):
 * a call marked "run scoped" may read claims from a setting once per
 * execution (session_forms.c).
 *
 * The mark wraps the first argument in a RelabelType to its own type with
 * a negative typmod, which SQL cannot forge (strip_mark), and which stays
 * in the plan sent to parallel workers.
 *
 * What the marks rest on, beyond this file: an initplan with no reference
 * to an enclosing query is evaluated once per executor run; SPI copies the
 * parameters of a cursor (and of a PL/pgSQL FOR loop's query) when it is
 * opened; a SQL function binds its arguments at the start of each execution
 * of its query; PL/pgSQL treats only a query with no range table as a
 * simple expression.  These hold on PostgreSQL 15 to 18; sql/support.sql
 * checks every look-alike form by its answers, token by token, so that a
 * release that changes one of them fails the tests instead of answering
 * with another token's rights.
 *
 * src/pg/support.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/pathnodes.h"
#include "nodes/supportnodes.h"

#include "pg_policy.h"

/*
 * Never a typmod of a parsed type: those are -1 or at least 0, and jsonb
 * and text take no type modifier, so SQL cannot forge a mark.  The
 * executor evaluates such a RelabelType as its argument, at no cost
 * (EXPLAIN VERBOSE shows it as a cast, "($0)::jsonb"), and unlike a
 * FuncExpr's location it is kept when the plan is sent to parallel
 * workers, whose copy of an initplan's value or of the query's parameters
 * is as fixed for their run as the leader's.
 */
#define PARAGON_FIXED_CLAIMS_MARK	(-0x5050)
#define PARAGON_RUN_SCOPED_MARK		(-0x5051)

/* strip_mark returns an argument without its mark, and the mark (or 0). */
static inline Node *
strip_mark(Node *arg, int32 *mark)
{
	*mark = 0;
	if (arg != NULL && IsA(arg, RelabelType) &&
		(((RelabelType *) arg)->resulttypmod == PARAGON_FIXED_CLAIMS_MARK ||
		 ((RelabelType *) arg)->resulttypmod == PARAGON_RUN_SCOPED_MARK))
	{
		*mark = ((RelabelType *) arg)->resulttypmod;
		return (Node *) ((RelabelType *) arg)->arg;
	}
	return arg;
}

/*
 * outer_ref_walker reports whether a node, inside a subquery nested *depth
 * levels below the one being checked, refers to a query level above it.
 */
static bool
outer_ref_walker(Node *node, int *depth)
{
	if (node == NULL)
		return false;
	if (IsA(node, Var))
		return (int) ((Var *) node)->varlevelsup > *depth;
	if (IsA(node, PlaceHolderVar) &&
		(int) ((PlaceHolderVar *) node)->phlevelsup > *depth)
		return true;
	if (IsA(node, Aggref) && (int) ((Aggref *) node)->agglevelsup > *depth)
		return true;
	if (IsA(node, GroupingFunc) &&
		(int) ((GroupingFunc *) node)->agglevelsup > *depth)
		return true;
	/* before planning only external and sublink Params exist; be strict */
	if (IsA(node, Param))
		return ((Param *) node)->paramkind != PARAM_EXTERN &&
			((Param *) node)->paramkind != PARAM_SUBLINK;
	if (IsA(node, RangeTblEntry))
	{
		RangeTblEntry *rte = (RangeTblEntry *) node;

		/* a CTE of an enclosing query counts as a reference to it */
		return rte->rtekind == RTE_CTE && (int) rte->ctelevelsup > *depth;
	}
	if (IsA(node, Query))
	{
		bool		found;

		(*depth)++;
		found = query_tree_walker((Query *) node, outer_ref_walker, depth,
								  QTW_EXAMINE_RTES_BEFORE);
		(*depth)--;
		return found;
	}
	return expression_tree_walker(node, outer_ref_walker, depth);
}

/*
 * reads_a_table tells whether a range table has an entry other than the
 * empty one (RTE_RESULT) the planner gives every FROM-less query, so
 * whether the query was more than a bare SELECT of expressions before it
 * was planned.
 */
static bool
reads_a_table(List *rtable)
{
	ListCell   *lc;

	foreach(lc, rtable)
		if (((RangeTblEntry *) lfirst(lc))->rtekind != RTE_RESULT)
			return true;
	return false;
}

/*
 * run_scoped tells whether a call at this query level is evaluated by an
 * executor started for one execution of the query, so that its call site
 * (fn_extra) ends with that execution: true unless the query may be a
 * PL/pgSQL simple expression, whose state lives for the transaction.  A
 * query that reads a table or sits below another query level is run by a
 * fresh executor each time, and its external Params ($1, a PL/pgSQL
 * variable) cannot change during one run.  PL/pgSQL's simple expressions
 * are the exception that motivates the rule: one expression state serves
 * every evaluation in a transaction while the variables change, and
 * PL/pgSQL only ever treats a query with no range table and no subquery as
 * simple.
 */
static bool
run_scoped(PlannerInfo *root)
{
	/* some callers plan an expression with a dummy root and no query */
	return root != NULL && root->parse != NULL &&
		(root->query_level > 1 || reads_a_table(root->parse->rtable));
}

/*
 * claims_arg_fixed tells whether the claims argument, as the planner sees
 * it at this level, is form (a) or (b) of the banner.  (a) An uncorrelated
 * scalar subquery becomes an initplan whose value is computed at most once
 * per executor run, since nothing it reads can change (no Var, aggregate,
 * placeholder or CTE of an enclosing query, at any depth: outer_ref_walker);
 * a correlated one is re-evaluated on every rescan and may land a new value
 * at the old address, so it is not marked.  (b) An external Param in a
 * run-scoped query (run_scoped).
 */
static bool
claims_arg_fixed(PlannerInfo *root, Node *arg)
{
	if (root == NULL || arg == NULL)
		return false;			/* outside a query: nothing is known */

	if (IsA(arg, SubLink))
	{
		SubLink    *sl = (SubLink *) arg;
		int			depth = -1;

		return sl->subLinkType == EXPR_SUBLINK && sl->testexpr == NULL &&
			IsA(sl->subselect, Query) &&
			!outer_ref_walker(sl->subselect, &depth);
	}
	if (IsA(arg, Param) && ((Param *) arg)->paramkind == PARAM_EXTERN)
		return run_scoped(root);
	return false;
}

PG_FUNCTION_INFO_V1(paragon_claims_support);

/*
 * paragon_claims_support marks or unmarks a call: one with explicit claims
 * (a jsonb first argument) by the form of its claims, a session form
 * by the query it sits in.
 */
Datum
paragon_claims_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestSimplify *req;
	FuncExpr   *fexpr;
	Node	   *arg0;
	int32		mark;

	if (!IsA(rawreq, SupportRequestSimplify))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestSimplify *) rawreq;
	if (req->fcall->args == NIL)
		PG_RETURN_POINTER(NULL);

	/*
	 * Always a new node, so a stale mark never survives re-simplification;
	 * a shallow copy, since only the first argument changes.
	 */
	fexpr = makeNode(FuncExpr);
	*fexpr = *req->fcall;
	fexpr->args = list_copy(req->fcall->args);
	arg0 = strip_mark((Node *) linitial(fexpr->args), &mark);
	if (exprType(arg0) == JSONBOID)
		mark = claims_arg_fixed(req->root, arg0) ? PARAGON_FIXED_CLAIMS_MARK : 0;
	else
		mark = run_scoped(req->root) ? PARAGON_RUN_SCOPED_MARK : 0;
	if (mark != 0)
		arg0 = (Node *) makeRelabelType((Expr *) arg0, exprType(arg0), mark,
										exprCollation(arg0), COERCE_IMPLICIT_CAST);
	linitial(fexpr->args) = arg0;
	PG_RETURN_POINTER(fexpr);
}

/*
 * paragon_arg_fixed tells whether the datum of argument argno stays the
 * same value for the life of this FmgrInfo: a Const, or the claims Param
 * of a call the support function marked.  The cache asks it about the
 * claims, the permission memo (args.c) about the permission name.
 */
bool
paragon_arg_fixed(FmgrInfo *flinfo, int argno)
{
	FuncExpr   *fexpr = (FuncExpr *) flinfo->fn_expr;
	Node	   *arg;
	int32		mark;

	if (fexpr == NULL || !IsA(fexpr, FuncExpr) ||
		argno >= list_length(fexpr->args))
		return false;
	arg = strip_mark((Node *) list_nth(fexpr->args, argno), &mark);
	if (IsA(arg, Const))
		return true;
	return mark == PARAGON_FIXED_CLAIMS_MARK && IsA(arg, Param) &&
		(((Param *) arg)->paramkind == PARAM_EXEC ||
		 ((Param *) arg)->paramkind == PARAM_EXTERN);
}

/*
 * paragon_call_run_scoped tells a session form whether its call site
 * ends with the execution of its query (the support function marked it).
 */
bool
paragon_call_run_scoped(FmgrInfo *flinfo)
{
	FuncExpr   *fexpr = (FuncExpr *) flinfo->fn_expr;
	int32		mark;

	if (fexpr == NULL || !IsA(fexpr, FuncExpr) || fexpr->args == NIL)
		return false;
	(void) strip_mark((Node *) linitial(fexpr->args), &mark);
	return mark == PARAGON_RUN_SCOPED_MARK;
}
