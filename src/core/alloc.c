/*-------------------------------------------------------------------------
 *
 * alloc.c
 *	  Allocation helpers over a pp_allocator: the extension hands the
 *	  core palloc in a memory context, the tool and the tests malloc.
 *
 * src/core/alloc.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pp_alloc.h"

/* pp_alloc allocates through the policy's allocator. */
void *
pp_alloc(const pp_allocator *a, size_t size)
{
	return a->alloc(a->ctx, size ? size : 1);
}

/* pp_alloc0 allocates zeroed memory. */
void *
pp_alloc0(const pp_allocator *a, size_t size)
{
	void	   *p = pp_alloc(a, size);

	memset(p, 0, size ? size : 1);
	return p;
}

/* pp_free releases memory when the allocator frees piecemeal. */
void
pp_free(const pp_allocator *a, void *ptr)
{
	if (ptr != NULL && a->free != NULL)
		a->free(a->ctx, ptr);
}
