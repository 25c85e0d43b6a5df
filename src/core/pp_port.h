/*-------------------------------------------------------------------------
 *
 * pp_port.h
 *	  Compiler attributes the core relies on, with a fallback for a
 *	  compiler that lacks them.
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

#endif							/* PP_PORT_H */
