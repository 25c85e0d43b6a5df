/*-------------------------------------------------------------------------
 *
 * store.c
 *	  The backend's store of compiled policies, shared by its call sites.
 *
 * A call site's cache (cache.c) lives as long as its expression, usually
 * one execution of one statement.  A session that runs statement after
 * statement with the same claims, as an application does between two
 * requests, or as RLS does for every query, would compile the same claims
 * again for each statement: about 5 us for ten rules, but 6-10 ms for
 * ten thousand.  So compiled policies live here, found by their claims'
 * bytes, and call sites hold references to them:
 *
 *	- a policy some call site holds is never freed;
 *	- once no call site holds it, it stays idle here until more than
 *	  PP_STORE_IDLE policies or PP_STORE_IDLE_BYTES of them are idle: then
 *	  the one released longest ago is freed.  A policy larger than that
 *	  alone is freed when released.
 *
 * Call sites release their references when their memory context goes
 * away (a reset callback in cache.c), including at the end of an aborted
 * transaction.  The session's claims (session.c) hold one too, and a
 * session form that keeps them for its execution another.  A policy depends on nothing but the bytes of the claims,
 * so no invalidation is needed.
 *
 * src/pg/store.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/ilist.h"
#include "utils/memutils.h"

#include "pg_policy.h"

#define PP_STORE_BUCKETS	1024	/* power of two */
#define PP_STORE_IDLE		16
#define PP_STORE_IDLE_BYTES ((Size) 16 * 1024 * 1024)

static MemoryContext store_cxt = NULL;
static SharedPolicy **buckets = NULL;
static dlist_head idle = DLIST_STATIC_INIT(idle);	/* oldest first */
static int	nidle = 0;
static Size idle_bytes = 0;

/* store_unlink removes a policy from its hash chain. */
static void
store_unlink(SharedPolicy *sp)
{
	SharedPolicy **link = &buckets[sp->hash & (PP_STORE_BUCKETS - 1)];

	while (*link != sp)
		link = &(*link)->next;
	*link = sp->next;
}

/* store_free_oldest frees the idle policy released longest ago. */
static void
store_free_oldest(void)
{
	SharedPolicy *sp = dlist_container(SharedPolicy, idle_node, dlist_pop_head_node(&idle));

	nidle--;
	idle_bytes -= sp->mem;
	store_unlink(sp);
	MemoryContextDelete(sp->compiled.cxt);	/* sp and its bytes too */
}

/* store_take adds a reference to a policy of the store, which stops being idle. */
static void
store_take(SharedPolicy *sp)
{
	if (sp->refs++ == 0)
	{
		dlist_delete(&sp->idle_node);
		nidle--;
		idle_bytes -= sp->mem;
	}
}

/*
 * paragon_store_acquire returns the policy compiled from the claims raw
 * (data and len: their bytes, key: paragon_store_key of them),
 * compiling it if the store has none, with one more reference held.
 * Invalid claims raise their error and leave the store as it was.
 */
SharedPolicy *
paragon_store_acquire(Datum raw, const char *data, Size len, uint64 key)
{
	SharedPolicy *sp;
	PgPolicy	compiled;
	int			b = (int) (key & (PP_STORE_BUCKETS - 1));

	if (store_cxt == NULL)
	{
		store_cxt = AllocSetContextCreate(TopMemoryContext, "paragon_perm policy store",
										  ALLOCSET_SMALL_SIZES);
		buckets = MemoryContextAllocZero(store_cxt, sizeof(SharedPolicy *) * PP_STORE_BUCKETS);
	}

	for (sp = buckets[b]; sp != NULL; sp = sp->next)
	{
		if (sp->hash == key && sp->len == len && memcmp(sp->bytes, data, len) == 0)
		{
			store_take(sp);
			return sp;
		}
	}

	/*
	 * Everything goes into the policy's own context, under the caller's
	 * until it is complete: an error on the way frees it with the
	 * caller's, and the store never sees half an entry.
	 */
	compiled = paragon_compile_jsonb(DatumGetJsonbP(raw), CurrentMemoryContext);
	sp = MemoryContextAlloc(compiled.cxt, sizeof(SharedPolicy));
	sp->hash = key;
	sp->len = len;
	sp->bytes = MemoryContextAlloc(compiled.cxt, len > 0 ? len : 1);
	memcpy(sp->bytes, data, len);
	sp->compiled = compiled;
	sp->mem = MemoryContextMemAllocated(compiled.cxt, true);
	sp->refs = 1;
	MemoryContextSetParent(compiled.cxt, store_cxt);
	sp->next = buckets[b];
	buckets[b] = sp;
	return sp;
}

/* paragon_store_retain takes one more reference to a policy already held. */
void
paragon_store_retain(SharedPolicy *sp)
{
	Assert(sp->refs > 0);
	store_take(sp);
}

/* paragon_store_release drops a reference taken by paragon_store_acquire or _retain. */
void
paragon_store_release(SharedPolicy *sp)
{
	Assert(sp->refs > 0);
	if (--sp->refs > 0)
		return;
	if (sp->mem > PP_STORE_IDLE_BYTES)
	{
		/* too large to keep idle: freeing the others would not make room */
		store_unlink(sp);
		MemoryContextDelete(sp->compiled.cxt);
		return;
	}
	dlist_push_tail(&idle, &sp->idle_node);
	nidle++;
	idle_bytes += sp->mem;
	while (nidle > PP_STORE_IDLE || idle_bytes > PP_STORE_IDLE_BYTES)
		store_free_oldest();
}
