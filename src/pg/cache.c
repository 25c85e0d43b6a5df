/*-------------------------------------------------------------------------
 *
 * cache.c
 *	  Per-call-site cache of compiled policies, keyed by the claims' bytes.
 *
 * A qual such as paragon_allowed((SELECT claims), ...) is called once per
 * row with the same claims, so the call site keeps the compiled policy in
 * fn_extra (allocated in fn_mcxt, as long-lived as the expression) and
 * finds it again with the cheapest test that is safe, in this order:
 * 1. a claims argument fixed for the call site (support.c) at the datum
 * pointer last seen; 2. the TOAST pointer last seen, within one
 * statement; 3. the bytes of the entry used last; 4. the entry last found
 * at this address, compared byte for byte; 5. a bounded hash table of the
 * call site's policies; 6. the backend's store (store.c), where another
 * statement or call site may have compiled them.  Only 1 and 2 trust
 * anything but the bytes; policy_for says why they may.  Since jsonb is a
 * canonical binary form, equal claims have equal bytes.  Nothing is
 * allocated on a hit unless the argument is compressed or toasted out of
 * line, where reading it at all needs a copy.
 *
 * src/pg/cache.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/detoast.h"
#include "access/xact.h"
#include "storage/proc.h"
#include "utils/memutils.h"

#include "pg_policy.h"

#define PP_CACHE_ENTRIES	1024
#define PP_CACHE_BUCKETS	2048	/* power of two, twice the entries */
#define PP_CACHE_BYTES		((Size) 64 * 1024 * 1024)
#define PP_ADDR_SETS		2048	/* power of two: address -> entry hints,
									 * two ways per set */

typedef struct CacheEntry
{
	uint64		lastuse;
	SharedPolicy *sp;			/* a reference to the store's policy */
	int			next;			/* next entry in the bucket, or -1 */
} CacheEntry;

typedef struct PolicyCache
{
	MemoryContext mcxt;
	MemoryContextCallback release;	/* drops the references at its end */
	bool		arg_stable;		/* the claims argument is fixed (support.c) */
	PermMemo	perm;			/* the permission argument, if a Const */
	const void *last_ptr;		/* datum pointer last seen */
	bool		last_toast_valid;	/* last_toast holds the last claims' pointer */
	struct varatt_external last_toast;	/* TOAST pointer last seen */
	LocalTransactionId last_toast_lxid; /* ... in this transaction */
	TimestampTz last_toast_stmt;	/* ... and this top-level statement */
	int			last;			/* entry used last, or -1 */
	const pp_policy *last_policy;	/* its policy */
	uint64		clock;
	int			nentries;
	int			maxentries;
	Size		mem;
	CacheEntry *entries;
	int		   *buckets;		/* PP_CACHE_BUCKETS heads, or NULL before
								 * the second entry (cache_index_create) */
	struct AddrHint *addr_hint; /* 2 * PP_ADDR_SETS hints, or NULL with it */
} PolicyCache;

/* The entry last found for claims at an address (entry -1: none). */
typedef struct AddrHint
{
	const void *ptr;
	int			entry;
} AddrHint;

/*
 * addr_set returns the two hints an address may use.  Two ways, so that a
 * few hundred tokens rarely evict each other's hints (one way lost about
 * one row in five to a collision, and with it the bytes' hash).
 */
static inline AddrHint *
addr_set(PolicyCache *c, const void *ptr)
{
	uint64		h = ((uint64) (uintptr_t) ptr) * UINT64CONST(0x9E3779B97F4A7C15);

	return &c->addr_hint[2 * ((h >> 40) & (PP_ADDR_SETS - 1))];
}

/* remember_addr records that the claims at ptr are entry i. */
static inline void
remember_addr(PolicyCache *c, const void *ptr, int i)
{
	AddrHint   *h = addr_set(c, ptr);

	if (h[0].ptr == ptr)
		h[0].entry = i;
	else
	{
		if (h[1].ptr != ptr)
			h[1] = h[0];
		h[0].ptr = ptr;
		h[0].entry = i;
	}
}

