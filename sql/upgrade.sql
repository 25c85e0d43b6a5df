--
-- upgrade: install the first release and upgrade through every later one
--
-- (earlier tests of the suite created it; run alone, there is none)
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS paragon_perm;
RESET client_min_messages;
CREATE EXTENSION paragon_perm VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'paragon_perm';
-- what 1.0 provides
SELECT p.oid::regprocedure::text AS function
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'paragon_perm'
ORDER BY 1;
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:slack": true}}', 'events', 'slack', NULL, NULL) AS works_in_1_0;

ALTER EXTENSION paragon_perm UPDATE TO '1.1';
SELECT extversion FROM pg_extension WHERE extname = 'paragon_perm';
-- what 1.1 adds
SELECT p.oid::regprocedure::text AS function
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'paragon_perm'
ORDER BY 1;
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:slack": true}}', 'events', 'slack', NULL, NULL) AS still_works;
SELECT paragon_allowed('events', 'slack') AS short_form_no_claims;

ALTER EXTENSION paragon_perm UPDATE TO '1.2';
SELECT extversion FROM pg_extension WHERE extname = 'paragon_perm';
-- what 1.2 adds: planner support for every function with explicit claims
SELECT p.oid::regprocedure::text AS function, p.prosupport::regproc::text AS support
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'paragon_perm'
WHERE p.prosupport <> 0 OR p.proname = 'paragon_claims_support'
ORDER BY 1;
SELECT count(*) AS a_rows
FROM (VALUES ('slack'), ('hubspot'), ('slack')) v(integration)
WHERE paragon_allowed((SELECT '{"urn:useparagon:connect:permissions": {"integration:slack": true}}'::jsonb), 'events', integration, NULL, NULL);

ALTER EXTENSION paragon_perm UPDATE TO '1.3';
SELECT extversion FROM pg_extension WHERE extname = 'paragon_perm';
-- 1.3 changes the library only: the same functions as 1.2
SELECT count(*) AS functions
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'paragon_perm';

ALTER EXTENSION paragon_perm UPDATE TO '1.4';
SELECT extversion FROM pg_extension WHERE extname = 'paragon_perm';
-- 1.4: paragon_set_token sets the token for the transaction by default
SELECT pg_get_expr(proargdefaults, 0) AS set_token_defaults FROM pg_proc WHERE proname = 'paragon_set_token';

-- an upgraded install matches a fresh one
CREATE TEMP TABLE upgraded AS
SELECT p.oid::regprocedure::text AS function, p.prosupport::regproc::text AS support, p.provolatile, p.proparallel
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'paragon_perm';
DROP EXTENSION paragon_perm;
CREATE EXTENSION paragon_perm;
SELECT extversion FROM pg_extension WHERE extname = 'paragon_perm';
SELECT count(*) AS functions
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'paragon_perm';
(SELECT * FROM upgraded
 EXCEPT
 SELECT p.oid::regprocedure::text, p.prosupport::regproc::text, p.provolatile, p.proparallel
 FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
 JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'paragon_perm')
UNION ALL
(SELECT p.oid::regprocedure::text, p.prosupport::regproc::text, p.provolatile, p.proparallel
 FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
 JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'paragon_perm'
 EXCEPT
 SELECT * FROM upgraded);
DROP TABLE upgraded;
-- the install scripts schema-qualify: a hostile search_path changes nothing
CREATE SCHEMA regress_hostile;
CREATE FUNCTION regress_hostile.now() RETURNS timestamptz LANGUAGE sql AS 'SELECT ''2000-01-01''::timestamptz';
SET search_path = regress_hostile, public;
DROP EXTENSION paragon_perm;
CREATE EXTENSION paragon_perm SCHEMA public VERSION '1.0';
ALTER EXTENSION paragon_perm UPDATE TO '1.1';
ALTER EXTENSION paragon_perm UPDATE TO '1.2';
ALTER EXTENSION paragon_perm UPDATE TO '1.3';
ALTER EXTENSION paragon_perm UPDATE TO '1.4';
SELECT pg_get_expr(proargdefaults, 0) AS verify_token_defaults FROM pg_proc WHERE proname = 'paragon_verify_token';
RESET search_path;
DROP SCHEMA regress_hostile CASCADE;
-- built-in help: every function of the extension has a description
SELECT p.oid::regprocedure AS undocumented
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'paragon_perm'
WHERE pg_catalog.obj_description(p.oid, 'pg_proc') IS NULL
ORDER BY 1;
SELECT count(*) AS documented
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'paragon_perm'
WHERE pg_catalog.obj_description(p.oid, 'pg_proc') IS NOT NULL;
