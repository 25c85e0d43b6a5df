/* sql/paragon_perm--1.3--1.4.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION paragon_perm UPDATE TO '1.4'" to load this file. \quit

-- Release 1.4.  Every object named here is schema-qualified, so that a
-- hostile search_path cannot change what this script means.
