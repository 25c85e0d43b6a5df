--
-- functions: the SQL API beyond the worked examples
--
-- IF NOT EXISTS: earlier tests of the suite may have created it already.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;

-- a member token used throughout
CREATE TEMP TABLE tok AS SELECT '{
  "sub": "user-1",
  "urn:useparagon:connect:permissions": {
    "integration:*": false,
    "integration:salesforce": {
      "credential:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": ["proxy-api", "settings:write"],
      "credential:*": {"configuration:ext:Team A": ["metadata:write"]}
    },
    "integration:slack": true
  }
}'::jsonb AS c;

-- labels: pure functions, parallel safe, strict only where NULL has no meaning
SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args, p.provolatile, p.proparallel, p.proisstrict
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'paragon_perm'
ORDER BY 1, 2;

-- positional NULLs and string literals resolve without ambiguity
SELECT paragon_allowed(c, 'proxy-api', 'salesforce', NULL, NULL) AS null_cred_false,
       paragon_allowed(c, 'proxy-api', 'salesforce', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', NULL) AS text_cred_true,
       paragon_allowed(c, 'proxy-api', 'salesforce', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, NULL) AS uuid_cred_true,
       paragon_visible(c, 'salesforce', NULL, NULL) AS visible_true,
       paragon_visible(c, 'salesforce', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, NULL) AS uuid_visible_true
FROM tok;

-- credential IDs compare as UUIDs when both sides are UUIDs
SELECT s AS spelling, paragon_allowed(c, 'proxy-api', 'salesforce', s, NULL) AS allowed
FROM tok, (VALUES ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'), ('{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'),
                  ('a0eebc999c0b4ef8bb6d6bb9bd380a11'), ('a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11'),
                  ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1')) v(s);
-- a UUID with white space around it is refused (22P02), never compared as
-- text: a deny written for the UUID must not be dodged by the spelling
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:*": {"credential:*": true, "credential:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": false}}}',
                       'proxy-api', 'salesforce', ' a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_visible('{"urn:useparagon:connect:permissions": {"integration:*": true}}'::jsonb, 'salesforce', E'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\n', NULL);
SELECT paragon_explain('{"urn:useparagon:connect:permissions": {"integration:*": true}}', 'events', 'salesforce', E'\ta0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 ');
-- white space around text that is not a UUID stays text
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"credential: acct-42": true}}', 'events', 's', ' acct-42', NULL) AS spaced_text_true;
-- and a credential selector with white space around a UUID is a claims error
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"credential: a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": false}}', 'events', 's', 'x', NULL);
-- ... and as exact text otherwise
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"credential:acct-42": true}}', 'events', 's', 'acct-42', NULL) AS text_id_true,
       paragon_allowed('{"urn:useparagon:connect:permissions": {"credential:acct-42": true}}', 'events', 's', 'ACCT-42', NULL) AS case_differs_false;

-- a permission that varies by row is read on every row, not once per call
-- site (only a constant one is looked up once)
SELECT p AS permission, paragon_allowed(c, p, 'salesforce', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', NULL) AS allowed
FROM tok, (VALUES (1, 'proxy-api'), (2, 'events'), (3, 'settings:read'), (4, NULL), (5, 'workflows')) v(n, p)
ORDER BY n;

-- integration names and External IDs are exact and case-sensitive
SELECT paragon_visible(c, 'Salesforce', NULL, NULL) AS case_false, paragon_visible(c, 'slack', NULL, NULL) AS slack_true FROM tok;
SELECT paragon_allowed(c, 'metadata:read', 'salesforce', gen_random_uuid()::text, 'Team A') AS implied_true,
       paragon_allowed(c, 'metadata:read', 'salesforce', gen_random_uuid()::text, 'team a') AS ext_case_false
FROM tok;
-- External IDs may hold spaces and colons
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"configuration:ext:a: b:c": ["events"]}}',
                       'events', 's', '*', 'a: b:c') AS colons_true;

-- '*' and NULLs before the last argument are the unspecified member
SELECT paragon_allowed(c, 'metadata:write', 'salesforce', '*', 'Team A') AS star_true,
       paragon_allowed(c, 'metadata:write', 'salesforce', NULL, 'Team A') AS null_true,
       paragon_allowed(c, 'metadata:write', '*', '*', 'Team A') AS star_integration_false,
       paragon_allowed(c, 'events', NULL, NULL, NULL) AS null_integration_false
FROM tok;

-- container visibility
SELECT t AS target, paragon_visible(c, t[1], t[2], t[3]) AS visible
FROM tok, (VALUES (ARRAY['salesforce', NULL, NULL]), (ARRAY['hubspot', NULL, NULL]),
                  (ARRAY['salesforce', 'b1ffcd88-8d1a-4ef8-bb6d-6bb9bd380a22', NULL]),
                  (ARRAY['salesforce', 'b1ffcd88-8d1a-4ef8-bb6d-6bb9bd380a22', 'Team B']),
                  (ARRAY['salesforce', 'b1ffcd88-8d1a-4ef8-bb6d-6bb9bd380a22', 'Team A']),
                  (ARRAY[NULL, NULL, NULL])) v(t);

