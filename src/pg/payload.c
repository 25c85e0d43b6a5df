/*-------------------------------------------------------------------------
 *
 * payload.c
 *	  The payload of a verified token, parsed once, strictly, into jsonb.
 *
 * A new token's claims used to be parsed twice: by jansson, strictly, for
 * the claim checks, then by jsonb_in for the result; the two parses cost
 * two thirds of what the signature check does.  This parser reads the
 * payload once and builds the jsonb as it goes (pushJsonbValue, as
 * jsonb_in does), and the claim checks then read the jsonb
 * (paragon_payload_facts) under the rules of src/jwt/jwt_claims.c, the
 * very rules the command-line tool applies to its jansson tree.
 *
 * It is as strict as the token layer is with the header, because whoever
 * reads the claims later must see the very members that were checked:
 *	- the RFC 8259 grammar and nothing more: no comments, no trailing
 *	  commas, no leading zeros, no NaN, whitespace only space, tab, LF, CR;
 *	- the bytes must be valid UTF-8 (RFC 7519 section 7.2), checked before
 *	  anything else; "\u0000" and unpaired surrogates are refused;
 *	- a member name that appears twice in one object is refused: jsonb
 *	  would keep the last and another reader the first;
 *	- numbers keep their exact decimal form (numeric, as in jsonb_in);
 *	  one whose double value overflows is refused, as jansson refuses it,
 *	  and so is one with more than 1,000 fractional digits or an exponent
 *	  beyond 1,000 (numeric's own limits, whose errors would quote it);
 *	- nesting deeper than 2,048 levels (jansson's limit) is refused.
 * The jsonb is the one jsonb_in makes of the same text: sql/token.sql
 * compares the two on documents that exercise every rule.
 *
 * Errors are pj_errors of class token (SQLSTATE 28000 in token.c), whose
 * message never quotes the payload; the reason and the offset go to the
 * server log only.  A database in another encoding than UTF-8 gets the
 * payload converted first, and a character it cannot hold (raw or as a
 * \u escape) refuses the token with its own message, where jsonb_in
 * would raise an error that quotes the bytes; SQL_ASCII keeps raw bytes
 * as they are and refuses a non-ASCII \u escape, as jsonb_in does.
 *
 * Memory: palloc'd in the caller's context.  A string without escapes
 * points into the payload until JsonbValueToJsonb copies it, so the
 * payload must outlive the call.
 *
 * src/pg/payload.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/namespace.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "payload.h"

#define PAYLOAD_MAX_DEPTH 2048
#define PAYLOAD_MAX_EXPONENT 1000
#define PAYLOAD_MAX_FRACTION 1000

typedef struct PayloadParser
{
	const char *p;				/* the next byte */
	const char *start;
	const char *end;
	JsonbParseState *state;
	int			depth;
	int			encoding;		/* the database's */
	Oid			conversion;		/* from UTF-8 to it, once looked up */
	pj_error   *err;
} PayloadParser;

static bool payload_value(PayloadParser *ps, JsonbIteratorToken as);

/* payload_fail refuses the payload, logging why and where. */
static bool
payload_fail(PayloadParser *ps, const char *why)
{
	pj_error_set(ps->err, PJ_ERR_PAYLOAD, "token payload is not valid JSON");
	pj_error_log(ps->err, "%s at offset %d.", why, (int) (ps->p - ps->start));
	return false;
}

/* payload_foreign refuses a payload that has a character the database
 * encoding cannot hold. */
static bool
payload_foreign(PayloadParser *ps)
{
	pj_error_set(ps->err, PJ_ERR_PAYLOAD,
				 "token payload has a character that the database encoding \"%s\" cannot hold",
				 GetDatabaseEncodingName());
	pj_error_log(ps->err, "At offset %d.", (int) (ps->p - ps->start));
	return false;
}

/* payload_ascii says whether len bytes are all ASCII (nothing to convert). */
static bool
payload_ascii(const char *s, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
		if (IS_HIGHBIT_SET(s[i]))
			return false;
	return true;
}

