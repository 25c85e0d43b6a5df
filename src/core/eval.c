/*-------------------------------------------------------------------------
 *
 * eval.c
 *	  The evaluator: effective value, permission checks and container
 *	  visibility of a target against a compiled policy.
 *
 * A rule matching a target has, at each level up to the target's depth,
 * either no key, the wildcard, or the exact selector of the target's
 * member; deeper levels must have no key.  Specificity compares levels
 * from configuration up to integration, exact > wildcard > none, so
 * enumerating those (at most 3 x 3 x 3) shapes in that order and probing
 * the rule table finds the deciding rule first.  A bitmask of the shapes
 * the policy uses skips most probes: the cost is O(depth) hash probes,
 * whatever the size of the claims, and nothing is allocated.
 *
 * src/core/eval.c
 *
 *-------------------------------------------------------------------------
 */
#include "pp_int.h"

/*
 * resolve_level finds the member of level l in its dictionary: its id
 * (PP_ID_NONE if no exact selector names it) and, in *solo, the node
 * index + 1 of the rule whose only key is that member (0: none).
 */
static PP_ALWAYS_INLINE uint32_t
resolve_level(const pp_policy *p, const pp_target *t, int l, uint32_t *solo)
{
	const pp_member *m = &t->m[l];
	const pp_dict_slot *sl = NULL;

	if (l < t->depth && m->kind != PP_MEMBER_UNSPECIFIED)
		sl = pp_dict_find(&p->dict[l], (const unsigned char *) m->s,
						  m->len, m->kind == PP_MEMBER_UUID);
	*solo = sl != NULL ? sl->solo : 0;
	return sl != NULL ? sl->id - 1 + PP_ID_FIRST : PP_ID_NONE;
}

/* resolve maps the target's members to ids and solo rules, one level after the other without a loop. */
_Static_assert(PP_MAX_DEPTH == 3, "resolve knows three levels");
static inline void
resolve(const pp_policy *p, const pp_target *t, uint32_t r[PP_MAX_DEPTH],
		uint32_t solo[PP_MAX_DEPTH])
{
	r[0] = resolve_level(p, t, 0, &solo[0]);
	r[1] = resolve_level(p, t, 1, &solo[1]);
	r[2] = resolve_level(p, t, 2, &solo[2]);
}

/*
 * Shapes: a rule's id classes (0 none, 1 wildcard, 2 exact) per level as
 * shape = c1 + 3 c2 + 9 c3.  Since the configuration class weighs most,
 * a larger shape number is a more specific rule: trying shapes from 26
 * down is the specificity order.  shape_class[l][c] is the set of shapes
 * whose class at level l is c.
 */
static const uint32_t shape_class[PP_MAX_DEPTH][3] = {
	{0x1249249, 0x2492492, 0x4924924},
	{0x01c0e07, 0x0e07038, 0x70381c0},
	{0x00001ff, 0x003fe00, 0x7fc0000},
};

/* shape_classes[shape] is its class at each level: (c1, c2, c3). */
static const uint8_t shape_classes[27][PP_MAX_DEPTH] = {
	{0, 0, 0}, {1, 0, 0}, {2, 0, 0}, {0, 1, 0}, {1, 1, 0}, {2, 1, 0},
	{0, 2, 0}, {1, 2, 0}, {2, 2, 0}, {0, 0, 1}, {1, 0, 1}, {2, 0, 1},
	{0, 1, 1}, {1, 1, 1}, {2, 1, 1}, {0, 2, 1}, {1, 2, 1}, {2, 2, 1},
	{0, 0, 2}, {1, 0, 2}, {2, 0, 2}, {0, 1, 2}, {1, 1, 2}, {2, 1, 2},
	{0, 2, 2}, {1, 2, 2}, {2, 2, 2},
};

/* The shapes with one exact key and no other: the dictionaries' solo rules. */
#define SOLO_SHAPES ((1u << 2) | (1u << 6) | (1u << 18))

/*
 * lookup_point returns the most specific rule matching a point of the
 * given depth whose members resolve to r, or -1.  It probes only the
 * shapes that the policy uses and the point admits (an exact class needs
 * a member that an exact selector names, any key needs a level within
 * the depth), most specific first.  With solo (from resolve), the shapes
 * of a single exact key are answered from it instead of the rule table.
 */
