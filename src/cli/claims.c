/*-------------------------------------------------------------------------
 *
 * claims.c
 *	  Reading a claims document and compiling it with the core, as the
 *	  extension does for a jsonb argument.
 *
 * JSON is parsed by jansson in strict mode: duplicate member names are
 * refused (a lenient parser would silently keep one of two conflicting
 * scopes), as are invalid UTF-8 and "\u0000", which jsonb refuses too.
 * Syntax errors are reported with their line and column.
 *
 * Before walking, objects are rebuilt with their members in jsonb's order
 * (shorter keys first, then bytewise).  The builder reports problems in
 * the order it meets them, and which of two spellings of one UUID counts
 * as the duplicate depends on that order; walking in jsonb's order makes
 * "check" print exactly the rows of paragon_claims_errors, in the same
 * order, and the first error of a compile the same as the extension's.
 *
 * Numbers are decoded as reals: the builder never looks at a number's
 * value, and this way an integer wider than 64 bits (which jsonb accepts)
 * is not refused as "too big integer".
 *
 * src/cli/claims.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jansson_walk.h"

/* key_order compares two member names as jsonb orders them. */
static int
key_order(const void *a, const void *b)
{
	const char *ka = *(const char *const *) a;
	const char *kb = *(const char *const *) b;
	size_t		la = strlen(ka);
	size_t		lb = strlen(kb);

	if (la != lb)
		return la < lb ? -1 : 1;
	return memcmp(ka, kb, la);
}

/*
 * jsonb_ordered returns a new reference to v with every object's members
 * in jsonb's order.  The recursion is bounded by jansson's parser depth
 * limit, since v came from the parser.
 */
static json_t *
jsonb_ordered(json_t *v)
{
	if (json_is_object(v))
	{
		size_t		n = json_object_size(v);
		const char **keys = cli_malloc(sizeof(char *) * (n > 0 ? n : 1));
		const char *key;
		json_t	   *val;
		json_t	   *out = json_object();
		size_t		i = 0;

		json_object_foreach(v, key, val)
			keys[i++] = key;
		qsort(keys, n, sizeof(char *), key_order);
		for (i = 0; i < n; i++)
			json_object_set_new(out, keys[i], jsonb_ordered(json_object_get(v, keys[i])));
		free(keys);
		return out;
	}
	if (json_is_array(v))
	{
		json_t	   *out = json_array();
		size_t		i;
		json_t	   *val;

		json_array_foreach(v, i, val)
			json_array_append_new(out, jsonb_ordered(val));
		return out;
	}
	return json_incref(v);
}

/*
 * cli_load_claims reads and parses a claims document.  On failure it
 * prints why and returns NULL; *syntax_error tells an invalid JSON text
 * (the document is invalid) from an input that could not be read.
 */
json_t *
cli_load_claims(const char *path, bool *syntax_error)
{
	char	   *text;
	size_t		len;
	json_t	   *doc;
	json_t	   *ordered;
	json_error_t err;

	*syntax_error = false;
	if (!cli_read_file(path, PP_MAX_CLAIMS_BYTES, "claims file", &text, &len))
		return NULL;
	doc = json_loadb(text, len, PP_JSON_FLAGS | JSON_DECODE_INT_AS_REAL, &err);
	free(text);
	if (doc == NULL)
	{
		cli_error("%s: invalid JSON at line %d, column %d: %s",
				  cli_display_name(path), err.line, err.column, err.text);
		*syntax_error = true;
		return NULL;
	}
	ordered = jsonb_ordered(doc);
	json_decref(doc);
	return ordered;
}

/*
 * cli_walk_claims walks a claims document into a new builder; collect_all
 * lists every problem, look-alikes of the permissions claim included, as
 * paragon_claims_errors does.
 */
pp_builder *
cli_walk_claims(json_t *doc, bool collect_all)
{
	pp_builder *b = pp_builder_new(cli_allocator(), collect_all);

	pp_builder_lint(b, collect_all);
	pp_json_walk_value(b, doc);
	return b;
}

/* cli_report_claims_error prints a core error as the extension raises it: message, path, hint. */
void
cli_report_claims_error(const pp_error *e)
{
	cli_error("%s", e->message);
	fprintf(stderr, "DETAIL:  JSON path: %s.\n", e->path);
	if (e->hint)
		fprintf(stderr, "HINT:  %s\n", e->hint);
}

/*
 * cli_compile_claims reads and compiles a claims document, stopping at
 * the first error as the extension's compile does.  On failure it prints
 * why and returns NULL.
 */
pp_policy *
cli_compile_claims(const char *path)
{
	bool		syntax_error;
	json_t	   *doc = cli_load_claims(path, &syntax_error);
	pp_builder *b;
	pp_policy  *p;

	if (doc == NULL)
		return NULL;
	b = cli_walk_claims(doc, false);
	json_decref(doc);
	p = pp_builder_finish(b);
	if (p == NULL)
	{
		const pp_error *e = pp_builder_errors(b);

		if (e != NULL)
			cli_report_claims_error(e);
		else
			cli_error("claims walk ended early");	/* cannot happen */
	}
	pp_builder_free(b);
	return p;
}
