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

extern bool pj_claims_check(const unsigned char *payload, size_t len,
							const pj_claims_opts *opts, pj_error *err);
extern bool pj_claims_check_ex(const unsigned char *payload, size_t len,
							   const pj_claims_opts *opts,
							   pj_claims_times *times, pj_error *err);
extern bool pj_claims_check_times(const pj_claims_times *times,
								  const pj_claims_opts *opts, pj_error *err);

#endif							/* JWT_CLAIMS_H */
