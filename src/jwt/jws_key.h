/*-------------------------------------------------------------------------
 *
 * jws_key.h
 *	  Loading the caller's verification key and checking that it suits the
 *	  token's algorithm.
 *
 * src/jwt/jws_key.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef JWS_KEY_H
#define JWS_KEY_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/opensslv.h>

/* keys are read and built with OpenSSL 3's provider API (OSSL_PARAM) */
#if OPENSSL_VERSION_NUMBER < 0x30000000L
#error "paragon_perm needs OpenSSL 3.0 or later"
#endif

#include "jose_header.h"
#include "jws.h"
#include "jwt_error.h"

/* RSA moduli shorter than this are refused (NIST SP 800-131A). */
#define PJ_RSA_MIN_BITS 2048

extern bool pj_key_load(const char *text, size_t len, const pj_header *hdr,
						pj_key_cache *cache, EVP_PKEY **out, pj_error *err);
extern bool pj_key_check(const char *text, size_t len, pj_error *err);
extern bool pj_key_fits(EVP_PKEY *pkey, const pj_header *hdr, pj_error *err);

#endif							/* JWS_KEY_H */
