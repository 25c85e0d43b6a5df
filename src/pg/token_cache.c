/*-------------------------------------------------------------------------
 *
 * token_cache.c
 *	  The backend's bounded cache of verified tokens.
 *
 * An application sends the same token with every request of a user for
 * as long as it lives, and each request verifies it again: a signature
 * check, parsing, and the conversion of the claims to jsonb.  This cache
 * keeps the claims of tokens this backend verified, so that the same
 * token again costs a hash and a copy.
 *
 * What decides a verdict is the key: a SHA-256 over length-prefixed
 * fields, namely the exact token bytes, the key text (as its own SHA-256,
 * which key_cache.c computes once per key), the list of allowed
 * algorithms (in order), the audience (or its absence), the leeway and
 * require_exp.  The same token under another key, another algorithm list,
 * audience or leeway is another entry and is verified afresh.  The
 * instant of judgement is NOT part of the key: an entry holds the token's
 * exp, nbf and iat, and every use judges them at the caller's instant
 * with the verifier's own rules (pj_claims_check_times), so a cached
 * token is refused past its exp exactly as a fresh one.
 *
 * Only tokens accepted in full are added (token.c adds after every check
 * passed).  A refusal is never cached: a refused token is verified again
 * next time and so stays refused, and a token refused for its time is
 * judged afresh at another instant.
 *
 * Bounds: at most PP_TOKEN_CACHE_ENTRIES entries and PP_TOKEN_CACHE_BYTES
 * bytes of entries; the entry used longest ago is evicted first, and
 * claims over PP_TOKEN_CACHE_MAX_ENTRY bytes are not kept.  The cache is
 * the memory context "paragon_perm token cache" (pg_backend_memory_contexts
 * shows it); its compiled policies are not here but in the store
 * (store.c), found by the claims' bytes.
 *
 * src/pg/token_cache.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <openssl/evp.h>

#include "fmgr.h"
#include "lib/ilist.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "token_cache.h"

#define PP_TOKEN_BUCKETS 8192	/* power of two, >= PP_TOKEN_CACHE_ENTRIES */

typedef struct TokenEntry
{
	dlist_node	lru;			/* most recently used first */
	struct TokenEntry *next;	/* hash chain */
	uint8		digest[PP_TOKEN_DIGEST_LEN];
	pj_claims_times times;
	Size		mem;			/* bytes of this entry */
	Jsonb	   *claims;			/* in the same chunk */
} TokenEntry;

static MemoryContext token_cxt = NULL;
static TokenEntry **buckets = NULL;
static dlist_head lru = DLIST_STATIC_INIT(lru);
static int	nentries = 0;
static Size nbytes = 0;
static uint64 nhits = 0;
static uint64 nmisses = 0;
static uint64 nevicted = 0;

/* digest_field appends one field, its length first, to buf at *off. */
static void
digest_field(char *buf, size_t *off, const void *data, size_t len)
{
	uint64		n = (uint64) len;

	memcpy(buf + *off, &n, sizeof(n));
	*off += sizeof(n);
	if (len > 0)
		memcpy(buf + *off, data, len);
	*off += len;
}

/* token_sha256 computes SHA-256 with a digest fetched once per backend:
 * OpenSSL 3's one-shot SHA256() looks the algorithm up on every call. */
static bool
token_sha256(const void *data, size_t len, uint8 digest[PP_TOKEN_DIGEST_LEN])
{
	static EVP_MD *md = NULL;
	static EVP_MD_CTX *ctx = NULL;
	unsigned int dlen = 0;

	if (md == NULL)
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (ctx == NULL)
		ctx = EVP_MD_CTX_new();
	return md != NULL && ctx != NULL &&
		EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
		EVP_DigestUpdate(ctx, data, len) == 1 &&
		EVP_DigestFinal_ex(ctx, digest, &dlen) == 1 &&
		dlen == PP_TOKEN_DIGEST_LEN;
}

/*
 * paragon_token_cache_digest computes the cache key of a verification:
 * SHA-256 over the length-prefixed fields, the key represented by the
 * SHA-256 of its text (key_cache.c computes it once per key); false when
 * OpenSSL could not (the caller then verifies without the cache).
 */
bool
paragon_token_cache_digest(const TokenVerdictKey *k, uint8 digest[PP_TOKEN_DIGEST_LEN])
{
	static const char tag[] = "paragon_perm verified token v1";
	uint8		flags[2];
	uint64		nalgs = (uint64) k->nalgs;
	size_t		audlen = k->audience ? strlen(k->audience) : 0;
	size_t		size;
	size_t		off = 0;
	char		stack[2048];
	char	   *buf;
	int			i;
	bool		ok;

	size = 8 * (8 + k->nalgs) + sizeof(tag) + k->token_len + PP_TOKEN_DIGEST_LEN +
		sizeof(nalgs) + sizeof(flags) + audlen + sizeof(k->leeway_us);
	for (i = 0; i < k->nalgs; i++)
		size += strlen(k->algs[i]);
	buf = size <= sizeof(stack) ? stack : palloc(size);

	flags[0] = k->require_exp ? 1 : 0;
	flags[1] = k->audience != NULL ? 1 : 0;
	digest_field(buf, &off, tag, sizeof(tag) - 1);
	digest_field(buf, &off, k->token, k->token_len);
	digest_field(buf, &off, k->key_digest, PP_TOKEN_DIGEST_LEN);
	digest_field(buf, &off, &nalgs, sizeof(nalgs));
	for (i = 0; i < k->nalgs; i++)
		digest_field(buf, &off, k->algs[i], strlen(k->algs[i]));
	digest_field(buf, &off, flags, sizeof(flags));
	digest_field(buf, &off, k->audience ? k->audience : "", audlen);
	digest_field(buf, &off, &k->leeway_us, sizeof(k->leeway_us));
	Assert(off <= size);

	ok = token_sha256(buf, off, digest);
	if (buf != stack)
		pfree(buf);
	return ok;
}

