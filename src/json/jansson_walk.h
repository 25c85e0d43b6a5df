/*-------------------------------------------------------------------------
 *
 * jansson_walk.h
 *	  Feed a claims document held by jansson to the policy builder.
 *
 * src/json/jansson_walk.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef JANSSON_WALK_H
#define JANSSON_WALK_H

#include <jansson.h>

#include "pp.h"

/* Parse flags for every JSON text we read: duplicate member names are refused. */
#define PP_JSON_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

extern pp_walk pp_json_walk_value(pp_builder *b, json_t *v);
extern pp_walk pp_json_walk_text(pp_builder *b, const char *text, size_t len);

#endif							/* JANSSON_WALK_H */
