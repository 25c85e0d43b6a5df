/*-------------------------------------------------------------------------
 *
 * dict.c
 *	  Filling a level's dictionary of exact selectors while a policy is
 *	  compiled: adding a selector, placing it in the hash table, the
 *	  Bloom filter of the finished table.  The layout and the lookup are
 *	  in pp_dict.h.
 *
 * The table is kept at most half full and rebuilt when it would pass
 * that, so a lookup touches one or two slots.
 *
 * src/core/dict.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pp_dict.h"

/* dict_place puts entry i of a dictionary into a free slot of its table. */
static void
dict_place(pp_dict *d, uint32_t i)
{
	const pp_dict_entry *e = &d->entries[i];
	uint32_t	j = e->hash & d->mask;
	pp_dict_slot *sl;

	while (d->slots[j].id != 0)
		j = (j + 1) & d->mask;
	sl = &d->slots[j];
	if (e->len <= PP_DICT_INLINE)
		memcpy(sl->key, e->s, e->len);
	sl->hash = e->hash;
	sl->length = PP_DICT_LENGTH(e->len, e->isuuid);
	sl->id = i + 1;
}

/* pp_dict_slot_of returns the slot that holds entry i of a dictionary. */
pp_dict_slot *
pp_dict_slot_of(pp_dict *d, uint32_t i)
{
	uint32_t	j = d->entries[i].hash & d->mask;

	while (d->slots[j].id != i + 1)
		j = (j + 1) & d->mask;
	return &d->slots[j];
}

/*
 * pp_dict_add adds a selector that the dictionary does not hold yet and
 * returns its id.  s (len bytes, 16 for a UUID) must live as long as the
 * dictionary: the compiler passes its copy in the policy's string arena.
 */
uint32_t
pp_dict_add(pp_dict *d, const pp_allocator *a, const unsigned char *s,
			size_t len, bool isuuid)
{
	pp_dict_entry *e;

	if (d->nentries == d->maxentries)
	{
		uint32_t	newmax = d->maxentries ? d->maxentries * 2 : 8;
		pp_dict_entry *n = pp_alloc(a, sizeof(pp_dict_entry) * newmax);

		if (d->nentries)
			memcpy(n, d->entries, sizeof(pp_dict_entry) * d->nentries);
		pp_free(a, d->entries);
		d->entries = n;
		d->maxentries = newmax;
	}
	e = &d->entries[d->nentries];
	e->s = s;
	e->len = (uint32_t) len;
	e->hash = (uint32_t) pp_hash_bytes(s, len, isuuid);
	e->isuuid = isuuid;
	d->nentries++;

	/* rebuild the slots when half full; otherwise insert */
	if (2 * d->nentries > d->mask + 1 || d->slots == NULL)
	{
		uint32_t	slots = 16;
		uint32_t	i;

		while (slots < 2 * d->nentries)
			slots <<= 1;
		pp_free(a, d->slots);
		d->slots = pp_alloc0(a, sizeof(pp_dict_slot) * slots);
		d->mask = slots - 1;
		for (i = 0; i < d->nentries; i++)
			dict_place(d, i);
	}
	else
		dict_place(d, d->nentries - 1);
	return d->nentries - 1 + PP_ID_FIRST;
}

/*
 * pp_dict_build_filter gives a finished dictionary its Bloom filter (see
 * pp_bloom.h): most members a check looks up are named by no selector.
 */
void
pp_dict_build_filter(pp_dict *d, const pp_allocator *a)
{
	uint32_t	i;

	pp_bloom_init(&d->filter, a, d->nentries);
	if (d->filter.words != NULL)
		for (i = 0; i < d->nentries; i++)
			pp_bloom_add(&d->filter, pp_hash_bytes(d->entries[i].s,
												   d->entries[i].len,
												   d->entries[i].isuuid));
}

/* pp_dict_free releases a dictionary's entries, slots and filter. */
void
pp_dict_free(pp_dict *d, const pp_allocator *a)
{
	pp_free(a, d->entries);
	pp_free(a, d->slots);
	pp_bloom_free(&d->filter, a);
}
