/*-------------------------------------------------------------------------
 *
 * fuzz_claims.c
 *	  libFuzzer target: arbitrary bytes as claims, compiled by the core,
 *	  every answer checked against a brute-force reading of the semantics.
 *
 * Input: five bytes that choose a target and a permission, then JSON text
 * parsed with jansson (as the tool does) and walked into the core.  On
 * every input:
 *	- first-error and collect-all mode agree on whether there is an error,
 *	  and a builder with errors never yields a policy;
 * and on every input that compiles, for the decoded target and for every
 * target built from the selectors the claims name (plus an unnamed member
 * and the unspecified one, at every depth):
 *	- pp_decide equals a brute-force point evaluation (semantics.md §6):
 *	  enumerate every rule, keep the matching ones, take the most specific
 *	  by comparing levels from configuration up;
 *	- pp_visible equals the §7 candidate computation done by brute force,
 *	  and (when the member vocabulary is complete) the definition itself:
 *	  the target or any descendant at any deeper level is not denied;
 *	- DENY grants nothing; pp_allowed(perm) implies point visibility;
 *	  point visibility implies pp_visible; settings:write implies
 *	  settings:read and metadata:write implies metadata:read;
 *	- the answers do not depend on the order of keys: the document is
 *	  rebuilt with every object's keys reversed, and sorted, recompiled,
 *	  and every answer compared.
 * A violated invariant aborts, which libFuzzer reports as a crash.
 *
 * Build and run: make fuzz (FUZZ_SECONDS per target, default 60).
 *
 * fuzz/fuzz_claims.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_check.h"
#include "jansson_walk.h"
#include "pp.h"

static void *
fz_alloc(void *ctx, size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
		abort();
	return p;
}

static void
fz_free(void *ctx, void *ptr)
{
	free(ptr);
}

static const pp_allocator fz_allocator = {fz_alloc, fz_free, NULL};

/* ---- the brute-force model ------------------------------------------- */

/* One key of a rule's path. */
typedef struct bkey
{
	int			present;		/* a key at this level */
	int			wildcard;
	const char *sel;			/* exact selector (in the json_t's memory) */
	size_t		len;
	int			isuuid;
	unsigned char uuid[16];
} bkey;

#define MAX_BRULES 4096

typedef struct brule
{
	bkey		k[PP_MAX_DEPTH];
	int			depth;			/* level of the deepest key */
	int			kind;			/* PP_VALUE_*; containers are not rules */
	uint16_t	perms;
} brule;

typedef struct model
{
	int			restricted;
	int			nrules;
	int			overflow;
	brule		rules[MAX_BRULES];
} model;

static model M;

/* the permissions object parsed from a string claim; selectors point into it */
static json_t *model_owned;

/* parse_key reads a scope key the way semantics.md §2 describes it. */
static int
parse_key(const char *key, size_t len, int *level, bkey *k)
{
	memset(k, 0, sizeof(*k));
	k->present = 1;
	if (len >= 12 && memcmp(key, "integration:", 12) == 0)
	{
		*level = 1;
		k->sel = key + 12;
		k->len = len - 12;
	}
	else if (len >= 11 && memcmp(key, "credential:", 11) == 0)
	{
		*level = 2;
		k->sel = key + 11;
		k->len = len - 11;
	}
	else if (len >= 18 && memcmp(key, "configuration:ext:", 18) == 0)
	{
		*level = 3;
		k->sel = key + 18;
		k->len = len - 18;
	}
	else if (len == 15 && memcmp(key, "configuration:*", 15) == 0)
	{
		*level = 3;
		k->sel = key + 14;
		k->len = 1;
	}
	else
		return 0;
	if (k->len == 1 && k->sel[0] == '*' && !(*level == 3 && len != 15))
		k->wildcard = 1;
	else if (*level == 2 && pp_uuid_parse(k->sel, k->len, k->uuid))
		k->isuuid = 1;
	return 1;
}

