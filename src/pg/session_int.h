/*-------------------------------------------------------------------------
 *
 * session_int.h
 *	  Shared by the three files of the session's claims: the token setting
 *	  (token_setting.c), the claims verified or read from it (session.c)
 *	  and the session forms' call sites (session_forms.c).  Nothing else
 *	  includes it.
 *
 * src/pg/session_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PARAGON_SESSION_INT_H
#define PARAGON_SESSION_INT_H

/* the including file has included postgres.h first, as every .c file does */
#include "pg_policy.h"
#include "settings.h"

#define TOKEN_GUC "paragon.token"

/* token_setting.c */

/* paragon.token's value ("" or NULL: none) */
extern char *paragon_token_value;

/*
 * Bumped by every change of paragon.token and of the settings it is
 * verified with: verified claims are valid for one generation.
 */
extern uint64 paragon_token_generation;

/*
 * A parallel worker that loaded this library itself, after restoring its
 * leader's state: it has no verdict on the token and no paragon.* values.
 */
extern bool paragon_worker_loaded_late;

extern void paragon_token_lifetime_check(void);

/* session.c */
extern bool paragon_session_token_is(const char *token, Size len);
extern const pp_policy *session_policy(void);
extern SharedPolicy *session_shared_policy(void);

/* effective_source is where the session's claims come from. */
static inline ClaimsSource
effective_source(void)
{
	return (ClaimsSource) paragon_claims_source;
}

#endif							/* PARAGON_SESSION_INT_H */
