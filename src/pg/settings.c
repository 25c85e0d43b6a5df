/*-------------------------------------------------------------------------
 *
 * settings.c
 *	  The superuser-only paragon.* settings: their definitions and check
 *	  hooks, and the guard that refuses claims to a session whose settings
 *	  were lost as the library loaded.
 *
 * The settings decide whose signature makes claims trusted (public_key,
 * algorithms, audience, leeway) and where claims come from
 * (claims_source, claims_setting) and how long a token may count
 * (token_lifetime); strict_claims makes a look-alike of the permissions
 * claim an error.  Only a superuser may set them; each change makes the
 * session verify and compile its claims again.
 *
 * Built-in defaults fail closed: claims_source is "token", so a session
 * that somehow runs on the defaults verifies tokens with no key (every
 * token refused, no claims) and never reads a setting that any role can
 * SET.
 *
 * The guard.  Unless the library is in shared_preload_libraries, it is
 * loaded by the first call of one of its functions, and until then every
 * paragon.* value (from postgresql.conf, ALTER DATABASE/ROLE ... SET, the
 * client's start-up options, a SET) sits in a placeholder that anyone
 * may write.  When the library defines the real setting, PostgreSQL
 * replays the placeholder's values with the privileges of whoever set
 * them: a value the client passed (PGOPTIONS="-c paragon.audience=") is
 * refused with a WARNING, and the setting falls back to its built-in
 * default, losing the database's or role's value, which the client's
 * value had displaced.  A value that fails its check hook (an invalid key
 * in ALTER DATABASE ... SET, made while the library was not loaded) is
 * lost the same way.  Running on defaults the superuser never chose is
 * not safe even when the defaults are (audience '' turns the aud check
 * off), so each definition is bracketed: the placeholder's state is read
 * before, the real setting's after, and if any value of the placeholder
 * (its reset value, its current value, a stacked SET LOCAL) did not make
 * it into the setting, the backend is marked: every later claims read
 * and token call raises 42501 naming the setting, and the backend's own
 * claims_source and public_key are pinned to "token" and "" (no claims
 * for anything that reads them without the check, such as a parallel
 * worker).  What is compared is the source of each value and the depth
 * of the stack, never the text: a refused value may well equal the
 * default it falls back to.  (Placeholders are found with find_option
 * from PostgreSQL 16, by scanning get_guc_variables before.)
 *
 * With the library in shared_preload_libraries the settings are real in
 * every backend, so a client's value is refused at connection (FATAL) and
 * an invalid ALTER ... SET when it is made.
 *
 * src/pg/settings.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "access/xact.h"
#include "utils/guc.h"
#include "utils/guc_tables.h"

#include "jws_alg.h"
#include "jws_key.h"
#include "pg_policy.h"
#include "settings.h"

static const struct config_enum_entry claims_source_options[] = {
	{"token", CLAIMS_SOURCE_TOKEN, false},
	{"setting", CLAIMS_SOURCE_SETTING, false},
	{NULL, 0, false}
};

static const struct config_enum_entry token_lifetime_options[] = {
	{"transaction", TOKEN_LIFETIME_TRANSACTION, false},
	{"session", TOKEN_LIFETIME_SESSION, false},
	{NULL, 0, false}
};

char	   *paragon_public_key = NULL;
char	   *paragon_algorithms = NULL;
char	   *paragon_audience = NULL;
int			paragon_leeway_s = 30;
int			paragon_claims_source = CLAIMS_SOURCE_TOKEN;
char	   *paragon_claims_setting = NULL;
bool		paragon_strict_claims = false;
int			paragon_token_lifetime = TOKEN_LIFETIME_TRANSACTION;

const char *paragon_settings_refused = NULL;

/* supported_algorithms lists the algorithms paragon.algorithms may name (src/jwt's table). */
static char *
supported_algorithms(void)
{
	char		names[PJ_ALG_LIST_SIZE];

	return pstrdup(pj_alg_verifiable_list(names, sizeof(names)));
}