/*
 * cache_release drops the call site's references to the store's policies
 * when its memory context is reset or deleted: the end of the execution,
 * or of an aborted transaction.
 */
static void
cache_release(void *arg)
{
	PolicyCache *c = (PolicyCache *) arg;
	int			i;

	for (i = 0; i < c->nentries; i++)
		paragon_store_release(c->entries[i].sp);
	c->nentries = 0;
	c->last = -1;
}

/* cache_get returns the call site's cache, creating it on first use. */
static pg_attribute_always_inline PolicyCache *
cache_get(FunctionCallInfo fcinfo, int argno)
{
	PolicyCache *c = (PolicyCache *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(PolicyCache));
		c->mcxt = fcinfo->flinfo->fn_mcxt;
		c->arg_stable = paragon_arg_fixed(fcinfo->flinfo, argno);
		c->last = -1;
		c->release.func = cache_release;
		c->release.arg = c;
		MemoryContextRegisterResetCallback(c->mcxt, &c->release);
		fcinfo->flinfo->fn_extra = c;
	}
	return c;
}

/* remember_toast records the TOAST pointer of the claims just matched. */
static inline void
remember_toast(PolicyCache *c, const struct varatt_external *toast)
{
	c->last_toast = *toast;
	c->last_toast_lxid = PP_MY_LXID;
	c->last_toast_stmt = GetCurrentStatementStartTimestamp();
	c->last_toast_valid = true;
}

/*
 * use_entry makes entry i the one used last, for the datum raw (and its
 * TOAST pointer, if any), and returns its policy.
 */
static inline const pp_policy *
use_entry(PolicyCache *c, int i, Datum raw, const struct varatt_external *toast)
{
	c->entries[i].lastuse = ++c->clock;
	c->last = i;
	c->last_policy = c->entries[i].sp->compiled.policy;
	c->last_ptr = DatumGetPointer(raw);
	if (toast != NULL)
		remember_toast(c, toast);
	return c->last_policy;
}

/* entry_matches compares an entry's bytes with the claims'. */
static inline bool
entry_matches(const CacheEntry *e, const char *data, Size len)
{
	return e->sp->len == len && memcmp(e->sp->bytes, data, len) == 0;
}

/* bucket_unlink removes entry i from its hash chain. */
static void
bucket_unlink(PolicyCache *c, int i)
{
	int		   *link = &c->buckets[c->entries[i].sp->hash & (PP_CACHE_BUCKETS - 1)];

	while (*link != -1)
	{
		if (*link == i)
		{
			*link = c->entries[i].next;
			return;
		}
		link = &c->entries[*link].next;
	}
}

/*
 * evict_one frees the least recently used entry other than keep, moving
 * the last entry into its slot; returns where keep now stands.
 */
static int
evict_one(PolicyCache *c, int keep)
{
	int			victim = -1;
	int			i;
	int			last = c->nentries - 1;
	uint64		oldest = PG_UINT64_MAX;

	/* the oldest use in a local, so that no load waits on the last compare */
	for (i = 0; i < c->nentries; i++)
		if (i != keep && c->entries[i].lastuse <= oldest)
		{
			oldest = c->entries[i].lastuse;
			victim = i;
		}
	if (victim < 0)
		return keep;

	bucket_unlink(c, victim);
	c->mem -= c->entries[victim].sp->mem;
	paragon_store_release(c->entries[victim].sp);
	if (c->last == victim)
		c->last = -1;

	if (victim != last)
	{
		int			b;

		bucket_unlink(c, last);
		c->entries[victim] = c->entries[last];
		b = (int) (c->entries[victim].sp->hash & (PP_CACHE_BUCKETS - 1));
		c->entries[victim].next = c->buckets[b];
		c->buckets[b] = victim;
		if (c->last == last)
			c->last = victim;
		if (keep == last)
			keep = victim;
	}
	c->nentries--;
	return keep;
}

