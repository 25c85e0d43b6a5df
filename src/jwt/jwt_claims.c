/*-------------------------------------------------------------------------
 *
 * jwt_claims.c
 *	  Checking the registered time and audience claims of a JWT.
 *
 * The payload must be a JSON object, parsed as strictly as the header
 * (duplicate names, invalid UTF-8 and "\u0000" refused): whoever reads the
 * claims later, jsonb in our case, must see the very members we checked.
 *
 * Time claims are NumericDate values (RFC 7519 section 2): JSON numbers of
 * seconds since 1970, possibly fractional.  A value that is not a number
 * or lies outside years 1970..9999 is refused rather than guessed at.
 * With "at" the instant of judgement and L the leeway:
 *	- exp: refused when at >= exp + L (RFC 7519 section 4.1.4: the token
 *	  is valid only before exp); required unless require_exp is false;
 *	- nbf: refused when at + L < nbf;
 *	- iat: refused when iat > at + L, a token from the future (clock skew
 *	  beyond the leeway, or forged dates).
 * "aud" (a string or an array of strings) must contain the audience when
 * the caller names one.  When the caller names none, "aud" is not checked:
 * the caller has said it does not care which audience a token targets.
 *
 * Memory: the jansson tree is released on every path.
 *
 * src/jwt/jwt_claims.c
 *
 *-------------------------------------------------------------------------
 */
#include "jwt_claims.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

/* 9999-12-31 23:59:59 UTC, the last second PostgreSQL can print simply. */
#define PJ_MAX_NUMERIC_DATE 253402300799.0

/* claims_when records t in err and formats the message, whose one %s
 * receives t in UTC (a front end may print err->when in its own time
 * zone instead). */
static bool
claims_when(pj_error *err, pj_code code, const char *fmt, double t)
{
	time_t		secs = (time_t) floor(t);
	struct tm	tm;
	char		buf[64];

	err->when = t;
	if (gmtime_r(&secs, &tm) == NULL ||
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S+00", &tm) == 0)
		snprintf(buf, sizeof(buf), "%.0f", t);
	return pj_error_set(err, code, fmt, buf);
}

/* claims_time reads the NumericDate claim "name"; *present says whether it
 * exists, *seconds receives its value. */
static bool
claims_time(json_t *root, const char *name, bool *present, double *seconds,
			pj_error *err)
{
	json_t	   *v = json_object_get(root, name);

	*present = (v != NULL);
	if (v == NULL)
		return true;
	if (!json_is_number(v))
		return pj_error_set(err, PJ_ERR_CLAIM_TYPE,
							"token claim \"%s\" is not a number", name);
	*seconds = json_number_value(v);
	if (!isfinite(*seconds) || *seconds < 0 || *seconds > PJ_MAX_NUMERIC_DATE)
		return pj_error_set(err, PJ_ERR_CLAIM_TYPE,
							"token claim \"%s\" is out of range", name);
	return true;
}

/* claims_audience checks that "aud" contains audience. */
static bool
claims_audience(json_t *root, const char *audience, pj_error *err)
{
	json_t	   *aud = json_object_get(root, "aud");
	size_t		i;
	json_t	   *v;
	bool		found = false;

	if (aud == NULL)
		return pj_error_set(err, PJ_ERR_AUDIENCE, "token has no \"aud\" claim");
	if (json_is_string(aud))
		found = strcmp(json_string_value(aud), audience) == 0 &&
			json_string_length(aud) == strlen(audience);
	else if (json_is_array(aud))
	{
		json_array_foreach(aud, i, v)
		{
			if (!json_is_string(v))
				return pj_error_set(err, PJ_ERR_CLAIM_TYPE,
									"token claim \"aud\" is not a string or an array of strings");
			if (json_string_length(v) == strlen(audience) &&
				strcmp(json_string_value(v), audience) == 0)
				found = true;
		}
	}
	else
		return pj_error_set(err, PJ_ERR_CLAIM_TYPE,
							"token claim \"aud\" is not a string or an array of strings");
	if (!found)
		return pj_error_set(err, PJ_ERR_AUDIENCE,
							"token is not intended for audience \"%s\"", audience);
	return true;
}

/* pj_claims_check_times applies require_exp and the exp, nbf and iat
 * rules at opts->at_us; it reads nothing but times and opts. */
bool
pj_claims_check_times(const pj_claims_times *t, const pj_claims_opts *opts,
					  pj_error *err)
{
	double		at = (double) opts->at_us / 1e6;
	double		leeway = (double) opts->leeway_us / 1e6;

	if (!t->has_exp && opts->require_exp)
		return pj_error_set(err, PJ_ERR_NO_EXP, "token has no \"exp\" claim");
	if (t->has_exp && at >= t->exp + leeway)
		return claims_when(err, PJ_ERR_EXPIRED, "token expired at %s", t->exp);
	if (t->has_nbf && at + leeway < t->nbf)
		return claims_when(err, PJ_ERR_NOT_YET_VALID, "token is not valid until %s", t->nbf);
	if (t->has_iat && t->iat > at + leeway)
		return claims_when(err, PJ_ERR_ISSUED_IN_FUTURE, "token issue time %s is in the future", t->iat);
	return true;
}

/* claims_check_parsed runs every check on a parsed claims object and
 * returns its time claims in *t. */
static bool
claims_check_parsed(json_t *root, const pj_claims_opts *opts,
					pj_claims_times *t, pj_error *err)
{
	memset(t, 0, sizeof(*t));
	if (!claims_time(root, "exp", &t->has_exp, &t->exp, err) ||
		!claims_time(root, "nbf", &t->has_nbf, &t->nbf, err) ||
		!claims_time(root, "iat", &t->has_iat, &t->iat, err))
		return false;
	if (!pj_claims_check_times(t, opts, err))
		return false;
	if (opts->audience != NULL && !claims_audience(root, opts->audience, err))
		return false;
	return true;
}

/* pj_claims_check parses payload as a JSON object and checks its claims. */
bool
pj_claims_check(const unsigned char *payload, size_t len,
				const pj_claims_opts *opts, pj_error *err)
{
	pj_claims_times times;

	return pj_claims_check_ex(payload, len, opts, &times, err);
}

/* pj_claims_check_ex is pj_claims_check that also returns the time claims
 * (meaningful only when it returns true). */
bool
pj_claims_check_ex(const unsigned char *payload, size_t len,
				   const pj_claims_opts *opts, pj_claims_times *times,
				   pj_error *err)
{
	json_t	   *root;
	json_error_t jerr;
	bool		ok;

	pj_error_clear(err);
	/*
	 * JSON_DECODE_INT_AS_REAL: jansson otherwise refuses integers beyond 64
	 * bits, which are valid JSON and which jsonb keeps exactly (jsonb is
	 * built from the text, not from this tree, so nothing is rounded).
	 */
	root = json_loadb((const char *) payload, len,
					  JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &jerr);
	if (root == NULL || !json_is_object(root))
	{
		if (root == NULL && json_error_code(&jerr) == json_error_duplicate_key)
			pj_error_set(err, PJ_ERR_PAYLOAD, "token payload has duplicate member names");
		else if (root == NULL)
			pj_error_set(err, PJ_ERR_PAYLOAD, "token payload is not valid JSON");
		else
			pj_error_set(err, PJ_ERR_PAYLOAD, "token payload is not a JSON object");
		if (root == NULL)
			pj_error_log(err, "jansson: %s at position %d.", jerr.text, jerr.position);
		json_decref(root);
		return false;
	}
	ok = claims_check_parsed(root, opts, times, err);
	json_decref(root);
	return ok;
}
