/*-------------------------------------------------------------------------
 *
 * pp_alloc.h
 *	  Allocation helpers of the core: every byte of a builder or a policy
 *	  goes through the pp_allocator it was created with.
 *
 * src/core/pp_alloc.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_ALLOC_H
#define PP_ALLOC_H

#include "pp.h"

/* Memory helpers over a pp_allocator. */
extern void *pp_alloc(const pp_allocator *a, size_t size);
extern void *pp_alloc0(const pp_allocator *a, size_t size);
extern void pp_free(const pp_allocator *a, void *ptr);

#endif							/* PP_ALLOC_H */
