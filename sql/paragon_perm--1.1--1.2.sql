/* sql/paragon_perm--1.1--1.2.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION paragon_perm UPDATE TO '1.2'" to load this file. \quit

-- Planner support for the functions that take explicit claims.  It marks
-- a call whose claims argument cannot change during one execution of the
-- query: an uncorrelated scalar subquery such as
-- (SELECT current_setting('request.jwt.claims', true)::jsonb), or a
-- parameter of a query that reads a table.  The compiled claims of such
-- a call are then recognised by address on every row instead of by
-- comparing their bytes, so the cost per row no longer grows with the
-- size of the token.  Answers are unchanged.
CREATE FUNCTION @extschema@.paragon_claims_support(pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'paragon_claims_support'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

ALTER FUNCTION @extschema@.paragon_allowed(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text)
	SUPPORT @extschema@.paragon_claims_support;
ALTER FUNCTION @extschema@.paragon_allowed(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.uuid, pg_catalog.text)
	SUPPORT @extschema@.paragon_claims_support;
ALTER FUNCTION @extschema@.paragon_visible(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.text)
	SUPPORT @extschema@.paragon_claims_support;
ALTER FUNCTION @extschema@.paragon_visible(pg_catalog.jsonb, pg_catalog.text, pg_catalog.uuid, pg_catalog.text)
	SUPPORT @extschema@.paragon_claims_support;
ALTER FUNCTION @extschema@.paragon_permissions(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.text)
	SUPPORT @extschema@.paragon_claims_support;
ALTER FUNCTION @extschema@.paragon_explain(pg_catalog.jsonb, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text)
	SUPPORT @extschema@.paragon_claims_support;

-- The session short forms get the same support function.  It marks a call
-- that sits in a query run by a fresh executor each time (one that reads a
-- table, or a subquery), as opposed to a PL/pgSQL simple expression; with
-- claims from a setting, such a call reads the setting once per execution
-- instead of looking it up and comparing its text on every row.
ALTER FUNCTION @extschema@.paragon_allowed(pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text)
	SUPPORT @extschema@.paragon_claims_support;
ALTER FUNCTION @extschema@.paragon_allowed(pg_catalog.text, pg_catalog.text, pg_catalog.uuid, pg_catalog.text)
	SUPPORT @extschema@.paragon_claims_support;
ALTER FUNCTION @extschema@.paragon_visible(pg_catalog.text, pg_catalog.text, pg_catalog.text)
	SUPPORT @extschema@.paragon_claims_support;
ALTER FUNCTION @extschema@.paragon_visible(pg_catalog.text, pg_catalog.uuid, pg_catalog.text)
	SUPPORT @extschema@.paragon_claims_support;
