/*-------------------------------------------------------------------------
 *
 * pp_policy.h
 *	  The layout of a compiled policy: its scope keys (nodes), what a
 *	  check reads of each, and its tables.
 *
 * src/core/pp_policy.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_POLICY_H
#define PP_POLICY_H

#include "pp.h"
#include "pp_dict.h"
#include "pp_scope.h"
#include "pp_tab3.h"

/* Node kinds: a container defines nothing for its own scope. */
#define PP_NODE_DENY		PP_VALUE_DENY
#define PP_NODE_LIST		PP_VALUE_LIST
#define PP_NODE_ALLOW		PP_VALUE_ALLOW
#define PP_NODE_CONTAINER	3

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

/* policy.c */
extern pp_policy *pp_policy_new(const pp_allocator *alloc);
extern const char *pp_policy_strings_add(pp_policy *p, const char *s, size_t len);
extern uint32_t pp_policy_intern(pp_policy *p, const pp_scope *sc);
extern void pp_policy_add_node(pp_policy *p, const uint32_t ids[PP_MAX_DEPTH],
							   int depth, int kind, uint16_t perms,
							   const char *key, uint32_t key_len);

/* index.c */
extern void pp_policy_index(pp_policy *p);

#endif							/* PP_POLICY_H */