-- permissions, in documented order, implied ones included
SELECT t AS target, paragon_permissions(c, t[1], t[2], t[3]) AS permissions
FROM tok, (VALUES (ARRAY['salesforce', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', NULL]),
                  (ARRAY['salesforce', '*', 'Team A']),
                  (ARRAY['slack', NULL, NULL]),
                  (ARRAY['hubspot', NULL, NULL])) v(t);
SELECT paragon_permissions('{"sub": "x"}', 'hubspot') AS unrestricted_all;

-- explain: the answer, the value, the deciding rule and the reason
SELECT paragon_explain(c, 'settings:read', 'salesforce', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11') FROM tok;
SELECT paragon_explain(c, 'proxy-api', 'salesforce') FROM tok;
SELECT paragon_explain(c, NULL, 'hubspot') FROM tok;
SELECT paragon_explain('{"urn:useparagon:connect:permissions": {}}', 'events');
SELECT paragon_explain('{"sub": "x"}', 'events', 'slack');
SELECT paragon_explain(NULL, 'events', 'slack');

-- claims_errors lists every problem; claims_valid says whether there is any
SELECT * FROM paragon_claims_errors('{"urn:useparagon:connect:permissions": {
  "integration:*": ["events", "bogus", 3],
  "Integration:x": true,
  "integration:s": {"credential:ext:1": true, "credential:*": {"configuration:x": false, "configuration:*": null}},
  "configuration:*": {"credential:*": true}
}, "credential:*": true}');
SELECT count(*) AS no_errors FROM tok, paragon_claims_errors(c);
SELECT paragon_claims_valid(c) AS valid_true, paragon_claims_valid('{"integration:*": true}') AS root_scope_false,
       paragon_claims_valid('[]') AS array_false, paragon_claims_valid(NULL) AS null_is_null FROM tok;

-- claims_valid in a CHECK constraint
CREATE TEMP TABLE tokens (name text PRIMARY KEY, claims jsonb CHECK (paragon_claims_valid(claims)));
INSERT INTO tokens VALUES ('admin', '{"sub": "admin"}');
INSERT INTO tokens VALUES ('broken', '{"urn:useparagon:connect:permissions": {"integration:*": "all"}}');

-- one call site, many claims: the cache keeps each token's answers apart
SELECT n, paragon_allowed(c, 'events', 'i' || (n % 3), NULL, NULL) AS allowed
FROM (SELECT n, jsonb_build_object('urn:useparagon:connect:permissions',
             jsonb_build_object('integration:i' || (n % 3), n % 2 = 0)) AS c
      FROM generate_series(1, 8) n) s ORDER BY n;
-- more distinct tokens than fit in one slot, revisited in another order
SELECT count(*) FILTER (WHERE paragon_allowed(c, 'events', 'i' || n, NULL, NULL) = (n % 2 = 0)) AS correct, count(*) AS total
FROM (SELECT n, jsonb_build_object('urn:useparagon:connect:permissions',
             jsonb_build_object('integration:i' || n, n % 2 = 0)) AS c
      FROM generate_series(1, 3000) n, generate_series(1, 2) r ORDER BY r, n * 7919 % 3001) s;
-- PL/pgSQL reuses one expression state while a variable changes, and a new
-- value may land where the old one was: the cache must follow the bytes
DO $$
DECLARE c jsonb; r boolean; i int;
BEGIN
  FOR i IN 0..5 LOOP
    c := '{"x": 1}';
    c := CASE WHEN i % 2 = 0 THEN '{"urn:useparagon:connect:permissions": {"integration:aaaa": true}}'::jsonb
                             ELSE '{"urn:useparagon:connect:permissions": {"integration:bbbb": true}}'::jsonb END;
    r := paragon_allowed(c, 'events', 'aaaa', NULL, NULL);
    IF r IS DISTINCT FROM (i % 2 = 0) THEN
      RAISE EXCEPTION 'stale policy at i=%: allowed=%', i, r;
    END IF;
  END LOOP;
  RAISE NOTICE 'plpgsql variable: every answer followed the claims';
END $$;

-- members stored compressed or out of line are read like any other
CREATE TABLE long_members (integ text, ext text, pad text);
ALTER TABLE long_members ALTER COLUMN ext SET STORAGE EXTERNAL, ALTER COLUMN pad SET STORAGE PLAIN;
CREATE FUNCTION noise(n int) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT left(string_agg(md5(g::text), ''), n) FROM generate_series(1, n / 32 + 1) g $$;
INSERT INTO long_members
  SELECT integ, noise(1000), noise(1500) FROM (VALUES (repeat('i', 1000)), ('short')) v(integ);
SELECT pg_relation_size(reltoastrelid) > 0 AS has_out_of_line_values
FROM pg_class WHERE relname = 'long_members';
SELECT length(integ), pg_column_compression(integ) AS integ_compressed,
       paragon_allowed(jsonb_build_object('urn:useparagon:connect:permissions',
                         jsonb_build_object('integration:' || repeat('i', 1000),
                           jsonb_build_object('credential:*',
                             jsonb_build_object('configuration:ext:' || noise(1000), true)))),
                       'events', integ, '*', ext) AS allowed
FROM long_members ORDER BY 1 DESC;
DROP TABLE long_members;
DROP FUNCTION noise(int);

-- claims stored out of line (TOAST): in one statement, each row's own
-- claims decide, not those of the row read before
CREATE TABLE toasted_claims (n int, claims jsonb);
ALTER TABLE toasted_claims ALTER COLUMN claims SET STORAGE EXTERNAL;
INSERT INTO toasted_claims
  SELECT n, jsonb_build_object('pad', repeat('x', 3000), 'urn:useparagon:connect:permissions',
                               jsonb_build_object('integration:i' || n, true))
  FROM generate_series(1, 4) n;
SELECT pg_relation_size(reltoastrelid) > 0 AS claims_out_of_line
FROM pg_class WHERE relname = 'toasted_claims';
SELECT n, paragon_allowed(claims, 'events', 'i' || n, NULL, NULL) AS own_integration,
       paragon_allowed(claims, 'events', 'i1', NULL, NULL) AS i1
FROM toasted_claims ORDER BY n;
DROP TABLE toasted_claims;
