/*-------------------------------------------------------------------------
 *
 * jansson_pg.c
 *	  Route jansson's allocations through palloc.
 *
 * jansson objects then live in the current memory context, so an error
 * raised while one is alive (a cancel, an out-of-memory) cannot leak it:
 * the context goes with the transaction.  Code still frees what it
 * parses with json_decref, so a long loop stays flat.  This file includes
 * no fmgr prototypes, whose json_object() clashes with jansson's.
 *
 * src/pg/jansson_pg.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <jansson.h>

#include "pg_policy.h"

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
