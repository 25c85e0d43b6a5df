/*-------------------------------------------------------------------------
 *
 * pp_bloom.h
 *	  The blocked Bloom filter in front of a compiled policy's tables.
 *
 * src/core/pp_bloom.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_BLOOM_H
#define PP_BLOOM_H

#include "pp.h"

/*
 * A Bloom filter over 64-bit hashes, with bits from the hash's high half
 * (the tables' slots use the low half), about PP_BLOOM_BITS bits per key,
 * in front of every table of a compiled policy.  Most members a policy is
 * asked about are not in it: for a large table, the filter, small enough
 * to stay in cache, answers those without touching the table, which does
 * not stay there; for a small one, it replaces the probe's branches on
 * slot contents, which change from row to row and mispredict, with one
 * test that is nearly always false.  It is blocked: a key's two bits lie
 * in one 64-bit word, so a probe reads one word, not two cache lines;
 * about 3% of absent keys pass it.
 */
#define PP_BLOOM_BITS	16

typedef struct pp_bloom
{
	uint64_t   *words;			/* wmask + 1 words, or NULL: no filter */
	uint32_t	wmask;
} pp_bloom;

extern void pp_bloom_init(pp_bloom *b, const pp_allocator *a, uint32_t keys);
extern void pp_bloom_free(pp_bloom *b, const pp_allocator *a);

/* pp_bloom_word gives a hash's word of the filter and its two bits there. */
static inline uint64_t *
pp_bloom_word(const pp_bloom *b, uint64_t hash, uint64_t *bits)
{
	uint32_t	x = (uint32_t) (hash >> 32);

	*bits = (UINT64_C(1) << (x & 63)) | (UINT64_C(1) << ((x >> 6) & 63));
	return &b->words[(x >> 12) & b->wmask];
}

/* pp_bloom_add records a hash. */
static inline void
pp_bloom_add(pp_bloom *b, uint64_t hash)
{
	uint64_t	bits;

	*pp_bloom_word(b, hash, &bits) |= bits;
}

/* pp_bloom_may_hold is false only for a hash never added (true without a filter). */
static inline bool
pp_bloom_may_hold(const pp_bloom *b, uint64_t hash)
{
	uint64_t	bits;

	if (b->words == NULL)
		return true;
	return (*pp_bloom_word(b, hash, &bits) & bits) == bits;
}

#endif							/* PP_BLOOM_H */
