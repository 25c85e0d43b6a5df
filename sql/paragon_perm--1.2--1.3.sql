/* sql/paragon_perm--1.2--1.3.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION paragon_perm UPDATE TO '1.3'" to load this file. \quit

-- Release 1.3 changes the library only: the SQL objects are those of 1.2.
-- Compiled policies now live in a store of the backend, shared by the
-- statements of a session, so that claims checked by one statement are
-- not compiled again by the next (at most 16 policies that no statement
-- holds stay there, 16 MB at most); and a check reads fewer cache lines
-- and mispredicts fewer branches.  Sessions pick up the new library when
-- they next load it: reconnect after installing it.