/* collect walks a (valid) scopes object and records each rule. */
static void
collect(json_t *obj, const bkey *path, int level)
{
	const char *key;
	json_t	   *val;

	json_object_foreach(obj, key, val)
	{
		bkey		p[PP_MAX_DEPTH];
		int			l;

		memcpy(p, path, sizeof(p));
		if (!parse_key(key, strlen(key), &l, &p[0]))
			continue;
		{
			bkey		k = p[0];

			memcpy(p, path, sizeof(p));
			p[l - 1] = k;
		}
		if (json_is_object(val))
		{
			collect(val, p, l);
			continue;
		}
		if (M.nrules >= MAX_BRULES)
		{
			M.overflow = 1;
			continue;
		}
		{
			brule	   *r = &M.rules[M.nrules++];

			memcpy(r->k, p, sizeof(p));
			r->depth = l;
			if (json_is_true(val))
			{
				r->kind = PP_VALUE_ALLOW;
				r->perms = PP_PERMS_ALL;
			}
			else if (json_is_false(val))
			{
				r->kind = PP_VALUE_DENY;
				r->perms = 0;
			}
			else
			{
				size_t		i;
				json_t	   *e;

				r->kind = PP_VALUE_LIST;
				r->perms = 0;
				json_array_foreach(val, i, e)
				{
					int			perm = pp_perm_lookup(json_string_value(e), json_string_length(e));

					r->perms |= (uint16_t) (1u << perm);
				}
				/* §4 implications, written out independently */
				if (r->perms & (1u << PP_PERM_SETTINGS_WRITE))
					r->perms |= 1u << PP_PERM_SETTINGS_READ;
				if (r->perms & (1u << PP_PERM_METADATA_WRITE))
					r->perms |= 1u << PP_PERM_METADATA_READ;
			}
		}
	}
	(void) level;
}

/* permissions_object finds the permissions claim; *owned is set if parsed from a string. */
static json_t *
permissions_object(json_t *claims, json_t **owned)
{
	json_t	   *p = json_object_get(claims, PP_PERMISSIONS_CLAIM);

	*owned = NULL;
	if (p != NULL && json_is_string(p))
	{
		json_error_t err;

		*owned = json_loadb(json_string_value(p), json_string_length(p), PP_JSON_FLAGS, &err);
		p = *owned;
	}
	return p;
}

/* model_build reads the rules of claims that compiled. */
static void
model_build(json_t *claims)
{
	json_t	   *owned;
	json_t	   *p = permissions_object(claims, &owned);
	bkey		path[PP_MAX_DEPTH];

	memset(&M, 0, sizeof(M));
	M.restricted = p != NULL;
	memset(path, 0, sizeof(path));
	if (p != NULL && json_is_object(p))
		collect(p, path, 0);
	model_owned = owned;		/* released at the end of the input */
}

/* A target as the model sees it. */
typedef struct bmember
{
	int			specified;
	const char *s;
	size_t		len;
} bmember;

typedef struct btarget
{
	int			depth;
	bmember		m[PP_MAX_DEPTH];
} btarget;

/* key_matches: does a rule's key match a target member (§2)? */
static int
key_matches(const bkey *k, int level, const bmember *m)
{
	unsigned char u[16];

	if (k->wildcard)
		return 1;
	if (!m->specified)
		return 0;
	if (level == 2 && k->isuuid && pp_uuid_parse(m->s, m->len, u))
		return memcmp(u, k->uuid, 16) == 0;
	return k->len == m->len && memcmp(k->sel, m->s, m->len) == 0;
}

/* rule_matches_point: §6 (a) and (b). */
static int
rule_matches_point(const brule *r, const btarget *t)
{
	int			l;

	if (r->depth > t->depth)
		return 0;
	for (l = 0; l < PP_MAX_DEPTH; l++)
		if (r->k[l].present && !key_matches(&r->k[l], l + 1, &t->m[l]))
			return 0;
	return 1;
}

/* specificity orders rules: configuration level first, exact > wildcard > none. */
static int
specificity(const brule *r)
{
	int			s = 0;
	int			l;

	for (l = PP_MAX_DEPTH - 1; l >= 0; l--)
		s = s * 3 + (!r->k[l].present ? 0 : r->k[l].wildcard ? 1 : 2);
	return s;
}

/* brute_decide: the effective value of a point, §6; returns the rule or -1. */
static int
brute_decide(const btarget *t, int *kind, uint16_t *perms)
{
	int			best = -1,
				bests = -1;
	int			i;

	if (!M.restricted)
	{
		*kind = PP_VALUE_ALLOW;
		*perms = PP_PERMS_ALL;
		return -1;
	}
	for (i = 0; i < M.nrules; i++)
	{
		const brule *r = &M.rules[i];
		int			s;

		if (!rule_matches_point(r, t))
			continue;
		s = specificity(r);
		if (s > bests)
		{
			best = i;
			bests = s;
		}
		else if (s == bests)
			CHECK(M.rules[best].kind == r->kind && M.rules[best].perms == r->perms,
				  "two equally specific rules (%d, %d) disagree", best, i);
	}
	if (best < 0)
	{
		*kind = PP_VALUE_DENY;
		*perms = 0;
	}
	else
	{
		*kind = M.rules[best].kind;
		*perms = M.rules[best].perms;
	}
	return best;
}

