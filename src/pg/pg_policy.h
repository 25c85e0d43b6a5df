/*-------------------------------------------------------------------------
 *
 * pg_policy.h
 *	  The PostgreSQL side of the policy compiler: compiling jsonb claims,
 *	  the backend's store and the per-call-site cache of compiled
 *	  policies, and turning SQL arguments into targets.
 *
 * src/pg/pg_policy.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_POLICY_H
#define PG_POLICY_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/ilist.h"
#include "utils/jsonb.h"

#include "pp.h"

/* A compiled policy and the memory context that holds all of it. */
typedef struct PgPolicy
{
	pp_policy  *policy;
	MemoryContext cxt;
} PgPolicy;

/*
 * A compiled policy of the backend's store (store.c), found by the bytes
 * of its claims and shared by the call sites that hold a reference.  It
 * lives in compiled.cxt, with its copy of the bytes.
 */
typedef struct SharedPolicy
{
	uint64		hash;			/* hash_bytes_extended of bytes, seed 0 */
	Size		len;
	char	   *bytes;			/* copy of the claims' data bytes */
	PgPolicy	compiled;
	Size		mem;			/* memory held by compiled and bytes */
	int			refs;			/* call-site references */
	struct SharedPolicy *next;	/* next in the store's hash chain */
	dlist_node	idle_node;		/* in the idle list while refs is 0 */
} SharedPolicy;

/*
 * A call site's memory of its permission argument, zeroed at first: the
 * permission number once the argument is known to be a Const.
 */
typedef enum PermMemoState
{
	PERM_MEMO_UNKNOWN = 0,		/* not called yet */
	PERM_MEMO_FIXED,			/* a Const: perm holds its number */
	PERM_MEMO_VARIES			/* read on every call */
} PermMemoState;

typedef struct PermMemo
{
	PermMemoState state;
	int			perm;
} PermMemo;

/* jsonb_walk.c */
extern PgPolicy paragon_compile_jsonb(Jsonb *claims, MemoryContext parent);
extern pp_builder *paragon_walk_jsonb(Jsonb *claims, pp_allocator *alloc,
									  bool collect_all);
extern void paragon_report_error(const pp_error *e) pg_attribute_noreturn();
extern void paragon_check_claims_size(Size size);
extern pp_allocator paragon_allocator(MemoryContext cxt);

/* jansson_pg.c */
extern void paragon_jansson_init(void);

/* session.c */
extern void paragon_session_init(void);

/* store.c */
extern SharedPolicy *paragon_store_acquire(Datum raw, const char *data, Size len,
										   uint64 hash);
extern void paragon_store_release(SharedPolicy *sp);

/* cache.c */
extern const pp_policy *paragon_policy_for_arg(FunctionCallInfo fcinfo, int argno);
extern const pp_policy *paragon_policy_and_perm(FunctionCallInfo fcinfo, int permno,
											   int *perm);

/* support.c */
extern bool paragon_arg_fixed(FmgrInfo *flinfo, int argno);
extern bool paragon_call_run_scoped(FmgrInfo *flinfo);

/* args.c */
extern int	paragon_permission_arg(FunctionCallInfo fcinfo, int argno);
extern int	paragon_permission_arg_memo(FunctionCallInfo fcinfo, int argno,
										PermMemo *memo);
extern void paragon_target_args(FunctionCallInfo fcinfo, int argno,
								bool cred_is_uuid, pp_target *t);

#endif							/* PG_POLICY_H */
