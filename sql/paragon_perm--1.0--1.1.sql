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

-- Session claims

-- Verify a token with the superuser's settings (paragon.public_key,
-- paragon.algorithms, paragon.audience, paragon.leeway) and make its
-- claims the session's, or the transaction's with is_local.  Not STRICT:
-- a NULL token (a request without one) clears the claims instead of
-- leaving the previous request's in place.
CREATE FUNCTION @extschema@.paragon_set_token(
	token pg_catalog.text,
	is_local pg_catalog.bool DEFAULT false)
RETURNS pg_catalog.void
AS 'MODULE_PATHNAME', 'paragon_set_token'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

-- Forget the session's verified claims.
CREATE FUNCTION @extschema@.paragon_clear_token()
RETURNS pg_catalog.void
AS 'MODULE_PATHNAME', 'paragon_clear_token'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

-- The session's claims (per paragon.claims_source), or NULL when there
-- are none or the verified token expired before the statement began.
CREATE FUNCTION @extschema@.paragon_current_claims()
RETURNS pg_catalog.jsonb
AS 'MODULE_PATHNAME', 'paragon_current_claims'
LANGUAGE C STABLE PARALLEL SAFE;

-- Short forms for policies: the checks against paragon_current_claims(),
-- compiled once per change of the claims.  STABLE: they read settings.
-- PARALLEL SAFE: workers receive the claims with the leader's settings.
-- One argument fewer than the explicit forms, which take no defaults, so
-- the two never compete for a call.
CREATE FUNCTION @extschema@.paragon_allowed(
	permission pg_catalog.text,
	integration pg_catalog.text DEFAULT NULL,
	credential pg_catalog.text DEFAULT NULL,
	config_ext_id pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_session_allowed'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.paragon_allowed(
	permission pg_catalog.text,
	integration pg_catalog.text,
	credential pg_catalog.uuid,
	config_ext_id pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_session_allowed_uuid'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.paragon_visible(
	integration pg_catalog.text DEFAULT NULL,
	credential pg_catalog.text DEFAULT NULL,
	config_ext_id pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_session_visible'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.paragon_visible(
	integration pg_catalog.text,
	credential pg_catalog.uuid,
	config_ext_id pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_session_visible_uuid'
LANGUAGE C STABLE PARALLEL SAFE;
