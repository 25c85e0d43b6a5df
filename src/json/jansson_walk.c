/*-------------------------------------------------------------------------
 *
 * jansson_walk.c
 *	  The jansson front end of the policy builder: walks a json_t and
 *	  reports it as builder events.
 *
 * The command-line tool and the fuzzers read whole claims documents this
 * way; the extension uses it only for a permissions claim serialised as
 * a JSON string, which it parses strictly (duplicate member names and
 * invalid UTF-8 refused) rather than letting a lenient parse pick one of
 * two conflicting values.
 *
 * The walk recurses only where the builder asks for it, and the builder
 * never asks for more than a few levels (scopes nest three deep), so
 * hostile nesting costs no stack.
 *
 * src/json/jansson_walk.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>

#include "jansson_walk.h"

/* walk_nested continues a container whose begin event returned w. */
static pp_walk walk_nested(pp_builder *b, json_t *v, pp_walk w);

/* pp_json_walk_value reports one JSON value (and what it holds) to the builder. */
pp_walk
pp_json_walk_value(pp_builder *b, json_t *v)
{
	switch (json_typeof(v))
	{
		case JSON_OBJECT:
			return walk_nested(b, v, pp_ev_object_begin(b));
		case JSON_ARRAY:
			return walk_nested(b, v, pp_ev_array_begin(b));
		case JSON_STRING:
			{
				pp_walk		w = pp_ev_string(b, json_string_value(v), json_string_length(v));

				if (w == PP_WALK_PARSE_STRING)
					w = pp_json_walk_text(b, json_string_value(v), json_string_length(v));
				return w == PP_WALK_STOP ? w : PP_WALK_CONTINUE;
			}
		case JSON_TRUE:
			return pp_ev_scalar(b, PP_JSON_BOOL, true);
		case JSON_FALSE:
			return pp_ev_scalar(b, PP_JSON_BOOL, false);
		case JSON_NULL:
			return pp_ev_scalar(b, PP_JSON_NULL, false);
		default:
			return pp_ev_scalar(b, PP_JSON_NUMBER, false);
	}
}

/* walk_nested walks the members of an object or array the builder entered. */
static pp_walk
walk_nested(pp_builder *b, json_t *v, pp_walk w)
{
	if (w != PP_WALK_CONTINUE)
		return w == PP_WALK_STOP ? w : PP_WALK_CONTINUE;
	if (json_is_object(v))
	{
		const char *key;
		json_t	   *val;

		json_object_foreach(v, key, val)
		{
			w = pp_ev_key(b, key, strlen(key));
			if (w == PP_WALK_STOP)
				return w;
			if (w == PP_WALK_SKIP)
				continue;
			if (pp_json_walk_value(b, val) == PP_WALK_STOP)
				return PP_WALK_STOP;
		}
		return pp_ev_object_end(b);
	}
	else
	{
		size_t		i;
		json_t	   *val;

		json_array_foreach(v, i, val)
		{
			if (pp_json_walk_value(b, val) == PP_WALK_STOP)
				return PP_WALK_STOP;
		}
		return pp_ev_array_end(b);
	}
}

/*
 * pp_json_walk_text parses JSON text strictly and reports its value; a
 * syntax error is reported to the builder with its position.
 */
pp_walk
pp_json_walk_text(pp_builder *b, const char *text, size_t len)
{
	json_error_t err;
	json_t	   *v = json_loadb(text, len, PP_JSON_FLAGS, &err);
	pp_walk		w;

	if (v == NULL)
	{
		char		what[256];

		snprintf(what, sizeof(what), "%s at line %d, column %d",
				 err.text, err.line, err.column);
		/* the builder stops the walk itself in first-error mode */
		pp_ev_json_error(b, what);
		return PP_WALK_CONTINUE;
	}
	w = pp_json_walk_value(b, v);
	json_decref(v);
	return w;
}
