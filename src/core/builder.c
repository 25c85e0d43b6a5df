/*-------------------------------------------------------------------------
 *
 * builder.c
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
 * src/core/builder.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pp_builder.h"
#include "pp_int.h"

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
		b->slot = SLOT_PERMISSION;
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

	b->alloc = *alloc;
	b->collect_all = collect_all;
	b->errors_tail = &b->errors;
	b->slot = SLOT_CLAIMS;

	b->policy = pp_policy_new(alloc);
	return b;
}

/* pending_ids returns the ids of the pending key's path in frame f. */
static void
pending_ids(const frame *f, uint32_t ids[PP_MAX_DEPTH])
{
	memcpy(ids, f->ids, sizeof(f->ids));
	ids[f->key_level - 1] = f->key_id;
}

/* claims_type_error reports a claims document that is not an object. */
static pp_walk
claims_type_error(pp_builder *b, pp_jtype type)
{
	return pp_add_error(b, PP_ERR_CLAIMS, NULL, "claims must be a JSON object, not %s",
						pp_jtype_name(type));
}

/*
 * permissions_claim_type_error reports a permissions claim that is not
 * an object.
 */
static pp_walk
permissions_claim_type_error(pp_builder *b, pp_jtype type)
{
	pp_walk		w;

	w = pp_add_error(b, PP_ERR_CLAIMS,
					 "Set \"" PP_PERMISSIONS_CLAIM "\" to an object of scopes, such as {\"integration:*\": true}.",
					 "permissions claim must be a JSON object, not %s%s",
					 b->in_string_claim ? "a string holding " : "", pp_jtype_name(type));
	if (w == PP_WALK_SKIP)
		value_done(b);
	return w;
}

/* scope_value_error reports a scope value of the wrong type. */
static pp_walk
scope_value_error(pp_builder *b, pp_jtype type)
{
	frame	   *f = top(b);
	pp_walk		w;

	w = pp_add_error(b, PP_ERR_CLAIMS, NULL,
					 "scope \"%s\" must be true, false, an array of permissions or an object, not %s",
					 pp_quote(b, f->key, f->key_len), pp_jtype_name(type));
	if (w == PP_WALK_SKIP)
		value_done(b);
	return w;
}

