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
#include "utils/uuid.h"

#include "pg_compat.h"
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
extern void paragon_check_lookalikes(Jsonb *claims);

/* errors.c */
pg_noreturn extern void paragon_report_error(const pp_error *e);
extern void paragon_check_claims_size(Size size);

/* alloc.c */
extern pp_allocator paragon_allocator(MemoryContext cxt);
extern void paragon_jansson_init(void);

/* session.c */
extern void paragon_session_init(void);
extern void paragon_session_invalidate(void);

/* a session short form's call site (session.c; boundary.c uses it too) */
typedef struct ShortSite ShortSite;
extern ShortSite *short_site(FunctionCallInfo fcinfo);
extern PermMemo *short_site_perm(ShortSite *site);
extern const pp_policy *short_policy(FunctionCallInfo fcinfo, ShortSite *site);

/* store.c */
extern SharedPolicy *paragon_store_acquire(Datum raw, const char *data, Size len,
										   uint64 hash);
extern void paragon_store_retain(SharedPolicy *sp);
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
extern int	paragon_permission_arg_memo_slow(FunctionCallInfo fcinfo, int argno,
											 PermMemo *memo);
extern void paragon_target_args(FunctionCallInfo fcinfo, int argno,
								bool cred_is_uuid, pp_target *t);
pg_noreturn extern void paragon_spaced_uuid_error(const char *cred, size_t len);

/*
 * paragon_permission_arg_memo is paragon_permission_arg for a call site
 * that keeps *memo (zeroed before the first call): when the argument is
 * a Const of the plan, the name is looked up once, not on every row.
 */
static inline int
paragon_permission_arg_memo(FunctionCallInfo fcinfo, int argno, PermMemo *memo)
{
	if (memo->state == PERM_MEMO_FIXED)
		return memo->perm;
	return paragon_permission_arg_memo_slow(fcinfo, argno, memo);
}

/*
 * paragon_text_arg returns argument argno's bytes in place, or NULL for
 * SQL NULL.  Only a compressed or out-of-line value goes through the
 * detoaster: a column's short text never needs the call, and this runs
 * three times a row.
 */
static inline const char *
paragon_text_arg(FunctionCallInfo fcinfo, int argno, size_t *len)
{
	text	   *t;

	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
	{
		*len = 0;
		return NULL;
	}
	t = (text *) PG_GETARG_POINTER(argno);
	if (VARATT_IS_COMPRESSED(t) || VARATT_IS_EXTERNAL(t))
		t = (text *) pg_detoast_datum_packed((struct varlena *) t);
	*len = VARSIZE_ANY_EXHDR(t);
	return VARDATA_ANY(t);
}

/* The target arguments of a call, as the core takes them. */
typedef struct TargetArgs
{
	const char *integ;
	size_t		integ_len;
	const char *cred;			/* a text credential, or NULL */
	size_t		cred_len;
	const unsigned char *cred_uuid; /* a uuid credential, or NULL */
	const char *conf;
	size_t		conf_len;
} TargetArgs;

/*
 * paragon_read_target_args reads (integration, credential, config_ext_id)
 * from arguments argno .. argno + 2; the credential is a uuid when
 * cred_is_uuid.
 */
static inline void
paragon_read_target_args(FunctionCallInfo fcinfo, int argno, bool cred_is_uuid,
						 TargetArgs *a)
{
	a->integ = paragon_text_arg(fcinfo, argno, &a->integ_len);
	a->cred = NULL;
	a->cred_len = 0;
	a->cred_uuid = NULL;
	if (cred_is_uuid)
	{
		if (!PG_ARGISNULL(argno + 1))
			a->cred_uuid = DatumGetUUIDP(PG_GETARG_DATUM(argno + 1))->data;
	}
	else
	{
		a->cred = paragon_text_arg(fcinfo, argno + 1, &a->cred_len);
		/* white space at an end (bytes <= ' ') may hide a UUID: refuse it */
		if (a->cred != NULL && a->cred_len > 0 &&
			unlikely((unsigned char) a->cred[0] <= ' ' ||
					 (unsigned char) a->cred[a->cred_len - 1] <= ' ') &&
			pp_cred_spaced_uuid(a->cred, a->cred_len))
			paragon_spaced_uuid_error(a->cred, a->cred_len);
	}
	a->conf = paragon_text_arg(fcinfo, argno + 2, &a->conf_len);
}

/*
 * paragon_allowed_args answers paragon_allowed from the target arguments
 * argno .. argno + 2: paragon_target_args and pp_allowed in one, for the
 * per-row path, with the target on the core's stack.
 */
static inline bool
paragon_allowed_args(FunctionCallInfo fcinfo, const pp_policy *p, int perm,
					 int argno, bool cred_is_uuid)
{
	TargetArgs	a;

	paragon_read_target_args(fcinfo, argno, cred_is_uuid, &a);
	return pp_allowed_at(p, perm, a.integ, a.integ_len, a.cred, a.cred_len,
						 a.cred_uuid, a.conf, a.conf_len);
}

/*
 * TEXT_AND_UUID_FORMS defines the two C functions of one SQL question, one
 * for a text credential and one for a uuid credential (the install scripts
 * name both), each a call of the question's common function
 * common(fcinfo, cred_is_uuid).  Both names are spelled out so that a grep
 * for a symbol of the install scripts finds its definition.
 */
#define TEXT_AND_UUID_FORMS(text_fn, uuid_fn, common) \
PG_FUNCTION_INFO_V1(text_fn); \
Datum \
text_fn(PG_FUNCTION_ARGS) \
{ \
	return common(fcinfo, false); \
} \
PG_FUNCTION_INFO_V1(uuid_fn); \
Datum \
uuid_fn(PG_FUNCTION_ARGS) \
{ \
	return common(fcinfo, true); \
}

#endif							/* PG_POLICY_H */
