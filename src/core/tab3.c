/*-------------------------------------------------------------------------
 *
 * tab3.c
 *	  Building the map from a triple of ids to a value (pp_tab3.h, where
 *	  the lookup is, inline): a compiled policy's rule table and its index
 *	  of groups.
 *
 * Tables use open addressing with linear probing and are kept at most
 * half full, so a probe touches one or two cache lines.  They only grow
 * while a policy is compiled; evaluation never writes to them, which is
 * what lets a compiled policy be shared by every row of a scan.
 *
 * src/core/tab3.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pp_alloc.h"
#include "pp_tab3.h"

/* pp_tab3_init makes an empty map sized for about expect entries. */
void
pp_tab3_init(pp_tab3 *t, const pp_allocator *a, uint32_t expect)
{
	uint32_t	slots = 16;

	while (slots < 2 * expect)
		slots <<= 1;
	t->slots = pp_alloc0(a, sizeof(pp_tab3_slot) * slots);
	t->mask = slots - 1;
	t->filter.words = NULL;
	t->count = 0;
}

/* tab3_insert places a triple known to be absent, without growing. */
static void
tab3_insert(pp_tab3 *t, uint32_t k0, uint32_t k1, uint32_t k2, uint32_t val)
{
	uint32_t	i = (uint32_t) pp_hash_triple(k0, k1, k2) & t->mask;

	while (t->slots[i].val != 0)
		i = (i + 1) & t->mask;
	t->slots[i].k[0] = k0;
	t->slots[i].k[1] = k1;
	t->slots[i].k[2] = k2;
	t->slots[i].val = val + 1;
	t->count++;
}

/* pp_tab3_put adds a triple that is not yet in the map, growing it first. */
void
pp_tab3_put(pp_tab3 *t, const pp_allocator *a,
			uint32_t k0, uint32_t k1, uint32_t k2, uint32_t val)
{
	if (2 * (t->count + 1) > t->mask + 1)
	{
		pp_tab3		old = *t;
		uint32_t	i;

		pp_tab3_init(t, a, old.mask + 1);
		for (i = 0; i <= old.mask; i++)
			if (old.slots[i].val != 0)
				tab3_insert(t, old.slots[i].k[0], old.slots[i].k[1],
							old.slots[i].k[2], old.slots[i].val - 1);
		pp_tab3_free(&old, a);
	}
	tab3_insert(t, k0, k1, k2, val);
}

/* pp_tab3_free releases a map's slots. */
void
pp_tab3_free(pp_tab3 *t, const pp_allocator *a)
{
	pp_free(a, t->slots);
	t->slots = NULL;
	pp_bloom_free(&t->filter, a);
}