/* brute_visible_candidates: §7's exact computation. */
static int
brute_visible_candidates(const btarget *t)
{
	int			kind;
	uint16_t	perms;
	int			i,
				l;

	brute_decide(t, &kind, &perms);
	if (kind != PP_VALUE_DENY)
		return 1;
	for (i = 0; i < M.nrules; i++)
	{
		const brule *r = &M.rules[i];
		btarget		d;
		int			match = 1;

		for (l = 0; l < t->depth; l++)
			if (r->k[l].present && !key_matches(&r->k[l], l + 1, &t->m[l]))
				match = 0;
		if (!match || r->depth <= t->depth)
			continue;
		d = *t;
		d.depth = r->depth;
		for (l = t->depth; l < r->depth; l++)
		{
			if (r->k[l].present && !r->k[l].wildcard)
			{
				d.m[l].specified = 1;
				d.m[l].s = r->k[l].sel;
				d.m[l].len = r->k[l].len;
			}
			else
			{
				d.m[l].specified = 0;
				d.m[l].s = NULL;
				d.m[l].len = 0;
			}
		}
		brute_decide(&d, &kind, &perms);
		if (kind != PP_VALUE_DENY)
			return 1;
	}
	return 0;
}

/* ---- the member vocabulary ------------------------------------------- */

#define MAX_VOCAB 10

typedef struct vocab
{
	int			n[PP_MAX_DEPTH];
	bmember		m[PP_MAX_DEPTH][MAX_VOCAB];
	int			complete;
} vocab;

static vocab V;
static char respell[MAX_BRULES][40];
static int	nrespell;

static void
vocab_add(int level, int specified, const char *s, size_t len)
{
	int			i;
	bmember    *m;

	for (i = 0; i < V.n[level]; i++)
	{
		m = &V.m[level][i];
		if (m->specified == specified && m->len == len && (len == 0 || memcmp(m->s, s, len) == 0))
			return;
	}
	if (V.n[level] == MAX_VOCAB)
	{
		V.complete = 0;
		return;
	}
	m = &V.m[level][V.n[level]++];
	m->specified = specified;
	m->s = s;
	m->len = len;
}

/* vocab_build: every selector the rules name, a respelling of each UUID, an unnamed member, the unspecified one. */
static void
vocab_build(void)
{
	int			i,
				l;

	memset(&V, 0, sizeof(V));
	nrespell = 0;
	V.complete = !M.overflow;
	for (l = 0; l < PP_MAX_DEPTH; l++)
	{
		vocab_add(l, 0, NULL, 0);
		vocab_add(l, 1, "zz-unnamed", 10);
	}
	for (i = 0; i < M.nrules; i++)
		for (l = 0; l < PP_MAX_DEPTH; l++)
		{
			const bkey *k = &M.rules[i].k[l];

			if (!k->present || k->wildcard)
				continue;
			vocab_add(l, 1, k->sel, k->len);
			if (k->isuuid && nrespell < MAX_BRULES)
			{
				char	   *r = respell[nrespell++];
				static const char hex[] = "0123456789ABCDEF";
				int			j,
							o = 0;

				/* braces, upper case, a hyphen after every group of four */
				r[o++] = '{';
				for (j = 0; j < 16; j++)
				{
					r[o++] = hex[k->uuid[j] >> 4];
					r[o++] = hex[k->uuid[j] & 15];
					if (j % 2 == 1 && j < 15)
						r[o++] = '-';
				}
				r[o++] = '}';
				r[o] = '\0';
				vocab_add(l, 1, r, (size_t) o);
			}
		}
}

/*
 * to_target converts a model target to a core target, leaving in s and n
 * the arguments given to pp_target_init.
 */
