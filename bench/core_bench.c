/*-------------------------------------------------------------------------
 *
 * core_bench.c
 *	  Nanoseconds per decision of the paragon_perm core alone, without
 *	  PostgreSQL: the part of a row's cost that the extension's code owns.
 *
 * Builds tokens of 10, 1,000 and 10,000 rules shaped like the SQL
 * benchmark's (bench/setup.sql): 30 integrations, credentials as UUIDs,
 * configuration External IDs, nested and top-level rules, and a million
 * targets drawn like its rows (30% without an External ID).  Each token
 * is then checked against every target, five times; the median is
 * printed.  Run by "make bench-core"; a first argument sets the number of
 * targets (default 1,000,000), e.g. a small one under valgrind, a
 * second the only token size to run (10, 1000 or 10000), and a third a
 * number of bytes of a large buffer to read between two decisions, as a
 * scan's heap pages and executor state pass through the caches between
 * two rows (e.g. 256 under valgrind --tool=cachegrind --cache-sim=yes).
 *
 * bench/core_bench.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "jansson_walk.h"
#include "pp.h"

#define NCREDS		50000
#define NINTEG		30
#define NEXT		400
#define RUNS		5

typedef struct Row
{
	char		integ[16];
	unsigned char cred[16];
	char		ext[16];
	int			has_ext;
} Row;

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

/* next returns the next pseudo-random number (splitmix64). */
static uint64_t
next(void)
{
	uint64_t	z = (rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* xalloc is a malloc that never returns NULL. */
static void *
xalloc(void *ctx, size_t n)
{
	void	   *p = malloc(n);

	(void) ctx;
	if (p == NULL)
		abort();
	return p;
}

/* xfree is free with the allocator's signature. */
static void
xfree(void *ctx, void *p)
{
	(void) ctx;
	free(p);
}

/* now_ns reads a monotonic clock. */
static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* uuid_text formats 16 bytes as a lowercase hyphenated UUID. */
static void
uuid_text(const unsigned char *u, char *out)
{
	pp_uuid_format(u, out);
}

/* token builds a claims document of about nrules rules over the credentials. */
static json_t *
token(int nrules, unsigned char (*creds)[16])
{
	json_t	   *perms = json_object();
	json_t	   *claims = json_object();
	int			n = 0;

	json_object_set_new(perms, "integration:*", json_pack("[s]", "events"));
	json_object_set_new(perms, "integration:integ-3", json_true());
	json_object_set_new(perms, "integration:integ-5", json_false());
	n += 3;
	while (n < nrules)
	{
		char		key[64],
					u[37];
		int			i = (int) (next() % NINTEG);
		json_t	   *integ;
		json_t	   *cred;

		snprintf(key, sizeof(key), "integration:integ-%d", i);
		integ = json_object_get(perms, key);
		if (integ == NULL || !json_is_object(integ))
		{
			integ = json_object();
			json_object_set_new(perms, key, integ);
			n++;
		}
		uuid_text(creds[next() % NCREDS], u);
		snprintf(key, sizeof(key), "credential:%s", u);
		cred = json_object();
		json_object_set_new(integ, key, cred);
		n++;
		switch (next() % 3)
		{
			case 0:
				json_object_set_new(cred, "configuration:*", json_pack("[s]", "settings:read"));
				break;
			case 1:
				snprintf(key, sizeof(key), "configuration:ext:ext-%d", (int) (next() % NEXT));
				json_object_set_new(cred, key, json_pack("[ss]", "proxy-api", "settings:write"));
				break;
			default:
				json_object_set_new(cred, "configuration:*", json_pack("[s]", "proxy-api"));
				break;
		}
		n++;
	}
	json_object_set_new(claims, "sub", json_string("bench"));
	json_object_set_new(claims, "urn:useparagon:connect:permissions", perms);
	return claims;
}

/* cmp_double orders doubles for qsort. */
static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	int			ntargets = argc > 1 ? atoi(argv[1]) : 1000000;
	int			only = argc > 2 ? atoi(argv[2]) : 0;
	size_t		pollute = argc > 3 ? (size_t) atol(argv[3]) : 0;
	size_t		bufsize = (size_t) 256 << 20,
				pos = 0;
	unsigned char *buf = pollute > 0 ? calloc(bufsize, 1) : NULL;
	unsigned long sink = 0;
	static const int sizes[] = {10, 1000, 10000};
	pp_allocator alloc = {xalloc, xfree, NULL};
	unsigned char (*creds)[16] = malloc(sizeof(*creds) * NCREDS);
	Row		   *rows = malloc(sizeof(Row) * ntargets);
	int			perm = pp_perm_lookup("proxy-api", 9);
	size_t		s;
	int			i;

	for (i = 0; i < NCREDS; i++)
		for (int b = 0; b < 16; b++)
			creds[i][b] = (unsigned char) next();
	for (i = 0; i < ntargets; i++)
	{
		snprintf(rows[i].integ, sizeof(rows[i].integ), "integ-%d", (int) (next() % NINTEG));
		memcpy(rows[i].cred, creds[next() % NCREDS], 16);
		rows[i].has_ext = next() % 10 >= 3;
		snprintf(rows[i].ext, sizeof(rows[i].ext), "ext-%d", (int) (next() % NEXT));
	}

	printf("| rules | ns per decision (median of %d) | allowed |\n|---:|---:|---:|\n", RUNS);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
	{
		json_t	   *claims;
		pp_builder *b = pp_builder_new(&alloc, false);
		pp_policy  *p;
		double		t[RUNS];
		long		allowed = 0;
		int			r;

		if (only != 0 && only != sizes[s])
		{
			pp_builder_free(b);
			continue;
		}
		claims = token(sizes[s], creds);
		pp_json_walk_value(b, claims);
		p = pp_builder_finish(b);
		if (p == NULL)
		{
			fprintf(stderr, "token of %d rules does not compile: %s\n", sizes[s],
					pp_builder_errors(b)->message);
			return 1;
		}
		pp_builder_free(b);
		for (r = 0; r < RUNS; r++)
		{
			double		t0 = now_ns();

			allowed = 0;
			for (i = 0; i < ntargets; i++)
			{
				pp_target	tg;

				pp_target_init(&tg, rows[i].integ, strlen(rows[i].integ), NULL, 0,
							   rows[i].cred, rows[i].has_ext ? rows[i].ext : NULL,
							   rows[i].has_ext ? strlen(rows[i].ext) : 0);
				allowed += pp_allowed(p, perm, &tg);
				for (size_t k = 0; k < pollute; k += 64)
				{
					sink += buf[pos];
					pos = (pos + 64) & (bufsize - 1);
				}
			}
			t[r] = (now_ns() - t0) / ntargets;
		}
		qsort(t, RUNS, sizeof(double), cmp_double);
		printf("| %zu | %.1f | %ld |\n", pp_policy_rule_count(p), t[RUNS / 2], allowed);
		pp_policy_free(p);
		json_decref(claims);
	}
	free(rows);
	free(creds);
	free(buf);
	return sink == 1;			/* keeps the reads of the buffer */
}
