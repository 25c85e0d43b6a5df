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
COMMENT ON FUNCTION @extschema@.paragon_set_token(pg_catalog.text, pg_catalog.bool) IS
	'Verifies a token with the superuser''s settings (paragon.public_key and friends) and makes its claims the transaction''s (is_local) or the session''s.';
COMMENT ON FUNCTION @extschema@.paragon_clear_token() IS
	'Forgets the token of the session: the session forms answer false until another token is set.';
COMMENT ON FUNCTION @extschema@.paragon_current_claims() IS
	'The claims of the session, from the source paragon.claims_source names; NULL when there are none or the token expired.';
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
