/*-------------------------------------------------------------------------
 *
 * jsonb_walk.c
 *	  The jsonb front end of the policy builder: compiling jsonb claims
 *	  into a policy.
 *
 * The claims are read with PostgreSQL's jsonb iterators, one container
 * at a time (skipNested), so there is no text round trip and a subtree
 * the builder does not want (other claims, anything invalid) is never
 * walked.  A permissions claim that is a JSON string is parsed strictly
 * with jansson (src/json).
 *
 * The same builder, in lint mode, reports a look-alike of the permissions
 * claim: paragon_claims_errors lists it, and paragon_check_lookalikes
 * raises it for strict mode (paragon.strict_claims).
 *
 * Memory: a compile runs in a context of its own, created under the
 * caller's current context so that an error discards it with the
 * transaction; only a successful compile is moved under the store's
 * long-lived context (store.c).  Walk scratch (iterators) lives in a
 * second child context deleted as soon as the walk ends.  The core's
 * errors are raised by errors.c, its allocator is in alloc.c.
 *
 * src/pg/jsonb_walk.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "jansson_walk.h"
#include "pg_policy.h"

static pp_walk walk_container(pp_builder *b, JsonbContainer *c);

/* walk_value reports one jsonb value to the builder. */
static pp_walk
walk_value(pp_builder *b, JsonbValue *v)
{
	switch (v->type)
	{
		case jbvBinary:
			return walk_container(b, v->val.binary.data);
		case jbvString:
			{
				pp_walk		w = pp_ev_string(b, v->val.string.val, v->val.string.len);

				if (w == PP_WALK_PARSE_STRING)
					w = pp_json_walk_text(b, v->val.string.val, v->val.string.len);
				return w == PP_WALK_STOP ? w : PP_WALK_CONTINUE;
			}
		case jbvBool:
			return pp_ev_scalar(b, PP_JSON_BOOL, v->val.boolean);
		case jbvNull:
			return pp_ev_scalar(b, PP_JSON_NULL, false);
		default:
			return pp_ev_scalar(b, PP_JSON_NUMBER, false);
	}
}

/* walk_container reports an object or array, descending where the builder asks. */
static pp_walk
walk_container(pp_builder *b, JsonbContainer *c)
{
	JsonbIterator *it = JsonbIteratorInit(c);
	JsonbValue	v;
	JsonbIteratorToken tok;
	pp_walk		w;
	bool		skip = false;

	tok = JsonbIteratorNext(&it, &v, true);
	if (tok == WJB_BEGIN_ARRAY && v.val.array.rawScalar)
	{
		/* a scalar document is stored as a one-element pseudo array */
		tok = JsonbIteratorNext(&it, &v, true);
		return walk_value(b, &v);
	}
	w = tok == WJB_BEGIN_OBJECT ? pp_ev_object_begin(b) : pp_ev_array_begin(b);
	if (w != PP_WALK_CONTINUE)
		return w == PP_WALK_STOP ? w : PP_WALK_CONTINUE;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		switch (tok)
		{
			case WJB_KEY:
				/* claims may be large: let a long compile be cancelled */
				CHECK_FOR_INTERRUPTS();
				w = pp_ev_key(b, v.val.string.val, v.val.string.len);
				if (w == PP_WALK_STOP)
					return w;
				skip = (w == PP_WALK_SKIP);
				break;
			case WJB_VALUE:
			case WJB_ELEM:
				if (skip)
				{
					skip = false;
					break;
				}
				if (walk_value(b, &v) == PP_WALK_STOP)
					return PP_WALK_STOP;
				break;
			case WJB_END_OBJECT:
				return pp_ev_object_end(b);
			case WJB_END_ARRAY:
				return pp_ev_array_end(b);
			default:
				elog(ERROR, "unexpected jsonb iterator token %d", (int) tok);
		}
	}
	return PP_WALK_CONTINUE;
}

/*
 * paragon_walk_jsonb walks claims into a new builder whose memory comes
 * from alloc; walk scratch is freed before returning.  collect_all lists
 * every problem, look-alikes of the permissions claim included.
 */
pp_builder *
paragon_walk_jsonb(Jsonb *claims, pp_allocator *alloc, bool collect_all)
{
	MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext,
												  "paragon_perm walk",
												  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(scratch);
	pp_builder *b;

	paragon_check_claims_size(VARSIZE(claims));
	b = pp_builder_new(alloc, collect_all);
	/* a walk that lists every problem (paragon_claims_errors) lints too */
	pp_builder_lint(b, collect_all);
	walk_container(b, &claims->root);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);
	return b;
}

/*
 * paragon_compile_jsonb compiles claims into a policy held in a new
 * context, which is moved under parent once the compile succeeded.
 */
PgPolicy
paragon_compile_jsonb(Jsonb *claims, MemoryContext parent)
{
	PgPolicy	result;
	pp_allocator alloc;
	pp_builder *b;

	result.cxt = AllocSetContextCreate(CurrentMemoryContext,
									   "paragon_perm policy",
									   ALLOCSET_SMALL_SIZES);
	alloc = paragon_allocator(result.cxt);
	b = paragon_walk_jsonb(claims, &alloc, false);
	result.policy = pp_builder_finish(b);
	if (result.policy == NULL)
	{
		const pp_error *e = pp_builder_errors(b);

		if (e == NULL)
			elog(ERROR, "paragon_perm: claims walk ended early");
		paragon_report_error(e);
	}
	pp_builder_free(b);
	MemoryContextSetParent(result.cxt, parent);
	return result;
}

/*
 * paragon_check_lookalikes raises the claims error of the first top-level
 * claim that looks like the permissions claim without being it (strict
 * mode).  Only the top level is read: a lint builder is shown the
 * offending key alone, so the message and the path are the core's.
 */
void
paragon_check_lookalikes(Jsonb *claims)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (!JB_ROOT_IS_OBJECT(claims))
		return;
	it = JsonbIteratorInit(&claims->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY && pp_claim_lookalike(v.val.string.val, v.val.string.len))
		{
			MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
													  "paragon_perm lint",
													  ALLOCSET_SMALL_SIZES);
			pp_allocator alloc = paragon_allocator(cxt);
			pp_builder *b = pp_builder_new(&alloc, false);
			const pp_error *e;

			pp_builder_lint(b, true);
			pp_ev_object_begin(b);
			pp_ev_key(b, v.val.string.val, v.val.string.len);
			e = pp_builder_errors(b);
			if (e == NULL)
				elog(ERROR, "paragon_perm: look-alike claim not reported");
			paragon_report_error(e);
		}
	}
}
