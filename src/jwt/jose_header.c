/*-------------------------------------------------------------------------
 *
 * jose_header.c
 *	  Strict parsing of a JWS protected header with jansson.
 *
 * The header decides which algorithm and which key are used, so it is
 * parsed before anything is trusted and as strictly as jansson allows:
 * duplicate member names are refused (JSON_REJECT_DUPLICATES; otherwise
 * two parsers could read two different "alg" values from one token),
 * invalid UTF-8 and "\u0000" are refused (jansson's defaults), trailing
 * bytes are refused, and the top level must be an object.
 *
 * Members:
 *	- "alg": required string, looked up in jws_alg.c; "none" is refused
 *	  right here, before any key is touched.
 *	- "kid": optional string, used to pick a key from a JWK Set.
 *	- "crit": refused whatever it names, since we implement no extension
 *	  (RFC 7515 section 4.1.11 requires refusing unknown critical ones).
 *	- "b64": refused unless true: RFC 7797 unencoded payloads change the
 *	  signing input and we do not implement them.
 *	- "jwk", "jku", "x5u", "x5c", "x5t": ignored on purpose.  A key carried
 *	  by the token itself proves nothing, and fetching a URL named by the
 *	  token would let an attacker choose our key; only the caller's key is
 *	  ever used.
 *	- anything else (typ, cty, ...) is ignored.
 *
 * Memory: the jansson tree is released on every path before returning;
 * the kid is copied into malloc'd memory owned by the pj_header.
 *
 * src/jwt/jose_header.c
 *
 *-------------------------------------------------------------------------
 */
#include "jose_header.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* pj_header_free releases what pj_header_parse allocated; safe to call twice. */
void
pj_header_free(pj_header *hdr)
{
	free(hdr->kid);
	hdr->kid = NULL;
	hdr->has_kid = false;
}

/* header_refuse sets a header error and releases the tree; returns false. */
static bool
header_refuse(json_t *root, pj_error *err, pj_code code, const char *msg,
			  const char *log)
{
	json_decref(root);
	pj_error_set(err, code, "%s", msg);
	if (log)
		pj_error_log(err, "%s", log);
	return false;
}

/* pj_header_parse parses len bytes of header JSON into hdr. */
bool
pj_header_parse(const unsigned char *json, size_t len, pj_header *hdr,
				pj_error *err)
{
	json_t	   *root;
	json_t	   *v;
	json_error_t jerr;
	const char *s;
	size_t		slen;

	memset(hdr, 0, sizeof(*hdr));

	root = json_loadb((const char *) json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
	{
		/* Say so when the JSON is fine but a name repeats: that is the
		 * classic attempt to show two parsers two different "alg". */
		if (json_error_code(&jerr) == json_error_duplicate_key)
			pj_error_set(err, PJ_ERR_HEADER, "token header has duplicate member names");
		else
			pj_error_set(err, PJ_ERR_HEADER, "token header is not valid JSON");
		pj_error_log(err, "jansson: %s at position %d.", jerr.text, jerr.position);
		return false;
	}
	if (!json_is_object(root))
		return header_refuse(root, err, PJ_ERR_HEADER,
							 "token header is not a JSON object", NULL);

	if (json_object_get(root, "crit") != NULL)
		return header_refuse(root, err, PJ_ERR_CRIT,
							 "token header lists critical extensions, which are not supported",
							 NULL);

	v = json_object_get(root, "b64");
	if (v != NULL && !json_is_true(v))
		return header_refuse(root, err, PJ_ERR_HEADER,
							 "token uses an unencoded payload, which is not supported",
							 "The header has \"b64\" other than true (RFC 7797).");

	v = json_object_get(root, "alg");
	if (!json_is_string(v))
		return header_refuse(root, err, PJ_ERR_HEADER,
							 "token header has no string member \"alg\"", NULL);
	s = json_string_value(v);
	slen = json_string_length(v);
	pj_sanitize(hdr->alg_quoted, sizeof(hdr->alg_quoted), s, slen);
	hdr->alg = pj_alg_lookup(s, slen);
	if (hdr->alg == NULL)
	{
		json_decref(root);
		return pj_error_set(err, PJ_ERR_ALG_UNRECOGNIZED,
							"unrecognized token algorithm \"%s\"", hdr->alg_quoted);
	}
	if (hdr->alg->family == PJ_FAMILY_NONE)
	{
		json_decref(root);
		pj_error_set(err, PJ_ERR_ALG_REFUSED,
					 "algorithm \"none\" is not allowed");
		pj_error_detail(err, "Unsecured tokens are never accepted.");
		return false;
	}

	v = json_object_get(root, "kid");
	if (v != NULL)
	{
		if (!json_is_string(v))
			return header_refuse(root, err, PJ_ERR_HEADER,
								 "token header member \"kid\" is not a string", NULL);
		slen = json_string_length(v);
		hdr->kid = malloc(slen + 1);
		if (hdr->kid == NULL)
		{
			json_decref(root);
			return pj_error_oom(err);
		}
		memcpy(hdr->kid, json_string_value(v), slen);
		hdr->kid[slen] = '\0';
		hdr->kid_len = slen;
		hdr->has_kid = true;
		pj_sanitize(hdr->kid_quoted, sizeof(hdr->kid_quoted), hdr->kid, slen);
	}

	json_decref(root);
	return true;
}