static int64_t
lookup_point(const pp_policy *p, int depth, const uint32_t r[PP_MAX_DEPTH],
			 const uint32_t *solo)
{
	uint32_t	m = p->pattern_mask;
	int			l,
				shape;

	for (l = 0; l < PP_MAX_DEPTH; l++)
	{
		uint32_t	admit = shape_class[l][0];

		if (l < depth)
		{
			admit |= shape_class[l][1];
			if (r[l] >= PP_ID_FIRST)
				admit |= shape_class[l][2];
		}
		m &= admit;
	}

	while (m != 0)
	{
		int			c1,
					c2,
					c3;
		int64_t		idx;

		/* the most specific shape left: the highest bit */
#if defined(__GNUC__) || defined(__clang__)
		shape = 31 - __builtin_clz(m);
#else
		for (shape = 26; !(m & (1u << shape)); shape--)
			;
#endif
		m &= ~(1u << shape);
		if (solo != NULL && (SOLO_SHAPES >> shape) & 1)
		{
			/* (2,0,0), (0,2,0) or (0,0,2): the exact key's level */
			uint32_t	s = solo[shape == 2 ? 0 : shape == 6 ? 1 : 2];

			if (s != 0)
				return (int64_t) s - 1;
			continue;
		}
		c1 = shape_classes[shape][0];
		c2 = shape_classes[shape][1];
		c3 = shape_classes[shape][2];
		/* class 2 is the member's id; 1 and 0 are the wildcard and none ids */
		idx = pp_tab3_get(&p->node_index,
						  c1 == 2 ? r[0] : (uint32_t) c1,
						  c2 == 2 ? r[1] : (uint32_t) c2,
						  c3 == 2 ? r[2] : (uint32_t) c3);
		if (idx >= 0 && PP_INFO_KIND(p->node_info[idx]) != PP_NODE_CONTAINER)
			return idx;
	}
	return -1;
}

/* decide computes the effective value of a target and why it holds. */
static inline void
decide(const pp_policy *p, const pp_target *t, pp_decision *d)
{
	uint32_t	r[PP_MAX_DEPTH],
				solo[PP_MAX_DEPTH];
	int64_t		idx;

	if (!p->restricted)
	{
		d->kind = PP_VALUE_ALLOW;
		d->perms = PP_PERMS_ALL;
		d->reason = PP_REASON_UNRESTRICTED;
		d->rule = -1;
		return;
	}
	resolve(p, t, r, solo);
	idx = lookup_point(p, t->depth, r, solo);
	if (idx < 0)
	{
		d->kind = PP_VALUE_DENY;
		d->perms = 0;
		d->reason = PP_REASON_DEFAULT_DENY;
		d->rule = -1;
		return;
	}
	d->kind = (pp_value_kind) PP_INFO_KIND(p->node_info[idx]);
	d->perms = PP_INFO_PERMS(p->node_info[idx]);
	d->reason = PP_REASON_RULE;
	d->rule = (int) idx;
}

/* grants tells whether a decision grants perm (perm < 0: is the point visible). */
static inline bool
grants(const pp_decision *d, int perm)
{
	if (perm < 0)
		return d->kind != PP_VALUE_DENY;
	return (d->perms >> perm) & 1;
}

/* pp_decide computes the effective value of a target and why it holds. */
void
pp_decide(const pp_policy *p, const pp_target *t, pp_decision *d)
{
	decide(p, t, d);
}

/* pp_allowed tells whether the target's effective value grants perm (perm < 0: is it visible). */
bool
pp_allowed(const pp_policy *p, int perm, const pp_target *t)
{
	pp_decision d;

	decide(p, t, &d);
	return grants(&d, perm);
}

/*
 * pp_allowed_at is pp_allowed on the target that pp_target_init would
 * build from the same arguments: the per-row path of the extension, in
 * one call with the target on the stack.
 */
bool
pp_allowed_at(const pp_policy *p, int perm,
			  const char *integ, size_t integ_len,
			  const char *cred, size_t cred_len,
			  const unsigned char *cred_uuid,
			  const char *conf, size_t conf_len)
{
	pp_target	t;
	pp_decision d;

	pp_target_fill(&t, integ, integ_len, cred, cred_len, cred_uuid, conf, conf_len);
	decide(p, &t, &d);
	return grants(&d, perm);
}