/* permission_type_error reports an array element that is not a string. */
static pp_walk
permission_type_error(pp_builder *b, pp_jtype type)
{
	frame	   *f = top(b);
	pp_walk		w;

	f->bad = true;
	push_seg(b, NULL, 0, f->nelems);
	w = pp_add_error(b, PP_ERR_CLAIMS, NULL, "permission must be a string, not %s",
					 pp_jtype_name(type));
	if (w == PP_WALK_SKIP)
		value_done(b);
	return w;
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
				return pp_add_error(b, PP_ERR_CLAIMS, NULL, "claims must be a single JSON value");
			b->seen_root = true;
			nf = push_frame(b, FRAME_ROOT);
			return PP_WALK_CONTINUE;

		case SLOT_SUB:
			/* an object is never a Connected User: not walked */
			sub_seen(b, PP_JSON_OBJECT);
			return PP_WALK_SKIP;

		case SLOT_PERMISSIONS_CLAIM:
			b->policy->restricted = true;
			nf = push_frame(b, FRAME_SCOPES);
			nf->level = 0;
			return PP_WALK_CONTINUE;

		case SLOT_SCOPE:
			{
				uint32_t	ids[PP_MAX_DEPTH];

				pending_ids(f, ids);
				pp_policy_add_node(b->policy, ids, f->key_level, PP_NODE_CONTAINER, 0,
						 f->key, f->key_len);
				nf = push_frame(b, FRAME_SCOPES);
				nf->level = f->key_level;
				memcpy(nf->ids, ids, sizeof(ids));
				return PP_WALK_CONTINUE;
			}

		case SLOT_PERMISSION:
			return permission_type_error(b, PP_JSON_OBJECT);
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
	pp_scope_status st;
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
			b->slot = SLOT_PERMISSIONS_CLAIM;
			return PP_WALK_CONTINUE;
		}
		if ((len >= 12 && memcmp(key, "integration:", 12) == 0) ||
			(len >= 11 && memcmp(key, "credential:", 11) == 0) ||
			(len >= 14 && memcmp(key, "configuration:", 14) == 0))
		{
			w = pp_add_error(b, PP_ERR_CLAIMS,
							 "Scopes belong inside the \"" PP_PERMISSIONS_CLAIM "\" claim; pass the whole token payload as the claims.",
							 "scope \"%s\" found at the top level of the claims",
							 pp_quote(b, key, len));
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
			w = pp_add_error(b, PP_ERR_CLAIMS,
							 "Evaluation reads only \"" PP_PERMISSIONS_CLAIM "\" and ignores this claim, so its permissions restrict nothing; spell the claim name exactly.",
							 "claim \"%s\" is ignored: it looks like the permissions claim \"" PP_PERMISSIONS_CLAIM "\" but is not it",
							 pp_quote(b, key, len));
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
		w = pp_add_error(b, PP_ERR_LIMIT, "Shorten the integration name, credential ID or External ID.",
						 "scope key of %zu bytes exceeds %d bytes", len, PP_MAX_SELECTOR_LEN);
		b->nsegs--;
		return w;
	}
	if (b->policy->nnodes >= PP_MAX_RULES)
	{
		w = pp_add_error(b, PP_ERR_LIMIT, NULL, "claims hold more than %d scopes", PP_MAX_RULES);
		b->nsegs--;
		return w;
	}
	st = pp_scope_parse(key, len, &sc);
	if (st != PP_SCOPE_OK)
	{
		const pp_scope_error *e = pp_scope_error_of(st);

		w = pp_add_error(b, PP_ERR_CLAIMS, e->hint, "%s \"%s\"%s",
						 e->before, pp_quote(b, key, len), e->after);
		b->nsegs--;
		return w;
	}
	if (sc.level <= f->level)
	{
		w = pp_add_error(b, PP_ERR_CLAIMS,
						 "A nested scope must be narrower: integration, then credential, then configuration.",
						 "%s scope nested in %s scope",
						 pp_level_name(sc.level), pp_level_name(f->level));
		b->nsegs--;
		return w;
	}

	f->key_level = sc.level;
	f->key_id = pp_policy_intern(b->policy, &sc);
	pending_ids(f, ids);
	if (pp_tab3_get(&b->policy->node_index, ids[0], ids[1], ids[2]) >= 0)
	{
		w = pp_add_error(b, PP_ERR_CLAIMS,
						 "Two keys of one object name the same scope (for example two spellings of one UUID); keep one.",
						 "duplicate scope \"%s\"", pp_quote(b, key, len));
		b->nsegs--;
		return w;
	}
	f->key = pp_policy_strings_add(b->policy, key, len);
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
			return claims_type_error(b, PP_JSON_ARRAY);
		case SLOT_SUB:
			sub_seen(b, PP_JSON_ARRAY);
			return PP_WALK_SKIP;
		case SLOT_PERMISSIONS_CLAIM:
			return permissions_claim_type_error(b, PP_JSON_ARRAY);
		case SLOT_PERMISSION:
			return permission_type_error(b, PP_JSON_ARRAY);
		case SLOT_SCOPE:
			nf = push_frame(b, FRAME_ARRAY);
			nf->level = f->key_level;
			pending_ids(f, nf->ids);
			nf->key_level = f->key_level;
			nf->key = f->key;
			nf->key_len = f->key_len;
			b->slot = SLOT_PERMISSION;
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
		pp_policy_add_node(b->policy, f->ids, f->key_level, PP_NODE_LIST, f->perms,
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
			return claims_type_error(b, PP_JSON_STRING);
		case SLOT_PERMISSIONS_CLAIM:
			if (b->in_string_claim)
				return permissions_claim_type_error(b, PP_JSON_STRING);
			/* some JWT libraries serialise object claims as JSON text */
			b->in_string_claim = true;
			return PP_WALK_PARSE_STRING;
		case SLOT_SUB:
			/* exactly as given: no trimming, no case folding */
			sub_seen(b, PP_JSON_STRING);
			if (len > 0)
			{
				b->policy->sub_state = PP_SUB_STRING;
				b->policy->sub = pp_policy_strings_add(b->policy, s, len);
				b->policy->sub_len = len;
			}
			else
				b->policy->sub_state = PP_SUB_NONE;
			return PP_WALK_CONTINUE;
		case SLOT_SCOPE:
			return scope_value_error(b, PP_JSON_STRING);
		case SLOT_PERMISSION:
			if (f->nelems >= PP_MAX_ARRAY_LEN)
			{
				f->bad = true;
				/* the rest of the array is not worth reporting: once is enough */
				if (f->nelems++ > PP_MAX_ARRAY_LEN)
					return PP_WALK_CONTINUE;
				w = pp_add_error(b, PP_ERR_LIMIT, NULL, "permission array exceeds %d elements",
								 PP_MAX_ARRAY_LEN);
				return w == PP_WALK_SKIP ? PP_WALK_CONTINUE : w;
			}
			perm = pp_perm_lookup(s, len);
			if (perm < 0)
			{
				char		hint[PP_PERM_HINT_SIZE];

				f->bad = true;
				push_seg(b, NULL, 0, f->nelems);
				w = pp_add_error(b, PP_ERR_CLAIMS, pp_perm_hint(hint),
								 "unrecognized permission \"%s\"", pp_quote(b, s, len));
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
			return claims_type_error(b, type);
		case SLOT_PERMISSIONS_CLAIM:
			return permissions_claim_type_error(b, type);
		case SLOT_SUB:
			sub_seen(b, type);
			return PP_WALK_CONTINUE;
		case SLOT_PERMISSION:
			w = permission_type_error(b, type);
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
				pp_policy_add_node(b->policy, ids, f->key_level,
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
	if (pp_add_error(b, PP_ERR_JSON,
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
 * pp_builder_finish completes the compile: NULL if any error was seen
 * (the errors stay readable until pp_builder_free), else the policy,
 * which then belongs to the caller.
 */
pp_policy *
pp_builder_finish(pp_builder *b)
{
	pp_policy  *p = b->policy;

	if (b->errors != NULL || b->nframes != 0 || !b->seen_root)
		return NULL;
	pp_policy_index(p);
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
	pp_free(&a, b->quoted);
	if (b->policy)
		pp_policy_free(b->policy);
	pp_free(&a, b);
}
