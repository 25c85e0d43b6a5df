/*-------------------------------------------------------------------------
 *
 * token.c
 *	  SQL entry points for token verification: paragon_verify_jws and
 *	  paragon_verify_token, and the C function paragon_token_verify.
 *
 * This file is the thin PostgreSQL adapter over src/jwt, which is plain C
 * and knows nothing of PostgreSQL.  It turns datums into C strings, calls
 * the verifier, and turns its structured pj_error into an ereport:
 *	- class 28 (invalid_authorization_specification) when the token is
 *	  refused, whatever the reason: a caller (or a login hook) can treat
 *	  the whole class as "not authenticated";
 *	- class 22 (invalid_parameter_value) when the caller's own input is
 *	  wrong: an unreadable or too weak key, an unknown algorithm name, a
 *	  negative leeway.
 * The client sees errmsg (which never quotes the token beyond its "alg"
 * and "kid") and errdetail about its own input; the precise reason a
 * token failed, such as the OpenSSL reason for a bad signature, goes to
 * the server log only through errdetail_log, so that a client cannot use
 * the messages as an oracle.
 *
 * Memory: the verifier allocates with malloc (and jansson's allocator,
 * whatever it is routed to) and frees everything before it returns, on
 * every path; it never raises.  This file copies the payload into palloc'd
 * memory and frees the verifier's copy before anything can ereport, so a
 * loop of refused tokens leaves memory flat.  jansson's allocator
 * (alloc.c) allocates with MCXT_ALLOC_NO_OOM and returns NULL on
 * out-of-memory, which the verifier reports as a refusal, so no error
 * leaves the verifier halfway with its malloc'd buffers or OpenSSL
 * objects alive.
 *
 * Every verification goes through the backend's caches (token_cache.h):
 * parsed keys found by their text (key_cache.c), so a key is decoded once
 * per backend and not once per call, and verified tokens (token_cache.c),
 * so the same token again with the same key and options costs a hash, a
 * check of its time claims at the caller's instant, and a copy of its
 * claims.  paragon_set_token, the paragon.token setting and
 * paragon_verify_token on a column all share them.
 *
 * The jsonb result is built by payload.c from the verified payload in one
 * strict parse (numbers in their exact decimal form), and the JWT claim
 * rules of src/jwt are applied to what it holds (pj_claims_judge), so the
 * claims are parsed once per new token and checked as they will be read.
 *
 * src/pg/token.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/detoast.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "jws.h"
#include "jwt_claims.h"
#include "jwt_error.h"
#include "payload.h"
#include "pg_compat.h"
#include "token.h"
#include "token_cache.h"

PG_FUNCTION_INFO_V1(paragon_verify_jws);
PG_FUNCTION_INFO_V1(paragon_verify_token);

/* Seconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01. */
#define UNIX_TO_PG_EPOCH_SECS \
	((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

/* token_sqlstate picks the SQLSTATE for a verifier error. */
static int
token_sqlstate(const pj_error *err)
{
	if (err->code == PJ_ERR_OUT_OF_MEMORY)
		return ERRCODE_OUT_OF_MEMORY;
	switch (err->eclass)
	{
		case PJ_CLASS_TOKEN:
			return ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION;
		case PJ_CLASS_INPUT:
			return ERRCODE_INVALID_PARAMETER_VALUE;
		default:
			return ERRCODE_INTERNAL_ERROR;
	}
}

/* token_when_str prints a time claim in the session's time zone. */
static const char *
token_when_str(double when)
{
	double		secs = when - (double) UNIX_TO_PG_EPOCH_SECS;
	TimestampTz ts;

	/* clamp before converting: an out-of-range double is undefined behaviour */
	if (secs >= (double) (END_TIMESTAMP / USECS_PER_SEC))
		ts = END_TIMESTAMP - 1;
	else if (secs <= (double) (MIN_TIMESTAMP / USECS_PER_SEC))
		ts = MIN_TIMESTAMP;
	else
		ts = (TimestampTz) (secs * USECS_PER_SEC);
	return timestamptz_to_str(ts);
}

/* token_report raises the error the verifier returned; err must already
 * be free of allocations (it is a plain struct).  no_exp_hint is the
 * caller's advice for a token without exp (NULL: none), since only some
 * callers can choose to accept one. */
pg_noreturn static void
token_report(const pj_error *err, const char *no_exp_hint)
{
	const char *hint = NULL;

	if (err->code == PJ_ERR_NO_EXP)
		hint = no_exp_hint;
	else if (err->code == PJ_ERR_TOO_LARGE)
		hint = "Tokens are limited to 64 kB.";

	switch (err->code)
	{
		case PJ_ERR_EXPIRED:
			ereport(ERROR,
					errcode(token_sqlstate(err)),
					errmsg("token expired at %s", token_when_str(err->when)));
			break;
		case PJ_ERR_NOT_YET_VALID:
			ereport(ERROR,
					errcode(token_sqlstate(err)),
					errmsg("token is not valid until %s", token_when_str(err->when)));
			break;
		case PJ_ERR_ISSUED_IN_FUTURE:
			ereport(ERROR,
					errcode(token_sqlstate(err)),
					errmsg("token issue time %s is in the future", token_when_str(err->when)));
			break;
		default:
			ereport(ERROR,
					errcode(token_sqlstate(err)),
					errmsg_internal("%s", err->message),
					err->detail[0] ? errdetail_internal("%s", err->detail) : 0,
					err->log_detail[0] ? errdetail_log("%s", err->log_detail) : 0,
					hint ? errhint("%s", hint) : 0);
			break;
	}
	pg_unreachable();
}

/* token_payload_copy moves the verifier's payload into palloc'd memory
 * and frees the verifier's copy. */
static char *
token_payload_copy(pj_jws *jws, size_t *len)
{
	char	   *copy = palloc(jws->payload_len + 1);

	memcpy(copy, jws->payload, jws->payload_len);
	copy[jws->payload_len] = '\0';
	*len = jws->payload_len;
	pj_jws_free(jws);
	return copy;
}

/* token_verify_jws verifies the signature and returns the payload,
 * palloc'd and NUL-terminated; cache may be NULL. */
static char *
token_verify_jws(const char *token, size_t token_len, const char *key,
				 const char *const *algs, int nalgs, pj_key_cache *cache,
				 size_t *payload_len)
{
	pj_jws		jws;
	pj_error	err;

	if (!pj_jws_verify_cached(token, token_len, key, strlen(key), algs, nalgs,
							  cache, &jws, &err))
		token_report(&err, NULL);
	return token_payload_copy(&jws, payload_len);
}

/* token_claims_opts fills the verifier's claims options. */
static void
token_claims_opts(pj_claims_opts *opts, const char *audience,
				  int64 leeway_us, TimestampTz at, bool require_exp)
{
	opts->at_us = at + UNIX_TO_PG_EPOCH_SECS * USECS_PER_SEC;
	opts->leeway_us = leeway_us;
	opts->audience = audience;
	opts->require_exp = require_exp;
}

/* token_jsonb_copy returns a palloc'd copy of cached claims. */
static Jsonb *
token_jsonb_copy(const Jsonb *claims)
{
	Jsonb	   *copy = palloc(VARSIZE(claims));

	memcpy(copy, claims, VARSIZE(claims));
	return copy;
}

/*
 * token_verify verifies a JWS and its JWT claims and returns the payload
 * as jsonb.  A token this backend already accepted with the same key and
 * options is served from the token cache, its time claims judged at "at"
 * as a fresh verification would; otherwise it is verified in full and,
 * only when every check passed, added to the cache.
 */
static Jsonb *
token_verify(const char *token, size_t token_len, const char *key,
			 const char *const *algs, int nalgs,
			 const char *audience, int64 leeway_us,
			 TimestampTz at, bool require_exp, const char *no_exp_hint)
{
	size_t		key_len = strlen(key);
	char	   *payload;
	size_t		payload_len;
	pj_claims_opts opts;
	pj_claims_facts facts;
	pj_claims_times times;
	pj_error	err;
	TokenVerdictKey vk;
	uint8		digest[PP_TOKEN_DIGEST_LEN];
	bool		cacheable;
	Jsonb	   *claims;
	pj_key_cache *kc;
	const uint8 *key_digest;

	if (leeway_us < 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("leeway must not be negative"));
	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				errmsg("time of verification must be finite"));
	token_claims_opts(&opts, audience, leeway_us, at, require_exp);

	/* an oversized token is refused by the verifier, never hashed */
	kc = paragon_key_cache(key, key_len, &key_digest);
	vk.token = token;
	vk.token_len = token_len;
	vk.key_digest = key_digest;
	vk.algs = algs;
	vk.nalgs = nalgs;
	vk.audience = audience;
	vk.leeway_us = leeway_us;
	vk.require_exp = require_exp;
	cacheable = token_len <= PJ_MAX_TOKEN_LEN && key_digest != NULL &&
		paragon_token_cache_digest(&vk, digest);
	if (cacheable)
	{
		const Jsonb *hit = paragon_token_cache_find(digest, &times);

		if (hit != NULL)
		{
			/* accepted before with these options; its time is judged now */
			pj_error_clear(&err);
			if (!pj_claims_check_times(&times, &opts, &err))
				token_report(&err, no_exp_hint);
			return token_jsonb_copy(hit);
		}
	}

	payload = token_verify_jws(token, token_len, key, algs, nalgs, kc, &payload_len);
	pj_error_clear(&err);
	claims = paragon_payload_parse(payload, payload_len, &err);
	if (claims == NULL)
		token_report(&err, no_exp_hint);
	paragon_payload_facts(claims, audience, &facts);
	if (!pj_claims_judge(&facts, &opts, &times, &err))
		token_report(&err, no_exp_hint);
	if (cacheable)
		paragon_token_cache_add(digest, &times, claims);
	return claims;
}

/* paragon_token_verify verifies a JWS and its JWT claims and returns the
 * payload as jsonb; see token.h. */
Jsonb *
paragon_token_verify(const char *token, size_t token_len, const char *key,
					 const char *const *algs, int nalgs,
					 const char *audience, int64 leeway_us,
					 TimestampTz at, bool require_exp)
{
	return token_verify(token, token_len, key, algs, nalgs, audience,
						leeway_us, at, require_exp,
						"A Paragon User Token carries exp; claims are taken only from a token that expires.");
}

/* token_text_arg returns a text argument as a C string, refusing one
 * longer than limit before detoasting it (limit 0: no limit). */
static char *
token_text_arg(FunctionCallInfo fcinfo, int argno, size_t limit, size_t *len)
{
	Datum		d = PG_GETARG_DATUM(argno);
	text	   *t;

	if (limit > 0 && toast_raw_datum_size(d) - VARHDRSZ > limit)
	{
		pj_error	err;

		pj_error_clear(&err);
		pj_error_set(&err, PJ_ERR_TOO_LARGE, "token is too large");
		pj_error_log(&err, "The token has %zu bytes; the limit is %d.",
					 (size_t) (toast_raw_datum_size(d) - VARHDRSZ), PJ_MAX_TOKEN_LEN);
		token_report(&err, NULL);
	}
	t = DatumGetTextPP(d);
	*len = VARSIZE_ANY_EXHDR(t);
	return text_to_cstring(t);
}

/* token_algs turns the text[] of allowed algorithms into C strings. */
static const char *const *
token_algs(ArrayType *arr, int *nalgs)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	const char **algs;
	int			i;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	algs = palloc(sizeof(char *) * (n > 0 ? n : 1));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("list of allowed algorithms must not contain nulls"));
		algs[i] = TextDatumGetCString(elems[i]);
	}
	*nalgs = n;
	return algs;
}

