/*-------------------------------------------------------------------------
 *
 * pp.h
 *	  Public interface of the paragon_perm core: the policy compiler and
 *	  the evaluator of Paragon JWT permissions.
 *
 * The core is plain C99 with no PostgreSQL (or JSON library) header, so
 * that the extension, the command-line tool, the unit tests and the
 * fuzzers all share one implementation of the semantics.
 *
 * A front end (the jsonb walker in src/pg, the jansson walker in
 * src/json) walks a claims document and reports it to a pp_builder as a
 * stream of SAX-like events; the builder validates every key and value,
 * records errors with their JSON path, and pp_builder_finish() turns the
 * rules into a compiled pp_policy whose lookups are hashed per level.
 * Evaluation then costs O(depth) hash probes whatever the claims' size.
 *
 * Memory: every allocation goes through the pp_allocator handed to
 * pp_builder_new(), so the extension can place a policy in a memory
 * context and the tool can use malloc.  pp_policy_free() releases it.
 *
 * src/core/pp.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_H
#define PP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The claim that holds the permissions. */
#define PP_PERMISSIONS_CLAIM "urn:useparagon:connect:permissions"

/* Levels of a scope; a target's depth is the level of its last member. */
#define PP_LEVEL_INTEGRATION	1
#define PP_LEVEL_CREDENTIAL		2
#define PP_LEVEL_CONFIGURATION	3
#define PP_MAX_DEPTH			3

/* Permissions, in the order the documentation lists them. */
typedef enum pp_perm
{
	PP_PERM_CREDENTIAL_WRITE = 0,
	PP_PERM_CONFIG_WRITE,
	PP_PERM_SETTINGS_READ,
	PP_PERM_SETTINGS_WRITE,
	PP_PERM_METADATA_READ,
	PP_PERM_METADATA_WRITE,
	PP_PERM_PROXY_API,
	PP_PERM_EVENTS,
	PP_PERM_WORKFLOWS,
	PP_PERM_COUNT
} pp_perm;

#define PP_PERMS_ALL	((uint16_t) ((1u << PP_PERM_COUNT) - 1))

/* Limits: beyond them compilation fails with PP_ERR_LIMIT. */
#define PP_MAX_RULES			100000	/* scope keys in one claims document */
#define PP_MAX_SELECTOR_LEN		1024	/* bytes of one scope key */
#define PP_MAX_ARRAY_LEN		256		/* elements of one permission array */
#define PP_MAX_ERRORS			1000	/* errors collected by claims_errors */
#define PP_MAX_CLAIMS_BYTES		(16 * 1024 * 1024)	/* size of a claims document */

/* Allocation hooks; free may be NULL when the owner releases memory wholesale. */
typedef struct pp_allocator
{
	void	   *(*alloc) (void *ctx, size_t size);	/* never returns NULL */
	void		(*free) (void *ctx, void *ptr);
	void	   *ctx;
} pp_allocator;

/* Error classes; the front end maps them to SQLSTATEs or exit codes. */
typedef enum pp_errcode
{
	PP_OK = 0,
	PP_ERR_CLAIMS,				/* invalid claims document */
	PP_ERR_JSON,				/* permissions claim string is not JSON */
	PP_ERR_LIMIT,				/* a documented limit was exceeded */
	PP_ERR_ARGUMENT				/* invalid argument (unknown permission) */
} pp_errcode;

/* One problem in a claims document, with the JSON path where it stands. */
typedef struct pp_error
{
	pp_errcode	code;
	char	   *path;			/* e.g. $."urn:..."."integration:*" */
	char	   *message;		/* lowercase, no final period */
	char	   *hint;			/* complete sentence, or NULL */
	struct pp_error *next;
} pp_error;

/* What a front-end event asks of the walker next. */
typedef enum pp_walk
{
	PP_WALK_CONTINUE = 0,		/* go on, descending into the value */
	PP_WALK_SKIP,				/* skip the value just announced (or the
								 * one following a key) without events */
	PP_WALK_PARSE_STRING,		/* parse the string just reported as JSON
								 * text and report its value in its place */
	PP_WALK_STOP				/* fatal: stop the walk */
} pp_walk;

/* JSON value types, as front ends report them in errors. */
typedef enum pp_jtype
{
	PP_JSON_NULL,
	PP_JSON_BOOL,
	PP_JSON_NUMBER,
	PP_JSON_STRING,
	PP_JSON_ARRAY,
	PP_JSON_OBJECT
} pp_jtype;

typedef struct pp_builder pp_builder;
typedef struct pp_policy pp_policy;

/* Builder: create, feed events, finish. */
extern pp_builder *pp_builder_new(const pp_allocator *alloc, bool collect_all);
extern void pp_builder_lint(pp_builder *b, bool lookalikes);
extern pp_walk pp_ev_object_begin(pp_builder *b);
extern pp_walk pp_ev_key(pp_builder *b, const char *key, size_t len);
extern pp_walk pp_ev_object_end(pp_builder *b);
extern pp_walk pp_ev_array_begin(pp_builder *b);
extern pp_walk pp_ev_array_end(pp_builder *b);
extern pp_walk pp_ev_string(pp_builder *b, const char *s, size_t len);
extern pp_walk pp_ev_scalar(pp_builder *b, pp_jtype type, bool boolval);
extern void pp_ev_json_error(pp_builder *b, const char *what);
extern const pp_error *pp_builder_errors(const pp_builder *b);
extern pp_policy *pp_builder_finish(pp_builder *b);
extern void pp_builder_free(pp_builder *b);

