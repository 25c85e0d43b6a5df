/*-------------------------------------------------------------------------
 *
 * errors.c
 *	  Raising the core's errors as PostgreSQL errors: each error class
 *	  with its SQLSTATE, the JSON path as the detail, the hint; and the
 *	  documented size limit of a claims document.
 *
 * src/pg/errors.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "pg_policy.h"

/* paragon_check_claims_size refuses claims beyond the documented size. */
void
paragon_check_claims_size(Size size)
{
	if (size > PP_MAX_CLAIMS_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("claims exceed the maximum size of %d bytes", PP_MAX_CLAIMS_BYTES)));
}

/* paragon_report_error raises a core error with its SQLSTATE, path and hint. */
void
paragon_report_error(const pp_error *e)
{
	int			code;

	switch (e->code)
	{
		case PP_ERR_JSON:
			code = ERRCODE_INVALID_TEXT_REPRESENTATION;
			break;
		case PP_ERR_LIMIT:
			code = ERRCODE_PROGRAM_LIMIT_EXCEEDED;
			break;
		default:
			code = ERRCODE_INVALID_PARAMETER_VALUE;
			break;
	}
	ereport(ERROR,
			(errcode(code),
			 errmsg("%s", e->message),
			 errdetail("JSON path: %s.", e->path),
			 e->hint ? errhint("%s", e->hint) : 0));
	pg_unreachable();
}
