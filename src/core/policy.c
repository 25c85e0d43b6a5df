/*-------------------------------------------------------------------------
 *
 * policy.c
 *	  A compiled policy: its creation and filling (its string arena, its
 *	  scope keys, the interning of their selectors), what the front ends
 *	  may ask of it, and its release.
 *
 * A builder (builder.c) fills a policy while it walks the claims;
 * index.c completes it; from then on nothing writes to it, which is what
 * lets one policy serve every row of a scan.  Every allocation goes
 * through the policy's pp_allocator, and pp_policy_free releases all of
 * it.
 *
 * src/core/policy.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pp_int.h"

/* A block of the string arena; blocks never move, so pointers stay valid. */
struct pp_chunk
{
	struct pp_chunk *next;
	size_t		used;
	size_t		size;
	char		data[];
};

/* pp_policy_new creates an empty policy, for a builder to fill. */
pp_policy *
pp_policy_new(const pp_allocator *alloc)
{
	pp_policy  *p = pp_alloc0(alloc, sizeof(pp_policy));

	p->alloc = *alloc;
	p->maxnodes = 16;
	p->nodes = pp_alloc(alloc, sizeof(pp_node) * p->maxnodes);
	pp_tab3_init(&p->node_index, alloc, 16);
	return p;
}

/* pp_policy_strings_add copies bytes (NUL-terminated) into the policy's string arena. */
const char *
pp_policy_strings_add(pp_policy *p, const char *s, size_t len)
{
	struct pp_chunk *c = p->chunks;
	char	   *out;

	if (c == NULL || c->used + len + 1 > c->size)
	{
		size_t		size = len + 1 > 4000 ? len + 1 : 4000;

		c = pp_alloc(&p->alloc, sizeof(struct pp_chunk) + size);
		c->next = p->chunks;
		c->used = 0;
		c->size = size;
		p->chunks = c;
	}
	out = c->data + c->used;
	memcpy(out, s, len);
	out[len] = '\0';
	c->used += len + 1;
	return out;
}

/* pp_policy_intern returns the id of a scope's selector, adding it to its dictionary. */
uint32_t
pp_policy_intern(pp_policy *p, const pp_scope *sc)
{
	pp_dict    *d = &p->dict[sc->level - 1];
	const unsigned char *s = sc->isuuid ? sc->uuid : (const unsigned char *) sc->sel;
	size_t		len = sc->isuuid ? 16 : sc->sel_len;
	uint32_t	id;

	if (sc->wildcard)
		return PP_ID_WILDCARD;
	id = pp_dict_lookup(d, s, len, sc->isuuid);
	if (id != PP_ID_NONE)
		return id;

	return pp_dict_add(d, &p->alloc,
					   (const unsigned char *) pp_policy_strings_add(p, (const char *) s, len),
					   len, sc->isuuid);
}

/* pp_policy_add_node records a scope key of the claims. */
void
pp_policy_add_node(pp_policy *p, const uint32_t ids[PP_MAX_DEPTH], int depth,
				   int kind, uint16_t perms, const char *key, uint32_t key_len)
{
	pp_node    *n;

	if (p->nnodes == p->maxnodes)
	{
		uint32_t	newmax = p->maxnodes * 2;
		pp_node    *nn = pp_alloc(&p->alloc, sizeof(pp_node) * newmax);

		memcpy(nn, p->nodes, sizeof(pp_node) * p->nnodes);
		pp_free(&p->alloc, p->nodes);
		p->nodes = nn;
		p->maxnodes = newmax;
	}
	n = &p->nodes[p->nnodes];
	memcpy(n->ids, ids, sizeof(n->ids));
	n->kind = (uint8_t) kind;
	n->depth = (uint8_t) depth;
	n->perms = kind == PP_NODE_ALLOW ? PP_PERMS_ALL :
		kind == PP_NODE_LIST ? pp_perm_implied(perms) : 0;
	n->key = key;
	n->key_len = key_len;
	pp_tab3_put(&p->node_index, &p->alloc, ids[0], ids[1], ids[2], p->nnodes);
	p->nnodes++;
}

/* pp_policy_restricted tells whether the claims hold a permissions claim. */
bool
pp_policy_restricted(const pp_policy *p)
{
	return p->restricted;
}

/*
 * pp_policy_sub returns the state of the token's Connected User and, for
 * PP_SUB_STRING, its bytes (NUL-terminated, valid while the policy lives).
 */
pp_sub_state
pp_policy_sub(const pp_policy *p, const char **s, size_t *len)
{
	*s = p->sub;
	*len = p->sub_len;
	return p->sub_state;
}

/* pp_policy_sub_type returns the JSON type of an invalid "sub", for messages. */
pp_jtype
pp_policy_sub_type(const pp_policy *p)
{
	return p->sub_type;
}

/*
 * pp_policy_rule_count returns the number of scope keys compiled: the
 * rules and also the containers (a scope whose value is an object of
 * narrower scopes), which decide nothing themselves.
 */
size_t
pp_policy_rule_count(const pp_policy *p)
{
	return p->nnodes;
}

/* pp_policy_free releases a compiled policy. */
void
pp_policy_free(pp_policy *p)
{
	pp_allocator a = p->alloc;
	int			l;

	for (l = 0; l < PP_MAX_DEPTH; l++)
		pp_dict_free(&p->dict[l], &a);
	pp_free(&a, p->nodes);
	pp_free(&a, p->node_info);
	pp_tab3_free(&p->node_index, &a);
	if (p->group_index.slots)
		pp_tab3_free(&p->group_index, &a);
	pp_free(&a, p->group_start);
	pp_free(&a, p->group_rules);
	while (p->chunks)
	{
		struct pp_chunk *next = p->chunks->next;

		pp_free(&a, p->chunks);
		p->chunks = next;
	}
	pp_free(&a, p);
}
