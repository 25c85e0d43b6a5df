/*-------------------------------------------------------------------------
 *
 * pp_int.h
 *	  Private structures of the paragon_perm core, shared by the compiler
 *	  (policy.c), the evaluator (eval.c) and the hash tables (table.c).
 *
 * Members of each level are interned in a dictionary and named by small
 * integers: 0 means "no key at this level" in a rule (or "no exact
 * selector matches" in a target), 1 the wildcard, 2 and up an exact
 * selector.  A rule is then the triple of its level ids, and looking a
 * rule up is one probe in a hash table of triples.
 *
 * src/core/pp_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_INT_H
#define PP_INT_H

#include <string.h>

#include "pp.h"

#define PP_ID_NONE		0
#define PP_ID_WILDCARD	1
#define PP_ID_FIRST		2

/*
 * The lookups below run several times per checked row; the compiler's
 * size heuristics would otherwise make some of them calls.
 */
#if defined(__GNUC__) || defined(__clang__)
#define PP_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define PP_ALWAYS_INLINE inline
#endif

/* Specificity class of an id: 0 none, 1 wildcard, 2 exact. */
#define PP_ID_CLASS(id) ((id) >= PP_ID_FIRST ? 2 : (id))

/* Node kinds: a container defines nothing for its own scope. */
#define PP_NODE_DENY		PP_VALUE_DENY
#define PP_NODE_LIST		PP_VALUE_LIST
#define PP_NODE_ALLOW		PP_VALUE_ALLOW
#define PP_NODE_CONTAINER	3

/* Memory helpers over a pp_allocator. */
extern void *pp_alloc(const pp_allocator *a, size_t size);
extern void *pp_alloc0(const pp_allocator *a, size_t size);
extern void pp_free(const pp_allocator *a, void *ptr);

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

/* A scope key of the claims: a rule (deny/list/allow) or a container. */
typedef struct pp_node
{
	uint32_t	ids[PP_MAX_DEPTH];
	uint8_t		kind;
	uint8_t		depth;			/* level of its deepest key */
	uint16_t	perms;			/* implied permissions included */
	const char *key;			/* original key text, in the string arena */
	uint32_t	key_len;
} pp_node;

/*
 * What a check needs of a node, four bytes each: its kind and its
 * permissions.  The evaluator reads this array, not the nodes (32 bytes
 * each, mostly the key text's location), so that the rules a large
 * policy decides with stay in the cache.
 */
#define PP_NODE_INFO(kind, perms)	((uint32_t) (kind) | ((uint32_t) (perms) << 16))
#define PP_INFO_KIND(info)		((int) ((info) & 0xff))
#define PP_INFO_PERMS(info)		((uint16_t) ((info) >> 16))

/* A compiled policy. */
struct pp_policy
{
	pp_allocator alloc;
	bool		restricted;		/* the permissions claim is present */
	pp_sub_state sub_state;		/* the claims root's "sub" */
	pp_jtype	sub_type;		/* its JSON type, when present */
	const char *sub;			/* PP_SUB_STRING: its text, in the arena */
	size_t		sub_len;
	uint32_t	pattern_mask;	/* bit c1 + 3 c2 + 9 c3 set if a rule has
								 * that shape of id classes */
	pp_dict		dict[PP_MAX_DEPTH];
	pp_node    *nodes;
	uint32_t	nnodes;
	uint32_t	maxnodes;
	uint32_t   *node_info;		/* PP_NODE_INFO of each node, once built */
	pp_tab3		node_index;		/* ids -> node */
	pp_tab3		group_index;	/* (depth, k1, k2) -> group */
	uint32_t   *group_start;	/* group g: group_rules[start[g] .. start[g+1]) */
	uint32_t	ngroups;
	uint32_t   *group_rules;	/* non-deny rules deeper than the group */
	struct pp_chunk *chunks;	/* arena of key texts and selectors */
};

/* A parsed scope key. */
typedef struct pp_scope
{
	int			level;			/* PP_LEVEL_* */
	bool		wildcard;
	const char *sel;			/* exact selector text */
	size_t		sel_len;
	bool		isuuid;			/* credential selector that is a UUID */
	unsigned char uuid[16];
} pp_scope;

/*
 * pp_scope_parse parses a scope key.  On failure it returns a message
 * format holding one %s for the key, and sets *hint.
 */
extern const char *pp_scope_parse(const char *key, size_t len, pp_scope *out,
								  const char **hint);
extern const char *pp_level_name(int level);

/* pp_member_set fills one member of a target; "*" is the unspecified member. */
static inline void
pp_member_set(pp_member *m, const char *s, size_t len)
{
	if (s == NULL || (len == 1 && s[0] == '*'))
	{
		m->kind = PP_MEMBER_UNSPECIFIED;
		m->s = NULL;
		m->len = 0;
	}
	else
	{
		m->kind = PP_MEMBER_TEXT;
		m->s = s;
		m->len = len;
	}
}

/*
 * pp_target_fill is pp_target_init without copying a UUID credential:
 * the target points at cred_uuid, which must outlive it.  A credential
 * given as text that spells a UUID is parsed into the target.
 */
static inline void
pp_target_fill(pp_target *t,
			   const char *integ, size_t integ_len,
			   const char *cred, size_t cred_len,
			   const unsigned char *cred_uuid,
			   const char *conf, size_t conf_len)
{
	bool		has_cred = (cred != NULL || cred_uuid != NULL);

	t->depth = conf != NULL ? 3 : has_cred ? 2 : 1;
	pp_member_set(&t->m[0], integ, integ_len);
	pp_member_set(&t->m[2], conf, conf_len);
	if (cred_uuid != NULL)
	{
		t->m[1].kind = PP_MEMBER_UUID;
		t->m[1].s = (const char *) cred_uuid;
		t->m[1].len = 16;
	}
	else
	{
		pp_member_set(&t->m[1], cred, cred_len);
		if (t->m[1].kind == PP_MEMBER_TEXT && pp_uuid_parse(cred, cred_len, t->uuid))
		{
			t->m[1].kind = PP_MEMBER_UUID;
			t->m[1].s = (const char *) t->uuid;
			t->m[1].len = 16;
		}
	}
}

#endif							/* PP_INT_H */
