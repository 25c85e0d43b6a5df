/*-------------------------------------------------------------------------
 *
 * payload.h
 *	  The payload of a verified token as jsonb, parsed once and strictly.
 *
 * paragon_payload_parse turns the payload bytes of a token whose signature
 * verified (UTF-8 JSON, as RFC 7519 requires) into jsonb, or returns NULL
 * with a pj_error of class token when they are not a JSON object under the
 * strict rules of payload.c.  paragon_payload_facts reads from that jsonb
 * what the claim checks of src/jwt (pj_claims_judge) need.
 *
 * src/pg/payload.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PARAGON_PAYLOAD_H
#define PARAGON_PAYLOAD_H

/* the including file has included postgres.h first, as every .c file does */
#include "utils/jsonb.h"

#include "jwt_claims.h"
#include "jwt_error.h"

extern Jsonb *paragon_payload_parse(const char *payload, size_t len,
									pj_error *err);
extern void paragon_payload_facts(Jsonb *claims, const char *audience,
								  pj_claims_facts *facts);

#endif							/* PARAGON_PAYLOAD_H */
