/* sql/paragon_perm--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION paragon_perm UPDATE TO '1.1'" to load this file. \quit

-- Token verification

-- Payload bytes of a compact JWS whose signature verifies under key with
-- one of the allowed algorithms; an error otherwise.  A pure function of
-- its arguments, so IMMUTABLE; STRICT since no argument may be NULL.
CREATE FUNCTION @extschema@.paragon_verify_jws(
	token pg_catalog.text,
	key pg_catalog.text,
	algorithms pg_catalog.text[] DEFAULT '{RS256}')
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'paragon_verify_jws'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Claims of a verified JWT as jsonb, exactly as signed; an error when the
-- signature, exp, nbf, iat or aud check fails.  The instant of judgement
-- is the argument "at", so the function is pure, but it is labelled
-- STABLE, the safe choice: its default now() makes it read as
-- time-dependent, and IMMUTABLE would let the planner fold a call with
-- a constant token into a plan cached past the token's expiry.  Not
-- STRICT: audience may be NULL (no audience check); any other NULL
-- argument gives NULL.
CREATE FUNCTION @extschema@.paragon_verify_token(
	token pg_catalog.text,
	key pg_catalog.text,
	algorithms pg_catalog.text[] DEFAULT '{RS256}',
	audience pg_catalog.text DEFAULT NULL,
	leeway pg_catalog.interval DEFAULT '30 seconds',
	at pg_catalog.timestamptz DEFAULT pg_catalog.now(),
	require_exp pg_catalog.bool DEFAULT true)
RETURNS pg_catalog.jsonb
AS 'MODULE_PATHNAME', 'paragon_verify_token'
LANGUAGE C STABLE PARALLEL SAFE;
