/*-------------------------------------------------------------------------
 *
 * jwt_claims.h
 *	  The JWT layer (RFC 7519): checks of the claims set carried by a
 *	  verified JWS payload.
 *
 * src/jwt/jwt_claims.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef JWT_CLAIMS_H
#define JWT_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jwt_error.h"

typedef struct pj_claims_opts
{
	int64_t		at_us;			/* the instant to judge at, us since 1970 */
	int64_t		leeway_us;		/* clock skew tolerated, >= 0 */
	const char *audience;		/* required "aud" member, or NULL */
	bool		require_exp;	/* refuse tokens without "exp" */
} pj_claims_opts;

/*
 * The time claims of a claims set, as pj_claims_check_ex found them: what
 * a cache of verified tokens keeps so that it can judge the same token at
 * another instant with pj_claims_check_times, the very rules
 * pj_claims_check applies.
 */
typedef struct pj_claims_times
{
	bool		has_exp;
	bool		has_nbf;
	bool		has_iat;
	double		exp;			/* seconds since 1970, when has_exp */
	double		nbf;
	double		iat;
} pj_claims_times;

/*
 * What the checks read in a claims object, filled by a reader of one kind
 * of parsed JSON (jansson here; jsonb in the extension, which parses the
 * payload only once), so that every reader is judged by the same rules in
 * pj_claims_judge.  time_* are indexed exp, nbf, iat; aud_non_string and
 * aud_match are set only when the caller names an audience.
 */
#define PJ_CLAIMS_NTIMES 3

typedef enum pj_claim_kind
{
	PJ_CLAIM_ABSENT,
	PJ_CLAIM_NUMBER,
	PJ_CLAIM_STRING,
	PJ_CLAIM_ARRAY,
	PJ_CLAIM_OTHER				/* object, true, false, null */
} pj_claim_kind;

typedef struct pj_claims_facts
{
	pj_claim_kind time_kind[PJ_CLAIMS_NTIMES];
	double		time_value[PJ_CLAIMS_NTIMES];	/* when PJ_CLAIM_NUMBER */
	pj_claim_kind aud_kind;
	bool		aud_non_string; /* an element of the "aud" array is not a string */
	bool		aud_match;		/* "aud" is, or has an element equal to, the audience */
} pj_claims_facts;

extern const char *const pj_claims_time_names[PJ_CLAIMS_NTIMES];

extern bool pj_claims_check(const unsigned char *payload, size_t len,
							const pj_claims_opts *opts, pj_error *err);
extern bool pj_claims_check_ex(const unsigned char *payload, size_t len,
							   const pj_claims_opts *opts,
							   pj_claims_times *times, pj_error *err);
extern bool pj_claims_judge(const pj_claims_facts *facts,
							const pj_claims_opts *opts,
							pj_claims_times *times, pj_error *err);
extern bool pj_claims_aud_equal(const char *s, size_t len, const char *audience);
extern bool pj_claims_check_times(const pj_claims_times *times,
								  const pj_claims_opts *opts, pj_error *err);

#endif							/* JWT_CLAIMS_H */
