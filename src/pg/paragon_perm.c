/*-------------------------------------------------------------------------
 *
 * paragon_perm.c
 *	  Module initialisation and the SQL functions that answer permission
 *	  questions from an explicit claims argument.
 *
 * Every function here is a pure function of its arguments (IMMUTABLE,
 * PARALLEL SAFE): it never reads the clock or a setting.  NULL claims
 * mean "no token": every check is false, never NULL, but an unknown
 * permission name is still an error, so a typo in a policy cannot hide
 * behind a missing token.
 *
 * src/pg/paragon_perm.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "pg_policy.h"
#include "settings.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* _PG_init routes jansson through palloc and defines the settings. */
void
_PG_init(void)
{
	paragon_jansson_init();
	paragon_settings_init();
	paragon_session_init();
	paragon_settings_finish();
	MarkGUCPrefixReserved("paragon");
}

/* claims_policy returns the policy of the claims argument, or NULL for SQL NULL. */
static inline const pp_policy *
claims_policy(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		return NULL;
	return paragon_policy_for_arg(fcinfo, 0);
}

/* allowed_common answers paragon_allowed for a text or uuid credential. */
static inline Datum
allowed_common(FunctionCallInfo fcinfo, bool cred_is_uuid)
{
	int			perm;
	const pp_policy *p = paragon_policy_and_perm(fcinfo, 1, &perm);

	if (p == NULL)
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(paragon_allowed_args(fcinfo, p, perm, 2, cred_is_uuid));
}

/*
 * paragon_allowed tells whether the claims grant a permission at a target;
 * paragon_allowed_uuid is paragon_allowed for a uuid credential.
 */
TEXT_AND_UUID_FORMS(paragon_allowed, paragon_allowed_uuid, allowed_common)

/* visible_common answers paragon_visible for a text or uuid credential. */
static inline Datum
visible_common(FunctionCallInfo fcinfo, bool cred_is_uuid)
{
	const pp_policy *p = claims_policy(fcinfo);
	pp_target	t;

	if (p == NULL)
		PG_RETURN_BOOL(false);
	paragon_target_args(fcinfo, 1, cred_is_uuid, &t);
	PG_RETURN_BOOL(pp_visible(p, &t));
}

/*
 * paragon_visible tells whether a target or anything beneath it is visible;
 * paragon_visible_uuid is paragon_visible for a uuid credential.
 */
TEXT_AND_UUID_FORMS(paragon_visible, paragon_visible_uuid, visible_common)

/* perms_array builds a text[] of the permissions in a set, in documented order. */
static ArrayType *
perms_array(uint16_t perms)
{
	Datum		elems[PP_PERM_COUNT];
	int			n = 0;
	int			i;

	for (i = 0; i < PP_PERM_COUNT; i++)
		if (perms & (1u << i))
			elems[n++] = CStringGetTextDatum(pp_perm_name(i));
	return construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
}

/* paragon_permissions lists the permissions granted at a target. */
PG_FUNCTION_INFO_V1(paragon_permissions);
Datum
paragon_permissions(PG_FUNCTION_ARGS)
{
	const pp_policy *p = claims_policy(fcinfo);
	pp_target	t;
	pp_decision d;

	if (p == NULL)
		PG_RETURN_ARRAYTYPE_P(perms_array(0));
	paragon_target_args(fcinfo, 1, false, &t);
	pp_decide(p, &t, &d);
	PG_RETURN_ARRAYTYPE_P(perms_array(d.perms));
}

/* append_perms writes a JSON array of permission names. */
static void
append_perms(StringInfo buf, uint16_t perms)
{
	bool		first = true;
	int			i;

	appendStringInfoChar(buf, '[');
	for (i = 0; i < PP_PERM_COUNT; i++)
		if (perms & (1u << i))
		{
			if (!first)
				appendStringInfoString(buf, ", ");
			escape_json(buf, pp_perm_name(i));
			first = false;
		}
	appendStringInfoChar(buf, ']');
}

/*
 * paragon_explain says what the claims decide at a target and why: the
 * answer, the container visibility, the effective value, the deciding
 * rule as its path of keys, and the reason.
 */
