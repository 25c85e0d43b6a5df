--
-- store: the backend's store of compiled policies
--
-- A statement that checks claims compiled by an earlier statement does not
-- compile them again; a policy stays while any call site holds it, and at
-- most 16 that none holds stay idle.  Each compiled policy has its own
-- memory context, "paragon_perm policy", under "paragon_perm policy
-- store": counting those contexts shows what the store holds.
--
-- IF NOT EXISTS: earlier tests of the suite may have created it already.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;

-- A context's parent is the column "parent" up to PostgreSQL 17; from 18
-- on, "path" lists the ids from the top context down to the context
-- itself, so the parent's path is the context's without its last element.
-- to_jsonb reads whichever column the server has.
CREATE VIEW store_policies AS
WITH m AS MATERIALIZED (SELECT to_jsonb(c) AS j FROM pg_backend_memory_contexts c)
SELECT count(*) AS policies
  FROM m
 WHERE j->>'name' = 'paragon_perm policy'
   AND (j->>'parent' = 'paragon_perm policy store'
        OR (j->'path') - -1 IN (SELECT s.j->'path' FROM m s
                                 WHERE s.j->>'name' = 'paragon_perm policy store'));

\set a '{"urn:useparagon:connect:permissions": {"integration:salesforce": true}}'
\set b '{"urn:useparagon:connect:permissions": {"integration:hubspot": ["proxy-api"]}}'

-- nothing compiled yet in this session
SELECT * FROM store_policies;

-- a first statement compiles; the policy stays once the statement is over
SELECT paragon_allowed(:'a'::jsonb, 'proxy-api', 'salesforce', NULL::text, NULL);
SELECT * FROM store_policies;

-- the same claims in another statement and in other forms: no new policy
SELECT paragon_allowed(:'a'::jsonb, 'proxy-api', i, NULL::text, NULL)
  FROM (VALUES ('salesforce'), ('hubspot')) v(i);
PREPARE q(jsonb) AS SELECT paragon_allowed($1, 'events', 'salesforce', NULL::text, NULL);
EXECUTE q(:'a');
SELECT paragon_visible((SELECT :'a'::jsonb), 'salesforce', NULL::text, NULL);
SELECT * FROM store_policies;

-- equal claims written differently are equal jsonb, hence the same policy
SELECT paragon_allowed('{"urn:useparagon:connect:permissions":
                         {"integration:salesforce": true}}'::jsonb,
                       'proxy-api', 'salesforce', NULL::text, NULL);
SELECT * FROM store_policies;

-- invalid claims raise their error and leave nothing in the store
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"bogus:x": true}}'::jsonb,
                       'proxy-api', 'salesforce', NULL::text, NULL);
SELECT * FROM store_policies;

-- 40 distinct claims in one statement: at most 16 stay idle afterwards
SELECT count(*) FILTER (WHERE paragon_allowed(
         ('{"urn:useparagon:connect:permissions": {"integration:i' || g || '": true}}')::jsonb,
         'proxy-api', 'i' || g, NULL::text, NULL)) AS allowed
  FROM generate_series(1, 40) g;
SELECT * FROM store_policies;

-- a policy a cursor holds outlives the eviction of every idle one
BEGIN;
DECLARE c CURSOR FOR
  SELECT i, paragon_allowed(:'b'::jsonb, 'proxy-api', i, NULL::text, NULL)
    FROM (VALUES ('hubspot'), ('salesforce'), ('hubspot'), ('slack')) v(i);
FETCH 2 FROM c;
SELECT count(*) FILTER (WHERE paragon_allowed(
         ('{"urn:useparagon:connect:permissions": {"integration:j' || g || '": true}}')::jsonb,
         'proxy-api', 'j' || g, NULL::text, NULL)) AS allowed
  FROM generate_series(1, 40) g;
-- 16 idle, and the cursor's
SELECT * FROM store_policies;
FETCH 2 FROM c;
CLOSE c;
-- the cursor's policy is idle now, and the oldest idle one was freed
SELECT * FROM store_policies;
COMMIT;

-- an aborted transaction releases what its statements held
BEGIN;
DECLARE d CURSOR FOR
  SELECT i, paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:z": true}}'::jsonb,
                            'proxy-api', i, NULL::text, NULL)
    FROM (VALUES ('z'), ('y'), ('z')) v(i);
FETCH 1 FROM d;
-- 16 idle, and the cursor's
SELECT * FROM store_policies;
ROLLBACK;
SELECT * FROM store_policies;

-- a policy larger than the idle bound (16 MB) is freed when released,
-- and frees no other: 90,000 rules compile to more than that
SELECT paragon_allowed(:'a'::jsonb, 'proxy-api', 'salesforce', NULL::text, NULL);
SELECT * FROM store_policies;
SELECT paragon_allowed((SELECT jsonb_build_object('urn:useparagon:connect:permissions',
                                                  jsonb_object_agg('integration:big' || g, true))
                          FROM generate_series(1, 90000) g),
                       'proxy-api', 'big7', NULL::text, NULL);
SELECT * FROM store_policies;

DEALLOCATE q;
DROP VIEW store_policies;
