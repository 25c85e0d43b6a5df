/*-------------------------------------------------------------------------
 *
 * core_test.c
 *	  Unit tests of the paragon_perm core through the jansson front end,
 *	  with no PostgreSQL: every worked example of the semantics, UUID
 *	  spellings, unspecified members, container visibility, implied
 *	  permissions, limits and the message and JSON path of each error.
 *
 * Built and run by test/suite-unit.sh (plain, ASan/UBSan, valgrind) and
 * by "make sanitize".  Prints one line per failure and ends with
 * "core: N passed, M failed"; exits non-zero on any failure.  Every
 * allocation is released, so valgrind reports no leak.
 *
 * test/unit/core_test.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jansson_walk.h"
#include "pp.h"

static int	passed;
static int	failed;

#define C1 "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
#define C2 "b1ffcd00-1d1c-4ef8-bb6d-6bb9bd380a22"
#define P "\"urn:useparagon:connect:permissions\""

/* test_alloc and test_free are the core's allocator: malloc, checked. */
static void *
test_alloc(void *ctx, size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
	{
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return p;
}

static void
test_free(void *ctx, void *ptr)
{
	free(ptr);
}

static const pp_allocator alloc = {test_alloc, test_free, NULL};

/* ok records one assertion. */
static void
ok(int cond, int line, const char *what)
{
	if (cond)
		passed++;
	else
	{
		failed++;
		printf("FAIL line %d: %s\n", line, what);
	}
}

/*
 * build walks a claims text into a builder; a text that is not JSON at
 * all is a test bug and aborts.
 */
static pp_builder *
build(const char *claims, bool collect_all)
{
	json_error_t err;
	json_t	   *v = json_loads(claims, PP_JSON_FLAGS, &err);
	pp_builder *b;

	if (v == NULL)
	{
		fprintf(stderr, "test bug: invalid JSON %s: %s\n", claims, err.text);
		exit(2);
	}
	b = pp_builder_new(&alloc, collect_all);
	pp_json_walk_value(b, v);
	json_decref(v);
	return b;
}

/* compile returns the policy of claims, or NULL (and a failure) if they do not compile. */
static pp_policy *
compile(const char *claims, int line)
{
	pp_builder *b = build(claims, false);
	pp_policy  *p = pp_builder_finish(b);

	if (p == NULL)
	{
		const pp_error *e = pp_builder_errors(b);

		printf("FAIL line %d: claims %s do not compile: %s: %s\n", line, claims,
			   e ? e->path : "?", e ? e->message : "?");
		failed++;
	}
	pp_builder_free(b);
	return p;
}

/* target fills t from three optional strings. */
static void
target(pp_target *t, const char *i, const char *c, const char *e)
{
	pp_target_init(t, i, i ? strlen(i) : 0, c, c ? strlen(c) : 0, NULL,
				   e, e ? strlen(e) : 0);
}

/*
 * allowed checks paragon_allowed(claims, perm, i, c, e) (perm NULL: point
 * visibility) against the expected answer.
 */
static void
allowed_at(int line, const char *claims, const char *perm,
		   const char *i, const char *c, const char *e, bool expect)
{
	pp_policy  *p = compile(claims, line);
	pp_target	t;
	int			pn = -1;
	char		what[512];

	if (p == NULL)
		return;
	if (perm)
	{
		pn = pp_perm_lookup(perm, strlen(perm));
		if (pn < 0)
		{
			printf("FAIL line %d: test bug: permission %s\n", line, perm);
			failed++;
			pp_policy_free(p);
			return;
		}
	}
	target(&t, i, c, e);
	snprintf(what, sizeof(what), "allowed(%s, %s, %s, %s, %s) on %s should be %s",
			 perm ? perm : "NULL", i ? i : "NULL", c ? c : "NULL", e ? e : "NULL",
			 "claims", claims, expect ? "true" : "false");
	ok(pp_allowed(p, pn, &t) == expect, line, what);
	pp_policy_free(p);
}
#define ALLOWED(claims, perm, i, c, e, expect) allowed_at(__LINE__, claims, perm, i, c, e, expect)

/* visible_at checks paragon_visible(claims, i, c, e). */
static void
visible_at(int line, const char *claims, const char *i, const char *c,
		   const char *e, bool expect)
{
	pp_policy  *p = compile(claims, line);
	pp_target	t;
	char		what[512];

	if (p == NULL)
		return;
	target(&t, i, c, e);
	snprintf(what, sizeof(what), "visible(%s, %s, %s) on %s should be %s",
			 i ? i : "NULL", c ? c : "NULL", e ? e : "NULL", claims,
			 expect ? "true" : "false");
	ok(pp_visible(p, &t) == expect, line, what);
	pp_policy_free(p);
}
#define VISIBLE(claims, i, c, e, expect) visible_at(__LINE__, claims, i, c, e, expect)

/*
 * error_at checks that claims do not compile, that the first error has
 * the code, a message containing msg and exactly the path; and that
 * collect-all mode agrees that there is an error.
 */
static void
error_at(int line, const char *claims, pp_errcode code, const char *msg,
		 const char *path)
{
	pp_builder *b = build(claims, false);
	pp_policy  *p = pp_builder_finish(b);
	const pp_error *e = pp_builder_errors(b);
	char		what[2048];

	snprintf(what, sizeof(what), "%.300s should fail with %d \"%s\" at %s; got %d \"%.300s\" at %.300s",
			 claims, code, msg, path, e ? (int) e->code : -1,
			 e ? e->message : "(none)", e ? e->path : "(none)");
	ok(p == NULL && e != NULL && e->code == code &&
	   strstr(e->message, msg) != NULL && strcmp(e->path, path) == 0,
	   line, what);
	if (p)
		pp_policy_free(p);
	pp_builder_free(b);

	b = build(claims, true);
	p = pp_builder_finish(b);
	ok(p == NULL && pp_builder_errors(b) != NULL, line,
	   "collect-all mode should report the error too");
	if (p)
		pp_policy_free(p);
	pp_builder_free(b);
}
#define ERROR(claims, code, msg, path) error_at(__LINE__, claims, code, msg, path)

/* hint_at checks that the first error carries a hint containing hint. */
static void
hint_at(int line, const char *claims, const char *hint)
{
	pp_builder *b = build(claims, false);
	const pp_error *e = pp_builder_errors(b);

	ok(e != NULL && e->hint != NULL && strstr(e->hint, hint) != NULL, line,
	   "error hint");
	pp_builder_free(b);
}
#define HINT(claims, hint) hint_at(__LINE__, claims, hint)

/* count_errors returns how many errors collect-all mode reports. */
static int
count_errors(const char *claims)
{
	pp_builder *b = build(claims, true);
	const pp_error *e;
	int			n = 0;

	for (e = pp_builder_errors(b); e; e = e->next)
		n++;
	pp_builder_free(b);
	return n;
}

/* §8: every worked example of the semantics. */
static void
test_examples(void)
{
	const char *ex4 = "{" P ": {\"integration:salesforce\": {\"credential:" C1 "\": true}}}";
	const char *ex8 = "{" P ": {\"integration:salesforce\": {\"credential:*\": [\"credential:write\"]}}}";
	const char *ex11 = "{" P ": {\"integration:salesforce\": false, \"configuration:*\": true}}";
	const char *ex14 = "{" P ": {\"credential:" C1 "\": {\"configuration:*\": false, \"configuration:ext:Team A\": [\"settings:read\"]}}}";

	/* 1 */
	ALLOWED("{\"sub\": \"u1\"}", "proxy-api", "salesforce", NULL, NULL, true);
	/* 2 */
	ALLOWED("{" P ": {\"integration:*\": true}}", "events", NULL, NULL, NULL, true);
	/* 3 */
	VISIBLE("{" P ": {\"integration:*\": false}}", "salesforce", NULL, NULL, false);
	/* 4 .. 7 */
	ALLOWED(ex4, "proxy-api", "salesforce", C1, NULL, true);
	ALLOWED(ex4, "proxy-api", "salesforce", C2, NULL, false);
	ALLOWED(ex4, "proxy-api", "salesforce", NULL, NULL, false);
	VISIBLE(ex4, "salesforce", NULL, NULL, true);
	/* 8, 9 */
	ALLOWED(ex8, "credential:write", "salesforce", "*", NULL, true);
	ALLOWED(ex8, "credential:write", "salesforce", NULL, NULL, false);
	/* 10 */
	ALLOWED("{" P ": {\"integration:*\": [\"settings:write\"]}}", "settings:read",
			"salesforce", C1, "Team A", true);
	/* 11, 12 */
	ALLOWED(ex11, "config:write", "salesforce", C1, "x", true);
	ALLOWED(ex11, "proxy-api", "salesforce", C1, NULL, false);
	/* 13 */
	VISIBLE("{" P ": {\"integration:*\": {\"credential:*\": false}, \"integration:salesforce\": {\"credential:*\": []}}}",
			"salesforce", C1, NULL, true);
	/* 14 .. 16 */
	VISIBLE(ex14, "salesforce", C1, NULL, true);
	ALLOWED(ex14, "settings:read", "salesforce", C1, NULL, false);
	ALLOWED(ex14, "settings:read", "salesforce", C1, "Team A", true);
	/* 17: the permission argument is checked by the front end's lookup */
	ok(pp_perm_lookup("bogus", 5) < 0, __LINE__, "bogus is not a permission");
	/* 18 */
	ERROR("{" P ": {\"integration:*\": {\"integration:salesforce\": true}}}", PP_ERR_CLAIMS,
		  "integration scope nested in integration scope",
		  "$.\"urn:useparagon:connect:permissions\".\"integration:*\".\"integration:salesforce\"");
	/* 19 */
	ERROR("{\"integration:*\": true}", PP_ERR_CLAIMS,
		  "scope \"integration:*\" found at the top level of the claims",
		  "$.\"integration:*\"");
	HINT("{\"integration:*\": true}", "Scopes belong inside");
	/* 20 */
	ALLOWED("{" P ": \"{\\\"integration:*\\\": [\\\"events\\\"]}\"}", "events", NULL, NULL, NULL, true);
	ALLOWED("{" P ": \"{\\\"integration:*\\\": [\\\"events\\\"]}\"}", "proxy-api", NULL, NULL, NULL, false);
}

/* UUID spellings: what uuid_in accepts compares as a UUID. */
static void
test_uuids(void)
{
	const char *claims = "{" P ": {\"credential:{A0EEBC999C0B4EF8BB6D6BB9BD380A11}\": true}}";
	static const char *const same[] = {
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
		"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
		"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
		"a0eebc999c0b4ef8bb6d6bb9bd380a11",
		"a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11",
		"{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}",
		"a0eEbC99-9c0b-4eF8-bb6d-6BB9bd380a11",
	};
	static const char *const not_uuid[] = {
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",	/* 31 digits */
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111",	/* 33 digits */
		"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",	/* unclosed brace */
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",	/* closing brace only */
		"a0eebc9-99c0b-4ef8-bb6d-6bb9bd380a11",	/* hyphen after 7 digits */
		"a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11",	/* double hyphen */
		"-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",	/* leading hyphen */
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-",	/* trailing hyphen */
		" a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",	/* leading space */
		"g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",	/* not hex */
		"",
	};
	unsigned char u[16];
	char		canon[37];
	size_t		i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
	{
		char		what[128];

		snprintf(what, sizeof(what), "%s parses as a UUID", same[i]);
		ok(pp_uuid_parse(same[i], strlen(same[i]), u), __LINE__, what);
		pp_uuid_format(u, canon);
		ok(strcmp(canon, C1) == 0, __LINE__, "canonical form");
		ALLOWED(claims, "events", "salesforce", same[i], NULL, true);
	}
	for (i = 0; i < sizeof(not_uuid) / sizeof(not_uuid[0]); i++)
	{
		char		what[128];

		snprintf(what, sizeof(what), "\"%s\" is not a UUID", not_uuid[i]);
		ok(!pp_uuid_parse(not_uuid[i], strlen(not_uuid[i]), u), __LINE__, what);
		ALLOWED(claims, "events", "salesforce", not_uuid[i], NULL, false);
	}

	/* a credential selector that is no UUID compares as exact text */
	ALLOWED("{" P ": {\"credential:legacy-Id\": true}}", "events", "s", "legacy-Id", NULL, true);
	ALLOWED("{" P ": {\"credential:legacy-Id\": true}}", "events", "s", "legacy-id", NULL, false);
	/* a text selector never equals a UUID argument with the same digits */
	ALLOWED("{" P ": {\"credential:{" C1 "\": true}}", "events", "s", "{" C1, NULL, true);
	ALLOWED("{" P ": {\"credential:{" C1 "\": true}}", "events", "s", C1, NULL, false);

	/* a uuid column argument (16 bytes) */
	{
		pp_policy  *p = compile("{" P ": {\"credential:" C1 "\": [\"events\"]}}", __LINE__);
		pp_target	t;

		if (p)
		{
			pp_uuid_parse(C1, strlen(C1), u);
			pp_target_init(&t, "s", 1, NULL, 0, u, NULL, 0);
			ok(pp_allowed(p, PP_PERM_EVENTS, &t), __LINE__, "uuid argument");
			ok(!pp_allowed(p, PP_PERM_WORKFLOWS, &t), __LINE__, "uuid argument, other permission");
			pp_policy_free(p);
		}
	}

	/* two spellings of one UUID in one object */
	ERROR("{" P ": {\"credential:" C1 "\": true, \"credential:{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}\": false}}",
		  PP_ERR_CLAIMS, "duplicate scope \"credential:{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}\"",
		  "$.\"urn:useparagon:connect:permissions\".\"credential:{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}\"");
	/* the same UUID in two different objects is fine */
	ALLOWED("{" P ": {\"credential:" C1 "\": false, \"integration:s\": {\"credential:A0EEBC999C0B4EF8BB6D6BB9BD380A11\": [\"events\"]}}}",
			"events", "s", C1, NULL, true);
	ALLOWED("{" P ": {\"credential:" C1 "\": false, \"integration:s\": {\"credential:A0EEBC999C0B4EF8BB6D6BB9BD380A11\": [\"events\"]}}}",
			"events", "t", C1, NULL, false);
}

/* Unspecified members: NULL before the last argument, or "*". */
static void
test_unspecified(void)
{
	const char *exact = "{" P ": {\"integration:s\": {\"credential:" C1 "\": {\"configuration:ext:a\": true}}}}";
	const char *wild = "{" P ": {\"integration:*\": {\"credential:*\": {\"configuration:*\": [\"events\"]}}}}";

	/* exact selectors never match an unspecified member */
	ALLOWED(exact, "events", "s", C1, "a", true);
	ALLOWED(exact, "events", NULL, C1, "a", false);
	ALLOWED(exact, "events", "*", C1, "a", false);
	ALLOWED(exact, "events", "s", NULL, "a", false);
	ALLOWED(exact, "events", "s", "*", "a", false);
	ALLOWED(exact, "events", "s", C1, "*", false);
	/* wildcards match them */
	ALLOWED(wild, "events", NULL, NULL, "a", true);
	ALLOWED(wild, "events", "*", "*", "*", true);
	ALLOWED(wild, "events", NULL, NULL, NULL, false);	/* depth 1, no rule */
	/* "*" is unspecified even as the last argument, and sets the depth */
	ALLOWED("{" P ": {\"integration:*\": false, \"credential:*\": true}}", "events", "s", "*", NULL, true);
	ALLOWED("{" P ": {\"integration:*\": false, \"credential:*\": true}}", "events", "s", NULL, NULL, false);
	/* only top-level integration:* reaches (NULL, NULL, NULL) */
	ALLOWED("{" P ": {\"integration:s\": true}}", "events", NULL, NULL, NULL, false);
	ALLOWED("{" P ": {\"integration:*\": [\"metadata:read\"]}}", "metadata:read", NULL, NULL, NULL, true);
	/* a literal "*" integration name is the unspecified one, not a name */
	ALLOWED("{" P ": {\"integration:s\": true}}", "events", "*", NULL, NULL, false);
	/* whitespace in a selector is part of the name */
	ALLOWED("{" P ": {\"integration: s\": true}}", "events", "s", NULL, NULL, false);
	ALLOWED("{" P ": {\"integration: s\": true}}", "events", " s", NULL, NULL, true);
	ALLOWED("{" P ": {\"integration:s \": true}}", "events", "s", NULL, NULL, false);
	/* integration names are case-sensitive */
	ALLOWED("{" P ": {\"integration:Salesforce\": true}}", "events", "salesforce", NULL, NULL, false);
	/* "configuration:ext:*" would name the External ID "*", which no check can reach: refused */
	ERROR("{" P ": {\"configuration:ext:*\": false}}", PP_ERR_CLAIMS,
		  "External ID \"*\" in scope \"configuration:ext:*\" can never be matched",
		  "$.\"urn:useparagon:connect:permissions\".\"configuration:ext:*\"");
	ALLOWED("{" P ": {\"configuration:*\": true}}", "events", "s", C1, "*", true);
	/* External IDs may hold spaces and colons */
	ALLOWED("{" P ": {\"configuration:ext:a: b:c\": true}}", "events", "s", C1, "a: b:c", true);
	ALLOWED("{" P ": {\"configuration:ext:a: b:c\": true}}", "events", "s", C1, "a: b", false);
	/* no permissions claim: unrestricted, whatever the target */
	ALLOWED("{}", "workflows", NULL, NULL, NULL, true);
	ALLOWED("{}", "workflows", "*", "*", "*", true);
	VISIBLE("{}", "x", C2, "y", true);
	/* an empty permissions object restricts everything */
	ALLOWED("{" P ": {}}", "events", NULL, NULL, NULL, false);
	VISIBLE("{" P ": {}}", "s", NULL, NULL, false);
}

/* Resolution order: the deepest key decides, ancestors break ties. */
static void
test_specificity(void)
{
	const char *c = "{" P ": {"
		"\"integration:*\": [\"events\"],"
		"\"integration:s\": [\"workflows\"],"
		"\"credential:*\": [\"proxy-api\"],"
		"\"credential:" C1 "\": [\"config:write\"],"
		"\"configuration:*\": [\"settings:read\"],"
		"\"configuration:ext:e\": [\"metadata:read\"]}}";

	ALLOWED(c, "events", "t", NULL, NULL, true);
	ALLOWED(c, "workflows", "s", NULL, NULL, true);
	ALLOWED(c, "events", "s", NULL, NULL, false);
	ALLOWED(c, "proxy-api", "s", C2, NULL, true);
	ALLOWED(c, "config:write", "s", C1, NULL, true);
	ALLOWED(c, "proxy-api", "s", C1, NULL, false);
	ALLOWED(c, "settings:read", "s", C1, "x", true);
	ALLOWED(c, "metadata:read", "s", C1, "e", true);
	ALLOWED(c, "settings:read", "s", C1, "e", false);
	/* credential:* beats integration:s, at depth 2 */
	ALLOWED("{" P ": {\"integration:s\": true, \"credential:*\": false}}", "events", "s", C1, NULL, false);
	/* a container defines nothing for its own scope */
	ALLOWED("{" P ": {\"integration:*\": true, \"integration:s\": {\"credential:" C1 "\": false}}}",
			"events", "s", NULL, NULL, true);
	ALLOWED("{" P ": {\"integration:*\": true, \"integration:s\": {\"credential:" C1 "\": false}}}",
			"events", "s", C1, NULL, false);
	ALLOWED("{" P ": {\"integration:*\": true, \"integration:s\": {\"credential:" C1 "\": false}}}",
			"events", "s", C2, NULL, true);
	/*
	 * ... also a container that shares its shape (which keys are exact,
	 * wildcard or absent) with a rule elsewhere, so that the rule table
	 * is probed at its place: integration:s/credential:* holds only a
	 * deeper rule, integration:t/credential:* is a rule
	 */
#define SHARED_SHAPE "{" P ": {\"integration:*\": [\"events\"]," \
		"\"integration:s\": {\"credential:*\": {\"configuration:ext:e\": false}}," \
		"\"integration:t\": {\"credential:*\": true}}}"
	ALLOWED(SHARED_SHAPE, "events", "s", C1, NULL, true);
	ALLOWED(SHARED_SHAPE, "workflows", "s", C1, NULL, false);
	ALLOWED(SHARED_SHAPE, "events", "s", C1, "x", true);
	ALLOWED(SHARED_SHAPE, "events", "s", C1, "e", false);
	ALLOWED(SHARED_SHAPE, "workflows", "t", C1, NULL, true);
#undef SHARED_SHAPE
	/* ties at the deepest level: the more specific ancestor wins */
	ALLOWED("{" P ": {\"integration:s\": {\"configuration:*\": false}, \"credential:" C1 "\": {\"configuration:*\": true}}}",
			"events", "s", C1, "x", true);
	ALLOWED("{" P ": {\"integration:s\": {\"configuration:*\": false}, \"credential:*\": {\"configuration:*\": true}}}",
			"events", "s", C1, "x", true);
	ALLOWED("{" P ": {\"integration:s\": {\"configuration:*\": false}, \"configuration:*\": true}}",
			"events", "s", C1, "x", false);
}

/* Visibility of containers (§7). */
static void
test_visibility(void)
{
	const char *c = "{" P ": {\"integration:*\": false, \"integration:s\": {\"credential:" C1 "\": {\"configuration:ext:team-a\": [\"settings:read\"]}}}}";

	VISIBLE(c, "s", NULL, NULL, true);
	VISIBLE(c, "s", C1, NULL, true);
	VISIBLE(c, "s", C1, "team-a", true);
	VISIBLE(c, "s", C1, "team-b", false);
	VISIBLE(c, "s", C2, NULL, false);
	VISIBLE(c, "t", NULL, NULL, false);
	VISIBLE(c, NULL, NULL, NULL, false);
	ALLOWED(c, "credential:write", "s", C1, NULL, false);
	ALLOWED(c, NULL, "s", C1, NULL, false);
	/* a deny beneath shadows: nothing visible */
	VISIBLE("{" P ": {\"integration:s\": {\"credential:*\": true}, \"configuration:*\": false}}", "s", NULL, NULL, true);
	VISIBLE("{" P ": {\"integration:s\": {\"credential:*\": {\"configuration:*\": true}}, \"integration:*\": {\"credential:*\": {\"configuration:ext:x\": false}}}}",
			"s", NULL, NULL, true);
	/* a deeper allow shadowed by a more specific deny */
	VISIBLE("{" P ": {\"configuration:*\": true, \"integration:s\": {\"configuration:*\": false}}}", "s", NULL, NULL, false);
	VISIBLE("{" P ": {\"configuration:*\": true, \"integration:s\": {\"configuration:*\": false}}}", "t", NULL, NULL, true);
	/* the unspecified integration sees rules of any integration only via wildcards */
	VISIBLE("{" P ": {\"integration:s\": true}}", NULL, NULL, NULL, false);
	VISIBLE("{" P ": {\"credential:*\": []}}", NULL, NULL, NULL, true);
	VISIBLE("{" P ": {\"credential:" C1 "\": []}}", NULL, NULL, NULL, true);
	VISIBLE("{" P ": {\"credential:" C1 "\": []}}", "s", "*", NULL, false);
	/* an empty array is visible with no permission */
	VISIBLE("{" P ": {\"integration:s\": []}}", "s", NULL, NULL, true);
	ALLOWED("{" P ": {\"integration:s\": []}}", NULL, "s", NULL, NULL, true);
	ALLOWED("{" P ": {\"integration:s\": []}}", "events", "s", NULL, NULL, false);
	/* depth 3 visibility equals point visibility */
	VISIBLE("{" P ": {\"configuration:ext:x\": false, \"integration:s\": true}}", "s", C1, "x", false);
}

/* Implied permissions. */
static void
test_implied(void)
{
	int			i;

	ALLOWED("{" P ": {\"integration:s\": [\"metadata:write\"]}}", "metadata:read", "s", NULL, NULL, true);
	ALLOWED("{" P ": {\"integration:s\": [\"metadata:write\"]}}", "metadata:write", "s", NULL, NULL, true);
	ALLOWED("{" P ": {\"integration:s\": [\"settings:write\"]}}", "settings:read", "s", NULL, NULL, true);
	ALLOWED("{" P ": {\"integration:s\": [\"settings:read\"]}}", "settings:write", "s", NULL, NULL, false);
	ALLOWED("{" P ": {\"integration:s\": [\"metadata:read\"]}}", "metadata:write", "s", NULL, NULL, false);
	ALLOWED("{" P ": {\"integration:s\": [\"config:write\"]}}", "credential:write", "s", NULL, NULL, false);
	ALLOWED("{" P ": {\"integration:s\": [\"events\", \"events\"]}}", "events", "s", NULL, NULL, true);
	ok(pp_perm_implied(0) == 0, __LINE__, "nothing implies nothing");
	ok(pp_perm_implied(PP_PERMS_ALL) == PP_PERMS_ALL, __LINE__, "all implies all");
	for (i = 0; i < PP_PERM_COUNT; i++)
	{
		const char *n = pp_perm_name(i);

		ok(n != NULL && pp_perm_lookup(n, strlen(n)) == i, __LINE__, "permission names round-trip");
	}
	ok(pp_perm_name(PP_PERM_COUNT) == NULL && pp_perm_name(-1) == NULL, __LINE__, "out of range names");
	ok(pp_perm_lookup("Events", 6) < 0 && pp_perm_lookup("events ", 7) < 0 &&
	   pp_perm_lookup("", 0) < 0 && pp_perm_lookup("events\0x", 8) < 0, __LINE__,
	   "permission names are exact");
	/* true grants everything */
	for (i = 0; i < PP_PERM_COUNT; i++)
		ALLOWED("{" P ": {\"integration:*\": true}}", pp_perm_name(i), "s", C1, "x", true);
}

/* The message and JSON path of every error class. */
static void
test_errors(void)
{
	const char *pp = "$.\"urn:useparagon:connect:permissions\"";
	char		path[4096];
	char	   *big;
	size_t		i,
				n;

#define PATH(suffix) (snprintf(path, sizeof(path), "%s%s", pp, suffix), path)

	/* the claims document itself */
	ERROR("[]", PP_ERR_CLAIMS, "claims must be a JSON object, not an array", "$");
	ERROR("\"x\"", PP_ERR_CLAIMS, "claims must be a JSON object, not a string", "$");
	ERROR("1", PP_ERR_CLAIMS, "claims must be a JSON object, not a number", "$");
	ERROR("null", PP_ERR_CLAIMS, "claims must be a JSON object, not null", "$");
	ERROR("true", PP_ERR_CLAIMS, "claims must be a JSON object, not a boolean", "$");
	/* scopes at the root */
	ERROR("{\"credential:" C1 "\": true}", PP_ERR_CLAIMS, "found at the top level", "$.\"credential:" C1 "\"");
	ERROR("{\"configuration:*\": true}", PP_ERR_CLAIMS, "found at the top level", "$.\"configuration:*\"");
	/* the permissions claim's type */
	ERROR("{" P ": null}", PP_ERR_CLAIMS, "permissions claim must be a JSON object, not null", pp);
	ERROR("{" P ": true}", PP_ERR_CLAIMS, "permissions claim must be a JSON object, not a boolean", pp);
	ERROR("{" P ": 1.5}", PP_ERR_CLAIMS, "permissions claim must be a JSON object, not a number", pp);
	ERROR("{" P ": []}", PP_ERR_CLAIMS, "permissions claim must be a JSON object, not an array", pp);
	ERROR("{" P ": [{\"integration:*\": true}]}", PP_ERR_CLAIMS, "not an array", pp);
	/* as a string: parsed as JSON, must be an object */
	ERROR("{" P ": \"{\"}", PP_ERR_JSON, "permissions claim is a string that is not valid JSON", pp);
	ERROR("{" P ": \"\"}", PP_ERR_JSON, "permissions claim is a string that is not valid JSON", pp);
	ERROR("{" P ": \"{\\\"integration:*\\\": true, \\\"integration:*\\\": false}\"}", PP_ERR_JSON,
		  "duplicate object key", pp);
	ERROR("{" P ": \"[]\"}", PP_ERR_CLAIMS, "not a string holding an array", pp);
	ERROR("{" P ": \"\\\"{}\\\"\"}", PP_ERR_CLAIMS, "not a string holding a string", pp);
	ERROR("{" P ": \"null\"}", PP_ERR_CLAIMS, "not a string holding null", pp);
	ERROR("{" P ": \"{\\\"integration:*\\\": 1}\"}", PP_ERR_CLAIMS,
		  "scope \"integration:*\" must be true, false, an array of permissions or an object, not a number",
		  PATH(".\"integration:*\""));
	/* scope keys */
	ERROR("{" P ": {\"Integration:*\": true}}", PP_ERR_CLAIMS, "unrecognized scope \"Integration:*\"", PATH(".\"Integration:*\""));
	ERROR("{" P ": {\"INTEGRATION:s\": true}}", PP_ERR_CLAIMS, "unrecognized scope", PATH(".\"INTEGRATION:s\""));
	ERROR("{" P ": {\" integration:s\": true}}", PP_ERR_CLAIMS, "unrecognized scope", PATH(".\" integration:s\""));
	ERROR("{" P ": {\"integrations:s\": true}}", PP_ERR_CLAIMS, "unrecognized scope", PATH(".\"integrations:s\""));
	ERROR("{" P ": {\"sub\": true}}", PP_ERR_CLAIMS, "unrecognized scope \"sub\"", PATH(".\"sub\""));
	ERROR("{" P ": {\"\": true}}", PP_ERR_CLAIMS, "unrecognized scope \"\"", PATH(".\"\""));
	ERROR("{" P ": {\"integration:\": true}}", PP_ERR_CLAIMS, "empty selector in scope \"integration:\"", PATH(".\"integration:\""));
	ERROR("{" P ": {\"credential:\": true}}", PP_ERR_CLAIMS, "empty selector in scope \"credential:\"", PATH(".\"credential:\""));
	ERROR("{" P ": {\"configuration:ext:\": true}}", PP_ERR_CLAIMS, "empty selector in scope \"configuration:ext:\"", PATH(".\"configuration:ext:\""));
	ERROR("{" P ": {\"configuration:\": true}}", PP_ERR_CLAIMS, "unrecognized configuration scope", PATH(".\"configuration:\""));
	ERROR("{" P ": {\"configuration:" C1 "\": true}}", PP_ERR_CLAIMS, "unrecognized configuration scope", PATH(".\"configuration:" C1 "\""));
	ERROR("{" P ": {\"credential:ext:abc\": false}}", PP_ERR_CLAIMS,
		  "credentials cannot be selected by External ID in scope \"credential:ext:abc\"", PATH(".\"credential:ext:abc\""));
	ERROR("{" P ": {\"credential:ext:\": false}}", PP_ERR_CLAIMS, "External ID", PATH(".\"credential:ext:\""));
	ERROR("{" P ": {\"integration:s\": {\"bad\\\"key\\n\": true}}}", PP_ERR_CLAIMS,
		  "unrecognized scope \"bad\\\"key\\u000a\"", PATH(".\"integration:s\".\"bad\\\"key\\u000a\""));
	HINT("{" P ": {\"Integration:*\": true}}", "in lowercase");
	/* nesting */
	ERROR("{" P ": {\"credential:*\": {\"integration:s\": true}}}", PP_ERR_CLAIMS,
		  "integration scope nested in credential scope", PATH(".\"credential:*\".\"integration:s\""));
	ERROR("{" P ": {\"credential:*\": {\"credential:" C1 "\": true}}}", PP_ERR_CLAIMS,
		  "credential scope nested in credential scope", PATH(".\"credential:*\".\"credential:" C1 "\""));
	ERROR("{" P ": {\"configuration:*\": {\"configuration:ext:a\": true}}}", PP_ERR_CLAIMS,
		  "configuration scope nested in configuration scope", PATH(".\"configuration:*\".\"configuration:ext:a\""));
	ERROR("{" P ": {\"integration:s\": {\"credential:*\": {\"configuration:*\": {\"configuration:ext:a\": true}}}}}", PP_ERR_CLAIMS,
		  "configuration scope nested in configuration scope",
		  PATH(".\"integration:s\".\"credential:*\".\"configuration:*\".\"configuration:ext:a\""));
	/* values */
	ERROR("{" P ": {\"integration:s\": null}}", PP_ERR_CLAIMS, "not null", PATH(".\"integration:s\""));
	ERROR("{" P ": {\"integration:s\": 0}}", PP_ERR_CLAIMS, "not a number", PATH(".\"integration:s\""));
	ERROR("{" P ": {\"integration:s\": \"true\"}}", PP_ERR_CLAIMS, "not a string", PATH(".\"integration:s\""));
	ERROR("{" P ": {\"integration:s\": [1]}}", PP_ERR_CLAIMS, "permission must be a string, not a number", PATH(".\"integration:s\"[0]"));
	ERROR("{" P ": {\"integration:s\": [\"events\", null]}}", PP_ERR_CLAIMS, "permission must be a string, not null", PATH(".\"integration:s\"[1]"));
	ERROR("{" P ": {\"integration:s\": [\"events\", true]}}", PP_ERR_CLAIMS, "not a boolean", PATH(".\"integration:s\"[1]"));
	ERROR("{" P ": {\"integration:s\": [[\"events\"]]}}", PP_ERR_CLAIMS, "not an array", PATH(".\"integration:s\"[0]"));
	ERROR("{" P ": {\"integration:s\": [{}]}}", PP_ERR_CLAIMS, "not an object", PATH(".\"integration:s\"[0]"));
	ERROR("{" P ": {\"integration:s\": [\"events\", \"bogus\"]}}", PP_ERR_CLAIMS, "unrecognized permission \"bogus\"", PATH(".\"integration:s\"[1]"));
	ERROR("{" P ": {\"integration:s\": [\"Events\"]}}", PP_ERR_CLAIMS, "unrecognized permission \"Events\"", PATH(".\"integration:s\"[0]"));
	ERROR("{" P ": {\"integration:s\": [\"\"]}}", PP_ERR_CLAIMS, "unrecognized permission \"\"", PATH(".\"integration:s\"[0]"));
	/* duplicates: UUID spellings (exact duplicates are refused by the JSON parser) */
	ERROR("{" P ": {\"integration:s\": {\"credential:" C1 "\": true, \"credential:A0EEBC999C0B4EF8BB6D6BB9BD380A11\": []}}}",
		  PP_ERR_CLAIMS, "duplicate scope \"credential:A0EEBC999C0B4EF8BB6D6BB9BD380A11\"",
		  PATH(".\"integration:s\".\"credential:A0EEBC999C0B4EF8BB6D6BB9BD380A11\""));

	/* limits: a key of 1024 bytes is fine, 1025 is not */
	big = malloc(4 * 1024 * 1024);
	n = (size_t) sprintf(big, "{" P ": {\"integration:");
	for (i = 0; i < PP_MAX_SELECTOR_LEN - 12; i++)
		big[n++] = 'x';
	strcpy(big + n, "\": true}}");
	ALLOWED(big, NULL, NULL, NULL, NULL, false);
	n = (size_t) sprintf(big, "{" P ": {\"integration:");
	for (i = 0; i < PP_MAX_SELECTOR_LEN - 11; i++)
		big[n++] = 'x';
	strcpy(big + n, "\": true}}");
	{
		pp_builder *b = build(big, false);
		const pp_error *e = pp_builder_errors(b);

		ok(pp_builder_finish(b) == NULL && e && e->code == PP_ERR_LIMIT &&
		   strcmp(e->message, "scope key of 1025 bytes exceeds 1024 bytes") == 0 &&
		   strlen(e->path) < 200 && strstr(e->path, "\"...(1025 bytes)") != NULL,
		   __LINE__, "selector length limit, the key cut in the path");
		pp_builder_free(b);
	}
	/* 256 permissions are fine, 257 are not */
	n = (size_t) sprintf(big, "{" P ": {\"integration:s\": [");
	for (i = 0; i < PP_MAX_ARRAY_LEN; i++)
		n += (size_t) sprintf(big + n, "%s\"events\"", i ? "," : "");
	strcpy(big + n, "]}}");
	ALLOWED(big, "events", "s", NULL, NULL, true);
	n = (size_t) sprintf(big, "{" P ": {\"integration:s\": [");
	for (i = 0; i < PP_MAX_ARRAY_LEN + 1; i++)
		n += (size_t) sprintf(big + n, "%s\"events\"", i ? "," : "");
	strcpy(big + n, "]}}");
	ERROR(big, PP_ERR_LIMIT, "permission array exceeds 256 elements", PATH(".\"integration:s\""));
	ok(count_errors(big) == 1, __LINE__, "one error for an over-long array");
	n = (size_t) sprintf(big, "{" P ": {\"integration:s\": [");
	for (i = 0; i < 100000; i++)
		n += (size_t) sprintf(big + n, "%s\"events\"", i ? "," : "");
	strcpy(big + n, "], \"integration:\": true}}");
	ok(count_errors(big) == 2, __LINE__, "an array of 100000 permissions is reported once, and the walk goes on");
	/* 100000 scopes are fine, 100001 are not */
	n = (size_t) sprintf(big, "{" P ": {");
	for (i = 0; i < PP_MAX_RULES; i++)
		n += (size_t) sprintf(big + n, "%s\"integration:i%zu\":true", i ? "," : "", i);
	strcpy(big + n, "}}");
	ALLOWED(big, "events", "i99999", NULL, NULL, true);
	ALLOWED(big, "events", "i100000", NULL, NULL, false);
	VISIBLE(big, "i5", NULL, NULL, true);
	n += (size_t) sprintf(big + n, ",\"integration:i%d\":true", PP_MAX_RULES);
	strcpy(big + n, "}}");
	ERROR(big, PP_ERR_LIMIT, "claims hold more than 100000 scopes", PATH(".\"integration:i100000\""));
	free(big);

	/* collect-all mode reports each problem once, and goes on */
	ok(count_errors("{" P ": {\"integration:\": true, \"Integration:x\": 1, \"integration:s\": [1, \"bogus\", \"events\"], \"integration:t\": {\"integration:u\": true}}}") == 5,
	   __LINE__, "collect-all error count");
	ok(count_errors("{" P ": {\"integration:s\": true}}") == 0, __LINE__, "no errors for valid claims");
	ok(count_errors("{\"integration:*\": true, \"credential:*\": true}") == 2, __LINE__, "two root scopes");
#undef PATH
}

/* Nesting and size do not hurt: deep JSON inside an ignored claim is skipped. */
static void
test_hostile_shapes(void)
{
	char	   *big = malloc(200100);
	size_t		n = 0,
				i;

	n += (size_t) sprintf(big, "{\"other\": ");
	for (i = 0; i < 100; i++)
		big[n++] = '[';
	for (i = 0; i < 100; i++)
		big[n++] = ']';
	strcpy(big + n, ", " P ": {\"integration:s\": true}}");
	ALLOWED(big, "events", "s", NULL, NULL, true);
	/* deep nesting in a scope value stops at the first invalid level */
	n = (size_t) sprintf(big, "{" P ": {\"integration:s\": ");
	for (i = 0; i < 100; i++)
		big[n++] = '[';
	for (i = 0; i < 100; i++)
		big[n++] = ']';
	strcpy(big + n, "}}");
	ERROR(big, PP_ERR_CLAIMS, "permission must be a string, not an array",
		  "$.\"urn:useparagon:connect:permissions\".\"integration:s\"[0]");
	free(big);
	/* a builder freed without finishing releases everything */
	{
		pp_builder *b = pp_builder_new(&alloc, false);

		pp_ev_object_begin(b);
		pp_ev_key(b, PP_PERMISSIONS_CLAIM, strlen(PP_PERMISSIONS_CLAIM));
		pp_ev_object_begin(b);
		pp_ev_key(b, "integration:s", 13);
		pp_ev_array_begin(b);
		pp_ev_string(b, "events", 6);
		ok(pp_builder_finish(b) == NULL, __LINE__, "an unfinished walk yields no policy");
		pp_builder_free(b);
	}
	/* an empty builder yields no policy */
	{
		pp_builder *b = pp_builder_new(&alloc, false);

		ok(pp_builder_finish(b) == NULL, __LINE__, "an empty walk yields no policy");
		pp_builder_free(b);
	}
	/* rule paths name the keys of the deciding rule */
	{
		pp_policy  *p = compile("{" P ": {\"integration:s\": {\"credential:*\": {\"configuration:ext:e\": [\"events\"]}}}}", __LINE__);
		pp_target	t;
		pp_decision d;
		const char *keys[PP_MAX_DEPTH];
		size_t		lens[PP_MAX_DEPTH];

		if (p)
		{
			target(&t, "s", C1, "e");
			pp_decide(p, &t, &d);
			ok(d.kind == PP_VALUE_LIST && d.reason == PP_REASON_RULE &&
			   pp_rule_path(p, d.rule, keys, lens) == 3 &&
			   strcmp(keys[0], "integration:s") == 0 &&
			   strcmp(keys[1], "credential:*") == 0 &&
			   strcmp(keys[2], "configuration:ext:e") == 0, __LINE__, "rule path");
			target(&t, "s", C1, "f");
			pp_decide(p, &t, &d);
			ok(d.kind == PP_VALUE_DENY && d.reason == PP_REASON_DEFAULT_DENY && d.rule == -1,
			   __LINE__, "default deny");
			ok(pp_policy_restricted(p) && pp_policy_rule_count(p) == 3, __LINE__, "rule count");
			pp_policy_free(p);
		}
	}
}

/*
 * Large dictionaries (a Bloom filter in front of the slots): every named
 * integration, credential and External ID is still found, at each level,
 * and names it does not hold are not.
 */
static void
test_large_dictionaries(void)
{
	enum
	{
		N = 300
	};
	size_t		cap = 64 * N * 3 + 256;
	char	   *claims = malloc(cap);
	size_t		n = 0;
	pp_policy  *p;
	int			perm = pp_perm_lookup("proxy-api", 9);
	int			i,
				found = 0,
				wrong = 0;

	n += (size_t) snprintf(claims + n, cap - n, "{" P ": {");
	for (i = 0; i < N; i++)
		n += (size_t) snprintf(claims + n, cap - n,
							   "%s\"integration:i%d\": {\"credential:%08x-0000-4000-8000-%012x\": "
							   "{\"configuration:ext:e%d\": [\"proxy-api\"]}}",
							   i ? ", " : "", i, i, i, i);
	n += (size_t) snprintf(claims + n, cap - n, "}}");
	p = compile(claims, __LINE__);
	if (p != NULL)
	{
		for (i = 0; i < 2 * N; i++)
		{
			char		integ[32],
						cred[40],
						ext[32];
			pp_target	t;
			bool		expect = i < N;

			snprintf(integ, sizeof(integ), "i%d", i);
			snprintf(cred, sizeof(cred), "%08x-0000-4000-8000-%012x", i, i);
			snprintf(ext, sizeof(ext), "e%d", i);
			target(&t, integ, cred, ext);
			if (pp_allowed(p, perm, &t) == expect)
				found++;
			else
				wrong++;
			/* a credential of another integration is not the same rule */
			snprintf(cred, sizeof(cred), "%08x-0000-4000-8000-%012x", i + 1, i + 1);
			target(&t, integ, cred, ext);
			if (pp_allowed(p, perm, &t))
				wrong++;
		}
		ok(wrong == 0 && found == 2 * N, __LINE__,
		   "large dictionaries: every named member found, no other");
		ok(pp_policy_selector_count(p, 1) == N && pp_policy_selector_count(p, 2) == N &&
		   pp_policy_selector_count(p, 3) == N, __LINE__, "large dictionaries: sizes");
		pp_policy_free(p);
	}
	free(claims);
}

/*
 * Selectors of 16 bytes or less are compared in their hash slot, longer
 * ones through their entry: members on both sides of that length, and
 * near misses (one byte changed at the end, one byte shorter or longer),
 * in dictionaries large enough to have a Bloom filter.
 */
static void
test_selector_lengths(void)
{
	enum
	{
		N = 100
	};
	size_t		cap = 160 * N + 256;
	char	   *claims = malloc(cap);
	size_t		n = 0;
	pp_policy  *p;
	int			perm = pp_perm_lookup("proxy-api", 9);
	int			i,
				wrong = 0;

	n += (size_t) snprintf(claims + n, cap - n, "{" P ": {");
	for (i = 0; i < N; i++)
		n += (size_t) snprintf(claims + n, cap - n,
							   "%s\"integration:%s-%03d\": {\"configuration:ext:%s%03d\": true}",
							   i ? ", " : "",
							   i % 2 ? "a-long-integration-name" : "short12", i,
							   i % 2 ? "ext-of-17-byte" : "ext-of-16-byt", i);
	n += (size_t) snprintf(claims + n, cap - n, "}}");
	p = compile(claims, __LINE__);
	if (p != NULL)
	{
		for (i = 0; i < N; i++)
		{
			char		integ[64],
						ext[64];
			size_t		il,
						el;
			pp_target	t;

			il = (size_t) snprintf(integ, sizeof(integ), "%s-%03d",
								   i % 2 ? "a-long-integration-name" : "short12", i);
			el = (size_t) snprintf(ext, sizeof(ext), "%s%03d",
								   i % 2 ? "ext-of-17-byte" : "ext-of-16-byt", i);
			target(&t, integ, NULL, ext);
			if (!pp_allowed(p, perm, &t))
				wrong++;
			/* the last byte changed, at each level */
			integ[il - 1] ^= 1;
			target(&t, integ, NULL, ext);
			if (pp_allowed(p, perm, &t))
				wrong++;
			integ[il - 1] ^= 1;
			ext[el - 1] ^= 1;
			target(&t, integ, NULL, ext);
			if (pp_allowed(p, perm, &t))
				wrong++;
			ext[el - 1] ^= 1;
			/* one byte shorter, one byte longer */
			pp_target_init(&t, integ, il, NULL, 0, NULL, ext, el - 1);
			if (pp_allowed(p, perm, &t))
				wrong++;
			ext[el] = '0';
			pp_target_init(&t, integ, il, NULL, 0, NULL, ext, el + 1);
			if (pp_allowed(p, perm, &t))
				wrong++;
		}
		ok(wrong == 0, __LINE__,
		   "selectors of 16 and 17 bytes and more: found, and no near miss");
		pp_policy_free(p);
	}
	free(claims);
}

/*
 * sub_is checks the Connected User the core captures from claims: the
 * state, the text for a string, the JSON type for an invalid one.
 */
static void
sub_is(int line, const char *claims, pp_sub_state state, const char *text,
	   pp_jtype type)
{
	pp_policy  *p = compile(claims, line);
	const char *s;
	size_t		len;
	char		what[512];

	if (p == NULL)
		return;
	snprintf(what, sizeof(what), "sub of %s", claims);
	ok(pp_policy_sub(p, &s, &len) == state, line, what);
	if (state == PP_SUB_STRING)
		ok(s != NULL && len == strlen(text) && memcmp(s, text, len) == 0, line, what);
	else
		ok(s == NULL && len == 0, line, what);
	if (state == PP_SUB_INVALID)
		ok(pp_policy_sub_type(p) == type, line, what);
	pp_policy_free(p);
}

/*
 * test_sub: the claims root's "sub" names the token's Connected User;
 * an invalid one never makes the permission checks fail.
 */
static void
test_sub(void)
{
	sub_is(__LINE__, "{\"sub\": \"acme\"}", PP_SUB_STRING, "acme", PP_JSON_STRING);
	sub_is(__LINE__, "{\"sub\": \" Acme \", " P ": {\"integration:*\": true}}",
		   PP_SUB_STRING, " Acme ", PP_JSON_STRING);
	sub_is(__LINE__, "{" P ": {\"integration:*\": true}, \"sub\": \"a:b\\\"c\"}",
		   PP_SUB_STRING, "a:b\"c", PP_JSON_STRING);
	sub_is(__LINE__, "{}", PP_SUB_NONE, NULL, PP_JSON_NULL);
	sub_is(__LINE__, "{\"sub\": \"\"}", PP_SUB_NONE, NULL, PP_JSON_NULL);
	sub_is(__LINE__, "{\"sub\": 42}", PP_SUB_INVALID, NULL, PP_JSON_NUMBER);
	sub_is(__LINE__, "{\"sub\": null}", PP_SUB_INVALID, NULL, PP_JSON_NULL);
	sub_is(__LINE__, "{\"sub\": true}", PP_SUB_INVALID, NULL, PP_JSON_BOOL);
	sub_is(__LINE__, "{\"sub\": [\"acme\"]}", PP_SUB_INVALID, NULL, PP_JSON_ARRAY);
	sub_is(__LINE__, "{\"sub\": {\"integration:*\": 1}}", PP_SUB_INVALID, NULL, PP_JSON_OBJECT);
	/* "sub" inside the permissions claim is a scope key, and no scope */
	ERROR("{" P ": {\"sub\": \"acme\"}}", PP_ERR_CLAIMS, "unrecognized scope \"sub\"",
		  "$.\"urn:useparagon:connect:permissions\".\"sub\"");
	/* an invalid sub is no error of the permissions claim */
	ALLOWED("{\"sub\": 42}", "proxy-api", "salesforce", NULL, NULL, true);
	ALLOWED("{\"sub\": [1], " P ": {\"integration:s\": [\"events\"]}}", "events", "s", NULL, NULL, true);
	ALLOWED("{\"sub\": {}, " P ": {\"integration:s\": [\"events\"]}}", "proxy-api", "s", NULL, NULL, false);
	ok(pp_jtype_name(PP_JSON_NUMBER) != NULL && strcmp(pp_jtype_name(PP_JSON_NUMBER), "a number") == 0,
	   __LINE__, "pp_jtype_name");
}

/* Look-alikes of the permissions claim, and credentials spaced around a UUID. */
static void
test_lint(void)
{
	static const char *const lookalike[] = {
		"urn:useparagon:connect:permission", "URN:USEPARAGON:CONNECT:PERMISSIONS",
		"urn:useparagon:connect:Permissions", "urn:useparagon:connect:permisions",
		"urn:useparagon:connect:roles", "useparagon:connect:permissions",
		"urn:paragon:connect:permissions", " urn:useparagon:connect:permissions",
		"urn:useparagon:connect:permissions ", "https://useparagon.com/permissions",
	};
	static const char *const other[] = {
		"urn:useparagon:connect:permissions", "sub", "permissions", "aud",
		"urn:example:connect:permissions", "urn:useparag:connect:perm",
	};
	size_t		i;

	for (i = 0; i < sizeof(lookalike) / sizeof(lookalike[0]); i++)
		ok(pp_claim_lookalike(lookalike[i], strlen(lookalike[i])), __LINE__, lookalike[i]);
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		ok(!pp_claim_lookalike(other[i], strlen(other[i])), __LINE__, other[i]);

	ok(pp_cred_spaced_uuid(" " C1, strlen(C1) + 1), __LINE__, "leading space");
	ok(pp_cred_spaced_uuid(C1 "\n", strlen(C1) + 1), __LINE__, "trailing newline");
	ok(pp_cred_spaced_uuid("\t{" C1 "} ", strlen(C1) + 4), __LINE__, "braces and tabs");
	ok(!pp_cred_spaced_uuid(C1, strlen(C1)), __LINE__, "a plain UUID");
	ok(!pp_cred_spaced_uuid(" acct-42 ", 9), __LINE__, "spaced text that is no UUID");
	ok(!pp_cred_spaced_uuid("   ", 3), __LINE__, "blank");

	/* evaluation ignores a look-alike, in either mode; a linting builder lists it */
	ALLOWED("{\"urn:useparagon:connect:permission\": {\"integration:*\": false}}", "events", "s", NULL, NULL, true);
	{
		json_error_t err;
		json_t	   *v = json_loads("{\"urn:useparagon:connect:permission\": {}}", PP_JSON_FLAGS, &err);
		pp_builder *plain = build("{\"urn:useparagon:connect:permission\": {}}", true);
		pp_builder *lint = pp_builder_new(&alloc, true);
		const pp_error *e;

		pp_builder_lint(lint, true);
		pp_json_walk_value(lint, v);
		json_decref(v);
		e = pp_builder_errors(lint);
		ok(pp_builder_errors(plain) == NULL, __LINE__, "collect mode alone does not lint");
		ok(e != NULL && e->code == PP_ERR_CLAIMS && e->next == NULL &&
		   strcmp(e->path, "$.\"urn:useparagon:connect:permission\"") == 0 &&
		   strstr(e->message, "is ignored") != NULL && e->hint != NULL,
		   __LINE__, "a linting builder lists the look-alike with its path and a hint");
		pp_builder_free(plain);
		pp_builder_free(lint);
	}
	/* a spaced UUID selector is a claims error */
	ERROR("{" P ": {\"credential: " C1 "\": false}}", PP_ERR_CLAIMS,
		  "credential ID with white space around a UUID in scope \"credential: " C1 "\"",
		  "$.\"urn:useparagon:connect:permissions\".\"credential: " C1 "\"");
}

int
main(void)
{
	test_examples();
	test_uuids();
	test_unspecified();
	test_specificity();
	test_visibility();
	test_implied();
	test_errors();
	test_hostile_shapes();
	test_large_dictionaries();
	test_selector_lengths();
	test_sub();
	test_lint();
	printf("core: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
