/*-------------------------------------------------------------------------
 *
 * jwk.h
 *	  JSON Web Keys (RFC 7517): turning one JWK into an OpenSSL key, and
 *	  deciding whether a JWK may verify a given algorithm.
 *
 * src/jwt/jwk.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef JWK_H
#define JWK_H

#include <stdbool.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "jwt_error.h"
#include "jws_alg.h"

extern bool pj_jwk_is_symmetric(json_t *jwk);
extern bool pj_jwk_kty_fits(json_t *jwk, const pj_alg *alg);
extern bool pj_jwk_check_use(json_t *jwk, const pj_alg *alg, pj_error *err);
extern bool pj_jwk_to_pkey(json_t *jwk, EVP_PKEY **out, pj_error *err);

#endif							/* JWK_H */