static void
to_target(const btarget *b, pp_target *t, int use_star,
		  const char *s[PP_MAX_DEPTH], size_t n[PP_MAX_DEPTH])
{
	int			l;

	for (l = 0; l < PP_MAX_DEPTH; l++)
	{
		if (l >= b->depth)
		{
			s[l] = NULL;
			n[l] = 0;
		}
		else if (!b->m[l].specified)
		{
			/* NULL is unspecified only before the last member */
			s[l] = (use_star || l == b->depth - 1) ? "*" : NULL;
			n[l] = s[l] ? 1 : 0;
		}
		else
		{
			s[l] = b->m[l].s;
			n[l] = b->m[l].len;
		}
	}
	/* a NULL integration at depth 1 is the unspecified integration too */
	if (b->depth == 1 && !b->m[0].specified && !use_star)
		s[0] = NULL, n[0] = 0;
	pp_target_init(t, s[0], n[0], s[1], n[1], NULL, s[2], n[2]);
}

/* A member "*" given as text is the unspecified member: fold it for the model. */
static void
normalise(btarget *b)
{
	int			l;

	for (l = 0; l < b->depth; l++)
		if (b->m[l].specified && b->m[l].len == 1 && b->m[l].s[0] == '*')
		{
			b->m[l].specified = 0;
			b->m[l].s = NULL;
			b->m[l].len = 0;
		}
}

/*
 * brute_visible_definition: the target or any descendant over the
 * vocabulary is not denied (depth first: the target, then each child and
 * its subtree).
 */
static int
brute_visible_definition(const btarget *t)
{
	int			kind;
	uint16_t	perms;
	int			i;
	btarget		d;

	brute_decide(t, &kind, &perms);
	if (kind != PP_VALUE_DENY)
		return 1;
	if (t->depth == PP_MAX_DEPTH)
		return 0;
	for (i = 0; i < V.n[t->depth]; i++)
	{
		d = *t;
		d.depth = t->depth + 1;
		d.m[t->depth] = V.m[t->depth][i];
		if (brute_visible_definition(&d))
			return 1;
	}
	return 0;
}

/* ---- checks ---------------------------------------------------------- */

static void
describe(const btarget *b, char *buf, size_t n)
{
	int			l;
	size_t		o = 0;

	o += (size_t) snprintf(buf + o, n - o, "depth %d:", b->depth);
	for (l = 0; l < b->depth && o < n; l++)
		o += (size_t) snprintf(buf + o, n - o, " [%.*s]", b->m[l].specified ? (int) b->m[l].len : 1,
							   b->m[l].specified ? b->m[l].s : "*");
}

/* check_target verifies every invariant at one target. */
static void
check_target(const pp_policy *p, btarget b, int use_star)
{
	pp_target	t;
	pp_decision d;
	int			kind;
	uint16_t	perms;
	int			perm;
	bool		vis,
				pvis;
	char		desc[256];
	const char *s[PP_MAX_DEPTH];
	size_t		n[PP_MAX_DEPTH];

	to_target(&b, &t, use_star, s, n);
	normalise(&b);
	describe(&b, desc, sizeof(desc));

	pp_decide(p, &t, &d);
	brute_decide(&b, &kind, &perms);
	CHECK((int) d.kind == kind && d.perms == perms,
		  "pp_decide gives kind %d perms %x, semantics §6 gives kind %d perms %x at %s",
		  d.kind, d.perms, kind, perms, desc);
	pvis = pp_allowed(p, -1, &t);
	CHECK(pvis == (d.kind != PP_VALUE_DENY), "point visibility vs decide at %s", desc);
	for (perm = 0; perm < PP_PERM_COUNT; perm++)
	{
		bool		a = pp_allowed(p, perm, &t);

		CHECK(a == (((d.perms >> perm) & 1) != 0), "allowed vs decide at %s", desc);
		CHECK(!(d.kind == PP_VALUE_DENY && a), "deny grants %s at %s", pp_perm_name(perm), desc);
		CHECK(!a || pvis, "%s granted but not visible at %s", pp_perm_name(perm), desc);
		CHECK(a == pp_allowed_at(p, perm, s[0], n[0], s[1], n[1], NULL, s[2], n[2]),
			  "pp_allowed_at differs from pp_allowed for %s at %s", pp_perm_name(perm), desc);
	}
	CHECK(pvis == pp_allowed_at(p, -1, s[0], n[0], s[1], n[1], NULL, s[2], n[2]),
		  "pp_allowed_at differs from pp_allowed for visibility at %s", desc);
	CHECK(!pp_allowed(p, PP_PERM_SETTINGS_WRITE, &t) || pp_allowed(p, PP_PERM_SETTINGS_READ, &t),
		  "settings:write without settings:read at %s", desc);
	CHECK(!pp_allowed(p, PP_PERM_METADATA_WRITE, &t) || pp_allowed(p, PP_PERM_METADATA_READ, &t),
		  "metadata:write without metadata:read at %s", desc);
	vis = pp_visible(p, &t);
	CHECK(!pvis || vis, "point visible but pp_visible false at %s", desc);
	CHECK(vis == (bool) brute_visible_candidates(&b),
		  "pp_visible %d, semantics §7 candidates give %d at %s", vis, !vis, desc);
	if (V.complete)
		CHECK(vis == (bool) brute_visible_definition(&b),
			  "pp_visible %d, §7 definition gives %d at %s", vis, !vis, desc);

	/* a credential given as 16 bytes (the uuid overloads) answers the same */
	if (b.depth >= 2 && b.m[1].specified)
	{
		unsigned char u[16];

		if (pp_uuid_parse(b.m[1].s, b.m[1].len, u))
		{
			pp_target	tu;
			pp_decision du;

			pp_target_init(&tu, b.m[0].specified ? b.m[0].s : NULL, b.m[0].len, NULL, 0, u,
						   b.depth == 3 ? (b.m[2].specified ? b.m[2].s : "*") : NULL,
						   b.depth == 3 ? (b.m[2].specified ? b.m[2].len : 1) : 0);
			pp_decide(p, &tu, &du);
			CHECK(du.kind == d.kind && du.perms == d.perms && pp_visible(p, &tu) == vis,
				  "a uuid credential argument answers differently from its text at %s", desc);
		}
	}
}