/*
 * payload_to_server converts len bytes of valid UTF-8 to the database
 * encoding (a database in another encoding than UTF-8 and SQL_ASCII);
 * false when a character has no equivalent there.  pg_any_to_server
 * would raise instead, with a message that quotes the bytes.
 */
static bool
payload_to_server(PayloadParser *ps, const char *utf8, int len,
				  const char **out, int *outlen)
{
	int			size = len * MAX_CONVERSION_GROWTH + 1;
	unsigned char *buf;

	if (!OidIsValid(ps->conversion))
		ps->conversion = FindDefaultConversionProc(PG_UTF8, ps->encoding);
	if (!OidIsValid(ps->conversion))
		return false;
	buf = palloc(size);
	if (pg_do_encoding_conversion_buf(ps->conversion, PG_UTF8, ps->encoding,
									  (unsigned char *) utf8, len, buf, size,
									  true) != len)
		return false;
	*out = (const char *) buf;
	*outlen = strlen((char *) buf);
	return true;
}

/* payload_ws skips the four whitespace bytes of RFC 8259. */
static inline void
payload_ws(PayloadParser *ps)
{
	while (ps->p < ps->end &&
		   (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
		ps->p++;
}

/* payload_at says whether the next byte is c. */
static inline bool
payload_at(PayloadParser *ps, char c)
{
	return ps->p < ps->end && *ps->p == c;
}

/* payload_push adds v to the container being built (none: a top-level
 * scalar, which is only validated). */
static inline void
payload_push(PayloadParser *ps, JsonbIteratorToken as, JsonbValue *v)
{
	if (ps->state != NULL)
		(void) pushJsonbValue(&ps->state, as, v);
}

/* payload_hex4 reads the four hex digits of a \u escape. */
static bool
payload_hex4(PayloadParser *ps, pg_wchar *cp)
{
	pg_wchar	v = 0;
	int			i;

	if (ps->end - ps->p < 4)
		return payload_fail(ps, "truncated \\u escape");
	for (i = 0; i < 4; i++)
	{
		char		c = ps->p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return payload_fail(ps, "invalid \\u escape");
	}
	ps->p += 4;
	*cp = v;
	return true;
}

/* payload_unicode decodes a \u escape (the backslash and u already read),
 * with its low surrogate if any, into buf in the database encoding. */
static bool
payload_unicode(PayloadParser *ps, StringInfo buf)
{
	pg_wchar	cp;
	pg_wchar	lo;
	unsigned char out[MAX_UNICODE_EQUIVALENT_STRING + 1];

	if (!payload_hex4(ps, &cp))
		return false;
	if (cp == 0)
		return payload_fail(ps, "\\u0000 is not allowed");
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return payload_fail(ps, "unpaired low surrogate");
	if (cp >= 0xD800 && cp <= 0xDBFF)
	{
		if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
			return payload_fail(ps, "unpaired high surrogate");
		ps->p += 2;
		if (!payload_hex4(ps, &lo))
			return false;
		if (lo < 0xDC00 || lo > 0xDFFF)
			return payload_fail(ps, "unpaired high surrogate");
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	if (cp < 0x80)
	{
		appendStringInfoChar(buf, (char) cp);
		return true;
	}
	unicode_to_utf8(cp, out);
	if (ps->encoding == PG_UTF8)
		appendBinaryStringInfo(buf, (char *) out, pg_utf_mblen(out));
	else
	{
		/* SQL_ASCII cannot name the character either: jsonb_in refuses it */
		const char *conv;
		int			n;

		if (ps->encoding == PG_SQL_ASCII ||
			!payload_to_server(ps, (char *) out, pg_utf_mblen(out), &conv, &n))
			return payload_foreign(ps);
		appendBinaryStringInfo(buf, conv, n);
	}
	return true;
}

/* payload_string reads a string (at its opening quote) into v; without
 * escapes, v points into the payload. */
static bool
payload_string(PayloadParser *ps, JsonbValue *v)
{
	static const char escapes[] = "\"\\/bfnrt";	/* after a backslash, */
	static const char unescaped[] = "\"\\/\b\f\n\r\t";	/* stand for these */
	const char *s = ++ps->p;
	const char *one;
	StringInfoData buf;

	/* the common case: no escape */
	while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\')
	{
		if ((unsigned char) *ps->p < 0x20)
			return payload_fail(ps, "control character in a string");
		ps->p++;
	}
	if (ps->p >= ps->end)
		return payload_fail(ps, "unterminated string");
	v->type = jbvString;
	if (*ps->p == '"')
	{
		v->val.string.val = (char *) s;
		v->val.string.len = (int) (ps->p++ - s);
		return true;
	}

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, s, (int) (ps->p - s));
	while (ps->p < ps->end && *ps->p != '"')
	{
		char		c = *ps->p++;

		if ((unsigned char) c < 0x20)
			return payload_fail(ps, "control character in a string");
		if (c != '\\')
		{
			appendStringInfoChar(&buf, c);
			continue;
		}
		if (ps->p >= ps->end)
			break;
		c = *ps->p++;
		if (c == 'u')
		{
			if (!payload_unicode(ps, &buf))
				return false;
			continue;
		}
		one = c != '\0' ? strchr(escapes, c) : NULL;
		if (one == NULL)
		{
			ps->p--;
			return payload_fail(ps, "invalid escape");
		}
		appendStringInfoChar(&buf, unescaped[one - escapes]);
	}
	if (ps->p >= ps->end)
		return payload_fail(ps, "unterminated string");
	ps->p++;
	v->val.string.val = buf.data;
	v->val.string.len = buf.len;
	return true;
}

/* payload_digits skips decimal digits and says how many there were. */
static inline int
payload_digits(PayloadParser *ps)
{
	const char *s = ps->p;

	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return (int) (ps->p - s);
}

/* payload_number reads a number into v as numeric, from its exact text. */
static bool
payload_number(PayloadParser *ps, JsonbValue *v)
{
	const char *s = ps->p;
	char	   *text;
	int			whole = 1;		/* digits before the point */
	bool		scaled = false; /* has an exponent */

	if (payload_at(ps, '-'))
		ps->p++;
	if (payload_at(ps, '0'))
		ps->p++;
	else if (ps->p >= ps->end || *ps->p < '1' || *ps->p > '9')
		return payload_fail(ps, "invalid number");
	else
		whole = payload_digits(ps);
	if (payload_at(ps, '.'))
	{
		int			n;

		ps->p++;
		n = payload_digits(ps);
		if (n == 0)
			return payload_fail(ps, "invalid number");
		if (n > PAYLOAD_MAX_FRACTION)
			return payload_fail(ps, "number has too many fractional digits");
	}
	if (payload_at(ps, 'e') || payload_at(ps, 'E'))
	{
		int			exponent = 0;

		scaled = true;
		ps->p++;
		if (payload_at(ps, '+') || payload_at(ps, '-'))
			ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return payload_fail(ps, "invalid number");
		for (; ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9'; ps->p++)
		{
			exponent = exponent * 10 + (*ps->p - '0');
			if (exponent > PAYLOAD_MAX_EXPONENT)
				return payload_fail(ps, "number exponent out of range");
		}
	}

	text = pnstrdup(s, ps->p - s);
	/* only an exponent or some 309 digits can reach a double's limit */
	if ((scaled || whole > 300) && isinf(strtod(text, NULL)))
		return payload_fail(ps, "number out of range");
	v->type = jbvNumeric;
	v->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
														 CStringGetDatum(text),
														 ObjectIdGetDatum(InvalidOid),
														 Int32GetDatum(-1)));
	return true;
}

/* payload_literal reads true, false or null into v. */
static bool
payload_literal(PayloadParser *ps, JsonbValue *v)
{
	static const struct
	{
		const char *word;
		enum jbvType type;
		bool		value;
	}			words[] = {{"true", jbvBool, true}, {"false", jbvBool, false}, {"null", jbvNull, false}};
	size_t		i;

	for (i = 0; i < lengthof(words); i++)
	{
		size_t		n = strlen(words[i].word);

		if ((size_t) (ps->end - ps->p) >= n && memcmp(ps->p, words[i].word, n) == 0)
		{
			ps->p += n;
			v->type = words[i].type;
			v->val.boolean = words[i].value;
			return true;
		}
	}
	return payload_fail(ps, "unexpected character");
}

/* payload_nest enters a container (at its opening byte), refusing one
 * nested too deep; *more is false when it closes at once. */
static bool
payload_nest(PayloadParser *ps, char close, bool *more)
{
	check_stack_depth();
	if (++ps->depth > PAYLOAD_MAX_DEPTH)
		return payload_fail(ps, "nesting is too deep");
	ps->p++;
	payload_ws(ps);
	*more = !payload_at(ps, close);
	if (!*more)
		ps->p++;
	return true;
}

/* payload_more reads what follows a member or an element: a comma (*more
 * is true) or the container's closing byte (false). */
static bool
payload_more(PayloadParser *ps, char close, bool *more)
{
	payload_ws(ps);
	*more = payload_at(ps, ',');
	if (!*more && !payload_at(ps, close))
		return payload_fail(ps, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	ps->p++;
	return true;
}

/* payload_object reads an object (at its brace) and returns the
 * finished object in *out. */
static bool
payload_object(PayloadParser *ps, JsonbValue **out)
{
	int			npairs = 0;
	bool		more;
	JsonbValue *done;

	if (!payload_nest(ps, '}', &more))
		return false;
	(void) pushJsonbValue(&ps->state, WJB_BEGIN_OBJECT, NULL);
	while (more)
	{
		JsonbValue	key;

		payload_ws(ps);
		if (!payload_at(ps, '"'))
			return payload_fail(ps, "expected a member name");
		if (!payload_string(ps, &key))
			return false;
		(void) pushJsonbValue(&ps->state, WJB_KEY, &key);
		npairs++;
		payload_ws(ps);
		if (!payload_at(ps, ':'))
			return payload_fail(ps, "expected ':'");
		ps->p++;
		if (!payload_value(ps, WJB_VALUE) || !payload_more(ps, '}', &more))
			return false;
	}
	/* jsonb sorts the members and keeps one of each name */
	done = pushJsonbValue(&ps->state, WJB_END_OBJECT, NULL);
	if (done->val.object.nPairs != npairs)
		return pj_error_set(ps->err, PJ_ERR_PAYLOAD,
							"token payload has duplicate member names");
	ps->depth--;
	if (out != NULL)
		*out = done;
	return true;
}

/* payload_array reads an array (at its bracket). */
static bool
payload_array(PayloadParser *ps)
{
	bool		more;

	if (!payload_nest(ps, ']', &more))
		return false;
	(void) pushJsonbValue(&ps->state, WJB_BEGIN_ARRAY, NULL);
	while (more)
		if (!payload_value(ps, WJB_ELEM) || !payload_more(ps, ']', &more))
			return false;
	(void) pushJsonbValue(&ps->state, WJB_END_ARRAY, NULL);
	ps->depth--;
	return true;
}

/* payload_value reads any value and adds it to the container as "as". */
static bool
payload_value(PayloadParser *ps, JsonbIteratorToken as)
{
	JsonbValue	v;

	payload_ws(ps);
	if (ps->p >= ps->end)
		return payload_fail(ps, "unexpected end");
	switch (*ps->p)
	{
		case '{':
			return payload_object(ps, NULL);
		case '[':
			return payload_array(ps);
		case '"':
			if (!payload_string(ps, &v))
				return false;
			break;
		case '-':
		case '0':
		case '1':
		case '2':
		case '3':
		case '4':
		case '5':
		case '6':
		case '7':
		case '8':
		case '9':
			if (!payload_number(ps, &v))
				return false;
			break;
		default:
			if (!payload_literal(ps, &v))
				return false;
			break;
	}
	payload_push(ps, as, &v);
	return true;
}

/* paragon_payload_parse returns the payload as jsonb, or NULL with err
 * set; see payload.h. */
Jsonb *
paragon_payload_parse(const char *payload, size_t len, pj_error *err)
{
	PayloadParser ps;
	JsonbValue *object = NULL;
	const char *text = payload;
	int			textlen = (int) len;

	ps.start = ps.p = payload;
	ps.end = payload + len;
	ps.state = NULL;
	ps.depth = 0;
	ps.encoding = GetDatabaseEncoding();
	ps.conversion = InvalidOid;
	ps.err = err;

	if (!pg_verify_mbstr(PG_UTF8, payload, (int) len, true))
	{
		pj_error_set(err, PJ_ERR_PAYLOAD, "token payload is not valid JSON");
		pj_error_log(err, "The payload is not valid UTF-8.");
		return NULL;
	}
	/* SQL_ASCII keeps the bytes as they are, as jsonb_in does */
	if (ps.encoding != PG_UTF8 && ps.encoding != PG_SQL_ASCII &&
		!payload_ascii(payload, len) &&
		!payload_to_server(&ps, payload, (int) len, &text, &textlen))
	{
		payload_foreign(&ps);
		return NULL;
	}
	ps.start = ps.p = text;
	ps.end = text + textlen;

	payload_ws(&ps);
	if (payload_at(&ps, '{'))
	{
		if (!payload_object(&ps, &object))
			return NULL;
	}
	else if (!payload_value(&ps, WJB_ELEM))
		return NULL;
	payload_ws(&ps);
	if (ps.p != ps.end)
	{
		payload_fail(&ps, "text after the value");
		return NULL;
	}
	if (object == NULL)
	{
		pj_error_set(err, PJ_ERR_PAYLOAD, "token payload is not a JSON object");
		return NULL;
	}
	return JsonbValueToJsonb(object);
}

/* payload_kind classifies a member's value for pj_claims_facts. */
static pj_claim_kind
payload_kind(const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNumeric:
			return PJ_CLAIM_NUMBER;
		case jbvString:
			return PJ_CLAIM_STRING;
		case jbvBinary:
			return JsonContainerIsArray(v->val.binary.data) ? PJ_CLAIM_ARRAY : PJ_CLAIM_OTHER;
		default:
			return PJ_CLAIM_OTHER;
	}
}

/* payload_seconds returns a numeric as the nearest double, as strtod
 * reads the same number from JSON text (the command-line tool's way). */
static double
payload_seconds(Numeric n)
{
	return strtod(DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n))), NULL);
}