/* token_bucket returns the hash chain of a digest. */
static TokenEntry **
token_bucket(const uint8 *digest)
{
	uint32		h;

	memcpy(&h, digest, sizeof(h));
	return &buckets[h & (PP_TOKEN_BUCKETS - 1)];
}

/* token_evict_oldest frees the entry used longest ago. */
static void
token_evict_oldest(void)
{
	TokenEntry *e = dlist_container(TokenEntry, lru, dlist_tail_node(&lru));
	TokenEntry **link = token_bucket(e->digest);

	while (*link != e)
		link = &(*link)->next;
	*link = e->next;
	dlist_delete(&e->lru);
	nentries--;
	nbytes -= e->mem;
	nevicted++;
	pfree(e);
}

/*
 * paragon_token_cache_find returns the claims of an accepted token, which
 * the caller copies before its next call here, and its time claims in
 * *times, which the caller must judge; NULL when the token is not cached.
 */
Jsonb *
paragon_token_cache_find(const uint8 digest[PP_TOKEN_DIGEST_LEN], pj_claims_times *times)
{
	TokenEntry *e;

	if (buckets == NULL)
	{
		nmisses++;
		return NULL;
	}
	for (e = *token_bucket(digest); e != NULL; e = e->next)
	{
		if (memcmp(e->digest, digest, PP_TOKEN_DIGEST_LEN) == 0)
		{
			dlist_move_head(&lru, &e->lru);
			*times = e->times;
			nhits++;
			return e->claims;
		}
	}
	nmisses++;
	return NULL;
}

/* paragon_token_cache_add keeps the claims of a token accepted in full,
 * evicting the least recently used entries to stay within the bounds. */
void
paragon_token_cache_add(const uint8 digest[PP_TOKEN_DIGEST_LEN],
						const pj_claims_times *times, const Jsonb *claims)
{
	Size		size = VARSIZE(claims);
	Size		mem = MAXALIGN(sizeof(TokenEntry)) + size;
	TokenEntry *e;
	TokenEntry **bucket;

	if (mem > PP_TOKEN_CACHE_MAX_ENTRY)
		return;
	if (token_cxt == NULL)
	{
		MemoryContext cxt = AllocSetContextCreate(TopMemoryContext, "paragon_perm token cache",
												  ALLOCSET_DEFAULT_SIZES);

		buckets = MemoryContextAllocZero(cxt, sizeof(TokenEntry *) * PP_TOKEN_BUCKETS);
		token_cxt = cxt;
	}
	/* the token may have been added since the caller looked */
	bucket = token_bucket(digest);
	for (e = *bucket; e != NULL; e = e->next)
		if (memcmp(e->digest, digest, PP_TOKEN_DIGEST_LEN) == 0)
			return;

	/* allocate before evicting: if this fails, nothing changed */
	e = MemoryContextAlloc(token_cxt, mem);
	while (nentries > 0 &&
		   (nentries >= PP_TOKEN_CACHE_ENTRIES || nbytes + mem > PP_TOKEN_CACHE_BYTES))
		token_evict_oldest();

	memcpy(e->digest, digest, PP_TOKEN_DIGEST_LEN);
	e->times = *times;
	e->mem = mem;
	e->claims = (Jsonb *) ((char *) e + MAXALIGN(sizeof(TokenEntry)));
	memcpy(e->claims, claims, size);
	e->next = *bucket;
	*bucket = e;
	dlist_push_head(&lru, &e->lru);
	nentries++;
	nbytes += mem;
}

/*
 * paragon_token_cache_stats() returns the counters of this backend's
 * caches as a jsonb object: entries, bytes, hits, misses, evictions, the
 * bounds (max_entries, max_bytes), and keys, the parsed keys kept.
 */
PG_FUNCTION_INFO_V1(paragon_token_cache_stats);
Datum
paragon_token_cache_stats(PG_FUNCTION_ARGS)
{
	char	   *text = psprintf("{\"entries\": %d, \"bytes\": %zu, \"hits\": " UINT64_FORMAT
								", \"misses\": " UINT64_FORMAT ", \"evictions\": " UINT64_FORMAT
								", \"max_entries\": %d, \"max_bytes\": %zu, \"keys\": %d}",
								nentries, (size_t) nbytes, nhits, nmisses, nevicted,
								PP_TOKEN_CACHE_ENTRIES, (size_t) PP_TOKEN_CACHE_BYTES,
								paragon_key_cache_count());

	return DirectFunctionCall1(jsonb_in, CStringGetDatum(text));
}
