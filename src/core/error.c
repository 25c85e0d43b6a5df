/*-------------------------------------------------------------------------
 *
 * error.c
 *	  The builder's errors: each problem of a claims document recorded
 *	  with its message, the JSON path where it stands and a hint.
 *
 * Messages quote keys escaped as in JSON and cut when long, so that a
 * hostile key can neither forge lines in a log nor turn into a megabyte
 * error.
 *
 * src/core/error.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pp_builder.h"
#include "pp_int.h"

/* The JSON types as messages name them, indexed by pp_jtype. */
static const char *const type_names[] = {
	"null", "a boolean", "a number", "a string", "an array", "an object"
};

/* escape_into appends JSON-escaped text to buf (which may be NULL to measure). */
static size_t
escape_into(char *buf, const char *s, size_t len)
{
	size_t		n = 0;
	size_t		i;

	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '"' || c == '\\')
		{
			if (buf)
			{
				buf[n] = '\\';
				buf[n + 1] = (char) c;
			}
			n += 2;
		}
		else if (c < 0x20 || c == 0x7f)
		{
			if (buf)
				snprintf(buf + n, 7, "\\u%04x", c);
			n += 6;
		}
		else
		{
			if (buf)
				buf[n] = (char) c;
			n++;
		}
	}
	return n;
}

/*
 * A key longer than QUOTE_MAX bytes is cut to QUOTE_CUT bytes (at a
 * character boundary) where a message or a path quotes it, so that a
 * megabyte key does not become a megabyte error; the path says how long
 * the key was.
 */
#define QUOTE_MAX	128
#define QUOTE_CUT	100

/* quote_len is how many bytes of a key of len bytes are quoted. */
static size_t
quote_len(const char *s, size_t len)
{
	size_t		n = QUOTE_CUT;

	if (len <= QUOTE_MAX)
		return len;
	/* do not end inside a UTF-8 sequence: back up to a lead byte */
	while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* escaped returns a NUL-terminated, escaped copy of s for messages, cut if long. */
static char *
escaped(pp_builder *b, const char *s, size_t len)
{
	size_t		qlen = quote_len(s, len);
	size_t		n = escape_into(NULL, s, qlen);
	char	   *out = pp_alloc(&b->alloc, n + 4);

	escape_into(out, s, qlen);
	if (qlen < len)
		memcpy(out + n, "...", 3), n += 3;
	out[n] = '\0';
	return out;
}

/* format_path renders the current JSON path as $."a"."b"[2]. */
static char *
format_path(pp_builder *b)
{
	size_t		n = 1;
	char	   *out;
	char	   *o;
	int			i;

	for (i = 0; i < b->nsegs; i++)
		n += b->segs[i].key ?
			3 + escape_into(NULL, b->segs[i].key, quote_len(b->segs[i].key, b->segs[i].len)) + 40 :
			12;
	out = pp_alloc(&b->alloc, n + 1);
	o = out;
	*o++ = '$';
	for (i = 0; i < b->nsegs; i++)
	{
		if (b->segs[i].key)
		{
			size_t		qlen = quote_len(b->segs[i].key, b->segs[i].len);

			*o++ = '.';
			*o++ = '"';
			o += escape_into(o, b->segs[i].key, qlen);
			*o++ = '"';
			/* a cut key: say so, and how long it was */
			if (qlen < b->segs[i].len)
				o += snprintf(o, 40, "...(%zu bytes)", b->segs[i].len);
		}
		else
			o += snprintf(o, 12, "[%u]", b->segs[i].index);
	}
	*o = '\0';
	return out;
}

/*
 * pp_add_error records an error at the current path, its message formatted
 * as by printf.  Returns what the walk must do next: stop in first-error
 * mode, otherwise skip the offending value.
 */
pp_walk
pp_add_error(pp_builder *b, pp_errcode code, const char *hint,
			 const char *fmt,...)
{
	pp_error   *e;
	va_list		ap;
	int			n;

	if (b->nerrors >= PP_MAX_ERRORS)
	{
		b->stopped = true;
		return PP_WALK_STOP;
	}
	e = pp_alloc0(&b->alloc, sizeof(pp_error));
	e->code = code;
	e->path = format_path(b);
	/* measure, then format: messages are short, and this runs once per error */
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	e->message = pp_alloc(&b->alloc, (size_t) n + 1);
	e->message[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(e->message, (size_t) n + 1, fmt, ap);
	va_end(ap);
	if (hint)
	{
		e->hint = pp_alloc(&b->alloc, strlen(hint) + 1);
		strcpy(e->hint, hint);
	}
	*b->errors_tail = e;
	b->errors_tail = &e->next;
	b->nerrors++;
	if (!b->collect_all)
	{
		b->stopped = true;
		return PP_WALK_STOP;
	}
	return PP_WALK_SKIP;
}

/*
 * pp_quote returns a key escaped and cut for a message, to pass to
 * pp_add_error's %s.  The builder holds it until the next pp_quote or
 * pp_builder_free: a message quotes one key at most.
 */
const char *
pp_quote(pp_builder *b, const char *key, size_t len)
{
	pp_free(&b->alloc, b->quoted);
	b->quoted = escaped(b, key, len);
	return b->quoted;
}

/* pp_jtype_name names a JSON type as messages do ("a number"). */
const char *
pp_jtype_name(pp_jtype type)
{
	return type_names[type];
}