/* paragon_payload_facts reads what pj_claims_judge needs; see payload.h. */
void
paragon_payload_facts(Jsonb *claims, const char *audience, pj_claims_facts *f)
{
	JsonbValue	v;
	int			i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < PJ_CLAIMS_NTIMES; i++)
	{
		const char *name = pj_claims_time_names[i];

		if (getKeyJsonValueFromContainer(&claims->root, name, strlen(name), &v) == NULL)
			continue;
		f->time_kind[i] = payload_kind(&v);
		if (f->time_kind[i] == PJ_CLAIM_NUMBER)
			f->time_value[i] = payload_seconds(v.val.numeric);
	}
	if (getKeyJsonValueFromContainer(&claims->root, "aud", 3, &v) == NULL)
		return;
	f->aud_kind = payload_kind(&v);
	if (audience == NULL)
		return;
	if (f->aud_kind == PJ_CLAIM_STRING)
		f->aud_match = pj_claims_aud_equal(v.val.string.val, v.val.string.len, audience);
	else if (f->aud_kind == PJ_CLAIM_ARRAY)
	{
		JsonbContainer *arr = v.val.binary.data;
		uint32		n = JsonContainerSize(arr);
		uint32		j;

		for (j = 0; j < n; j++)
		{
			JsonbValue *e = getIthJsonbValueFromContainer(arr, j);

			if (e->type != jbvString)
				f->aud_non_string = true;
			else if (pj_claims_aud_equal(e->val.string.val, e->val.string.len, audience))
				f->aud_match = true;
		}
	}
}
