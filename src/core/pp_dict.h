/*-------------------------------------------------------------------------
 *
 * pp_dict.h
 *	  The dictionary of one level's exact selectors: the ids they are
 *	  named by, the layout of its hash table, and its lookup.
 *
 * Members of each level are interned in a dictionary and named by small
 * integers: 0 means "no key at this level" in a rule (or "no exact
 * selector matches" in a target), 1 the wildcard, 2 and up an exact
 * selector.  A rule is then the triple of its level ids, and looking a
 * rule up is one probe in a hash table of triples (pp_tab3.h).
 *
 * Dictionaries are filled while a policy is compiled (dict.c) and only
 * read afterwards.
 *
 * src/core/pp_dict.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_DICT_H
#define PP_DICT_H

#include <string.h>

#include "pp_alloc.h"
#include "pp_bloom.h"
#include "pp_hash.h"
#include "pp_port.h"

/* The ids of a level's members: see above. */
#define PP_ID_NONE		0
#define PP_ID_WILDCARD	1
#define PP_ID_FIRST		2

/* Specificity class of an id: 0 none, 1 wildcard, 2 exact. */
#define PP_ID_CLASS(id) ((id) >= PP_ID_FIRST ? 2 : (id))

/* One interned selector of a level. */
typedef struct pp_dict_entry
{
	const unsigned char *s;		/* text, or 16 bytes for a UUID */
	uint32_t	len;
	uint32_t	hash;
	bool		isuuid;
} pp_dict_entry;

/* Selectors up to this many bytes (every UUID) are kept in their slot. */
#define PP_DICT_INLINE	16

/* The length word of a dictionary slot: the length, and a flag for UUIDs. */
#define PP_DICT_UUID	0x80000000u
#define PP_DICT_LENGTH(len, isuuid) ((uint32_t) (len) | ((isuuid) ? PP_DICT_UUID : 0))

/*
 * A slot of a dictionary's hash table, 32 bytes (two to a cache line).
 * It holds a short selector itself, so that finding one, a row's UUID
 * say, reads one cache line: a large policy's entries do not stay in the
 * cache while a scan streams rows through it.  It also names the rule
 * whose only key is this selector ("integration:X", a top-level
 * "credential:Y" or "configuration:ext:Z"), the commonest rules, so that
 * the evaluator finds that one without probing the rule table.
 */
typedef struct pp_dict_slot
{
	unsigned char key[PP_DICT_INLINE];	/* the selector, if that short */
	uint32_t	hash;			/* the low half of its hash */
	uint32_t	length;			/* PP_DICT_LENGTH */
	uint32_t	id;				/* entry index + 1; 0 marks an empty slot */
	uint32_t	solo;			/* that rule's node index + 1, or 0: none */
} pp_dict_slot;

/* Dictionary of one level's exact selectors: entry i has id i + 2. */
typedef struct pp_dict
{
	pp_dict_entry *entries;
	uint32_t	nentries;
	uint32_t	maxentries;
	pp_dict_slot *slots;
	uint32_t	mask;			/* slots - 1 */
	pp_bloom	filter;			/* the selectors', once the policy is built */
} pp_dict;

/*
 * pp_bytes_equal compares two byte strings of the same length.  Selectors
 * are short (a UUID is 16 bytes), so a few word loads, overlapping at the
 * end, beat a call to memcmp.
 */
static inline bool
pp_bytes_equal(const unsigned char *a, const unsigned char *b, size_t len)
{
	uint64_t	x,
				y;

	if (len >= 8)
	{
		size_t		i;

		for (i = 0; i + 8 < len; i += 8)
		{
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return false;
		}
		memcpy(&x, a + len - 8, 8);
		memcpy(&y, b + len - 8, 8);
		return x == y;
	}
	if (len >= 4)
	{
		uint32_t	p,
					q,
					r,
					s;

		memcpy(&p, a, 4);
		memcpy(&q, b, 4);
		memcpy(&r, a + len - 4, 4);
		memcpy(&s, b + len - 4, 4);
		return p == q && r == s;
	}
	return len == 0 || (a[0] == b[0] && a[len / 2] == b[len / 2] && a[len - 1] == b[len - 1]);
}

/* pp_dict_find returns the slot of an exact selector, or NULL. */
static PP_ALWAYS_INLINE const pp_dict_slot *
pp_dict_find(const pp_dict *d, const unsigned char *s, size_t len,
			 bool isuuid)
{
	uint64_t	hash;
	uint32_t	h;
	uint32_t	length = PP_DICT_LENGTH(len, isuuid);
	uint32_t	i;

	if (d->nentries == 0)
		return NULL;
	hash = pp_hash_bytes(s, len, isuuid);
	if (!pp_bloom_may_hold(&d->filter, hash))
		return NULL;
	h = (uint32_t) hash;
	i = h & d->mask;
	for (;;)
	{
		const pp_dict_slot *sl = &d->slots[i];

		if (sl->id == 0)
			return NULL;
		/* the hash and length in the slot spare comparing other keys */
		if (sl->hash == h && sl->length == length &&
			pp_bytes_equal(len <= PP_DICT_INLINE ? sl->key : d->entries[sl->id - 1].s,
						   s, len))
			return sl;
		i = (i + 1) & d->mask;
	}
}

/* pp_dict_lookup returns the id of an exact selector, or PP_ID_NONE. */
static inline uint32_t
pp_dict_lookup(const pp_dict *d, const unsigned char *s, size_t len,
			   bool isuuid)
{
	const pp_dict_slot *sl = pp_dict_find(d, s, len, isuuid);

	return sl != NULL ? sl->id - 1 + PP_ID_FIRST : PP_ID_NONE;
}

/* dict.c */
extern uint32_t pp_dict_add(pp_dict *d, const pp_allocator *a,
							const unsigned char *s, size_t len, bool isuuid);
extern pp_dict_slot *pp_dict_slot_of(pp_dict *d, uint32_t i);
extern void pp_dict_build_filter(pp_dict *d, const pp_allocator *a);
extern void pp_dict_free(pp_dict *d, const pp_allocator *a);

#endif							/* PP_DICT_H */
