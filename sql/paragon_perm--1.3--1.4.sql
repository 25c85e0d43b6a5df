/* sql/paragon_perm--1.3--1.4.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION paragon_perm UPDATE TO '1.4'" to load this file. \quit

-- Release 1.4.  Every object named here is schema-qualified, so that a
-- hostile search_path cannot change what this script means.

-- The backend's caches behind token verification (parsed keys, verified
-- tokens): their counters, for monitoring and tests.
CREATE FUNCTION @extschema@.paragon_token_cache_stats()
RETURNS pg_catalog.jsonb
AS 'MODULE_PATHNAME', 'paragon_token_cache_stats'
LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.paragon_token_cache_stats() IS
'Counters of this backend''s caches of verified tokens and parsed keys, as jsonb: entries, bytes, hits, misses, evictions, max_entries, max_bytes, keys.';