#define MAX_ANSWERS 4096

/* add_answer appends the fingerprint of the answers at b's first depth members to out. */
static void
add_answer(const pp_policy *p, btarget *b, int depth, uint32_t *out, int *n)
{
	pp_target	t;
	pp_decision d;
	const char *s[PP_MAX_DEPTH];
	size_t		len[PP_MAX_DEPTH];

	b->depth = depth;
	to_target(b, &t, 1, s, len);
	pp_decide(p, &t, &d);
	if (*n < MAX_ANSWERS)
		out[(*n)++] = (uint32_t) d.kind << 16 | d.perms | (uint32_t) pp_visible(p, &t) << 20;
}

/* answers fingerprints a policy's answers over the vocabulary, for key-order checks. */
static int
answers(const pp_policy *p, uint32_t *out)
{
	int			n = 0;
	int			i,
				j,
				k;
	btarget		b;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < V.n[0]; i++)
	{
		b.m[0] = V.m[0][i];
		add_answer(p, &b, 1, out, &n);
		for (j = 0; j < V.n[1]; j++)
		{
			b.m[1] = V.m[1][j];
			add_answer(p, &b, 2, out, &n);
			for (k = 0; k < V.n[2]; k++)
			{
				b.m[2] = V.m[2][k];
				add_answer(p, &b, 3, out, &n);
			}
		}
	}
	return n;
}

