/*-------------------------------------------------------------------------
 *
 * cmd_matrix.c
 *	  paragon-perm matrix: a table of what a token may do, scope by scope.
 *
 * The claims can only tell apart the members they name: at each level,
 * any member the claims do not name gets the same answers as the
 * unspecified member "*".  So the named members of each level plus "*"
 * cover every distinct answer, and the matrix is their cross product,
 * nested: each integration, then each credential in it, then each
 * configuration of that credential.  A credential named at the top level
 * of the permissions claim applies in every integration, which is why the
 * product is taken across levels rather than along the claims' tree.
 *
 * Each row is answered by pp_allowed and pp_visible exactly as the SQL
 * functions answer that target with "*" for the unspecified members.
 *
 * src/cli/cmd_matrix.c
 *
 *-------------------------------------------------------------------------
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Rows beyond this are refused: such a table is not for reading. */
#define MATRIX_MAX_ROWS 100000

typedef enum matrix_format
{
	FORMAT_TABLE,
	FORMAT_CSV,
	FORMAT_JSON
} matrix_format;

/* One member of a level: its display text and how to pass it to the core. */
typedef struct matrix_member
{
	char	   *text;			/* as printed: name, canonical UUID, or "*" */
	bool		isuuid;
	unsigned char uuid[16];
} matrix_member;

/* The members of one level, named ones sorted, "*" last. */
typedef struct matrix_level
{
	matrix_member *m;
	size_t		n;
} matrix_level;

/* One row: the target's depth, its members, and the answers. */
typedef struct matrix_row
{
	int			depth;
	const matrix_member *m[PP_MAX_DEPTH];
	bool		visible;
	uint16_t	allowed;
} matrix_row;

/* matrix_usage prints the help of the matrix command. */
static void
matrix_usage(FILE *out)
{
	fprintf(out,
			"%s matrix prints what the token may do for every integration, credential\n"
			"and configuration the claims name, plus the unspecified member \"*\" of each\n"
			"level (which stands for every member the claims do not name): one row per\n"
			"scope, a visible column (paragon_visible) and one column per permission\n"
			"(paragon_allowed).\n\n"
			"Usage:\n"
			"  %s matrix [OPTION]... < claims.json\n\n"
			"Options:\n"
			"  -c, --claims=FILE          read the claims from FILE instead of standard input\n"
			"  -f, --format=table|csv|json  output format (default table)\n"
			"  -h, --help                 show this help, then exit\n\n"
			"Exit status: 0 success, 2 usage error, unreadable or invalid claims.\n",
			CLI_NAME, CLI_NAME);
}

/* member_order sorts members by their display text. */
static int
member_order(const void *a, const void *b)
{
	return strcmp(((const matrix_member *) a)->text, ((const matrix_member *) b)->text);
}

/* level_members lists the named members of a level, sorted, then "*". */
static void
level_members(const pp_policy *p, int level, matrix_level *out)
{
	size_t		count = pp_policy_selector_count(p, level);
	size_t		n = 0;
	size_t		i;

	out->m = cli_malloc(sizeof(matrix_member) * (count + 1));
	for (i = 0; i < count; i++)
	{
		matrix_member *mm = &out->m[n];
		pp_member	sel;

		pp_policy_selector(p, level, i, &sel);
		memset(mm, 0, sizeof(*mm));
		if (sel.kind == PP_MEMBER_UUID)
		{
			mm->isuuid = true;
			memcpy(mm->uuid, sel.s, 16);
			mm->text = cli_malloc(37);
			pp_uuid_format(mm->uuid, mm->text);
		}
		else
		{
			mm->text = cli_malloc(sel.len + 1);
			memcpy(mm->text, sel.s, sel.len);
			mm->text[sel.len] = '\0';
		}
		/*
		 * "configuration:ext:*" names the External ID "*", but a target
		 * member "*" is the unspecified one, in SQL as here: that row is
		 * the "*" row added below.
		 */
		if (strcmp(mm->text, "*") == 0)
			free(mm->text);
		else
			n++;
	}
	out->n = n + 1;
	qsort(out->m, n, sizeof(matrix_member), member_order);
	memset(&out->m[n], 0, sizeof(matrix_member));
	out->m[n].text = cli_malloc(2);
	strcpy(out->m[n].text, "*");
}

