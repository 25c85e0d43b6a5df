/*-------------------------------------------------------------------------
 *
 * policy.c
 *	  The policy compiler: turns the events of a claims walk into a
 *	  compiled pp_policy, validating every key and value on the way.
 *
 * A front end reports the claims document as events (object begin, key,
 * value, ...).  The builder keeps a small stack of frames (the root
 * object, the nested scope objects, a permission array) and the JSON path
 * of the current value, so each error names where it stands.  In
 * first-error mode the first problem stops the walk; in collect-all mode
 * (paragon_claims_errors) the offending value is skipped and the walk
 * goes on.  A builder with errors never yields a policy: an error can
 * never turn into a partial structure that allows something.
 *
 * Scopes nest at most three deep and a key must be deeper than its
 * parent, so the frame stack is bounded whatever the JSON nesting:
 * anything deeper is an error and is skipped, not walked.
 *
 * src/core/policy.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pp_int.h"

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
	SLOT_PERMISSIONS,			/* the permissions claim */
	SLOT_SUB,					/* the claims root's "sub" */
	SLOT_SCOPE,					/* the value of a scope key */
	SLOT_PERM					/* an element of a permission array */
} slot_kind;

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

#define MAX_FRAMES	8
#define MAX_SEGS	8

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
	pp_policy  *policy;
};

static const char *const type_names[] = {
	"null", "a boolean", "a number", "a string", "an array", "an object"
};

/* A block of the string arena; blocks never move, so pointers stay valid. */
struct pp_chunk
{
	struct pp_chunk *next;
	size_t		used;
	size_t		size;
	char		data[];
};

/* strings_add copies bytes (NUL-terminated) into the policy's string arena. */
static const char *
strings_add(pp_policy *p, const char *s, size_t len)
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

/* escape_into appends JSON-escaped text to buf (which may be NULL to measure). */
static size_t
escape_into(char *buf, const char *s, size_t len)
{
	size_t		n = 0;
	size_t		i;

	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '"' || c == '\\')
		{
			if (buf)
			{
				buf[n] = '\\';
				buf[n + 1] = (char) c;
			}
			n += 2;
		}
		else if (c < 0x20 || c == 0x7f)
		{
			if (buf)
				snprintf(buf + n, 7, "\\u%04x", c);
			n += 6;
		}
		else
		{
			if (buf)
				buf[n] = (char) c;
			n++;
		}
	}
	return n;
}

/*
 * A key longer than QUOTE_MAX bytes is cut to QUOTE_CUT bytes (at a
 * character boundary) where a message or a path quotes it, so that a
 * megabyte key does not become a megabyte error; the path says how long
 * the key was.
 */
#define QUOTE_MAX	128
#define QUOTE_CUT	100

