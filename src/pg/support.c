/*-------------------------------------------------------------------------
 *
 * support.c
 *	  Planner support: marking calls whose claims argument cannot change
 *	  while their executor run lasts.
 *
 * The per-call-site cache (cache.c) may skip comparing the claims' bytes
 * only when it knows that the datum at a given address cannot be replaced
 * by another value while the call site lives.  A Const guarantees that by
 * itself.  Two more forms guarantee it too, but only the planner can tell
 * them apart from look-alikes, so the support function attached to the
 * explicit-claims functions checks them while the query is planned and
 * marks the call; the executor then trusts the pointer of a marked call's
 * Param.  The forms are:
 *
 *	(a) An uncorrelated scalar subquery, such as
 *		(SELECT current_setting('request.jwt.claims', true)::jsonb): the
 *		planner turns it into an initplan whose value is computed at most
 *		once per executor run, since nothing it reads can change (no Var,
 *		aggregate, placeholder or CTE of an enclosing query, at any depth).
 *		A correlated subquery is re-evaluated on every rescan and may land
 *		a new value at the old address, so it is not marked.
 *
 *	(b) An external Param ($1, or a PL/pgSQL variable) in a query that
 *		reads a table or sits below another query level.  Such a query is
 *		run by a fresh executor each time it is executed, and its external
 *		Params cannot change during one run, while the call site (fn_extra)
 *		dies with the run.  PL/pgSQL's simple expressions are the exception
 *		that motivates the rule: one expression state serves every
 *		evaluation in a transaction while the variables change, and
 *		PL/pgSQL only ever treats a query with no range table and no
 *		subquery as simple.  (By the time the planner simplifies, a
 *		FROM-less query has been given an empty RTE_RESULT entry, which
 *		is why entries of that kind do not count.)
 *
 * The mark is the FuncExpr's location, set to PARAGON_FIXED_CLAIMS_MARK,
 * a value the parser never produces (locations are -1 or offsets into the
 * query text), so SQL cannot forge it.  The support function returns a
 * fresh node on every simplification, marked or not, so a mark always
 * reflects the most recent check of the current argument.  Nothing else
 * in a plan reads a FuncExpr's location except error reporting.
 *
 * src/pg/support.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "nodes/nodeFuncs.h"
#include "nodes/pathnodes.h"
#include "nodes/supportnodes.h"

#include "pg_policy.h"

/* Never a parser location: those are -1 or a byte offset. */
#define PARAGON_FIXED_CLAIMS_MARK	(-0x5050)

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
 * claims_arg_fixed tells whether the claims argument, as the planner sees
 * it at this level, is form (a) or (b) of the banner.
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
		return root->query_level > 1 || reads_a_table(root->parse->rtable);
	return false;
}

PG_FUNCTION_INFO_V1(paragon_claims_support);

/* paragon_claims_support marks or unmarks a call with explicit claims. */
Datum
paragon_claims_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestSimplify *req;
	FuncExpr   *fexpr;

	if (!IsA(rawreq, SupportRequestSimplify))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestSimplify *) rawreq;
	if (req->fcall->args == NIL)
		PG_RETURN_POINTER(NULL);

	/* always a new node, so a stale mark never survives re-simplification */
	fexpr = copyObject(req->fcall);
	fexpr->location =
		claims_arg_fixed(req->root, (Node *) linitial(fexpr->args)) ?
		PARAGON_FIXED_CLAIMS_MARK : -1;
	PG_RETURN_POINTER(fexpr);
}

/*
 * paragon_claims_arg_fixed tells the cache whether the datum of argument
 * argno stays the same value for the life of this FmgrInfo: a Const, or
 * the Param of a call the support function marked.
 */
bool
paragon_claims_arg_fixed(FmgrInfo *flinfo, int argno)
{
	FuncExpr   *fexpr = (FuncExpr *) flinfo->fn_expr;
	Node	   *arg;

	if (fexpr == NULL || !IsA(fexpr, FuncExpr) ||
		argno >= list_length(fexpr->args))
		return false;
	arg = (Node *) list_nth(fexpr->args, argno);
	if (IsA(arg, Const))
		return true;
	return argno == 0 && fexpr->location == PARAGON_FIXED_CLAIMS_MARK &&
		IsA(arg, Param) &&
		(((Param *) arg)->paramkind == PARAM_EXEC ||
		 ((Param *) arg)->paramkind == PARAM_EXTERN);
}