/* paragon_split_algorithms splits a comma-separated list in place; returns the count, -1 if over max. */
int
paragon_split_algorithms(char *list, char **out, int max)
{
	int			n = 0;
	char	   *tok;
	char	   *save = NULL;

	for (tok = strtok_r(list, ", \t", &save); tok != NULL; tok = strtok_r(NULL, ", \t", &save))
	{
		if (n == max)
			return -1;
		out[n++] = tok;
	}
	return n;
}

/* check_algorithms refuses a paragon.algorithms naming an unsupported algorithm. */
static bool
check_algorithms(char **newval, void **extra, GucSource source)
{
	char	   *copy = pstrdup(*newval);
	char	   *algs[16];
	int			n = paragon_split_algorithms(copy, algs, lengthof(algs));
	int			i;
	size_t		j;

	if (n <= 0)
	{
		GUC_check_errdetail("List at least one algorithm, such as RS256.");
		return false;
	}
	for (i = 0; i < n; i++)
	{
		bool		found = false;

		for (j = 0; pj_alg_verifiable(j) != NULL; j++)
			if (strcmp(algs[i], pj_alg_verifiable(j)) == 0)
				found = true;
		if (!found)
		{
			GUC_check_errdetail("Unsupported algorithm \"%s\"; supported are %s.", algs[i],
								supported_algorithms());
			return false;
		}
	}
	return true;
}

/*
 * check_public_key refuses a key that could never verify a token, with
 * the message the first token would get; the message replaces
 * PostgreSQL's, which would quote the value (perhaps a private key) in
 * the client's error and the server log.
 */
static bool
check_public_key(char **newval, void **extra, GucSource source)
{
	pj_error	err;

	if (*newval == NULL)
		return true;
	pj_error_clear(&err);
	if (pj_key_check(*newval, strlen(*newval), &err))
		return true;
	GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
	GUC_check_errmsg("%s", err.message);
	if (err.detail[0])
		GUC_check_errdetail("%s", err.detail);
	GUC_check_errhint("The value of paragon.public_key must be a public key that verifies Paragon User Tokens.");
	return false;
}

/*
 * check_audience refuses an audience no token could carry by mistake:
 * surrounding white space or control characters (a pasted line end), on
 * which every token's aud would fail to match.
 */
static bool
check_audience(char **newval, void **extra, GucSource source)
{
	const unsigned char *s = (const unsigned char *) *newval;
	size_t		len = s ? strlen(*newval) : 0;
	size_t		i;

	if (len == 0)
		return true;
	if (isspace(s[0]) || isspace(s[len - 1]))
	{
		GUC_check_errmsg("audience has surrounding white space");
		GUC_check_errdetail("A token's \"aud\" is compared exactly; Paragon's is \"useparagon.com/<project id>\".");
		return false;
	}
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] == 0x7f)
		{
			GUC_check_errmsg("audience contains a control character");
			GUC_check_errdetail("A token's \"aud\" is compared exactly; Paragon's is \"useparagon.com/<project id>\".");
			return false;
		}
	return true;
}

/*
 * The assign hooks of every setting the session's claims depend on make
 * the next read verify and compile them again (paragon_session_invalidate).
 */

/*
 * paragon_settings_assign_string: a string setting the claims depend on
 * changed (also paragon.token's assign hook, in token_setting.c).
 */
void
paragon_settings_assign_string(const char *newval, void *extra)
{
	paragon_session_invalidate();
}

/* assign_int_input: an integer or enum setting the claims depend on changed. */
static void
assign_int_input(int newval, void *extra)
{
	paragon_session_invalidate();
}

/* assign_bool_input: a boolean setting the claims depend on changed. */
static void
assign_bool_input(bool newval, void *extra)
{
	paragon_session_invalidate();
}

/* guard_find returns the GUC record of name, placeholder or real, or NULL. */
static struct config_generic *
guard_find(const char *name)
{
	return pp_find_guc_record(name);
}

