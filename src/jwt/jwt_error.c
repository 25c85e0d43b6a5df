/*-------------------------------------------------------------------------
 *
 * jwt_error.c
 *	  Filling the structured error value of the token verifier.
 *
 * The class of an error follows from its code, so callers only name the
 * code.  Texts are formatted into fixed buffers inside pj_error: an error
 * path must not allocate, since it may be reporting that memory ran out.
 *
 * Notes: OpenSSL keeps a per-thread queue of errors.  Every failing call
 * in this module drains it (pj_error_log_openssl, or ERR_clear_error) so
 * that a later, unrelated OpenSSL user in the same backend never sees our
 * stale reasons.
 *
 * src/jwt/jwt_error.c
 *
 *-------------------------------------------------------------------------
 */
#include "jwt_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

/* pj_class_of maps a code to the party at fault. */
static pj_class
pj_class_of(pj_code code)
{
	switch (code)
	{
		case PJ_OK:
			return PJ_CLASS_NONE;
		case PJ_ERR_KEY_INVALID:
		case PJ_ERR_KEY_WEAK:
		case PJ_ERR_OPTION:
			return PJ_CLASS_INPUT;
		case PJ_ERR_OUT_OF_MEMORY:
		case PJ_ERR_INTERNAL:
			return PJ_CLASS_RESOURCE;
		default:
			return PJ_CLASS_TOKEN;
	}
}

/* pj_error_clear resets err to "no error". */
void
pj_error_clear(pj_error *err)
{
	err->code = PJ_OK;
	err->eclass = PJ_CLASS_NONE;
	err->when = 0;
	err->message[0] = '\0';
	err->detail[0] = '\0';
	err->log_detail[0] = '\0';
}

/* pj_error_set records code and the client message; returns false so
 * that callers can write "return pj_error_set(...)". */
bool
pj_error_set(pj_error *err, pj_code code, const char *fmt,...)
{
	va_list		ap;

	err->code = code;
	err->eclass = pj_class_of(code);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return false;
}

/* pj_error_detail records a client-safe sentence about the caller's input. */
void
pj_error_detail(pj_error *err, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
}

/* pj_error_log records a sentence meant for the server log only. */
void
pj_error_log(pj_error *err, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(err->log_detail, sizeof(err->log_detail), fmt, ap);
	va_end(ap);
}

/* pj_error_log_openssl puts the oldest queued OpenSSL reason into the log
 * detail and empties the queue. */
void
pj_error_log_openssl(pj_error *err, const char *what)
{
	unsigned long e = ERR_get_error();
	char		buf[256];

	if (e != 0)
	{
		ERR_error_string_n(e, buf, sizeof(buf));
		pj_error_log(err, "%s: %s.", what, buf);
	}
	else
		pj_error_log(err, "%s.", what);
	ERR_clear_error();
}

/* pj_error_oom records an allocation failure. */
bool
pj_error_oom(pj_error *err)
{
	ERR_clear_error();
	return pj_error_set(err, PJ_ERR_OUT_OF_MEMORY, "out of memory");
}

/* pj_sanitize copies at most PJ_MAX_QUOTED bytes of an untrusted string
 * for quoting in a message: anything but printable ASCII, and the double
 * quote and backslash that would confuse the quoting, become '?'. */
void
pj_sanitize(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t		n = 0;
	size_t		i;

	if (dstlen == 0)
		return;
	for (i = 0; i < srclen && n + 1 < dstlen && i < PJ_MAX_QUOTED; i++)
	{
		unsigned char c = (unsigned char) src[i];

		dst[n++] = (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? (char) c : '?';
	}
	if (i < srclen && n + 4 < dstlen)
	{
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
}
