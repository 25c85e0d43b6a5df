/*-------------------------------------------------------------------------
 *
 * index.c
 *	  The indexes of a compiled policy, built once its scope keys are all
 *	  recorded: what lets the evaluator answer in O(depth) probes.
 *
 * The rule table (node_index) is filled key by key while the claims are
 * walked; this adds what needs the whole set: the shapes of rule the
 * policy uses, the rule named alone by each selector, the rules beneath
 * each prefix (for the visibility of containers), and the Bloom filters
 * in front of the tables that every check probes.  Nothing here is
 * written again once the policy is finished.
 *
 * src/core/index.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pp_int.h"

/*
 * node_groups gives the groups of group_index a node belongs to, as
 * (depth, k1, k2) keys: none for a container or a deny rule, else one per
 * level above its deepest.  Returns how many (at most PP_MAX_DEPTH - 1).
 */
static int
node_groups(const pp_node *n, uint32_t keys[PP_MAX_DEPTH - 1][3])
{
	int			d;

	if (n->kind == PP_NODE_CONTAINER || n->kind == PP_NODE_DENY)
		return 0;
	for (d = 1; d < n->depth; d++)
	{
		keys[d - 1][0] = (uint32_t) d;
		keys[d - 1][1] = n->ids[0];
		keys[d - 1][2] = d == 2 ? n->ids[1] : 0;
	}
	return n->depth - 1;
}

/*
 * build_groups indexes the non-deny rules deeper than each prefix, for
 * the visibility of containers: group (1, k1, 0) holds the rules of depth
 * 2 and 3 whose integration id is k1, group (2, k1, k2) the rules of depth
 * 3 under (k1, k2).  Two passes, as a counting sort: count the rules of
 * each group, then place them.
 */
static void
build_groups(pp_policy *p)
{
	uint32_t	i;
	uint32_t   *counts;
	uint32_t	total = 0;
	uint32_t	keys[PP_MAX_DEPTH - 1][3];
	int			m,
				j;

	pp_tab3_init(&p->group_index, &p->alloc, 16);
	counts = pp_alloc0(&p->alloc, sizeof(uint32_t) * (2 * p->nnodes + 1));
	for (i = 0; i < p->nnodes; i++)
	{
		m = node_groups(&p->nodes[i], keys);
		for (j = 0; j < m; j++)
		{
			int64_t		g = pp_tab3_get(&p->group_index, keys[j][0], keys[j][1], keys[j][2]);

			if (g < 0)
			{
				g = p->group_index.count;
				pp_tab3_put(&p->group_index, &p->alloc, keys[j][0], keys[j][1], keys[j][2],
							(uint32_t) g);
			}
			counts[g]++;
			total++;
		}
	}
	p->ngroups = p->group_index.count;
	p->group_start = pp_alloc(&p->alloc, sizeof(uint32_t) * (p->ngroups + 1));
	p->group_rules = pp_alloc(&p->alloc, sizeof(uint32_t) * (total + 1));
	p->group_start[0] = 0;
	for (i = 0; i < p->ngroups; i++)
		p->group_start[i + 1] = p->group_start[i] + counts[i];
	memset(counts, 0, sizeof(uint32_t) * (p->ngroups + 1));
	for (i = 0; i < p->nnodes; i++)
	{
		m = node_groups(&p->nodes[i], keys);
		for (j = 0; j < m; j++)
		{
			uint32_t	g = (uint32_t) pp_tab3_get(&p->group_index, keys[j][0],
												   keys[j][1], keys[j][2]);

			p->group_rules[p->group_start[g] + counts[g]++] = i;
		}
	}
	pp_free(&p->alloc, counts);
}

/*
 * build_solos records in each selector's dictionary slot the rule whose
 * only key is that selector (no key at the other levels), if it is a
 * rule and not a container: see pp_dict_slot.
 */
static void
build_solos(pp_policy *p)
{
	uint32_t	i;

	for (i = 0; i < p->nnodes; i++)
	{
		const pp_node *n = &p->nodes[i];
		int			l,
					exact = -1,
					others = 0;

		if (n->kind == PP_NODE_CONTAINER)
			continue;
		for (l = 0; l < PP_MAX_DEPTH; l++)
		{
			if (n->ids[l] >= PP_ID_FIRST && exact < 0)
				exact = l;
			else if (n->ids[l] != PP_ID_NONE)
				others++;
		}
		if (exact >= 0 && others == 0)
			pp_dict_slot_of(&p->dict[exact], n->ids[exact] - PP_ID_FIRST)->solo = i + 1;
	}
}

/*
 * build_filters gives the tables of a finished policy that every check
 * probes, the dictionaries and the rule table, their Bloom filters (see
 * pp_bloom.h).
 */
static void
build_filters(pp_policy *p)
{
	uint32_t	i;
	int			l;

	for (l = 0; l < PP_MAX_DEPTH; l++)
		pp_dict_build_filter(&p->dict[l], &p->alloc);
	pp_bloom_init(&p->node_index.filter, &p->alloc, p->node_index.count);
	if (p->node_index.filter.words != NULL)
		for (i = 0; i <= p->node_index.mask; i++)
			if (p->node_index.slots[i].val != 0)
				pp_bloom_add(&p->node_index.filter,
							 pp_hash_triple(p->node_index.slots[i].k[0],
											p->node_index.slots[i].k[1],
											p->node_index.slots[i].k[2]));
}

/*
 * pp_policy_index completes a policy whose scope keys are all recorded:
 * the mask of rule shapes and the node infos the evaluator reads, each
 * selector's solo rule, the groups of the containers' visibility and the
 * Bloom filters.
 */
void
pp_policy_index(pp_policy *p)
{
	uint32_t	i;

	for (i = 0; i < p->nnodes; i++)
	{
		const pp_node *n = &p->nodes[i];

		if (n->kind != PP_NODE_CONTAINER)
			p->pattern_mask |= 1u << (PP_ID_CLASS(n->ids[0]) +
									  3 * PP_ID_CLASS(n->ids[1]) +
									  9 * PP_ID_CLASS(n->ids[2]));
	}
	p->node_info = pp_alloc(&p->alloc, sizeof(uint32_t) * p->nnodes);
	for (i = 0; i < p->nnodes; i++)
		p->node_info[i] = PP_NODE_INFO(p->nodes[i].kind, p->nodes[i].perms);
	build_solos(p);
	build_groups(p);
	build_filters(p);
}
