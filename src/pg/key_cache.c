/*-------------------------------------------------------------------------
 *
 * key_cache.c
 *	  The backend's parsed verification keys, found by their text.
 *
 * Decoding a PEM key with OpenSSL 3 costs several times the signature
 * check it serves (its decoder framework looks up providers and tries
 * every decoder), so a backend keeps the last PP_KEY_CACHE_ENTRIES key
 * texts it was given, each with its decoded and checked EVP_PKEY and the
 * verification contexts made for it, one per algorithm used (pj_key_cache,
 * src/jwt): OpenSSL 3 spends nearly as long setting up a fresh context as
 * on the RSA public-key operation itself.  An entry is found by the exact key text, which
 * is all that decoding depends on: when paragon.public_key or a key
 * argument changes, the new text simply misses, and the old one ages out.
 * The algorithms are not part of it because they do not change how a key
 * is read; they are checked against the token and the key on every
 * verification.  JWKs and JWK Sets are kept by their text too, but the
 * verifier parses them each time (which key they yield depends on the
 * token's header).
 *
 * Memory: entries live in the context "paragon_perm key cache" under
 * TopMemoryContext.  An OpenSSL key and its contexts are malloc'd by
 * OpenSSL: they are freed when their entry is evicted, and a reset callback on the context frees
 * whatever remains if the context is ever reset or deleted.  The verifier
 * only adds a key to an entry after it decoded and checked it, and never
 * raises, so an error cannot leave a half-built entry.
 *
 * src/pg/key_cache.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <openssl/sha.h>

#include "lib/ilist.h"
#include "utils/memutils.h"

#include "token_cache.h"

typedef struct KeyEntry
{
	dlist_node	node;			/* in keys, most recently used first */
	size_t		len;
	uint8		digest[PP_TOKEN_DIGEST_LEN];	/* SHA-256 of the text */
	bool		have_digest;
	pj_key_cache cache;
	char		text[FLEXIBLE_ARRAY_MEMBER];	/* len bytes */
} KeyEntry;

static MemoryContext key_cxt = NULL;
static dlist_head keys = DLIST_STATIC_INIT(keys);
static int	nkeys = 0;
static MemoryContextCallback key_cxt_cb;

/* key_cache_release frees every OpenSSL key when the context goes away. */
static void
key_cache_release(void *arg)
{
	dlist_mutable_iter it;

	dlist_foreach_modify(it, &keys)
	{
		KeyEntry   *e = dlist_container(KeyEntry, node, it.cur);

		pj_key_cache_free(&e->cache);
	}
	dlist_init(&keys);
	nkeys = 0;
	key_cxt = NULL;
}

/* paragon_key_cache returns the parsed-key slot for this key text and,
 * when key_digest is not NULL, the SHA-256 of the text (NULL if OpenSSL
 * could not compute it); both valid until the next call. */
pj_key_cache *
paragon_key_cache(const char *key, size_t key_len, const uint8 **key_digest)
{
	dlist_iter	it;
	KeyEntry   *e;

	if (key_cxt == NULL)
	{
		key_cxt = AllocSetContextCreate(TopMemoryContext, "paragon_perm key cache",
										ALLOCSET_SMALL_SIZES);
		key_cxt_cb.func = key_cache_release;
		key_cxt_cb.arg = NULL;
		MemoryContextRegisterResetCallback(key_cxt, &key_cxt_cb);
	}

	dlist_foreach(it, &keys)
	{
		e = dlist_container(KeyEntry, node, it.cur);
		if (e->len == key_len && memcmp(e->text, key, key_len) == 0)
		{
			dlist_move_head(&keys, &e->node);
			if (key_digest != NULL)
				*key_digest = e->have_digest ? e->digest : NULL;
			return &e->cache;
		}
	}

	/* allocate first: if this fails, nothing changed */
	e = MemoryContextAlloc(key_cxt, offsetof(KeyEntry, text) + key_len);
	e->len = key_len;
	memset(&e->cache, 0, sizeof(e->cache));
	memcpy(e->text, key, key_len);
	e->have_digest = SHA256((const unsigned char *) key, key_len, e->digest) != NULL;

	if (nkeys >= PP_KEY_CACHE_ENTRIES)
	{
		KeyEntry   *old = dlist_container(KeyEntry, node, dlist_tail_node(&keys));

		dlist_delete(&old->node);
		nkeys--;
		pj_key_cache_free(&old->cache);
		pfree(old);
	}
	dlist_push_head(&keys, &e->node);
	nkeys++;
	if (key_digest != NULL)
		*key_digest = e->have_digest ? e->digest : NULL;
	return &e->cache;
}

/* paragon_key_cache_count says how many key texts the backend keeps. */
int
paragon_key_cache_count(void)
{
	return nkeys;
}