/* reorder copies a JSON value with every object's keys reversed, or sorted. */
static json_t *
reorder(json_t *v, int sorted, int depth)
{
	if (json_is_object(v))
	{
		size_t		n = json_object_size(v),
					i = 0;
		const char **keys = malloc(sizeof(char *) * (n + 1));
		const char *key;
		json_t	   *val;
		json_t	   *o = json_object();

		json_object_foreach(v, key, val)
			keys[i++] = key;
		if (sorted)
		{
			/* insertion sort: inputs are small */
			size_t		a,
						b;

			for (a = 1; a < n; a++)
				for (b = a; b > 0 && strcmp(keys[b - 1], keys[b]) > 0; b--)
				{
					const char *tmp = keys[b];

					keys[b] = keys[b - 1];
					keys[b - 1] = tmp;
				}
			for (i = 0; i < n; i++)
				json_object_set_new(o, keys[i], reorder(json_object_get(v, keys[i]), sorted, depth + 1));
		}
		else
			for (i = n; i > 0; i--)
				json_object_set_new(o, keys[i - 1], reorder(json_object_get(v, keys[i - 1]), sorted, depth + 1));
		free(keys);
		return o;
	}
	if (json_is_array(v))
	{
		json_t	   *a = json_array();
		size_t		i;
		json_t	   *e;

		json_array_foreach(v, i, e)
			json_array_append_new(a, reorder(e, sorted, depth + 1));
		return a;
	}
	/* the permissions claim as JSON text: reorder inside the string too */
	if (json_is_string(v) && depth == 1)
	{
		json_error_t err;
		json_t	   *in = json_loadb(json_string_value(v), json_string_length(v), PP_JSON_FLAGS, &err);

		if (in != NULL)
		{
			json_t	   *r = reorder(in, sorted, 0);
			char	   *text = json_dumps(r, JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
			json_t	   *s = json_string(text);

			json_decref(in);
			json_decref(r);
			free(text);
			if (s != NULL)
				return s;
		}
	}
	return json_deep_copy(v);
}

/* compile walks a json value; *nerrors gets the errors' count. */
static pp_policy *
compile(json_t *v, bool collect_all, int *nerrors)
{
	pp_builder *b = pp_builder_new(&fz_allocator, collect_all);
	pp_policy  *p;
	const pp_error *e;

	pp_json_walk_value(b, v);
	p = pp_builder_finish(b);
	*nerrors = 0;
	for (e = pp_builder_errors(b); e; e = e->next)
	{
		CHECK(e->message != NULL && e->path != NULL && e->path[0] == '$', "error without message or path");
		(*nerrors)++;
	}
	CHECK(*nerrors <= PP_MAX_ERRORS, "more errors than the limit");
	CHECK(p == NULL || *nerrors == 0, "a builder with errors yielded a policy");
	CHECK(collect_all || *nerrors <= 1, "first-error mode recorded %d errors", *nerrors);
	pp_builder_free(b);
	return p;
}

static uint32_t ans1[MAX_ANSWERS],
			ans2[MAX_ANSWERS];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t	   *v;
	pp_policy  *p,
			   *p2;
	int			n1,
				n2,
				i,
				j,
				k,
				sorted;
	btarget		b;

	if (size < 5 || size > 65536)
		return 0;
	v = json_loadb((const char *) data + 5, size - 5, PP_JSON_FLAGS, &err);
	if (v == NULL)
		return 0;

	p = compile(v, false, &n1);
	p2 = compile(v, true, &n2);
	CHECK((p == NULL) == (p2 == NULL), "collect-all and first-error mode disagree");
	CHECK((n1 == 0) == (n2 == 0), "collect-all found %d errors, first-error %d", n2, n1);
	if (p2)
		pp_policy_free(p2);
	if (p == NULL)
	{
		json_decref(v);
		return 0;
	}

	model_build(v);
	CHECK(pp_policy_restricted(p) == (bool) M.restricted, "restricted flag");
	vocab_build();

	/* the target the first bytes choose */
	memset(&b, 0, sizeof(b));
	b.depth = 1 + data[1] % 3;
	for (i = 0; i < b.depth; i++)
		b.m[i] = V.m[i][data[2 + i] % V.n[i]];
	check_target(p, b, data[0] & 1);

	/* every target over the vocabulary */
	for (i = 0; i < V.n[0]; i++)
	{
		memset(&b, 0, sizeof(b));
		b.m[0] = V.m[0][i];
		b.depth = 1;
		check_target(p, b, 0);
		check_target(p, b, 1);
		for (j = 0; j < V.n[1]; j++)
		{
			b.m[1] = V.m[1][j];
			b.depth = 2;
			check_target(p, b, 0);
			for (k = 0; k < V.n[2]; k++)
			{
				b.m[2] = V.m[2][k];
				b.depth = 3;
				check_target(p, b, (i + j + k) & 1);
			}
			b.m[2].specified = 0;
		}
	}

	/* key order does not matter */
	n1 = answers(p, ans1);
	for (sorted = 0; sorted < 2; sorted++)
	{
		json_t	   *r = reorder(v, sorted, 0);
		int			ne;
		pp_policy  *pr = compile(r, false, &ne);

		CHECK(pr != NULL, "claims fail to compile once their keys are %s", sorted ? "sorted" : "reversed");
		n2 = answers(pr, ans2);
		CHECK(n1 == n2 && memcmp(ans1, ans2, sizeof(uint32_t) * n1) == 0,
			  "answers change when keys are %s", sorted ? "sorted" : "reversed");
		pp_policy_free(pr);
		json_decref(r);
	}

	pp_policy_free(p);
	json_decref(v);
	if (model_owned)
		json_decref(model_owned);
	model_owned = NULL;
	return 0;
}