/*
 * cache_index_create allocates the table's hash buckets and the address
 * hints (about 72 kB) when a call site meets its second claims, and files
 * the entry it has.  A call site whose claims never change (a Const, the
 * usual case) answers from the entry used last and never needs them, and
 * a query may hold hundreds of such call sites.
 */
static void
cache_index_create(PolicyCache *c)
{
	int			i;

	c->buckets = MemoryContextAlloc(c->mcxt, sizeof(int) * PP_CACHE_BUCKETS);
	memset(c->buckets, -1, sizeof(int) * PP_CACHE_BUCKETS);
	c->addr_hint = MemoryContextAlloc(c->mcxt, sizeof(AddrHint) * 2 * PP_ADDR_SETS);
	for (i = 0; i < 2 * PP_ADDR_SETS; i++)
	{
		c->addr_hint[i].ptr = NULL;
		c->addr_hint[i].entry = -1;
	}
	for (i = 0; i < c->nentries; i++)
	{
		int			b = (int) (c->entries[i].sp->hash & (PP_CACHE_BUCKETS - 1));

		c->entries[i].next = c->buckets[b];
		c->buckets[b] = i;
	}
	if (c->last >= 0)
		remember_addr(c, c->last_ptr, c->last);
}

/*
 * cache_insert makes a new entry for the claims, with the store's policy
 * for them (compiled there if need be), and returns its index.
 */
static int
cache_insert(PolicyCache *c, Datum raw, const char *data, Size len, uint64 hash)
{
	SharedPolicy *sp;
	CacheEntry *e;
	int			i;

	if (c->entries == NULL)
	{
		c->maxentries = 4;
		c->entries = MemoryContextAlloc(c->mcxt, sizeof(CacheEntry) * c->maxentries);
	}
	else if (c->buckets == NULL)
		cache_index_create(c);
	if (c->nentries == PP_CACHE_ENTRIES)
		(void) evict_one(c, -1);
	if (c->nentries == c->maxentries)
	{
		c->maxentries *= 2;
		c->entries = repalloc(c->entries, sizeof(CacheEntry) * c->maxentries);
	}

	/* last, so that an error (invalid claims) leaves no reference behind */
	sp = paragon_store_acquire(raw, data, len, hash);
	i = c->nentries++;
	e = &c->entries[i];
	e->sp = sp;
	e->lastuse = ++c->clock;
	if (c->buckets != NULL)
	{
		e->next = c->buckets[hash & (PP_CACHE_BUCKETS - 1)];
		c->buckets[hash & (PP_CACHE_BUCKETS - 1)] = i;
	}
	else
		e->next = -1;
	c->mem += sp->mem;

	/* keep the memory bounded; the new entry itself always stays */
	while (c->mem > PP_CACHE_BYTES && c->nentries > 1)
		i = evict_one(c, i);
	return i;
}

/*
 * policy_for returns the compiled policy for the (non-NULL) claims
 * argument argno of call site c, compiling it on a miss; invalid claims
 * raise an error, never a policy.
 */
