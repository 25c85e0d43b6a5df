/* sql/paragon_perm--1.3--1.4.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION paragon_perm UPDATE TO '1.4'" to load this file. \quit

-- Release 1.4.  Every object named here is schema-qualified, so that a
-- hostile search_path cannot change what this script means.

-- Built-in help: every function says what it does in \df+ and
-- obj_description().  Functions added by later sections carry theirs.
COMMENT ON FUNCTION @extschema@.paragon_allowed(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
	'Does the token (claims) grant permission at the target (integration, credential, configuration External ID)?  NULL permission asks whether the point is visible; NULL claims give false.';
COMMENT ON FUNCTION @extschema@.paragon_allowed(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.uuid, pg_catalog.text) IS
	'Does the token (claims) grant permission at the target?  The variant for a uuid credential column.';
COMMENT ON FUNCTION @extschema@.paragon_visible(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
	'Is the target, or any member beneath it, visible to the token (claims)?';
COMMENT ON FUNCTION @extschema@.paragon_visible(pg_catalog.jsonb, pg_catalog.text, pg_catalog.uuid, pg_catalog.text) IS
	'Is the target, or any member beneath it, visible to the token (claims)?  The variant for a uuid credential column.';
COMMENT ON FUNCTION @extschema@.paragon_permissions(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
	'The permissions the token (claims) grants at the target, implied ones included.';
COMMENT ON FUNCTION @extschema@.paragon_explain(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
	'Why a check answers as it does: the answer, the effective value, the deciding rule and the reason, as jsonb.';
COMMENT ON FUNCTION @extschema@.paragon_claims_errors(pg_catalog.jsonb) IS
	'Every problem in a claims document, one row each, naming its JSON path; no rows when the claims are valid.';
COMMENT ON FUNCTION @extschema@.paragon_claims_valid(pg_catalog.jsonb) IS
	'Do the claims compile?  Usable in a CHECK constraint.';
COMMENT ON FUNCTION @extschema@.paragon_verify_jws(pg_catalog.text, pg_catalog.text, pg_catalog.text[]) IS
	'The payload bytes of a compact JWS whose signature verifies under key with one of the allowed algorithms; an error otherwise.';
COMMENT ON FUNCTION @extschema@.paragon_verify_token(pg_catalog.text, pg_catalog.text, pg_catalog.text[], pg_catalog.text, pg_catalog.interval, pg_catalog.timestamptz, pg_catalog.bool) IS
	'The claims of a verified JWT as jsonb, exactly as signed, judged at the instant "at"; an error when the signature, exp, nbf, iat or aud check fails.';
COMMENT ON FUNCTION @extschema@.paragon_allowed(pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
	'Session form of paragon_allowed: checks the session''s claims (see paragon_current_claims), for row-level security policies.';
COMMENT ON FUNCTION @extschema@.paragon_allowed(pg_catalog.text, pg_catalog.text, pg_catalog.uuid, pg_catalog.text) IS
	'Session form of paragon_allowed for a uuid credential column.';
COMMENT ON FUNCTION @extschema@.paragon_visible(pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
	'Session form of paragon_visible: checks the session''s claims, for row-level security policies.';
COMMENT ON FUNCTION @extschema@.paragon_visible(pg_catalog.text, pg_catalog.uuid, pg_catalog.text) IS
	'Session form of paragon_visible for a uuid credential column.';
COMMENT ON FUNCTION @extschema@.paragon_claims_support(pg_catalog.internal) IS
	'Planner support for the checks: lets a call whose claims cannot change during one execution recognise its compiled claims by address.';

-- Session tokens.  The token now lives in the user-settable setting
-- paragon.token (BEGIN; SET LOCAL paragon.token = '<compact JWS>'; ...),
-- verified where the claims are read.  paragon_set_token is
-- set_config('paragon.token', token, is_local) plus that verification at
-- once, and is_local now defaults to true: a token set for the session
-- outlives its transaction and is refused unless a superuser sets
-- paragon.token_lifetime = 'session'.  Same C symbol, new default.
CREATE OR REPLACE FUNCTION @extschema@.paragon_set_token(
	token pg_catalog.text,
	is_local pg_catalog.bool DEFAULT true)
RETURNS pg_catalog.void
AS 'MODULE_PATHNAME', 'paragon_set_token'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION @extschema@.paragon_set_token(pg_catalog.text, pg_catalog.bool) IS
'Sets paragon.token (for the transaction unless is_local is false) and verifies it at once with the superuser''s key; NULL clears it';
COMMENT ON FUNCTION @extschema@.paragon_clear_token() IS
'Empties paragon.token for the session: the first call of a request where paragon.token_lifetime is session';
COMMENT ON FUNCTION @extschema@.paragon_current_claims() IS
'The session''s claims: paragon.token verified with the superuser''s settings, or the setting named by paragon.claims_setting; NULL when there are none';

-- paragon_current_claims() gets the planner support function of the
-- short forms (it changes nothing in a call without arguments): planning
-- a query that reads the claims then loads the library, so the leader of
-- a parallel query records its verdict on paragon.token before it
-- launches workers.
ALTER FUNCTION @extschema@.paragon_current_claims()
	SUPPORT @extschema@.paragon_claims_support;
