/* sql/paragon_perm--1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION paragon_perm" to load this file. \quit

-- Every function is a pure function of its arguments: IMMUTABLE and
-- PARALLEL SAFE.  The checks are not STRICT because NULL arguments carry
-- meaning (NULL claims: no token, so false; NULL members: unspecified).
--
-- paragon_allowed and paragon_visible take every argument, with no
-- defaults, on purpose: release 1.1 adds short forms of both that read
-- the session's claims and take one argument fewer, and keeping the
-- argument counts apart means a call can never silently resolve to the
-- other form (an untyped NULL or string literal would prefer text).

-- Does the token grant permission (NULL: is the point visible) at the target?
CREATE FUNCTION @extschema@.paragon_allowed(
	claims pg_catalog.jsonb,
	permission pg_catalog.text,
	integration pg_catalog.text,
	credential pg_catalog.text,
	config_ext_id pg_catalog.text)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_allowed'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.paragon_allowed(
	claims pg_catalog.jsonb,
	permission pg_catalog.text,
	integration pg_catalog.text,
	credential pg_catalog.uuid,
	config_ext_id pg_catalog.text)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_allowed_uuid'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Is the target, or anything beneath it, visible to the token?
CREATE FUNCTION @extschema@.paragon_visible(
	claims pg_catalog.jsonb,
	integration pg_catalog.text,
	credential pg_catalog.text,
	config_ext_id pg_catalog.text)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_visible'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.paragon_visible(
	claims pg_catalog.jsonb,
	integration pg_catalog.text,
	credential pg_catalog.uuid,
	config_ext_id pg_catalog.text)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_visible_uuid'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The permissions granted at the target, implied ones included.
CREATE FUNCTION @extschema@.paragon_permissions(
	claims pg_catalog.jsonb,
	integration pg_catalog.text DEFAULT NULL,
	credential pg_catalog.text DEFAULT NULL,
	config_ext_id pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.text[]
AS 'MODULE_PATHNAME', 'paragon_permissions'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Why: the answer, the effective value, the deciding rule and the reason.
CREATE FUNCTION @extschema@.paragon_explain(
	claims pg_catalog.jsonb,
	permission pg_catalog.text,
	integration pg_catalog.text DEFAULT NULL,
	credential pg_catalog.text DEFAULT NULL,
	config_ext_id pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.jsonb
AS 'MODULE_PATHNAME', 'paragon_explain'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Every problem in a claims document, each naming its JSON path.
CREATE FUNCTION @extschema@.paragon_claims_errors(claims pg_catalog.jsonb)
RETURNS SETOF pg_catalog.text
AS 'MODULE_PATHNAME', 'paragon_claims_errors'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Does a claims document compile?  Usable in a CHECK constraint.
CREATE FUNCTION @extschema@.paragon_claims_valid(claims pg_catalog.jsonb)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'paragon_claims_valid'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