/* token_leeway_us converts an interval of clock skew to microseconds. */
static int64
token_leeway_us(const Interval *iv)
{
	int64		us;

	if (iv->month != 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("leeway must not contain months or years"));
	if (pg_mul_s64_overflow((int64) iv->day, USECS_PER_DAY, &us) ||
		pg_add_s64_overflow(us, iv->time, &us))
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("leeway is out of range"));
	return us;
}

/*
 * paragon_verify_jws(token text, key text, algorithms text[]) returns the
 * payload bytes of a compact JWS whose signature verifies.
 */
Datum
paragon_verify_jws(PG_FUNCTION_ARGS)
{
	size_t		token_len;
	size_t		key_len;
	char	   *token = token_text_arg(fcinfo, 0, PJ_MAX_TOKEN_LEN, &token_len);
	char	   *key = token_text_arg(fcinfo, 1, 0, &key_len);
	int			nalgs;
	const char *const *algs = token_algs(PG_GETARG_ARRAYTYPE_P(2), &nalgs);
	char	   *payload;
	size_t		payload_len;
	bytea	   *result;

	payload = token_verify_jws(token, token_len, key, algs, nalgs,
							   paragon_key_cache(key, key_len, NULL), &payload_len);
	result = palloc(VARHDRSZ + payload_len);
	SET_VARSIZE(result, VARHDRSZ + payload_len);
	memcpy(VARDATA(result), payload, payload_len);
	pfree(payload);
	PG_RETURN_BYTEA_P(result);
}