static pg_attribute_always_inline const pp_policy *
policy_for(PolicyCache *c, FunctionCallInfo fcinfo, int argno)
{
	Datum		raw = PG_GETARG_DATUM(argno);
	struct varlena *v;
	const char *data;
	Size		len;
	uint64		hash;
	int			i;
	bool		is_toast = false;
	struct varatt_external toast;

	/*
	 * tier 1: an argument fixed for this call site, same datum; no byte is
	 * read, whatever the size of the claims.  A pointer alone is never
	 * trusted for other arguments: a freed tuple's memory can be reused at
	 * the same address for another token (PL/pgSQL's simple expressions, a
	 * correlated subquery, a join's outer row).
	 */
	if (c->arg_stable && c->last >= 0 && DatumGetPointer(raw) == c->last_ptr)
		return c->last_policy;

	/*
	 * tier 2: the same out-of-line TOAST value as last time, as for (SELECT
	 * claims FROM tokens WHERE ...).  A stored TOAST value is never changed
	 * in place, and its OID cannot name another value while a snapshot that
	 * saw it is active, so the pointer identifies the bytes without
	 * fetching and decompressing them on every row.  It is trusted within
	 * one top-level statement only (same transaction, same statement
	 * start): the statement's snapshot keeps the value from being vacuumed
	 * away, whereas PL/pgSQL keeps a cache across statements, between which
	 * the OID could be freed and, after OID wraparound, reused.
	 */
	if (VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(raw)))
	{
		VARATT_EXTERNAL_GET_POINTER(toast, DatumGetPointer(raw));
		is_toast = true;
		if (c->last >= 0 && c->last_toast_valid &&
			memcmp(&toast, &c->last_toast, sizeof(toast)) == 0 &&
			c->last_toast_lxid == PP_MY_LXID &&
			c->last_toast_stmt == GetCurrentStatementStartTimestamp())
			return c->last_policy;
	}
	/* recorded below only once an entry for these bytes is found or made */
	c->last_toast_valid = false;

	/* read the bytes in place when the datum is not compressed or external */
	v = PG_DETOAST_DATUM_PACKED(raw);
	data = VARDATA_ANY(v);
	len = VARSIZE_ANY_EXHDR(v);

	/* tier 3: the entry used last */
	if (c->last >= 0 && entry_matches(&c->entries[c->last], data, len))
		return use_entry(c, c->last, raw, is_toast ? &toast : NULL);

	/*
	 * tier 4: the entry last found at this address, if the bytes match: the
	 * address only picks the candidate.  It answers with one memcmp when the
	 * claims change on every row but come from a few tuples that stay put
	 * (the inner side of a join over a tokens table).
	 */
	if (c->addr_hint != NULL)
	{
		AddrHint   *h = addr_set(c, DatumGetPointer(raw));
		int			w;

		for (w = 0; w < 2; w++)
		{
			i = h[w].entry;
			if (h[w].ptr == DatumGetPointer(raw) && i >= 0 && i < c->nentries &&
				entry_matches(&c->entries[i], data, len))
				return use_entry(c, i, raw, is_toast ? &toast : NULL);
		}
	}

	/*
	 * tier 5: the table, up to PP_CACHE_ENTRIES policies or PP_CACHE_BYTES,
	 * least recently used evicted first, so that a join of a few hundred
	 * tokens with many rows does not recompile whichever side the planner
	 * puts outside; cache_insert asks tier 6, the store
	 */
	paragon_check_claims_size(len);
	hash = paragon_store_key(data, len);
	if (c->buckets != NULL)
	{
		for (i = c->buckets[hash & (PP_CACHE_BUCKETS - 1)]; i >= 0; i = c->entries[i].next)
		{
			if (c->entries[i].sp->hash == hash && entry_matches(&c->entries[i], data, len))
			{
				remember_addr(c, DatumGetPointer(raw), i);
				return use_entry(c, i, raw, is_toast ? &toast : NULL);
			}
		}
	}

	i = cache_insert(c, raw, data, len, hash);
	if (c->addr_hint != NULL)
		remember_addr(c, DatumGetPointer(raw), i);
	return use_entry(c, i, raw, is_toast ? &toast : NULL);
}

/* paragon_policy_for_arg is policy_for at the call site of fcinfo. */
const pp_policy *
paragon_policy_for_arg(FunctionCallInfo fcinfo, int argno)
{
	return policy_for(cache_get(fcinfo, argno), fcinfo, argno);
}

/*
 * paragon_policy_and_perm returns the policy of the claims (argument 0;
 * NULL for SQL NULL) and, in *perm, the permission named by argument
 * permno, with one look at the call site: the per-row path of
 * paragon_allowed.  An unknown permission is an error even without claims.
 */
const pp_policy *
paragon_policy_and_perm(FunctionCallInfo fcinfo, int permno, int *perm)
{
	PolicyCache *c;

	if (PG_ARGISNULL(0))
	{
		*perm = paragon_permission_arg(fcinfo, permno);
		return NULL;
	}
	c = cache_get(fcinfo, 0);
	*perm = paragon_permission_arg_memo(fcinfo, permno, &c->perm);
	return policy_for(c, fcinfo, 0);
}
