/*-------------------------------------------------------------------------
 *
 * base64url.h
 *	  Strict base64url decoding (RFC 4648 section 5, as RFC 7515 section 2
 *	  uses it for JWS).
 *
 * src/jwt/base64url.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef BASE64URL_H
#define BASE64URL_H

#include <stdbool.h>
#include <stddef.h>

#include "jwt_error.h"

extern bool pj_b64url_decode(const char *in, size_t inlen, const char *what,
							 unsigned char **out, size_t *outlen,
							 pj_error *err);

#endif							/* BASE64URL_H */
