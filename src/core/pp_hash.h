/*-------------------------------------------------------------------------
 *
 * pp_hash.h
 *	  The hashes of the core's tables: of a byte string (selectors and
 *	  the members of rows) and of a triple of ids (rules).
 *
 * src/core/pp_hash.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_HASH_H
#define PP_HASH_H

#include <stdint.h>
#include <string.h>

#include "pp_port.h"

/*
 * pp_hash_bytes hashes a byte string.  Selectors and the members of rows
 * are short and of varying length (integration names, External IDs), so
 * one of 16 bytes or less is read as two words without a loop: two
 * overlapping 8-byte or 4-byte reads, or its first, middle and last
 * bytes.  A byte-wise copy into a word would stall on store forwarding,
 * and a loop whose trip count varies from row to row costs mispredicted
 * branches on every row.  The length is in the seed, so the overlap loses
 * nothing.  Longer strings take eight bytes at a time.
 */
static PP_ALWAYS_INLINE uint64_t
pp_hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t	h = seed ^ ((uint64_t) len * 0x9E3779B97F4A7C15ULL);
	uint64_t	a,
				b;

	if (len <= 16)
	{
		if (len >= 8)
		{
			memcpy(&a, p, 8);
			memcpy(&b, p + len - 8, 8);
		}
		else if (len >= 4)
		{
			uint32_t	x,
						y;

			memcpy(&x, p, 4);
			memcpy(&y, p + len - 4, 4);
			a = x;
			b = y;
		}
		else
		{
			a = len == 0 ? 0 :
				(uint64_t) p[0] | ((uint64_t) p[len / 2] << 8) | ((uint64_t) p[len - 1] << 16);
			b = 0;
		}
	}
	else
	{
		while (len > 16)
		{
			memcpy(&a, p, 8);
			h = (h ^ a) * 0xBF58476D1CE4E5B9ULL;
			h ^= h >> 31;
			p += 8;
			len -= 8;
		}
		memcpy(&a, p, 8);
		memcpy(&b, p + len - 8, 8);
	}
	h = (h ^ a) * 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 31;
	h = (h ^ b) * 0x94D049BB133111EBULL;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return h;
}

/* Hash of a triple of ids. */
static inline uint64_t
pp_hash_triple(uint32_t a, uint32_t b, uint32_t c)
{
	uint64_t	h = (uint64_t) a * 0x9E3779B97F4A7C15ULL;

	h ^= (uint64_t) b * 0xC2B2AE3D27D4EB4FULL;
	h ^= (uint64_t) c * 0x165667B19E3779F9ULL;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return h;
}

#endif							/* PP_HASH_H */
