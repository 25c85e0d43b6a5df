/*-------------------------------------------------------------------------
 *
 * bloom.c
 *	  Sizing and releasing the Bloom filters of a compiled policy; adding
 *	  and testing a hash are inline, in pp_bloom.h.
 *
 * src/core/bloom.c
 *
 *-------------------------------------------------------------------------
 */
#include "pp_alloc.h"
#include "pp_bloom.h"

/*
 * pp_bloom_init gives b a filter sized for keys keys, or none (words NULL)
 * for an empty table.  The word index takes 18 bits of the hash: at most
 * 2^18 words (2 MB).
 */
void
pp_bloom_init(pp_bloom *b, const pp_allocator *a, uint32_t keys)
{
	uint32_t	words = 1;

	b->words = NULL;
	if (keys == 0)
		return;
	while ((uint64_t) words * 64 < (uint64_t) PP_BLOOM_BITS * keys && words < (1u << 18))
		words <<= 1;
	b->words = pp_alloc0(a, sizeof(uint64_t) * words);
	b->wmask = words - 1;
}

/* pp_bloom_free releases a filter. */
void
pp_bloom_free(pp_bloom *b, const pp_allocator *a)
{
	pp_free(a, b->words);
	b->words = NULL;
}
