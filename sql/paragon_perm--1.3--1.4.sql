/* sql/paragon_perm--1.3--1.4.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION paragon_perm UPDATE TO '1.4'" to load this file. \quit

-- Release 1.4.  Every object named here is schema-qualified, so that a
-- hostile search_path cannot change what this script means.

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
