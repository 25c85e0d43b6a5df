/*-------------------------------------------------------------------------
 *
 * alloc.c
 *	  Memory contexts behind the allocations of the libraries the
 *	  extension links: the core's pp_allocator over a context, and
 *	  jansson's allocation hooks over palloc.
 *
 * The core allocates through the pp_allocator a compile is given, so a
 * policy lives in the context its caller chose (a compile's own, later
 * the store's).  jansson objects live in the current memory context, so
 * an error raised while one is alive (a cancel, an out-of-memory) cannot
 * leak it: the context goes with the transaction.  Code still frees what
 * it parses with json_decref, so a long loop stays flat.  This file
 * includes no fmgr prototypes, whose json_object() clashes with
 * jansson's.
 *
 * src/pg/alloc.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <jansson.h>

#include "utils/memutils.h"

#include "pg_policy.h"

/* pg_alloc is the core's allocation hook: palloc in the given context. */
static void *
pg_alloc(void *ctx, size_t size)
{
	return MemoryContextAlloc((MemoryContext) ctx, size);
}

/* pg_free is the core's release hook. */
static void
pg_free(void *ctx, void *ptr)
{
	pfree(ptr);
}

/* paragon_allocator returns a core allocator over a memory context. */
pp_allocator
paragon_allocator(MemoryContext cxt)
{
	pp_allocator a;

	a.alloc = pg_alloc;
	a.free = pg_free;
	a.ctx = cxt;
	return a;
}

/* jansson_alloc allocates for jansson; NULL on out-of-memory, as jansson expects. */
static void *
jansson_alloc(size_t size)
{
	return palloc_extended(size, MCXT_ALLOC_NO_OOM);
}

/* jansson_free releases memory jansson allocated. */
static void
jansson_free(void *ptr)
{
	if (ptr != NULL)
		pfree(ptr);
}

/* paragon_jansson_init installs the allocator, once per backend. */
void
paragon_jansson_init(void)
{
	json_set_alloc_funcs(jansson_alloc, jansson_free);
}
