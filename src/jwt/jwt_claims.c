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
 * The rules live in pj_claims_judge, which reads a pj_claims_facts: what
 * a reader found in the claims object.  The reader here walks a jansson
 * tree (the command-line tool); the extension's reader walks the jsonb it
 * parsed the payload into (src/pg/payload.c), so both are judged alike.
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

/* The time claims, in the order they are checked and in pj_claims_facts. */
const char *const pj_claims_time_names[PJ_CLAIMS_NTIMES] = {"exp", "nbf", "iat"};

/* pj_claims_aud_equal says whether one "aud" string (len bytes, may hold
 * NUL bytes) is the caller's audience. */
bool
pj_claims_aud_equal(const char *s, size_t len, const char *audience)
{
	return len == strlen(audience) && memcmp(s, audience, len) == 0;
}

/* claims_time judges the NumericDate claim i as a reader found it. */
static bool
claims_time(const pj_claims_facts *f, int i, bool *present, double *seconds,
			pj_error *err)
{
	*present = f->time_kind[i] != PJ_CLAIM_ABSENT;
	if (!*present)
		return true;
	if (f->time_kind[i] != PJ_CLAIM_NUMBER)
		return pj_error_set(err, PJ_ERR_CLAIM_TYPE,
							"token claim \"%s\" is not a number", pj_claims_time_names[i]);
	*seconds = f->time_value[i];
	if (!isfinite(*seconds) || *seconds < 0 || *seconds > PJ_MAX_NUMERIC_DATE)
		return pj_error_set(err, PJ_ERR_CLAIM_TYPE,
							"token claim \"%s\" is out of range", pj_claims_time_names[i]);
	return true;
}

/* claims_audience checks that "aud" contains audience. */
static bool
claims_audience(const pj_claims_facts *f, const char *audience, pj_error *err)
{
	if (f->aud_kind == PJ_CLAIM_ABSENT)
		return pj_error_set(err, PJ_ERR_AUDIENCE, "token has no \"aud\" claim");
	if ((f->aud_kind != PJ_CLAIM_STRING && f->aud_kind != PJ_CLAIM_ARRAY) ||
		f->aud_non_string)
		return pj_error_set(err, PJ_ERR_CLAIM_TYPE,
							"token claim \"aud\" is not a string or an array of strings");
	if (!f->aud_match)
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

/* pj_claims_judge runs every check on what a reader found in a claims
 * object and returns its time claims in *t. */
bool
pj_claims_judge(const pj_claims_facts *f, const pj_claims_opts *opts,
				pj_claims_times *t, pj_error *err)
{
	memset(t, 0, sizeof(*t));
	if (!claims_time(f, 0, &t->has_exp, &t->exp, err) ||
		!claims_time(f, 1, &t->has_nbf, &t->nbf, err) ||
		!claims_time(f, 2, &t->has_iat, &t->iat, err))
		return false;
	if (!pj_claims_check_times(t, opts, err))
		return false;
	if (opts->audience != NULL && !claims_audience(f, opts->audience, err))
		return false;
	return true;
}

/* claims_kind classifies a jansson value for pj_claims_facts. */
static pj_claim_kind
claims_kind(const json_t *v)
{
	if (v == NULL)
		return PJ_CLAIM_ABSENT;
	if (json_is_number(v))
		return PJ_CLAIM_NUMBER;
	if (json_is_string(v))
		return PJ_CLAIM_STRING;
	if (json_is_array(v))
		return PJ_CLAIM_ARRAY;
	return PJ_CLAIM_OTHER;
}

/* claims_facts reads what pj_claims_judge needs from a jansson object. */
static void
claims_facts(json_t *root, const char *audience, pj_claims_facts *f)
{
	json_t	   *aud = json_object_get(root, "aud");
	json_t	   *v;
	size_t		i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < PJ_CLAIMS_NTIMES; i++)
	{
		v = json_object_get(root, pj_claims_time_names[i]);
		f->time_kind[i] = claims_kind(v);
		if (f->time_kind[i] == PJ_CLAIM_NUMBER)
			f->time_value[i] = json_number_value(v);
	}
	f->aud_kind = claims_kind(aud);
	if (audience == NULL)
		return;
	if (f->aud_kind == PJ_CLAIM_STRING)
		f->aud_match = pj_claims_aud_equal(json_string_value(aud),
										   json_string_length(aud), audience);
	else if (f->aud_kind == PJ_CLAIM_ARRAY)
	{
		json_array_foreach(aud, i, v)
		{
			if (!json_is_string(v))
				f->aud_non_string = true;
			else if (pj_claims_aud_equal(json_string_value(v),
										 json_string_length(v), audience))
				f->aud_match = true;
		}
	}
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
	pj_claims_facts facts;

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
	claims_facts(root, opts->audience, &facts);
	json_decref(root);
	return pj_claims_judge(&facts, opts, times, err);
}
