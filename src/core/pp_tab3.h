/*-------------------------------------------------------------------------
 *
 * pp_tab3.h
 *	  The open-addressing map from a triple of ids to a 32-bit value: a
 *	  compiled policy's rule table and its index of groups.
 *
 * src/core/pp_tab3.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_TAB3_H
#define PP_TAB3_H

#include "pp_bloom.h"
#include "pp_hash.h"
#include "pp_port.h"

/*
 * Open-addressing map from a triple of ids to a 32-bit value.  A slot
 * holds the key and the value together, 16 bytes, so that a probe of a
 * large policy's table costs one cache line, not two.
 */
typedef struct pp_tab3_slot
{
	uint32_t	k[3];
	uint32_t	val;			/* value + 1; 0 marks an empty slot */
} pp_tab3_slot;

typedef struct pp_tab3
{
	pp_tab3_slot *slots;
	uint32_t	mask;			/* slots - 1 */
	uint32_t	count;
	pp_bloom	filter;			/* the rule table's, once the policy is built */
} pp_tab3;

extern void pp_tab3_init(pp_tab3 *t, const pp_allocator *a, uint32_t expect);
extern void pp_tab3_put(pp_tab3 *t, const pp_allocator *a,
						uint32_t k0, uint32_t k1, uint32_t k2, uint32_t val);
extern void pp_tab3_free(pp_tab3 *t, const pp_allocator *a);

/* pp_tab3_get returns the value stored for the triple, or -1. */
static PP_ALWAYS_INLINE int64_t
pp_tab3_get(const pp_tab3 *t, uint32_t k0, uint32_t k1, uint32_t k2)
{
	uint64_t	hash = pp_hash_triple(k0, k1, k2);
	uint32_t	i = (uint32_t) hash & t->mask;

	if (!pp_bloom_may_hold(&t->filter, hash))
		return -1;

	for (;;)
	{
		const pp_tab3_slot *sl = &t->slots[i];

		if (sl->val == 0)
			return -1;
		if (sl->k[0] == k0 && sl->k[1] == k1 && sl->k[2] == k2)
			return (int64_t) sl->val - 1;
		i = (i + 1) & t->mask;
	}
}

#endif							/* PP_TAB3_H */