PG_FUNCTION_INFO_V1(paragon_explain);
Datum
paragon_explain(PG_FUNCTION_ARGS)
{
	int			perm = paragon_permission_arg(fcinfo, 1);
	const pp_policy *p = claims_policy(fcinfo);
	StringInfoData buf;
	pp_target	t;
	pp_decision d;
	bool		allowed;
	bool		visible;
	const char *reason;

	paragon_target_args(fcinfo, 2, false, &t);
	if (p == NULL)
	{
		d.kind = PP_VALUE_DENY;
		d.perms = 0;
		d.rule = -1;
		visible = false;
		reason = "no claims";
	}
	else
	{
		pp_decide(p, &t, &d);
		visible = pp_visible(p, &t);
		reason = d.reason == PP_REASON_RULE ? "matched rule" :
			d.reason == PP_REASON_UNRESTRICTED ? "no permissions claim" : "default deny";
	}
	allowed = perm < 0 ? d.kind != PP_VALUE_DENY : ((d.perms >> perm) & 1) != 0;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"allowed\": %s, \"visible\": %s, \"value\": ",
					 allowed ? "true" : "false", visible ? "true" : "false");
	if (d.kind == PP_VALUE_LIST)
	{
		/* the listed permissions, implied ones included */
		append_perms(&buf, d.perms);
	}
	else
		appendStringInfoString(&buf, d.kind == PP_VALUE_ALLOW ? "true" : "false");
	appendStringInfoString(&buf, ", \"permissions\": ");
	append_perms(&buf, d.perms);
	appendStringInfoString(&buf, ", \"rule\": ");
	if (d.rule >= 0)
	{
		const char *keys[PP_MAX_DEPTH];
		size_t		lens[PP_MAX_DEPTH];
		int			n = pp_rule_path(p, d.rule, keys, lens);
		int			i;

		appendStringInfoChar(&buf, '[');
		for (i = 0; i < n; i++)
		{
			if (i > 0)
				appendStringInfoString(&buf, ", ");
			escape_json(&buf, keys[i]);
		}
		appendStringInfoChar(&buf, ']');
	}
	else
		appendStringInfoString(&buf, "null");
	appendStringInfo(&buf, ", \"reason\": \"%s\"}", reason);

	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

/*
 * claims_check_context makes the memory context that one check of a claims
 * document compiles into (the caller deletes it) and its allocator.
 */
static MemoryContext
claims_check_context(pp_allocator *alloc)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "paragon_perm claims check",
											  ALLOCSET_DEFAULT_SIZES);

	*alloc = paragon_allocator(cxt);
	return cxt;
}

/* paragon_claims_errors returns every problem of a claims document, each with its JSON path. */
PG_FUNCTION_INFO_V1(paragon_claims_errors);
Datum
paragon_claims_errors(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Jsonb	   *claims = PG_GETARG_JSONB_P(0);
	pp_allocator alloc;
	MemoryContext cxt = claims_check_context(&alloc);
	pp_builder *b;
	const pp_error *e;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	b = paragon_walk_jsonb(claims, &alloc, true);
	for (e = pp_builder_errors(b); e != NULL; e = e->next)
	{
		Datum		value;
		bool		isnull = false;
		char	   *line = psprintf("%s: %s", e->path, e->message);

		value = CStringGetTextDatum(line);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
	}
	MemoryContextDelete(cxt);
	return (Datum) 0;
}

/* paragon_claims_valid tells whether a claims document compiles. */
PG_FUNCTION_INFO_V1(paragon_claims_valid);
Datum
paragon_claims_valid(PG_FUNCTION_ARGS)
{
	Jsonb	   *claims = PG_GETARG_JSONB_P(0);
	pp_allocator alloc;
	MemoryContext cxt = claims_check_context(&alloc);
	pp_builder *b;
	bool		valid;

	if (VARSIZE(claims) > PP_MAX_CLAIMS_BYTES)
		PG_RETURN_BOOL(false);
	b = paragon_walk_jsonb(claims, &alloc, false);
	valid = pp_builder_errors(b) == NULL;
	MemoryContextDelete(cxt);
	PG_RETURN_BOOL(valid);
}
