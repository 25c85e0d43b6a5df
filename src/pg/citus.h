/*-------------------------------------------------------------------------
 *
 * citus.h
 *	  The session code's one question to the Citus guard (citus.c): may the
 *	  claims be set, or read, here and now, when Citus distributes queries?
 *
 * src/pg/citus.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PARAGON_CITUS_H
#define PARAGON_CITUS_H

/* what the session code is about to do */
typedef enum ParagonCitusStep
{
	PARAGON_CITUS_SET_TOKEN_FUNCTION,	/* paragon_set_token: set_config */
	PARAGON_CITUS_SET_TOKEN_SETTING,	/* the check hook of paragon.token */
	PARAGON_CITUS_READ_CLAIMS	/* read the session's claims (a short form, ...) */
} ParagonCitusStep;

/*
 * paragon_citus_guard raises when the step would give a wrong answer on a
 * Citus cluster; has_input says whether the claims' source (the token, or
 * the claims setting, or the new value of paragon.token) is non-empty.
 * Does nothing without Citus.
 */
extern void paragon_citus_init(void);
extern void paragon_citus_guard(ParagonCitusStep step, bool has_input);

#endif							/* PARAGON_CITUS_H */