/* level_free releases a level's members. */
static void
level_free(matrix_level *l)
{
	size_t		i;

	for (i = 0; i < l->n; i++)
		free(l->m[i].text);
	free(l->m);
}

/*
 * answer_row fills row r for the target ci / cc / ce (cc and ce NULL
 * where the row stops above them): its members and its answers from the
 * policy.
 */
static void
answer_row(const pp_policy *p, matrix_row *r, const matrix_member *ci,
		   const matrix_member *cc, const matrix_member *ce)
{
	pp_target	t;
	int			perm;

	r->depth = ce ? 3 : cc ? 2 : 1;
	r->m[0] = ci;
	r->m[1] = cc;
	r->m[2] = ce;
	pp_target_init(&t,
				   ci->text, strlen(ci->text),
				   cc && !cc->isuuid ? cc->text : NULL,
				   cc && !cc->isuuid ? strlen(cc->text) : 0,
				   cc && cc->isuuid ? cc->uuid : NULL,
				   ce ? ce->text : NULL, ce ? strlen(ce->text) : 0);
	r->visible = pp_visible(p, &t);
	r->allowed = 0;
	for (perm = 0; perm < PP_PERM_COUNT; perm++)
		if (pp_allowed(p, perm, &t))
			r->allowed |= (uint16_t) (1u << perm);
}

/* csv_field prints one CSV field, quoted when RFC 4180 requires it. */
static void
csv_field(const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n") != NULL || (s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' ')))
	{
		putchar('"');
		for (; *s; s++)
		{
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	}
	else
		fputs(s, stdout);
	putchar(last ? '\n' : ',');
}

/* print_csv prints the rows as CSV with a header line. */
static void
print_csv(const matrix_row *rows, size_t nrows)
{
	size_t		i;
	int			perm;

	fputs("integration,credential,configuration,visible", stdout);
	for (perm = 0; perm < PP_PERM_COUNT; perm++)
		printf(",%s", pp_perm_name(perm));
	putchar('\n');
	for (i = 0; i < nrows; i++)
	{
		const matrix_row *r = &rows[i];
		int			l;

		for (l = 0; l < PP_MAX_DEPTH; l++)
			csv_field(l < r->depth ? r->m[l]->text : "", false);
		fputs(r->visible ? "true" : "false", stdout);
		for (perm = 0; perm < PP_PERM_COUNT; perm++)
			printf(",%s", (r->allowed >> perm) & 1 ? "true" : "false");
		putchar('\n');
	}
}

/* print_json prints the rows as a JSON array of objects. */
static void
print_json(const matrix_row *rows, size_t nrows)
{
	json_t	   *arr = json_array();
	char	   *text;
	size_t		i;

	for (i = 0; i < nrows; i++)
	{
		const matrix_row *r = &rows[i];
		json_t	   *o = json_object();
		json_t	   *perms = json_array();
		static const char *const names[PP_MAX_DEPTH] = {"integration", "credential", "configuration"};
		int			l;
		int			perm;

		for (l = 0; l < PP_MAX_DEPTH; l++)
			json_object_set_new(o, names[l], l < r->depth ? json_string(r->m[l]->text) : json_null());
		json_object_set_new(o, "visible", json_boolean(r->visible));
		for (perm = 0; perm < PP_PERM_COUNT; perm++)
			if ((r->allowed >> perm) & 1)
				json_array_append_new(perms, json_string(pp_perm_name(perm)));
		json_object_set_new(o, "allowed", perms);
		json_array_append_new(arr, o);
	}
	text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text)
		puts(text);
	free(text);
	json_decref(arr);
}

