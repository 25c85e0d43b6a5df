/*-------------------------------------------------------------------------
 *
 * pp_port.h
 *	  Compiler attributes the core relies on (forced inlining, format
 *	  checking), with a fallback for a compiler that lacks them.
 *
 * src/core/pp_port.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PP_PORT_H
#define PP_PORT_H

/*
 * The lookups of the tables run several times per checked row; the
 * compiler's size heuristics would otherwise make some of them calls.
 */
#if defined(__GNUC__) || defined(__clang__)
#define PP_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define PP_ALWAYS_INLINE inline
#endif

/*
 * PP_PRINTF marks a function whose argument f is a printf format checked
 * against the arguments from a on, as PostgreSQL's pg_attribute_printf
 * does (the core includes no PostgreSQL header): a wrong argument, or a
 * format built at run time, is then a compile-time warning.
 */
#if defined(__GNUC__) || defined(__clang__)
#define PP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PP_PRINTF(f, a)
#endif

#endif							/* PP_PORT_H */
