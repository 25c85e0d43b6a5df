/*-------------------------------------------------------------------------
 *
 * base64url.c
 *	  Strict base64url decoding for JWS segments and JWK members.
 *
 * JWS uses the URL-safe alphabet with no padding and no line breaks
 * (RFC 7515 section 2).  A lenient decoder is an attack surface: two
 * different strings that decode to the same bytes let a token be altered
 * without touching its signature's meaning, and skipping junk hides
 * tampering.  So this decoder refuses '=' padding, '+', '/', whitespace,
 * any other byte outside the alphabet, a length of 1 modulo 4, and
 * non-zero bits left over in the last character (non-canonical form).
 *
 * Memory: the output is malloc'd (one extra NUL byte, so that JSON text
 * can be handed to a parser as a C string); the caller frees it.
 *
 * src/jwt/base64url.c
 *
 *-------------------------------------------------------------------------
 */
#include "base64url.h"

#include <stdint.h>
#include <stdlib.h>

/*
 * The 6-bit value of each byte, or -1 outside the alphabet: one load per
 * character instead of five comparisons (a token's payload and signature
 * are most of the bytes a new token costs to read).
 */
static const int8_t b64url_table[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
	-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

/* b64url_value returns the 6-bit value of c, or -1 outside the alphabet. */
static inline int
b64url_value(unsigned char c)
{
	return b64url_table[c];
}

/* pj_b64url_decode decodes inlen bytes of strict base64url; "what" names
 * the segment for the log detail.  On success *out is malloc'd. */
bool
pj_b64url_decode(const char *in, size_t inlen, const char *what,
				 unsigned char **out, size_t *outlen, pj_error *err)
{
	unsigned char *buf;
	size_t		n = 0;
	size_t		i;
	uint32_t	acc = 0;
	int			bits = 0;

	*out = NULL;
	*outlen = 0;

	if (inlen % 4 == 1)
	{
		pj_error_set(err, PJ_ERR_BASE64, "%s is not valid base64url", what);
		pj_error_log(err, "The length %zu is impossible for base64url.", inlen);
		return false;
	}

	buf = malloc(inlen / 4 * 3 + 3 + 1);
	if (buf == NULL)
		return pj_error_oom(err);

	/*
	 * Four characters make three bytes: the bulk of a token, one word at a
	 * time.  A character outside the alphabet has the value -1, which sets
	 * the sign of the word: one test per four characters.
	 */
	for (i = 0; i + 4 <= inlen; i += 4)
	{
		int32_t		w = (int32_t) ((uint32_t) b64url_value((unsigned char) in[i]) << 18 |
								   (uint32_t) b64url_value((unsigned char) in[i + 1]) << 12 |
								   (uint32_t) b64url_value((unsigned char) in[i + 2]) << 6 |
								   (uint32_t) b64url_value((unsigned char) in[i + 3]));

		if (w < 0)
			break;
		buf[n++] = (unsigned char) (w >> 16);
		buf[n++] = (unsigned char) (w >> 8);
		buf[n++] = (unsigned char) w;
	}
	/* the last two or three characters (or the group that had a stranger), bit by bit */
	for (; i < inlen; i++)
	{
		int			v = b64url_value((unsigned char) in[i]);

		if (v < 0)
		{
			free(buf);
			pj_error_set(err, PJ_ERR_BASE64, "%s is not valid base64url", what);
			if (in[i] == '=')
				pj_error_log(err, "Padding is not allowed (offset %zu).", i);
			else
				pj_error_log(err, "Byte 0x%02x at offset %zu is outside the base64url alphabet.",
							 (unsigned char) in[i], i);
			return false;
		}
		acc = (acc << 6) | (uint32_t) v;
		bits += 6;
		if (bits >= 8)
		{
			bits -= 8;
			buf[n++] = (unsigned char) (acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}

	/* Leftover bits must be zero, or the encoding is not the canonical one. */
	if (acc != 0)
	{
		free(buf);
		pj_error_set(err, PJ_ERR_BASE64, "%s is not valid base64url", what);
		pj_error_log(err, "The last character has non-zero padding bits.");
		return false;
	}

	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return true;
}