/* quote_len is how many bytes of a key of len bytes are quoted. */
static size_t
quote_len(const char *s, size_t len)
{
	size_t		n = QUOTE_CUT;

	if (len <= QUOTE_MAX)
		return len;
	/* do not end inside a UTF-8 sequence: back up to a lead byte */
	while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* escaped returns a NUL-terminated, escaped copy of s for messages, cut if long. */
static char *
escaped(pp_builder *b, const char *s, size_t len)
{
	size_t		qlen = quote_len(s, len);
	size_t		n = escape_into(NULL, s, qlen);
	char	   *out = pp_alloc(&b->alloc, n + 4);

	escape_into(out, s, qlen);
	if (qlen < len)
		memcpy(out + n, "...", 3), n += 3;
	out[n] = '\0';
	return out;
}

/* format_path renders the current JSON path as $."a"."b"[2]. */
static char *
format_path(pp_builder *b)
{
	size_t		n = 1;
	char	   *out;
	char	   *o;
	int			i;

	for (i = 0; i < b->nsegs; i++)
		n += b->segs[i].key ?
			3 + escape_into(NULL, b->segs[i].key, quote_len(b->segs[i].key, b->segs[i].len)) + 40 :
			12;
	out = pp_alloc(&b->alloc, n + 1);
	o = out;
	*o++ = '$';
	for (i = 0; i < b->nsegs; i++)
	{
		if (b->segs[i].key)
		{
			size_t		qlen = quote_len(b->segs[i].key, b->segs[i].len);

			*o++ = '.';
			*o++ = '"';
			o += escape_into(o, b->segs[i].key, qlen);
			*o++ = '"';
			/* a cut key: say so, and how long it was */
			if (qlen < b->segs[i].len)
				o += snprintf(o, 40, "...(%zu bytes)", b->segs[i].len);
		}
		else
			o += snprintf(o, 12, "[%u]", b->segs[i].index);
	}
	*o = '\0';
	return out;
}

/*
 * add_error records an error at the current path; fmt holds at most one
 * %s, filled with arg.  Returns what the walk must do next: stop in
 * first-error mode, otherwise skip the offending value.
 */
static pp_walk
add_error(pp_builder *b, pp_errcode code, const char *hint,
		  const char *fmt, const char *arg)
{
	pp_error   *e;
	size_t		n;

	if (b->nerrors >= PP_MAX_ERRORS)
	{
		b->stopped = true;
		return PP_WALK_STOP;
	}
	e = pp_alloc0(&b->alloc, sizeof(pp_error));
	e->code = code;
	e->path = format_path(b);
	n = strlen(fmt) + (arg ? strlen(arg) : 0) + 1;
	e->message = pp_alloc(&b->alloc, n);
	snprintf(e->message, n, fmt, arg ? arg : "");
	if (hint)
	{
		e->hint = pp_alloc(&b->alloc, strlen(hint) + 1);
		strcpy(e->hint, hint);
	}
	*b->errors_tail = e;
	b->errors_tail = &e->next;
	b->nerrors++;
	if (!b->collect_all)
	{
		b->stopped = true;
		return PP_WALK_STOP;
	}
	return PP_WALK_SKIP;
}

/* add_error_key is add_error with the escaped key as the argument. */
static pp_walk
add_error_key(pp_builder *b, pp_errcode code, const char *hint,
			  const char *fmt, const char *key, size_t len)
{
	char	   *arg = escaped(b, key, len);
	pp_walk		w = add_error(b, code, hint, fmt, arg);

	/* add_error copied it into the message */
	pp_free(&b->alloc, arg);
	return w;
}

/* push_seg appends a step to the JSON path. */
static void
push_seg(pp_builder *b, const char *key, size_t len, uint32_t index)
{
	/* frames bound the nesting, so this cannot overflow; guard anyway */
	if (b->nsegs < MAX_SEGS)
	{
		b->segs[b->nsegs].key = key;
		b->segs[b->nsegs].len = len;
		b->segs[b->nsegs].index = index;
	}
	b->nsegs++;
}

/*
 * push_frame enters a container.  The stack cannot overflow: a scope key
 * must be deeper than its parent, so at most the root, the permissions
 * object, three scope objects and one array are ever open, and anything
 * deeper is an error whose value is skipped, not entered.
 */
static frame *
push_frame(pp_builder *b, frame_kind kind)
{
	frame	   *nf = &b->frames[b->nframes++];

	memset(nf, 0, sizeof(*nf));
	nf->kind = kind;
	return nf;
}

/* top returns the innermost frame, or NULL before the root. */
static inline frame *
top(pp_builder *b)
{
	return b->nframes > 0 ? &b->frames[b->nframes - 1] : NULL;
}

/*
 * value_done ends the value in the current slot: it pops the path step
 * of that value and prepares the slot for what may follow.
 */
static void
value_done(pp_builder *b)
{
	frame	   *f = top(b);

	if (f == NULL)
		return;
	b->nsegs--;
	if (f->kind == FRAME_ARRAY)
	{
		f->nelems++;
		b->slot = SLOT_PERM;
	}
	else if (f->kind == FRAME_ROOT)
		b->in_string_claim = false;
}

/*
 * sub_seen records the JSON type of the claims root's "sub" and ends its
 * value.  Only a string is read (pp_ev_string); any other type leaves the
 * policy's Connected User invalid, which is not an error of the claims:
 * the permission checks do not read "sub", and the boundary functions
 * raise their own error when they find it invalid.
 */
static void
sub_seen(pp_builder *b, pp_jtype type)
{
	b->policy->sub_state = PP_SUB_INVALID;
	b->policy->sub_type = type;
	b->policy->sub = NULL;
	b->policy->sub_len = 0;
	value_done(b);
}

/*
 * pp_builder_lint makes a top-level look-alike of the permissions claim
 * an error of this builder, for the front ends that list problems
 * (paragon_claims_errors, the tool's check) and for strict mode; never in
 * the compile that evaluation uses, where such a claim is ignored, as
 * Paragon ignores it.  Off by default, so that the first-error and
 * collect-all modes agree on whether claims compile.
 */
void
pp_builder_lint(pp_builder *b, bool lookalikes)
{
	b->lint_lookalikes = lookalikes;
}

/* pp_builder_new creates a builder; collect_all keeps going after errors. */
pp_builder *
pp_builder_new(const pp_allocator *alloc, bool collect_all)
{
	pp_builder *b = pp_alloc0(alloc, sizeof(pp_builder));
	pp_policy  *p;

	b->alloc = *alloc;
	b->collect_all = collect_all;
	b->errors_tail = &b->errors;
	b->slot = SLOT_CLAIMS;

	p = pp_alloc0(alloc, sizeof(pp_policy));
	p->alloc = *alloc;
	p->maxnodes = 16;
	p->nodes = pp_alloc(alloc, sizeof(pp_node) * p->maxnodes);
	pp_tab3_init(&p->node_index, alloc, 16);
	b->policy = p;
	return b;
}

/* dict_place puts entry i of a dictionary into a free slot of its table. */
static void
dict_place(pp_dict *d, uint32_t i)
{
	const pp_dict_entry *e = &d->entries[i];
	uint32_t	j = e->hash & d->mask;
	pp_dict_slot *sl;

	while (d->slots[j].id != 0)
		j = (j + 1) & d->mask;
	sl = &d->slots[j];
	if (e->len <= PP_DICT_INLINE)
		memcpy(sl->key, e->s, e->len);
	sl->hash = e->hash;
	sl->length = PP_DICT_LENGTH(e->len, e->isuuid);
	sl->id = i + 1;
}

/* dict_slot_of returns the slot that holds entry i of a dictionary. */
static pp_dict_slot *
dict_slot_of(pp_dict *d, uint32_t i)
{
	uint32_t	j = d->entries[i].hash & d->mask;

	while (d->slots[j].id != i + 1)
		j = (j + 1) & d->mask;
	return &d->slots[j];
}

/* intern returns the id of a scope's selector, adding it to its dictionary. */
static uint32_t
intern(pp_policy *p, const pp_scope *sc)
{
	pp_dict    *d = &p->dict[sc->level - 1];
	const unsigned char *s = sc->isuuid ? sc->uuid : (const unsigned char *) sc->sel;
	size_t		len = sc->isuuid ? 16 : sc->sel_len;
	uint32_t	id;
	pp_dict_entry *e;

	if (sc->wildcard)
		return PP_ID_WILDCARD;
	id = pp_dict_lookup(d, s, len, sc->isuuid);
	if (id != PP_ID_NONE)
		return id;

	if (d->nentries == d->maxentries)
	{
		uint32_t	newmax = d->maxentries ? d->maxentries * 2 : 8;
		pp_dict_entry *n = pp_alloc(&p->alloc, sizeof(pp_dict_entry) * newmax);

		if (d->nentries)
			memcpy(n, d->entries, sizeof(pp_dict_entry) * d->nentries);
		pp_free(&p->alloc, d->entries);
		d->entries = n;
		d->maxentries = newmax;
	}
	e = &d->entries[d->nentries];
	e->s = (const unsigned char *) strings_add(p, (const char *) s, len);
	e->len = (uint32_t) len;
	e->hash = (uint32_t) pp_hash_bytes(s, len, sc->isuuid);
	e->isuuid = sc->isuuid;
	d->nentries++;

	/* rebuild the slots when half full; otherwise insert */
	if (2 * d->nentries > d->mask + 1 || d->slots == NULL)
	{
		uint32_t	slots = 16;
		uint32_t	i;

		while (slots < 2 * d->nentries)
			slots <<= 1;
		pp_free(&p->alloc, d->slots);
		d->slots = pp_alloc0(&p->alloc, sizeof(pp_dict_slot) * slots);
		d->mask = slots - 1;
		for (i = 0; i < d->nentries; i++)
			dict_place(d, i);
	}
	else
		dict_place(d, d->nentries - 1);
	return d->nentries - 1 + PP_ID_FIRST;
}

/* add_node records a scope key of the claims. */
static void
add_node(pp_policy *p, const uint32_t ids[PP_MAX_DEPTH], int depth, int kind,
		 uint16_t perms, const char *key, uint32_t key_len)
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

/* pending_ids returns the ids of the pending key's path in frame f. */
static void
pending_ids(const frame *f, uint32_t ids[PP_MAX_DEPTH])
{
	memcpy(ids, f->ids, sizeof(f->ids));
	ids[f->key_level - 1] = f->key_id;
}

/* pp_ev_object_begin reports the start of an object. */
pp_walk
pp_ev_object_begin(pp_builder *b)
{
	frame	   *f = top(b);
	frame	   *nf;

	if (b->stopped)
		return PP_WALK_STOP;
	switch (b->slot)
	{
		case SLOT_CLAIMS:
			if (b->seen_root)
				return add_error(b, PP_ERR_CLAIMS, NULL, "claims must be a single JSON value%s", NULL);
			b->seen_root = true;
			nf = push_frame(b, FRAME_ROOT);
			return PP_WALK_CONTINUE;

		case SLOT_SUB:
			/* an object is never a Connected User: not walked */
			sub_seen(b, PP_JSON_OBJECT);
			return PP_WALK_SKIP;

		case SLOT_PERMISSIONS:
			b->policy->restricted = true;
			nf = push_frame(b, FRAME_SCOPES);
			nf->level = 0;
			return PP_WALK_CONTINUE;

		case SLOT_SCOPE:
			{
				uint32_t	ids[PP_MAX_DEPTH];

				pending_ids(f, ids);
				add_node(b->policy, ids, f->key_level, PP_NODE_CONTAINER, 0,
						 f->key, f->key_len);
				nf = push_frame(b, FRAME_SCOPES);
				nf->level = f->key_level;
				memcpy(nf->ids, ids, sizeof(ids));
				return PP_WALK_CONTINUE;
			}

		case SLOT_PERM:
			f->bad = true;
			push_seg(b, NULL, 0, f->nelems);
			{
				pp_walk		w = add_error(b, PP_ERR_CLAIMS, NULL,
										  "permission must be a string, not an object%s", NULL);

				if (w == PP_WALK_SKIP)
					value_done(b);
				return w;
			}
	}
	return PP_WALK_STOP;
}

/*
 * pp_ev_key reports a key of the current object; the value follows unless
 * the answer is PP_WALK_SKIP, in which case the walker skips it whole.
 */
pp_walk
pp_ev_key(pp_builder *b, const char *key, size_t len)
{
	frame	   *f = top(b);
	pp_scope	sc;
	const char *hint;
	const char *msg;
	uint32_t	ids[PP_MAX_DEPTH];
	pp_walk		w;

	if (b->stopped)
		return PP_WALK_STOP;
	push_seg(b, key, len, 0);

	if (f->kind == FRAME_ROOT)
	{
		if (len == strlen(PP_PERMISSIONS_CLAIM) &&
			memcmp(key, PP_PERMISSIONS_CLAIM, len) == 0)
		{
			b->slot = SLOT_PERMISSIONS;
			return PP_WALK_CONTINUE;
		}
		if ((len >= 12 && memcmp(key, "integration:", 12) == 0) ||
			(len >= 11 && memcmp(key, "credential:", 11) == 0) ||
			(len >= 14 && memcmp(key, "configuration:", 14) == 0))
		{
			w = add_error_key(b, PP_ERR_CLAIMS,
							  "Scopes belong inside the \"" PP_PERMISSIONS_CLAIM "\" claim; pass the whole token payload as the claims.",
							  "scope \"%s\" found at the top level of the claims", key, len);
			b->nsegs--;
			return w;
		}
		/* the Connected User, for the boundary (see sub_seen) */
		if (len == 3 && memcmp(key, "sub", 3) == 0)
		{
			b->slot = SLOT_SUB;
			return PP_WALK_CONTINUE;
		}
		if (b->lint_lookalikes && pp_claim_lookalike(key, len))
		{
			w = add_error_key(b, PP_ERR_CLAIMS,
							  "Evaluation reads only \"" PP_PERMISSIONS_CLAIM "\" and ignores this claim, so its permissions restrict nothing; spell the claim name exactly.",
							  "claim \"%s\" is ignored: it looks like the permissions claim \"" PP_PERMISSIONS_CLAIM "\" but is not it",
							  key, len);
			b->nsegs--;
			return w;
		}
		/* other claims (exp, aud, ...) are not ours to read */
		b->nsegs--;
		return PP_WALK_SKIP;
	}

	/* FRAME_SCOPES */
	if (len > PP_MAX_SELECTOR_LEN)
	{
		char		msg[96];

		snprintf(msg, sizeof(msg), "scope key of %zu bytes exceeds %d bytes%%s",
				 len, PP_MAX_SELECTOR_LEN);
		w = add_error(b, PP_ERR_LIMIT, "Shorten the integration name, credential ID or External ID.",
					  msg, NULL);
		b->nsegs--;
		return w;
	}
	if (b->policy->nnodes >= PP_MAX_RULES)
	{
		char		limit[64];

		snprintf(limit, sizeof(limit), "%d", PP_MAX_RULES);
		w = add_error(b, PP_ERR_LIMIT, NULL, "claims hold more than %s scopes", limit);
		b->nsegs--;
		return w;
	}
	msg = pp_scope_parse(key, len, &sc, &hint);
	if (msg != NULL)
	{
		w = add_error_key(b, PP_ERR_CLAIMS, hint, msg, key, len);
		b->nsegs--;
		return w;
	}
	if (sc.level <= f->level)
	{
		char		buf[80];

		snprintf(buf, sizeof(buf), "%s scope nested in %s scope%%s",
				 pp_level_name(sc.level), pp_level_name(f->level));
		w = add_error(b, PP_ERR_CLAIMS,
					  "A nested scope must be narrower: integration, then credential, then configuration.",
					  buf, NULL);
		b->nsegs--;
		return w;
	}

	f->key_level = sc.level;
	f->key_id = intern(b->policy, &sc);
	pending_ids(f, ids);
	if (pp_tab3_get(&b->policy->node_index, ids[0], ids[1], ids[2]) >= 0)
	{
		w = add_error_key(b, PP_ERR_CLAIMS,
						  "Two keys of one object name the same scope (for example two spellings of one UUID); keep one.",
						  "duplicate scope \"%s\"", key, len);
		b->nsegs--;
		return w;
	}
	f->key = strings_add(b->policy, key, len);
	f->key_len = (uint32_t) len;
	b->slot = SLOT_SCOPE;
	return PP_WALK_CONTINUE;
}

/* pp_ev_object_end reports the end of an object. */
pp_walk
pp_ev_object_end(pp_builder *b)
{
	if (b->stopped)
		return PP_WALK_STOP;
	b->nframes--;
	if (b->nframes > 0)
	{
		frame	   *f = top(b);

		value_done(b);
		if (f->kind == FRAME_SCOPES)
			b->slot = SLOT_SCOPE;
	}
	return PP_WALK_CONTINUE;
}

/* scope_value_error reports a scope value of the wrong type. */
static pp_walk
scope_value_error(pp_builder *b, pp_jtype type)
{
	frame	   *f = top(b);
	char		buf[160];
	pp_walk		w;

	snprintf(buf, sizeof(buf),
			 "scope \"%%s\" must be true, false, an array of permissions or an object, not %s",
			 type_names[type]);
	w = add_error_key(b, PP_ERR_CLAIMS, NULL, buf,
					  f->key, f->key_len);
	if (w == PP_WALK_SKIP)
		value_done(b);
	return w;
}

/* permissions_type_error reports a permissions claim that is not an object. */
static pp_walk
permissions_type_error(pp_builder *b, pp_jtype type)
{
	char		buf[160];
	pp_walk		w;

	snprintf(buf, sizeof(buf), "permissions claim must be a JSON object, not %s%s%%s",
			 b->in_string_claim ? "a string holding " : "", type_names[type]);
	w = add_error(b, PP_ERR_CLAIMS,
				  "Set \"" PP_PERMISSIONS_CLAIM "\" to an object of scopes, such as {\"integration:*\": true}.",
				  buf, NULL);
	if (w == PP_WALK_SKIP)
		value_done(b);
	return w;
}

/* perm_type_error reports an array element that is not a string. */
static pp_walk
perm_type_error(pp_builder *b, pp_jtype type)
{
	frame	   *f = top(b);
	char		buf[80];
	pp_walk		w;

	f->bad = true;
	push_seg(b, NULL, 0, f->nelems);
	snprintf(buf, sizeof(buf), "permission must be a string, not %s%%s", type_names[type]);
	w = add_error(b, PP_ERR_CLAIMS, NULL, buf, NULL);
	if (w == PP_WALK_SKIP)
		value_done(b);
	return w;
}

/* pp_ev_array_begin reports the start of an array. */
pp_walk
pp_ev_array_begin(pp_builder *b)
{
	frame	   *f = top(b);
	frame	   *nf;

	if (b->stopped)
		return PP_WALK_STOP;
	switch (b->slot)
	{
		case SLOT_CLAIMS:
			return add_error(b, PP_ERR_CLAIMS, NULL, "claims must be a JSON object, not an array%s", NULL);
		case SLOT_SUB:
			sub_seen(b, PP_JSON_ARRAY);
			return PP_WALK_SKIP;
		case SLOT_PERMISSIONS:
			return permissions_type_error(b, PP_JSON_ARRAY);
		case SLOT_PERM:
			return perm_type_error(b, PP_JSON_ARRAY);
		case SLOT_SCOPE:
			nf = push_frame(b, FRAME_ARRAY);
			nf->level = f->key_level;
			pending_ids(f, nf->ids);
			nf->key_level = f->key_level;
			nf->key = f->key;
			nf->key_len = f->key_len;
			b->slot = SLOT_PERM;
			return PP_WALK_CONTINUE;
	}
	return PP_WALK_STOP;
}

/* pp_ev_array_end reports the end of an array: the rule is complete. */
pp_walk
pp_ev_array_end(pp_builder *b)
{
	frame	   *f = top(b);

	if (b->stopped)
		return PP_WALK_STOP;
	if (!f->bad)
		add_node(b->policy, f->ids, f->key_level, PP_NODE_LIST, f->perms,
				 f->key, f->key_len);
	b->nframes--;
	value_done(b);
	b->slot = SLOT_SCOPE;
	return PP_WALK_CONTINUE;
}

/* pp_ev_string reports a string value. */
pp_walk
pp_ev_string(pp_builder *b, const char *s, size_t len)
{
	frame	   *f = top(b);
	int			perm;
	pp_walk		w;

	if (b->stopped)
		return PP_WALK_STOP;
	switch (b->slot)
	{
		case SLOT_CLAIMS:
			return add_error(b, PP_ERR_CLAIMS, NULL, "claims must be a JSON object, not a string%s", NULL);
		case SLOT_PERMISSIONS:
			if (b->in_string_claim)
				return permissions_type_error(b, PP_JSON_STRING);
			/* some JWT libraries serialise object claims as JSON text */
			b->in_string_claim = true;
			return PP_WALK_PARSE_STRING;
		case SLOT_SUB:
			/* exactly as given: no trimming, no case folding */
			sub_seen(b, PP_JSON_STRING);
			if (len > 0)
			{
				b->policy->sub_state = PP_SUB_STRING;
				b->policy->sub = strings_add(b->policy, s, len);
				b->policy->sub_len = len;
			}
			else
				b->policy->sub_state = PP_SUB_NONE;
			return PP_WALK_CONTINUE;
		case SLOT_SCOPE:
			return scope_value_error(b, PP_JSON_STRING);
		case SLOT_PERM:
			if (f->nelems >= PP_MAX_ARRAY_LEN)
			{
				char		limit[64];

				f->bad = true;
				/* the rest of the array is not worth reporting: once is enough */
				if (f->nelems++ > PP_MAX_ARRAY_LEN)
					return PP_WALK_CONTINUE;
				snprintf(limit, sizeof(limit), "%d", PP_MAX_ARRAY_LEN);
				w = add_error(b, PP_ERR_LIMIT, NULL, "permission array exceeds %s elements", limit);
				return w == PP_WALK_SKIP ? PP_WALK_CONTINUE : w;
			}
			perm = pp_perm_lookup(s, len);
			if (perm < 0)
			{
				f->bad = true;
				push_seg(b, NULL, 0, f->nelems);
				w = add_error_key(b, PP_ERR_CLAIMS,
								  "Permissions are credential:write, config:write, settings:read, settings:write, metadata:read, metadata:write, proxy-api, events and workflows.",
								  "unrecognized permission \"%s\"", s, len);
				if (w == PP_WALK_SKIP)
					value_done(b);
				return w == PP_WALK_SKIP ? PP_WALK_CONTINUE : w;
			}
			f->perms |= (uint16_t) (1u << perm);
			f->nelems++;
			return PP_WALK_CONTINUE;
	}
	return PP_WALK_STOP;
}

/* pp_ev_scalar reports null, a boolean or a number. */
pp_walk
pp_ev_scalar(pp_builder *b, pp_jtype type, bool boolval)
{
	frame	   *f = top(b);
	pp_walk		w;

	if (b->stopped)
		return PP_WALK_STOP;
	switch (b->slot)
	{
		case SLOT_CLAIMS:
			{
				char		buf[80];

				snprintf(buf, sizeof(buf), "claims must be a JSON object, not %s%%s", type_names[type]);
				return add_error(b, PP_ERR_CLAIMS, NULL, buf, NULL);
			}
		case SLOT_PERMISSIONS:
			return permissions_type_error(b, type);
		case SLOT_SUB:
			sub_seen(b, type);
			return PP_WALK_CONTINUE;
		case SLOT_PERM:
			w = perm_type_error(b, type);
			return w == PP_WALK_SKIP ? PP_WALK_CONTINUE : w;
		case SLOT_SCOPE:
			if (type != PP_JSON_BOOL)
			{
				w = scope_value_error(b, type);
				return w == PP_WALK_SKIP ? PP_WALK_CONTINUE : w;
			}
			{
				uint32_t	ids[PP_MAX_DEPTH];

				pending_ids(f, ids);
				add_node(b->policy, ids, f->key_level,
						 boolval ? PP_NODE_ALLOW : PP_NODE_DENY, 0,
						 f->key, f->key_len);
			}
			value_done(b);
			return PP_WALK_CONTINUE;
	}
	return PP_WALK_STOP;
}

/*
 * pp_ev_json_error reports that the string of the permissions claim is
 * not JSON text; what says why (and where, in the front end's words).
 */
void
pp_ev_json_error(pp_builder *b, const char *what)
{
	if (b->stopped)
		return;
	if (add_error(b, PP_ERR_JSON,
				  "The claim must be a JSON object, or a string holding the text of one.",
				  "permissions claim is a string that is not valid JSON: %s", what) == PP_WALK_SKIP)
		value_done(b);
}

/* pp_builder_errors returns the errors recorded so far, in document order. */
const pp_error *
pp_builder_errors(const pp_builder *b)
{
	return b->errors;
}

/*
 * build_groups indexes the non-deny rules deeper than each prefix, for
 * the visibility of containers: group (1, k1, 0) holds the rules of depth
 * 2 and 3 whose integration id is k1, group (2, k1, k2) the rules of depth
 * 3 under (k1, k2).
 */
static void
build_groups(pp_policy *p)
{
	uint32_t	i;
	uint32_t   *counts;
	uint32_t	total = 0;
	int			d;

	pp_tab3_init(&p->group_index, &p->alloc, 16);
	counts = pp_alloc0(&p->alloc, sizeof(uint32_t) * (2 * p->nnodes + 1));
	for (i = 0; i < p->nnodes; i++)
	{
		const pp_node *n = &p->nodes[i];

		if (n->kind == PP_NODE_CONTAINER || n->kind == PP_NODE_DENY)
			continue;
		for (d = 1; d < n->depth; d++)
		{
			uint32_t	k2 = d == 2 ? n->ids[1] : 0;
			int64_t		g = pp_tab3_get(&p->group_index, d, n->ids[0], k2);

			if (g < 0)
			{
				g = p->group_index.count;
				pp_tab3_put(&p->group_index, &p->alloc, d, n->ids[0], k2, (uint32_t) g);
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
		const pp_node *n = &p->nodes[i];

		if (n->kind == PP_NODE_CONTAINER || n->kind == PP_NODE_DENY)
			continue;
		for (d = 1; d < n->depth; d++)
		{
			uint32_t	k2 = d == 2 ? n->ids[1] : 0;
			uint32_t	g = (uint32_t) pp_tab3_get(&p->group_index, d, n->ids[0], k2);

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
			dict_slot_of(&p->dict[exact], n->ids[exact] - PP_ID_FIRST)->solo = i + 1;
	}
}

/*
 * build_filters gives the tables of a finished policy that every check
 * probes, the dictionaries and the rule table, their Bloom filters (see
 * pp_int.h).
 */
static void
build_filters(pp_policy *p)
{
	uint32_t	i;
	int			l;

	for (l = 0; l < PP_MAX_DEPTH; l++)
	{
		pp_dict    *d = &p->dict[l];

		pp_bloom_init(&d->filter, &p->alloc, d->nentries);
		if (d->filter.words != NULL)
			for (i = 0; i < d->nentries; i++)
				pp_bloom_add(&d->filter, pp_hash_bytes(d->entries[i].s,
													   d->entries[i].len,
													   d->entries[i].isuuid));
	}
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
 * pp_builder_finish completes the compile: NULL if any error was seen
 * (the errors stay readable until pp_builder_free), else the policy,
 * which then belongs to the caller.
 */
pp_policy *
pp_builder_finish(pp_builder *b)
{
	pp_policy  *p = b->policy;
	uint32_t	i;

	if (b->errors != NULL || b->nframes != 0 || !b->seen_root)
		return NULL;
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
	b->policy = NULL;
	return p;
}

/* pp_builder_free releases a builder, its errors and any unfinished policy. */
void
pp_builder_free(pp_builder *b)
{
	pp_error   *e = b->errors;
	pp_allocator a = b->alloc;

	while (e)
	{
		pp_error   *next = e->next;

		pp_free(&a, e->path);
		pp_free(&a, e->message);
		pp_free(&a, e->hint);
		pp_free(&a, e);
		e = next;
	}
	if (b->policy)
		pp_policy_free(b->policy);
	pp_free(&a, b);
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

/* pp_jtype_name names a JSON type as messages do ("a number"). */
const char *
pp_jtype_name(pp_jtype type)
{
	return type_names[type];
}

/* pp_policy_rule_count returns the number of scope keys compiled. */
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
	{
		pp_free(&a, p->dict[l].entries);
		pp_free(&a, p->dict[l].slots);
		pp_bloom_free(&p->dict[l].filter, &a);
	}
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