/* guard_depth counts a record's stacked (transactional) values. */
static int
guard_depth(const struct config_generic *g)
{
	int			n = 0;
	const GucStack *st;

	for (st = g->stack; st != NULL; st = st->prev)
		n++;
	return n;
}

/* What a placeholder held before its real setting was defined. */
typedef struct GuardState
{
	bool		placeholder;	/* a placeholder existed */
	GucSource	source;
	GucSource	reset_source;
	int			depth;
} GuardState;

/* guard_before records the placeholder of name, if any. */
static void
guard_before(const char *name, GuardState *st)
{
	struct config_generic *g = guard_find(name);

	memset(st, 0, sizeof(*st));
	if (g == NULL || !(g->flags & GUC_CUSTOM_PLACEHOLDER))
		return;
	st->placeholder = true;
	st->source = g->source;
	st->reset_source = g->reset_source;
	st->depth = guard_depth(g);
}

/*
 * guard_after marks the backend when a value of the placeholder did not
 * become the real setting's: its reset value (from the file, the
 * database, the role or the client) or current value was refused, or a
 * stacked value was.  A refused value leaves the setting with the source
 * of whatever stood before it.
 */
static void
guard_after(const char *name, const GuardState *st)
{
	struct config_generic *g;

	if (!st->placeholder)
		return;
	g = guard_find(name);
	if (g == NULL || (g->flags & GUC_CUSTOM_PLACEHOLDER) ||
		g->reset_source != st->reset_source ||
		g->source != st->source ||
		guard_depth(g) != st->depth)
	{
		if (paragon_settings_refused == NULL)
			paragon_settings_refused = name;
	}
}

/* paragon_settings_refused_error raises the error of a marked backend. */
void
paragon_settings_refused_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("setting \"%s\" was refused when paragon_perm was loaded", paragon_settings_refused),
			 errdetail("A value of this superuser-only setting, from the connection's start-up options, a SET made before the library was loaded, or an invalid configured value, could not be applied; the session would run on built-in defaults, so it gets no claims."),
			 errhint("Do not pass paragon.* settings as connection options, and fix any invalid configured value (the server log has the warning); put paragon_perm in shared_preload_libraries to refuse such connections at once.")));
}

/* paragon_check_strict_claims refuses a look-alike of the permissions claim when strict_claims is on. */
void
paragon_check_strict_claims(Jsonb *claims)
{
	if (paragon_strict_claims && claims != NULL)
		paragon_check_lookalikes(claims);
}

/*
 * DEFINE_GUARDED defines the setting name with define (a DefineCustom...
 * function, given name and the rest of its arguments), bracketed by the
 * guard: guard_before notes name's placeholder, guard_after marks the
 * backend if a value of it was refused.
 */
#define DEFINE_GUARDED(define, name, ...) \
	do { \
		GuardState	guard_; \
		guard_before((name), &guard_); \
		define((name), __VA_ARGS__); \
		guard_after((name), &guard_); \
	} while (0)

/*
 * paragon_settings_init defines the superuser-only settings, each
 * bracketed by the guard; called from _PG_init.
 */
