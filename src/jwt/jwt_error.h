/*-------------------------------------------------------------------------
 *
 * jwt_error.h
 *	  The structured error value returned by every function of the token
 *	  verifier (src/jwt).
 *
 * The verifier never raises and never longjmps: each step fills a
 * pj_error and returns false, after releasing whatever it allocated.  A
 * front end (src/pg/token.c) turns the value into an ereport.
 *
 * An error carries three texts with different audiences:
 *	- message:	 one line for the client, in the style of PostgreSQL's
 *				 errmsg; it never quotes token contents except the header's
 *				 "alg" and "kid", sanitized and truncated;
 *	- detail:	 an optional client-safe sentence about the caller's own input
 *				 (the key, the list of algorithms), never about the token;
 *	- log_detail: an optional sentence for the server log only: the exact
 *				 reason a signature failed, an OpenSSL or jansson message.
 * The class tells the front end which SQLSTATE class to use.
 *
 * For errors about a time claim, "when" holds the claim as seconds since
 * the Unix epoch so that the front end can print it in its own time zone.
 *
 * src/jwt/jwt_error.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef JWT_ERROR_H
#define JWT_ERROR_H

#include <stdbool.h>
#include <stddef.h>

/* Who is at fault, which decides the SQLSTATE class. */
typedef enum pj_class
{
	PJ_CLASS_NONE = 0,
	PJ_CLASS_TOKEN,				/* the token is refused: class 28 */
	PJ_CLASS_INPUT,				/* the caller's key or options are invalid: class 22 */
	PJ_CLASS_RESOURCE			/* out of memory or a library failure */
} pj_class;

/* What went wrong; one value per distinct client message. */
typedef enum pj_code
{
	PJ_OK = 0,
	/* token syntax */
	PJ_ERR_TOO_LARGE,
	PJ_ERR_MALFORMED,
	PJ_ERR_BASE64,
	PJ_ERR_HEADER,
	PJ_ERR_CRIT,
	/* algorithm */
	PJ_ERR_ALG_UNRECOGNIZED,
	PJ_ERR_ALG_REFUSED,
	PJ_ERR_ALG_NOT_ALLOWED,
	PJ_ERR_ALG_KEY_MISMATCH,
	/* key */
	PJ_ERR_KEY_INVALID,
	PJ_ERR_KEY_WEAK,
	PJ_ERR_KEY_NOT_FOUND,
	PJ_ERR_KEY_AMBIGUOUS,
	PJ_ERR_KEY_USE,
	/* signature */
	PJ_ERR_SIGNATURE,
	/* claims */
	PJ_ERR_PAYLOAD,
	PJ_ERR_CLAIM_TYPE,
	PJ_ERR_NO_EXP,
	PJ_ERR_EXPIRED,
	PJ_ERR_NOT_YET_VALID,
	PJ_ERR_ISSUED_IN_FUTURE,
	PJ_ERR_AUDIENCE,
	/* caller options */
	PJ_ERR_OPTION,
	/* resources */
	PJ_ERR_OUT_OF_MEMORY,
	PJ_ERR_INTERNAL
} pj_code;

#define PJ_MSG_LEN 256
#define PJ_DETAIL_LEN 512

typedef struct pj_error
{
	pj_code		code;
	pj_class	eclass;
	double		when;			/* seconds since 1970 for time-claim errors */
	char		message[PJ_MSG_LEN];
	char		detail[PJ_DETAIL_LEN];
	char		log_detail[PJ_DETAIL_LEN];
} pj_error;

/* Longest "alg" or "kid" ever copied into a client message. */
#define PJ_MAX_QUOTED 64

extern void pj_error_clear(pj_error *err);
extern bool pj_error_set(pj_error *err, pj_code code, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
extern void pj_error_detail(pj_error *err, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
extern void pj_error_log(pj_error *err, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
extern void pj_error_log_openssl(pj_error *err, const char *what);
extern bool pj_error_oom(pj_error *err);
extern void pj_sanitize(char *dst, size_t dstlen, const char *src, size_t srclen);

#endif							/* JWT_ERROR_H */
