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

extern bool pj_claims_check(const unsigned char *payload, size_t len,
							const pj_claims_opts *opts, pj_error *err);

#endif							/* JWT_CLAIMS_H */
