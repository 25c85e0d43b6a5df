/*-------------------------------------------------------------------------
 *
 * settings.h
 *	  The superuser-only paragon.* settings, and the check that a session
 *	  still runs on them (see settings.c).
 *
 * src/pg/settings.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PARAGON_SETTINGS_H
#define PARAGON_SETTINGS_H

#include "utils/jsonb.h"

#include "pg_compat.h"

/* Where the session's claims come from (paragon.claims_source). */
typedef enum ClaimsSource
{
	CLAIMS_SOURCE_TOKEN,
	CLAIMS_SOURCE_SETTING
} ClaimsSource;

/* How long a value of paragon.token may count (paragon.token_lifetime). */
typedef enum TokenLifetime
{
	TOKEN_LIFETIME_TRANSACTION,
	TOKEN_LIFETIME_SESSION
} TokenLifetime;

/* the settings' current values */
extern char *paragon_public_key;
extern char *paragon_algorithms;
extern char *paragon_audience;
extern int	paragon_leeway_s;
extern int	paragon_claims_source;
extern char *paragon_claims_setting;
extern bool paragon_strict_claims;
extern int	paragon_token_lifetime;

/* the superuser-only setting whose value the session lost, or NULL */
extern const char *paragon_settings_refused;

extern void paragon_settings_init(void);
extern void paragon_settings_guard_begin(const char *name);
extern void paragon_settings_guard_end(const char *name);
extern void paragon_settings_finish(void);
extern void paragon_settings_assign_string(const char *newval, void *extra);
extern int	paragon_split_algorithms(char *list, char **out, int max);
pg_noreturn extern void paragon_settings_refused_error(void);
extern void paragon_check_strict_claims(Jsonb *claims);

/*
 * paragon_settings_check raises 42501 when a superuser-only setting's
 * value was refused as the library loaded: the session would otherwise
 * run on built-in defaults it was never configured with.  Called before
 * every read of the session's claims and every token call; one pointer
 * test when all is well.
 */
static inline void
paragon_settings_check(void)
{
	if (unlikely(paragon_settings_refused != NULL))
		paragon_settings_refused_error();
}

#endif							/* PARAGON_SETTINGS_H */