/*
 * The token's Connected User: the claims root's "sub".  A non-empty JSON
 * string names one; a missing "sub" or the empty string names none; any
 * other JSON type is invalid claims for the boundary, but only for it: the
 * checks of the permissions claim do not read "sub", so they never fail
 * because of it.
 */
typedef enum pp_sub_state
{
	PP_SUB_NONE = 0,			/* missing, or "": no Connected User */
	PP_SUB_STRING,				/* a non-empty string */
	PP_SUB_INVALID				/* any other JSON type */
} pp_sub_state;

/* Policy inspection and release. */
extern bool pp_policy_restricted(const pp_policy *p);
extern pp_sub_state pp_policy_sub(const pp_policy *p, const char **s, size_t *len);
extern pp_jtype pp_policy_sub_type(const pp_policy *p);
extern const char *pp_jtype_name(pp_jtype type);
extern size_t pp_policy_rule_count(const pp_policy *p);	/* containers included */
extern void pp_policy_free(pp_policy *p);

/* Permission names. */
extern int	pp_perm_lookup(const char *name, size_t len);	/* -1 if unknown */
extern const char *pp_perm_name(int perm);
extern uint16_t pp_perm_implied(uint16_t perms);

/* The hint that lists every permission, for errors; PP_PERM_HINT_SIZE bytes. */
#define PP_PERM_HINT_SIZE	192
extern const char *pp_perm_hint(char buf[PP_PERM_HINT_SIZE]);

/* UUID text as PostgreSQL's uuid type reads it; true and 16 bytes if valid. */
extern bool pp_uuid_parse(const char *s, size_t len, unsigned char out[16]);
extern void pp_uuid_format(const unsigned char in[16], char out[37]);

/*
 * A credential argument that is not uuid input only because of white
 * space around it: it would compare as text and miss the UUID's rules, so
 * the front ends refuse it (PP_SPACED_UUID_MESSAGE, one %s: the text).
 */
extern bool pp_cred_spaced_uuid(const char *s, size_t len);

#define PP_SPACED_UUID_MESSAGE "credential \"%s\" has white space around a UUID"
#define PP_SPACED_UUID_HINT "Trim the credential ID: with the white space it compares as text and would not match the UUID's rules."

/*
 * A top-level claim that looks like the permissions claim and is not it
 * (another "urn:useparagon:" claim, another case, a few characters off).
 * Evaluation ignores it, as Paragon does, so a token whose only
 * permissions sit under such a name is unrestricted; claims_errors lists
 * it, and strict mode (pp_builder_lint) makes it an error.
 */
extern bool pp_claim_lookalike(const char *key, size_t len);

/*
 * A target (integration, credential, configuration).  Members beyond
 * depth are absent; a member that is unspecified (NULL before the last
 * argument, or the literal "*") is matched by wildcards only.
 */
typedef enum pp_member_kind
{
	PP_MEMBER_UNSPECIFIED = 0,
	PP_MEMBER_TEXT,
	PP_MEMBER_UUID
} pp_member_kind;

typedef struct pp_member
{
	pp_member_kind kind;
	const char *s;				/* text, or 16 bytes for a UUID */
	size_t		len;
} pp_member;

typedef struct pp_target
{
	int			depth;			/* 1..3 */
	pp_member	m[PP_MAX_DEPTH];	/* m[0] integration .. m[2] configuration */
	unsigned char uuid[16];		/* storage for a credential parsed from text */
} pp_target;

/*
 * pp_target_init fills a target from up to three optional strings (NULL =
 * SQL NULL).  A credential given as 16 bytes (uuid column) is passed as
 * cred_uuid instead of cred.
 */
extern void pp_target_init(pp_target *t,
						   const char *integ, size_t integ_len,
						   const char *cred, size_t cred_len,
						   const unsigned char *cred_uuid,
						   const char *conf, size_t conf_len);

/* Effective value of a point. */
typedef enum pp_value_kind
{
	PP_VALUE_DENY = 0,
	PP_VALUE_LIST,				/* visible with the listed permissions */
	PP_VALUE_ALLOW				/* true: every permission */
} pp_value_kind;

/* Why a point has the value it has. */
typedef enum pp_reason
{
	PP_REASON_RULE,				/* a rule matched */
	PP_REASON_DEFAULT_DENY,		/* claims restrict, no rule matched */
	PP_REASON_UNRESTRICTED		/* no permissions claim */
} pp_reason;

typedef struct pp_decision
{
	pp_value_kind kind;
	uint16_t	perms;			/* granted permissions, implied included */
	pp_reason	reason;
	int			rule;			/* deciding rule index, or -1 */
} pp_decision;

/* Evaluation; perm < 0 asks for point visibility. */
extern void pp_decide(const pp_policy *p, const pp_target *t, pp_decision *d);
extern bool pp_allowed(const pp_policy *p, int perm, const pp_target *t);
extern bool pp_allowed_at(const pp_policy *p, int perm,
						  const char *integ, size_t integ_len,
						  const char *cred, size_t cred_len,
						  const unsigned char *cred_uuid,
						  const char *conf, size_t conf_len);
extern bool pp_visible(const pp_policy *p, const pp_target *t);

/* The deciding rule's key path: number of keys, and each key's original text. */
extern int	pp_rule_path(const pp_policy *p, int rule,
						 const char **keys, size_t *lens);

/* enumerate.c */
/* The exact selectors the claims name at a level (PP_LEVEL_*), for listings. */
extern size_t pp_policy_selector_count(const pp_policy *p, int level);
extern bool pp_policy_selector(const pp_policy *p, int level, size_t i,
							   pp_member *out);

#endif							/* PP_H */
