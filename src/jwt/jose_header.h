/*-------------------------------------------------------------------------
 *
 * jose_header.h
 *	  Strict parsing of a JWS protected header.
 *
 * src/jwt/jose_header.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef JOSE_HEADER_H
#define JOSE_HEADER_H

#include <stdbool.h>
#include <stddef.h>

#include "jwt_error.h"
#include "jws_alg.h"

typedef struct pj_header
{
	const pj_alg *alg;			/* never NULL after a successful parse */
	char		alg_quoted[PJ_MAX_QUOTED + 8];	/* sanitized, for messages */
	bool		has_kid;
	char	   *kid;			/* malloc'd, NUL-terminated; NULL if none */
	size_t		kid_len;
	char		kid_quoted[PJ_MAX_QUOTED + 8];	/* sanitized, for messages */
} pj_header;

extern bool pj_header_parse(const unsigned char *json, size_t len,
							pj_header *hdr, pj_error *err);
extern void pj_header_free(pj_header *hdr);

#endif							/* JOSE_HEADER_H */
