--
-- errors: every class of invalid claims, with its message, path and hint
--
-- IF NOT EXISTS: earlier tests of the suite may have created it already.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;
\set VERBOSITY default

-- claims that are not an object
SELECT paragon_allowed('[]', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('"x"', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('42', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('null', 'events', NULL, NULL, NULL);
-- a permissions claim of the wrong type
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": null}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": true}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": 1}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": ["integration:*"]}', 'events', NULL, NULL, NULL);
-- a permissions claim string that is not JSON, or not an object
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": "{\"integration:*\": "}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": "[1]"}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": "\"{}\""}', 'events', NULL, NULL, NULL);
-- duplicate members in a string claim are refused, not resolved
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": "{\"integration:*\": false, \"integration:*\": true}"}', 'events', NULL, NULL, NULL);
-- scopes at the root of the claims
SELECT paragon_allowed('{"sub": "u1", "credential:*": true}', 'events', NULL, NULL, NULL);
-- unrecognized scopes: other prefixes, case, empty selectors, other forms
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"Integration:*": true}}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"connector:*": true}}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:": true}}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"credential:": true}}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"configuration:ext:": true}}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"configuration:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": true}}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"credential:ext:abc": false}}', 'events', NULL, NULL, NULL);
-- nesting must go deeper
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"credential:*": {"integration:s": true}}}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"configuration:*": {"configuration:ext:a": true}}}', 'events', NULL, NULL, NULL);
-- two spellings of one UUID in one object
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"credential:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": true, "credential:{A0EEBC999C0B4EF8BB6D6BB9BD380A11}": false}}', 'events', NULL, NULL, NULL);
-- values of the wrong type
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:*": null}}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:*": 1}}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:*": "true"}}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:*": ["events", 1]}}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:*": [["events"]]}}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:*": ["events", "bogus"]}}', 'events', NULL, NULL, NULL);
-- a key path with quotes is escaped in the detail
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:say \"hi\"": {"credential:*": 3}}}', 'events', NULL, NULL, NULL);
-- unknown permission argument, with and without claims
SELECT paragon_allowed('{}', 'Events', NULL, NULL, NULL);
SELECT paragon_explain(NULL, 'proxy_api');
-- an error never leaves a partial policy behind: the same call site keeps failing
SELECT paragon_allowed(c, 'events', NULL, NULL, NULL) FROM (VALUES
	('{"urn:useparagon:connect:permissions": {"integration:*": true}}'::jsonb),
	('{"urn:useparagon:connect:permissions": {"integration:*": "yes"}}'::jsonb)) v(c);

-- SQLSTATEs
\set VERBOSITY sqlstate
SELECT paragon_allowed('[]', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": "{"}', 'events', NULL, NULL, NULL);
SELECT paragon_allowed('{}', 'bogus', NULL, NULL, NULL);
SELECT paragon_allowed(jsonb_build_object('urn:useparagon:connect:permissions',
	jsonb_build_object('integration:' || repeat('x', 1100), true)), 'events', NULL, NULL, NULL);
\set VERBOSITY default

-- claims beyond the 16 MB limit: an error for a check, false for
-- paragon_claims_valid (never an error: it answers whether claims compile)
CREATE TEMP TABLE huge_claims AS
  SELECT jsonb_build_object('pad', repeat('x', 16 * 1024 * 1024),
                            'urn:useparagon:connect:permissions', '{"integration:*": true}'::jsonb) AS c;
SELECT paragon_claims_valid(c) AS over_limit_valid FROM huge_claims;
SELECT paragon_allowed(c, 'events', 's', NULL::text, NULL) FROM huge_claims;
DROP TABLE huge_claims;