/*
 * paragon_verify_token(token, key, algorithms, audience, leeway, at,
 * require_exp) returns the claims of a verified JWT as jsonb.  Not STRICT
 * because audience may be NULL; any other NULL argument gives NULL, as a
 * strict function would.
 */
Datum
paragon_verify_token(PG_FUNCTION_ARGS)
{
	size_t		token_len;
	size_t		key_len;
	char	   *token;
	char	   *key;
	int			nalgs;
	const char *const *algs;
	char	   *audience = NULL;
	int64		leeway_us;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) ||
		PG_ARGISNULL(4) || PG_ARGISNULL(5) || PG_ARGISNULL(6))
		PG_RETURN_NULL();

	token = token_text_arg(fcinfo, 0, PJ_MAX_TOKEN_LEN, &token_len);
	key = token_text_arg(fcinfo, 1, 0, &key_len);
	algs = token_algs(PG_GETARG_ARRAYTYPE_P(2), &nalgs);
	if (!PG_ARGISNULL(3))
		audience = text_to_cstring(PG_GETARG_TEXT_PP(3));
	leeway_us = token_leeway_us(PG_GETARG_INTERVAL_P(4));

	PG_RETURN_JSONB_P(token_verify(token, token_len, key, algs, nalgs,
								   audience, leeway_us,
								   PG_GETARG_TIMESTAMPTZ(5),
								   PG_GETARG_BOOL(6),
								   "Pass require_exp => false to accept tokens that never expire."));
}