/*
 * pp_visible tells whether the target or any member beneath it has an
 * effective value other than deny.
 *
 * Beyond the target itself, only the descendants named by a non-deny
 * rule R that matches the target on its levels can be visible: if some
 * descendant's deciding rule R* is not deny, R* is such a rule and it
 * also decides the descendant R* names (the rules matching that one are
 * a subset of those matching the first, R* among them).  So it suffices
 * to try, for each such rule, the descendant it names; the build indexed
 * them by prefix (build_groups), and the loop stops at the first hit.
 */
bool
pp_visible(const pp_policy *p, const pp_target *t)
{
	uint32_t	r[PP_MAX_DEPTH],
				solo[PP_MAX_DEPTH];
	uint32_t	c1[3],
				c2[3];
	int			n1 = 0,
				n2 = 0;
	int			i,
				j;
	int64_t		idx;

	if (!p->restricted)
		return true;
	resolve(p, t, r, solo);
	idx = lookup_point(p, t->depth, r, solo);
	if (idx >= 0 && PP_INFO_KIND(p->node_info[idx]) != PP_NODE_DENY)
		return true;
	if (t->depth == PP_MAX_DEPTH || p->ngroups == 0)
		return false;

	if (r[0] >= PP_ID_FIRST)
		c1[n1++] = r[0];
	c1[n1++] = PP_ID_WILDCARD;
	c1[n1++] = PP_ID_NONE;
	if (t->depth == 2)
	{
		if (r[1] >= PP_ID_FIRST)
			c2[n2++] = r[1];
		c2[n2++] = PP_ID_WILDCARD;
		c2[n2++] = PP_ID_NONE;
	}
	else
		c2[n2++] = 0;

	for (j = 0; j < n2; j++)
		for (i = 0; i < n1; i++)
		{
			int64_t		g = pp_tab3_get(&p->group_index, (uint32_t) t->depth, c1[i], c2[j]);
			uint32_t	k;

			if (g < 0)
				continue;
			for (k = p->group_start[g]; k < p->group_start[g + 1]; k++)
			{
				const pp_node *n = &p->nodes[p->group_rules[k]];
				uint32_t	rr[PP_MAX_DEPTH];
				int			l;

				for (l = 0; l < PP_MAX_DEPTH; l++)
				{
					if (l < t->depth)
						rr[l] = r[l];
					else if (l < n->depth && n->ids[l] >= PP_ID_FIRST)
						rr[l] = n->ids[l];
					else
						rr[l] = PP_ID_NONE;
				}
				idx = lookup_point(p, n->depth, rr, NULL);
				if (idx >= 0 && PP_INFO_KIND(p->node_info[idx]) != PP_NODE_DENY)
					return true;
			}
		}
	return false;
}

/*
 * pp_rule_path fills keys/lens (room for PP_MAX_DEPTH) with the original
 * key texts leading to a rule, outermost first, and returns their number.
 * A node's parent is the node whose ids are its own with the deepest one
 * cleared, since keys along a path are strictly deeper.
 */
int
pp_rule_path(const pp_policy *p, int rule, const char **keys, size_t *lens)
{
	const char *rk[PP_MAX_DEPTH];
	size_t		rl[PP_MAX_DEPTH];
	int			n = 0,
				i;
	int64_t		idx = rule;

	while (idx >= 0 && n < PP_MAX_DEPTH)
	{
		const pp_node *node = &p->nodes[idx];
		uint32_t	ids[PP_MAX_DEPTH];
		int			l;

		rk[n] = node->key;
		rl[n] = node->key_len;
		n++;
		ids[0] = node->ids[0];
		ids[1] = node->ids[1];
		ids[2] = node->ids[2];
		for (l = PP_MAX_DEPTH - 1; l >= 0 && ids[l] == PP_ID_NONE; l--)
			;
		if (l >= 0)
			ids[l] = PP_ID_NONE;
		if (ids[0] == PP_ID_NONE && ids[1] == PP_ID_NONE && ids[2] == PP_ID_NONE)
			break;
		idx = pp_tab3_get(&p->node_index, ids[0], ids[1], ids[2]);
	}
	for (i = 0; i < n; i++)
	{
		keys[i] = rk[n - 1 - i];
		lens[i] = rl[n - 1 - i];
	}
	return n;
}
