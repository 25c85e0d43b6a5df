/*-------------------------------------------------------------------------
 *
 * uuid.c
 *	  UUID text, read the way PostgreSQL's uuid type reads it, and written
 *	  in its canonical form.
 *
 * Credential selectors and arguments that are valid input for
 * PostgreSQL's uuid type compare as UUIDs, so case, braces and hyphen
 * placement do not matter; pp_uuid_parse accepts exactly what uuid_in
 * accepts, so the extension and the tool agree with the uuid type.  A
 * credential argument that is UUID input but for white space around it
 * is refused by the front ends (pp_cred_spaced_uuid): as text it would
 * slip past a deny written for the UUID.
 *
 * src/core/uuid.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stddef.h>

#include "pp.h"

/* hexval returns the value of a hex digit, or -1. */
static inline int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * pp_uuid_parse reads UUID text the way PostgreSQL's uuid_in does: 32 hex
 * digits, optionally a hyphen after any group of four, optionally the
 * whole in braces, nothing else.
 */
bool
pp_uuid_parse(const char *s, size_t len, unsigned char out[16])
{
	size_t		pos = 0;
	bool		braces = false;
	int			i;

	if (len > 0 && s[0] == '{')
	{
		braces = true;
		pos = 1;
	}
	for (i = 0; i < 16; i++)
	{
		int			hi,
					lo;

		if (pos + 2 > len)
			return false;
		hi = hexval((unsigned char) s[pos]);
		lo = hexval((unsigned char) s[pos + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char) (hi << 4 | lo);
		pos += 2;
		if (pos < len && s[pos] == '-' && (i % 2) == 1 && i < 15)
			pos++;
	}
	if (braces)
	{
		if (pos >= len || s[pos] != '}')
			return false;
		pos++;
	}
	return pos == len;
}

/* is_space is C isspace in the "C" locale, for ASCII white space. */
static inline bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * pp_cred_spaced_uuid tells whether text has white space at either end
 * and is valid UUID input once that is trimmed.  Two byte tests when the
 * text has none, so it can run on every row.
 */
bool
pp_cred_spaced_uuid(const char *s, size_t len)
{
	unsigned char uuid[16];

	if (len == 0 || (!is_space((unsigned char) s[0]) && !is_space((unsigned char) s[len - 1])))
		return false;
	while (len > 0 && is_space((unsigned char) *s))
		s++, len--;
	while (len > 0 && is_space((unsigned char) s[len - 1]))
		len--;
	return pp_uuid_parse(s, len, uuid);
}

/* pp_uuid_format writes the canonical text of a UUID. */
void
pp_uuid_format(const unsigned char in[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	int			i,
				o = 0;

	for (i = 0; i < 16; i++)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[in[i] >> 4];
		out[o++] = hex[in[i] & 15];
	}
	out[o] = '\0';
}
