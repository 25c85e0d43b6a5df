/*-------------------------------------------------------------------------
 *
 * fuzz_check.h
 *	  CHECK, the invariant assertion of the fuzz targets: on failure it
 *	  prints the condition and a formatted explanation, then aborts, so
 *	  libFuzzer saves the input as a crash.
 *
 * fuzz/fuzz_check.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "invariant violated at line %d: %s\n", __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fprintf(stderr, "\n"); \
			abort(); \
		} \
	} while (0)

#endif							/* FUZZ_CHECK_H */