/* print_table prints the rows as an aligned text table; "yes" or "-" per cell. */
static void
print_table(const matrix_row *rows, size_t nrows)
{
	static const char *const heads[PP_MAX_DEPTH] = {"integration", "credential", "configuration"};
	size_t		w[PP_MAX_DEPTH];
	size_t		i;
	int			l;
	int			perm;

	for (l = 0; l < PP_MAX_DEPTH; l++)
		w[l] = strlen(heads[l]);
	for (i = 0; i < nrows; i++)
		for (l = 0; l < rows[i].depth; l++)
			if (strlen(rows[i].m[l]->text) > w[l])
				w[l] = strlen(rows[i].m[l]->text);

	for (l = 0; l < PP_MAX_DEPTH; l++)
		printf("%-*s  ", (int) w[l], heads[l]);
	fputs("visible", stdout);
	for (perm = 0; perm < PP_PERM_COUNT; perm++)
		printf("  %s", pp_perm_name(perm));
	putchar('\n');
	for (i = 0; i < nrows; i++)
	{
		const matrix_row *r = &rows[i];

		for (l = 0; l < PP_MAX_DEPTH; l++)
			printf("%-*s  ", (int) w[l], l < r->depth ? r->m[l]->text : "");
		printf("%-7s", r->visible ? "yes" : "-");
		/* the last column is not padded: no trailing blanks */
		for (perm = 0; perm < PP_PERM_COUNT; perm++)
			printf("  %-*s", perm == PP_PERM_COUNT - 1 ? 0 : (int) strlen(pp_perm_name(perm)),
				   (r->allowed >> perm) & 1 ? "yes" : "-");
		putchar('\n');
	}
}

/* cli_cmd_matrix runs the matrix command. */
int
cli_cmd_matrix(int argc, char **argv)
{
	static const struct option opts[] = {
		{"claims", required_argument, NULL, 'c'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *claims = "-";
	matrix_format format = FORMAT_TABLE;
	matrix_level lv[PP_MAX_DEPTH];
	matrix_row *rows;
	size_t		nrows = 0;
	size_t		total;
	size_t		a,
				b,
				e;
	pp_policy  *p;
	int			c;

	while ((c = getopt_long(argc, argv, "c:f:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'c':
				claims = optarg;
				break;
			case 'f':
				if (strcmp(optarg, "table") == 0)
					format = FORMAT_TABLE;
				else if (strcmp(optarg, "csv") == 0)
					format = FORMAT_CSV;
				else if (strcmp(optarg, "json") == 0)
					format = FORMAT_JSON;
				else
					return cli_usage_error("matrix", "unrecognized format \"%s\" (use table, csv or json)", optarg);
				break;
			case 'h':
				matrix_usage(stdout);
				return CLI_EXIT_YES;
			default:
				return cli_try_help("matrix");
		}
	}
	if (optind < argc)
		return cli_usage_error("matrix", "too many arguments (the claims are read from standard input or --claims)");

	p = cli_compile_claims(claims);
	if (p == NULL)
		return CLI_EXIT_ERROR;
	for (c = 0; c < PP_MAX_DEPTH; c++)
		level_members(p, c + 1, &lv[c]);

	/* computed in double so that a hostile count cannot overflow the check */
	if ((double) lv[0].n * (1.0 + (double) lv[1].n * (1.0 + (double) lv[2].n)) > MATRIX_MAX_ROWS)
	{
		cli_error("matrix would have more than %d rows", MATRIX_MAX_ROWS);
		fprintf(stderr, "HINT:  Ask about single targets with \"%s allowed\" and \"%s visible\".\n",
				CLI_NAME, CLI_NAME);
		for (c = 0; c < PP_MAX_DEPTH; c++)
			level_free(&lv[c]);
		pp_policy_free(p);
		return CLI_EXIT_ERROR;
	}
	total = lv[0].n * (1 + lv[1].n * (1 + lv[2].n));
	rows = cli_malloc(sizeof(matrix_row) * total);
	for (a = 0; a < lv[0].n; a++)
	{
		answer_row(p, &rows[nrows++], &lv[0].m[a], NULL, NULL);
		for (b = 0; b < lv[1].n; b++)
		{
			answer_row(p, &rows[nrows++], &lv[0].m[a], &lv[1].m[b], NULL);
			for (e = 0; e < lv[2].n; e++)
				answer_row(p, &rows[nrows++], &lv[0].m[a], &lv[1].m[b], &lv[2].m[e]);
		}
	}

	if (format == FORMAT_CSV)
		print_csv(rows, nrows);
	else if (format == FORMAT_JSON)
		print_json(rows, nrows);
	else
		print_table(rows, nrows);

	free(rows);
	for (c = 0; c < PP_MAX_DEPTH; c++)
		level_free(&lv[c]);
	pp_policy_free(p);
	return CLI_EXIT_YES;
}
