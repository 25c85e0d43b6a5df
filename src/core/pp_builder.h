/*-------------------------------------------------------------------------
 *
 * pp_builder.h
 *	  The layout of a builder (the policy compiler's state during a
 *	  claims walk), shared by the builder (builder.c) and its errors
 *	  (error.c).
 *
 * src/core/pp_builder.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_BUILDER_H
#define PP_BUILDER_H

#include "pp.h"
#include "pp_port.h"

/* What an open container of the claims is. */
typedef enum frame_kind
{
	FRAME_ROOT,					/* the claims object */
	FRAME_SCOPES,				/* an object of scope keys */
	FRAME_ARRAY					/* a permission array */
} frame_kind;

/* What the next value reported will be. */
typedef enum slot_kind
{
	SLOT_CLAIMS,				/* the whole document */
	SLOT_PERMISSIONS_CLAIM,		/* the permissions claim */
	SLOT_SUB,					/* the claims root's "sub" */
	SLOT_SCOPE,					/* the value of a scope key */
	SLOT_PERMISSION				/* an element of a permission array */
} slot_kind;

/* An open container of the claims, and what is pending in it. */
typedef struct frame
{
	frame_kind	kind;
	int			level;			/* level of the scope owning this object */
	uint32_t	ids[PP_MAX_DEPTH];	/* ids of the path down to here */
	/* the pending scope key (FRAME_SCOPES) or the array's key (FRAME_ARRAY) */
	int			key_level;
	uint32_t	key_id;
	const char *key;
	uint32_t	key_len;
	/* FRAME_ARRAY */
	uint16_t	perms;
	uint32_t	nelems;
	bool		bad;
} frame;

/* One step of the JSON path: an object key or an array index. */
typedef struct path_seg
{
	const char *key;			/* NULL for an index */
	size_t		len;
	uint32_t	index;
} path_seg;

/* Bounds of the frame stack and the path: see push_frame in builder.c. */
#define MAX_FRAMES	8
#define MAX_SEGS	8

/* A compile in progress: the walk's position, its errors, the policy being filled. */
struct pp_builder
{
	pp_allocator alloc;
	bool		collect_all;
	bool		lint_lookalikes;	/* a look-alike of the claim is an error */
	bool		stopped;
	bool		seen_root;
	bool		in_string_claim;	/* walking a permissions claim parsed from a string */
	slot_kind	slot;
	frame		frames[MAX_FRAMES];
	int			nframes;
	path_seg	segs[MAX_SEGS];
	int			nsegs;
	pp_error   *errors;
	pp_error  **errors_tail;
	int			nerrors;
	char	   *quoted;			/* the last pp_quote, or NULL */
	pp_policy  *policy;
};

/* error.c */
extern pp_walk pp_add_error(pp_builder *b, pp_errcode code, const char *hint,
							const char *fmt,...) PP_PRINTF(4, 5);
extern const char *pp_quote(pp_builder *b, const char *key, size_t len);

#endif							/* PP_BUILDER_H */