void
paragon_settings_init(void)
{
	DEFINE_GUARDED(DefineCustomStringVariable, "paragon.public_key",
				   "Key that verifies Paragon User Tokens.",
				   "A PEM public key or certificate, a JWK, or a JWK Set (the token's kid picks the key); checked when set, and a private key is refused.",
				   &paragon_public_key, "", PGC_SUSET, 0,
				   check_public_key, paragon_settings_assign_string, NULL);

	DEFINE_GUARDED(DefineCustomStringVariable, "paragon.algorithms",
				   "Comma-separated signature algorithms accepted on tokens.",
				   NULL, &paragon_algorithms, "RS256", PGC_SUSET, 0,
				   check_algorithms, paragon_settings_assign_string, NULL);

	DEFINE_GUARDED(DefineCustomStringVariable, "paragon.audience",
				   "Audience a token must carry in aud, or empty for no check.",
				   "Paragon tokens carry aud = \"useparagon.com/<project id>\".",
				   &paragon_audience, "", PGC_SUSET, 0,
				   check_audience, paragon_settings_assign_string, NULL);

	DEFINE_GUARDED(DefineCustomIntVariable, "paragon.leeway",
				   "Clock skew allowed when checking exp, nbf and iat.",
				   NULL, &paragon_leeway_s, 30, 0, 3600, PGC_SUSET, GUC_UNIT_S,
				   NULL, assign_int_input, NULL);

	DEFINE_GUARDED(DefineCustomEnumVariable, "paragon.claims_source",
				   "Where the session's claims come from: token or setting.",
				   "token: a token verified with paragon.public_key; setting: the JSON text of the setting named by paragon.claims_setting, which any role can SET.",
				   &paragon_claims_source, CLAIMS_SOURCE_TOKEN, claims_source_options,
				   PGC_SUSET, 0, NULL, assign_int_input, NULL);

	DEFINE_GUARDED(DefineCustomStringVariable, "paragon.claims_setting",
				   "Setting holding the claims as JSON text when paragon.claims_source is setting.",
				   NULL, &paragon_claims_setting, "request.jwt.claims", PGC_SUSET, 0,
				   NULL, paragon_settings_assign_string, NULL);

	DEFINE_GUARDED(DefineCustomBoolVariable, "paragon.strict_claims",
				   "Refuse session claims with a look-alike of the permissions claim.",
				   "A top-level key such as \"urn:useparagon:connect:permission\" is ignored by evaluation, which then finds no restriction; on, it is an error in the session forms and token calls.",
				   &paragon_strict_claims, false, PGC_SUSET, 0,
				   NULL, assign_bool_input, NULL);

	DEFINE_GUARDED(DefineCustomEnumVariable, "paragon.token_lifetime",
				   "How long a value of paragon.token may count: transaction or session.",
				   "transaction refuses a token set for the session (plain SET, ALTER ROLE ... SET, a connection option), the safe choice behind a transaction-pooling connection pooler.",
				   &paragon_token_lifetime, TOKEN_LIFETIME_TRANSACTION, token_lifetime_options,
				   PGC_SUSET, 0, NULL, assign_int_input, NULL);
}

/* the guard of a superuser-only setting defined outside this file */
static GuardState other_guard;
static const char *other_guard_name;

/*
 * paragon_settings_guard_begin and paragon_settings_guard_end bracket the
 * definition of a superuser-only paragon.* setting defined in another
 * file (token_setting.c's paragon.token_scope), so that it is guarded like these.
 */
void
paragon_settings_guard_begin(const char *name)
{
	other_guard_name = name;
	guard_before(name, &other_guard);
}

/* paragon_settings_guard_end: see paragon_settings_guard_begin. */
void
paragon_settings_guard_end(const char *name)
{
	Assert(other_guard_name != NULL && strcmp(name, other_guard_name) == 0);
	guard_after(name, &other_guard);
	other_guard_name = NULL;
}

/*
 * paragon_settings_finish ends the definitions (called from _PG_init once
 * every setting is defined).  A marked backend also pins the safest
 * values, for good (the override source outlives RESET ALL and
 * transaction abort): what derives from its settings without passing the
 * check, a parallel worker restoring them (whose leader may not run the
 * scan), finds claims from tokens and no key, so no claims.
 */
void
paragon_settings_finish(void)
{
	/*
	 * Not in a parallel worker that loads the library itself: no setting
	 * can change there (the guard marked it because its leader's values
	 * could not be applied), and the mark alone refuses its claims reads.
	 */
	if (paragon_settings_refused != NULL && !IsInParallelMode())
	{
		(void) set_config_option("paragon.claims_source", "token", PGC_SUSET,
								 PGC_S_OVERRIDE, GUC_ACTION_SET, true, 0, false);
		(void) set_config_option("paragon.public_key", "", PGC_SUSET,
								 PGC_S_OVERRIDE, GUC_ACTION_SET, true, 0, false);
	}
}
