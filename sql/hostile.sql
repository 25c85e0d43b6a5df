--
-- hostile: malformed and hostile claims documents and tokens
--
-- Every document below must be refused: paragon_claims_valid is false,
-- paragon_claims_errors names each problem with its JSON path, and every
-- check (paragon_allowed, paragon_visible, paragon_permissions) raises
-- its documented error; none may return a value, least of all true.
-- Each row prints the SQLSTATE and message of the check's error and the
-- first error lines (cut to 150 characters: some paths hold 100 kB keys).
--
-- IF NOT EXISTS: earlier tests of the suite may have created it already.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;
SET timezone = 'UTC';
-- the RSA 2048 public key, read from test/fixtures/keys (pg_regress runs
-- psql in a directory that holds test/fixtures)
\set rsa2048_public `cat test/fixtures/keys/rsa2048-public.pem`

-- hostile_check runs every function on one document and reports.
CREATE FUNCTION hostile_check(doc jsonb, OUT valid bool, OUT check_error text,
							  OUT errors text)
LANGUAGE plpgsql AS $$
DECLARE
	results text[] := '{}';
	r text;
BEGIN
	valid := paragon_claims_valid(doc);
	SELECT string_agg(left(e, 150), ' | ') INTO errors
	  FROM (SELECT e FROM paragon_claims_errors(doc) e LIMIT 3) s;
	-- each check must raise; record SQLSTATE and message, or what it returned
	BEGIN
		r := 'allowed returned ' || coalesce(paragon_allowed(doc, 'events', 's', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::text, 'x')::text, 'NULL');
	EXCEPTION WHEN OTHERS THEN
		r := SQLSTATE || ': ' || left(SQLERRM, 150);
	END;
	results := results || r;
	BEGIN
		r := 'allowed(NULL) returned ' || coalesce(paragon_allowed(doc, NULL, NULL, NULL, NULL)::text, 'NULL');
	EXCEPTION WHEN OTHERS THEN
		r := SQLSTATE || ': ' || left(SQLERRM, 150);
	END;
	results := results || r;
	BEGIN
		r := 'visible returned ' || coalesce(paragon_visible(doc, 's', NULL::text, NULL)::text, 'NULL');
	EXCEPTION WHEN OTHERS THEN
		r := SQLSTATE || ': ' || left(SQLERRM, 150);
	END;
	results := results || r;
	BEGIN
		r := 'permissions returned ' || coalesce(paragon_permissions(doc, 's', 'c', 'x')::text, 'NULL');
	EXCEPTION WHEN OTHERS THEN
		r := SQLSTATE || ': ' || left(SQLERRM, 150);
	END;
	results := results || r;
	-- the four checks must agree on the error
	IF (SELECT count(DISTINCT x) FROM unnest(results) x) = 1 THEN
		check_error := results[1];
	ELSE
		check_error := array_to_string(results, ' / ');
	END IF;
END
$$;

CREATE TEMP TABLE hostile_docs (id serial PRIMARY KEY, label text NOT NULL, doc jsonb NOT NULL);
INSERT INTO hostile_docs (label, doc) VALUES
('claims array', '[]'),
('claims string', '"x"'),
('claims number', '1'),
('claims null', 'null'),
('claims true', 'true'),
('claims false', 'false'),
('claims array of object', '[{"urn:useparagon:connect:permissions": {"integration:*": true}}]'),
('P null', '{"urn:useparagon:connect:permissions": null}'),
('P true', '{"urn:useparagon:connect:permissions": true}'),
('P false', '{"urn:useparagon:connect:permissions": false}'),
('P zero', '{"urn:useparagon:connect:permissions": 0}'),
('P negative float', '{"urn:useparagon:connect:permissions": -1.5}'),
('P huge number', '{"urn:useparagon:connect:permissions": 1e308}'),
('P empty array', '{"urn:useparagon:connect:permissions": []}'),
('P array of object', '{"urn:useparagon:connect:permissions": [{"integration:*": true}]}'),
('P array of string', '{"urn:useparagon:connect:permissions": ["integration:*"]}'),
('P string: unclosed object', '{"urn:useparagon:connect:permissions": "{"}'),
('P string: empty', '{"urn:useparagon:connect:permissions": ""}'),
('P string: blank', '{"urn:useparagon:connect:permissions": "   "}'),
('P string: missing value', '{"urn:useparagon:connect:permissions": "{\"integration:*\": }"}'),
('P string: bare word', '{"urn:useparagon:connect:permissions": "nul"}'),
('P string: duplicate key', '{"urn:useparagon:connect:permissions": "{\"integration:*\": true, \"integration:*\": false}"}'),
('P string: array', '{"urn:useparagon:connect:permissions": "[]"}'),
('P string: nested string', '{"urn:useparagon:connect:permissions": "\"{}\""}'),
('P string: null', '{"urn:useparagon:connect:permissions": "null"}'),
('P string: true', '{"urn:useparagon:connect:permissions": "true"}'),
('P string: number', '{"urn:useparagon:connect:permissions": "1"}'),
('P string: doubly nested string', '{"urn:useparagon:connect:permissions": "\"{\\\"integration:*\\\": true}\""}'),
('P string: trailing garbage', '{"urn:useparagon:connect:permissions": "{} x"}'),
('P string: two objects', '{"urn:useparagon:connect:permissions": "{}{}"}'),
('P string: bad inner value', '{"urn:useparagon:connect:permissions": "{\"integration:*\": 1}"}'),
('P string: NUL escape inside', '{"urn:useparagon:connect:permissions": "{\"integration:\\u0000\": true}"}'),
('P string: single quotes', '{"urn:useparagon:connect:permissions": "{''integration:*'': true}"}'),
('P string: trailing comma', '{"urn:useparagon:connect:permissions": "{\"integration:*\": true,}"}'),
('P string: invalid UTF-16 surrogate', '{"urn:useparagon:connect:permissions": "{\"integration:\\ud800\": true}"}'),
('root integration:*', '{"integration:*": true}'),
('root credential', ' {"credential:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": true}'),
('root configuration:*', '{"configuration:*": false}'),
('root empty integration:', '{"integration:": true}'),
('root scope beside P', '{"urn:useparagon:connect:permissions": {"integration:*": true}, "integration:s": false}'),
('key "Integration:*"', '{"urn:useparagon:connect:permissions": {"Integration:*": true}}'),
('key "INTEGRATION:*"', '{"urn:useparagon:connect:permissions": {"INTEGRATION:*": true}}'),
('key " integration:*"', '{"urn:useparagon:connect:permissions": {" integration:*": true}}'),
('key "integration :*"', '{"urn:useparagon:connect:permissions": {"integration :*": true}}'),
('key "Credential:*"', '{"urn:useparagon:connect:permissions": {"Credential:*": true}}'),
('key "Configuration:*"', '{"urn:useparagon:connect:permissions": {"Configuration:*": true}}'),
('key "CONFIGURATION:EXT:a"', '{"urn:useparagon:connect:permissions": {"CONFIGURATION:EXT:a": true}}'),
('key "configuration:EXT:a"', '{"urn:useparagon:connect:permissions": {"configuration:EXT:a": true}}'),
('key "integration*"', '{"urn:useparagon:connect:permissions": {"integration*": true}}'),
('key "integration"', '{"urn:useparagon:connect:permissions": {"integration": true}}'),
('key "integration;*"', '{"urn:useparagon:connect:permissions": {"integration;*": true}}'),
('key "integration：*"', '{"urn:useparagon:connect:permissions": {"integration：*": true}}'),
('key "ıntegration:*"', '{"urn:useparagon:connect:permissions": {"ıntegration:*": true}}'),
('key "integrations:*"', '{"urn:useparagon:connect:permissions": {"integrations:*": true}}'),
('key "configurations:*"', '{"urn:useparagon:connect:permissions": {"configurations:*": true}}'),
('empty selector "integration:"', '{"urn:useparagon:connect:permissions": {"integration:": true}}'),
('empty selector "credential:"', '{"urn:useparagon:connect:permissions": {"credential:": true}}'),
('empty selector "configuration:ext:"', '{"urn:useparagon:connect:permissions": {"configuration:ext:": true}}'),
('empty selector "configuration:"', '{"urn:useparagon:connect:permissions": {"configuration:": true}}'),
('empty selector ""', '{"urn:useparagon:connect:permissions": {"": true}}'),
('empty selector ":"', '{"urn:useparagon:connect:permissions": {":": true}}'),
('form "credential:ext:"', '{"urn:useparagon:connect:permissions": {"credential:ext:": false}}'),
('form "credential:ext:abc"', '{"urn:useparagon:connect:permissions": {"credential:ext:abc": false}}'),
('form "credential:ext:*"', '{"urn:useparagon:connect:permissions": {"credential:ext:*": false}}'),
('form "configuration:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"', '{"urn:useparagon:connect:permissions": {"configuration:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": false}}'),
('form "configuration:ext"', '{"urn:useparagon:connect:permissions": {"configuration:ext": false}}'),
('form "configuration:Ext:a"', '{"urn:useparagon:connect:permissions": {"configuration:Ext:a": false}}'),
('form "configuration:id:x"', '{"urn:useparagon:connect:permissions": {"configuration:id:x": false}}'),
('form "configuration:**"', '{"urn:useparagon:connect:permissions": {"configuration:**": false}}'),
('dup uuid upper', '{"urn:useparagon:connect:permissions": {"credential:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": true, "credential:A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11": false}}'),
('dup uuid braces', '{"urn:useparagon:connect:permissions": {"credential:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": true, "credential:{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}": false}}'),
('dup uuid no hyphens', '{"urn:useparagon:connect:permissions": {"credential:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": true, "credential:a0eebc999c0b4ef8bb6d6bb9bd380a11": false}}'),
('dup uuid groups of four', '{"urn:useparagon:connect:permissions": {"credential:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": true, "credential:a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11": false}}'),
('dup uuid nested', '{"urn:useparagon:connect:permissions": {"integration:s": {"credential:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": [], "credential:{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}": ["events"]}}}'),
('integration in integration', '{"urn:useparagon:connect:permissions": {"integration:*": {"integration:s": true}}}'),
('credential in credential', '{"urn:useparagon:connect:permissions": {"credential:*": {"credential:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": true}}}'),
('configuration in configuration', '{"urn:useparagon:connect:permissions": {"configuration:*": {"configuration:ext:a": true}}}'),
('integration in credential', '{"urn:useparagon:connect:permissions": {"credential:*": {"integration:s": true}}}'),
('integration in configuration', '{"urn:useparagon:connect:permissions": {"configuration:ext:a": {"integration:s": true}}}'),
('credential in configuration', '{"urn:useparagon:connect:permissions": {"configuration:*": {"credential:*": true}}}'),
('four levels', '{"urn:useparagon:connect:permissions": {"integration:s": {"credential:*": {"configuration:*": {"configuration:ext:a": true}}}}}'),
('value null', '{"urn:useparagon:connect:permissions": {"integration:s": null}}'),
('value 0', '{"urn:useparagon:connect:permissions": {"integration:s": 0}}'),
('value 1', '{"urn:useparagon:connect:permissions": {"integration:s": 1}}'),
('value -1', '{"urn:useparagon:connect:permissions": {"integration:s": -1}}'),
('value 1.5', '{"urn:useparagon:connect:permissions": {"integration:s": 1.5}}'),
('value "true"', '{"urn:useparagon:connect:permissions": {"integration:s": "true"}}'),
('value "false"', '{"urn:useparagon:connect:permissions": {"integration:s": "false"}}'),
('value ""', '{"urn:useparagon:connect:permissions": {"integration:s": ""}}'),
('value "events"', '{"urn:useparagon:connect:permissions": {"integration:s": "events"}}'),
('perm null', '{"urn:useparagon:connect:permissions": {"integration:s": [null]}}'),
('perm number', '{"urn:useparagon:connect:permissions": {"integration:s": [1]}}'),
('perm true', '{"urn:useparagon:connect:permissions": {"integration:s": [true]}}'),
('perm array', '{"urn:useparagon:connect:permissions": {"integration:s": [[]]}}'),
('perm object', '{"urn:useparagon:connect:permissions": {"integration:s": [{}]}}'),
('perm mixed', '{"urn:useparagon:connect:permissions": {"integration:s": ["events", 1]}}'),
('perm bogus', '{"urn:useparagon:connect:permissions": {"integration:s": ["bogus"]}}'),
('perm Events', '{"urn:useparagon:connect:permissions": {"integration:s": ["Events"]}}'),
('perm trailing space', '{"urn:useparagon:connect:permissions": {"integration:s": ["events "]}}'),
('perm leading space', '{"urn:useparagon:connect:permissions": {"integration:s": [" events"]}}'),
('perm settings:*', '{"urn:useparagon:connect:permissions": {"integration:s": ["settings:*"]}}'),
('perm *', '{"urn:useparagon:connect:permissions": {"integration:s": ["*"]}}'),
('perm credential:read', '{"urn:useparagon:connect:permissions": {"integration:s": ["credential:read"]}}'),
('perm proxy_api', '{"urn:useparagon:connect:permissions": {"integration:s": ["proxy_api"]}}'),
('perm empty', '{"urn:useparagon:connect:permissions": {"integration:s": [""]}}'),
('perm nested array of names', '{"urn:useparagon:connect:permissions": {"integration:s": [["events"]]}}'),
('perm "true"', '{"urn:useparagon:connect:permissions": {"integration:s": ["true"]}}'),
('257 permissions', jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:s', (SELECT jsonb_agg('events'::text) FROM generate_series(1, 257))))),
('1000 permissions', jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:s', (SELECT jsonb_agg('workflows'::text) FROM generate_series(1, 1000))))),
('100000 permissions', jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:s', (SELECT jsonb_agg('events'::text) FROM generate_series(1, 100000))))),
('257 bogus permissions', jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:s', (SELECT jsonb_agg('bogus' || i) FROM generate_series(1, 257) i)))),
('key of 1025 bytes', jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:' || repeat('x', 1013), true))),
('credential key of 2000 bytes', jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('credential:' || repeat('c', 1989), false))),
('configuration key of 5000 bytes', jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('configuration:ext:' || repeat('e', 4982), true))),
('key of 100000 bytes', jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:' || repeat('y', 99988), true))),
('long key nested', jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:s', jsonb_build_object('credential:' || repeat('z', 1014), true)))),
('100001 scopes', jsonb_build_object('urn:useparagon:connect:permissions', (SELECT jsonb_object_agg('integration:i' || i, true) FROM generate_series(1, 100001) i))),
('100001 scopes nested', jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:s', (SELECT jsonb_object_agg('credential:c' || i, true) FROM generate_series(1, 100001) i)))),
('5000-deep array as scope value', ('{"urn:useparagon:connect:permissions": {"integration:s": ' || repeat('[', 5000) || repeat(']', 5000) || '}}')::jsonb),
('5000-deep object as P', ('{"urn:useparagon:connect:permissions": ' || repeat('{"a": ', 5000) || 'true' || repeat('}', 5000) || '}')::jsonb),
('5000-deep scope chain', ('{"urn:useparagon:connect:permissions": {"integration:s": ' || repeat('{"configuration:ext:a": ', 5000) || 'true' || repeat('}', 5000) || '}}')::jsonb),
('P as array of 100000', jsonb_build_object('urn:useparagon:connect:permissions', (SELECT jsonb_agg(i) FROM generate_series(1, 100000) i))),
('P string of 1 MB garbage', jsonb_build_object('urn:useparagon:connect:permissions', repeat('{', 1000000))),
('P string of deep arrays', jsonb_build_object('urn:useparagon:connect:permissions', repeat('[', 100000) || repeat(']', 100000))),
('one bad key among 1000', jsonb_build_object('urn:useparagon:connect:permissions', (SELECT jsonb_object_agg(CASE WHEN i = 777 THEN 'Integration:x' ELSE 'integration:i' || i END, true) FROM generate_series(1, 1000) i))),
('one bad value among 1000', jsonb_build_object('urn:useparagon:connect:permissions', (SELECT jsonb_object_agg('integration:i' || i, CASE WHEN i = 500 THEN 'null'::jsonb ELSE 'true'::jsonb END) FROM generate_series(1, 1000) i))),
('valid then bad permission', '{"urn:useparagon:connect:permissions": {"integration:*": true, "integration:s": ["events", "bogus"]}}'),
('deny with bad sibling', '{"urn:useparagon:connect:permissions": {"integration:*": false, "credential:ext:x": true}}'),
('bad deep in a container', '{"urn:useparagon:connect:permissions": {"integration:s": {"credential:*": {"configuration:ext:a": ["settings:write", 7]}}}}');

SELECT count(*) AS hostile_documents FROM hostile_docs;

-- The contract: no document is valid, and every check raises.
SELECT h.id, h.label, c.check_error, c.errors
  FROM hostile_docs h, LATERAL hostile_check(h.doc) c
 ORDER BY h.id;

-- Nothing above may have been valid or returned a value (expect no rows).
SELECT h.id, h.label
  FROM hostile_docs h, LATERAL hostile_check(h.doc) c
 WHERE c.valid OR c.check_error NOT SIMILAR TO '[0-9A-Z]{5}: %';

-- A few errors in full, with their DETAIL (JSON path) and HINT.
\set VERBOSITY default
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"Integration:*": true}}'::jsonb, 'events', 's', NULL::text, NULL);
SELECT paragon_allowed('{"integration:*": true}'::jsonb, 'events', 's', NULL::text, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"credential:ext:abc": false}}'::jsonb, 'events', 's', NULL::text, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": "{\"integration:*\": true, \"integration:*\": false}"}'::jsonb, 'events', 's', NULL::text, NULL);
SELECT paragon_allowed(jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:s', (SELECT jsonb_agg('events'::text) FROM generate_series(1, 257)))), 'events', 's', NULL::text, NULL);
SELECT paragon_allowed(jsonb_build_object('urn:useparagon:connect:permissions', (SELECT jsonb_object_agg('integration:i' || i, true) FROM generate_series(1, 100001) i)), 'events', 's', NULL::text, NULL);
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:s": true}}'::jsonb, 'bogus', 's', NULL::text, NULL);
SELECT paragon_allowed(NULL::jsonb, 'Events', NULL, NULL::text, NULL);

-- \u0000 cannot even become jsonb: the error is PostgreSQL's, before ours.
SELECT '{"urn:useparagon:connect:permissions": {"integration:\u0000": true}}'::jsonb;
SELECT '{"urn:useparagon:connect:permissions": {"integration:s": ["events\u0000"]}}'::jsonb;
SELECT '{"urn:useparagon:connect:permissions\u0000": {"integration:*": true}}'::jsonb;
SELECT paragon_claims_valid('{"urn:useparagon:connect:permissions": {"integration:\u0000": true}}');
-- an escaped backslash is fine for jsonb; the string claim then holds a
-- \u0000 escape, which the strict JSON parser refuses (listed above too)
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": "{\"integration:\\u0000\": true}"}'::jsonb, 'events', NULL, NULL::text, NULL);
\set VERBOSITY terse

-- Whitespace inside a selector is part of the name: "integration: s" names
-- the integration " s", which is not "s".
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration: s": true}}'::jsonb, 'events', 's', NULL::text, NULL) AS space_before_s,
	   paragon_allowed('{"urn:useparagon:connect:permissions": {"integration: s": true}}'::jsonb, 'events', ' s', NULL::text, NULL) AS exact_space_s,
	   paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:s ": true}}'::jsonb, 'events', 's', NULL::text, NULL) AS space_after_s,
	   paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:* ": true}}'::jsonb, 'events', 's', NULL::text, NULL) AS star_space,
	   paragon_allowed('{"urn:useparagon:connect:permissions": {"configuration:ext: team": true}}'::jsonb, 'events', 's', 'c'::text, 'team') AS ext_space;
-- "configuration:ext:*" would be the External ID "*", not the wildcard; a
-- "*" argument is the unspecified member, so no check could reach that
-- rule and a deny written so would match nothing: it is refused.
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"configuration:ext:*": false}}'::jsonb, 'events', 's', 'c'::text, 'x') AS ext_star_x;
SELECT paragon_claims_errors('{"urn:useparagon:connect:permissions": {"integration:s": {"configuration:ext:*": true}}}');
-- Prefixes are case-sensitive both ways: "credential:EXT:a" is no External
-- ID selector (only "credential:ext:" is refused) but the credential whose
-- ID is the text "EXT:a", and it matches nothing else.
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"credential:EXT:a": true}}'::jsonb, 'events', 's', 'EXT:a'::text, NULL) AS ext_upper_exact,
	   paragon_allowed('{"urn:useparagon:connect:permissions": {"credential:EXT:a": true}}'::jsonb, 'events', 's', 'a'::text, NULL) AS ext_upper_a,
	   paragon_visible('{"urn:useparagon:connect:permissions": {"credential:EXT:a": true}}'::jsonb, 's', NULL::text, NULL) AS ext_upper_visible;
-- A credential selector that is not a UUID is exact text.
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"credential:{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": true}}'::jsonb, 'events', 's', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::text, NULL) AS half_brace;

-- UUID spellings, differentially against PostgreSQL's own uuid input:
-- 16384 spellings of one UUID (hyphens after digits 2, 4, 7, 8, ..., 31
-- and 32, an opening and a closing brace, upper case) must match a
-- credential:<uuid> rule exactly when uuid_in accepts them, both as the
-- argument and as the selector.  Expect no disagreement.
CREATE FUNCTION hostile_is_uuid(t text) RETURNS bool
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	RETURN t::uuid = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN false;
END
$$;
CREATE TEMP TABLE hostile_spellings AS
SELECT g, (CASE WHEN g & 2048 <> 0 THEN '{' ELSE '' END) ||
		  (SELECT string_agg(CASE WHEN g & 8192 <> 0 AND i % 3 = 0 THEN upper(substr(h, i, 1)) ELSE substr(h, i, 1) END ||
							 CASE WHEN EXISTS (SELECT 1 FROM unnest('{2,4,7,8,12,16,20,24,28,31,32}'::int[]) WITH ORDINALITY p(pos, k)
											   WHERE p.pos = i AND (g >> (k::int - 1)) & 1 = 1)
								  THEN '-' ELSE '' END, '' ORDER BY i)
			 FROM (SELECT 'a0eebc999c0b4ef8bb6d6bb9bd380a11'::text AS h) x, generate_series(1, 32) i) ||
		  (CASE WHEN g & 4096 <> 0 THEN '}' ELSE '' END) AS s
  FROM generate_series(0, 16383) g;
SELECT count(*) AS spellings,
	   count(*) FILTER (WHERE hostile_is_uuid(s)) AS uuid_in_accepts,
	   count(*) FILTER (WHERE hostile_is_uuid(s) <> paragon_allowed('{"urn:useparagon:connect:permissions": {"credential:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": true}}'::jsonb,
																	 'events', 's', s, NULL)) AS argument_disagreements,
	   count(*) FILTER (WHERE hostile_is_uuid(s) <> paragon_allowed(jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('credential:' || s, true)),
																	 'events', 's', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::text, NULL)) AS selector_disagreements
  FROM hostile_spellings;

-- Malformed tokens against paragon_verify_token: each must be refused
-- (28000 for the token, 22023 for a key or option problem) and none may
-- yield claims; the first row is the unmodified token, as a control.
-- The key and the token are those of test/fixtures (rsa2048, rs256.token),
-- judged at a fixed instant inside the token's hour of validity.
CREATE FUNCTION hostile_b64(t text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT translate(encode(convert_to(t, 'UTF8'), 'base64'), E'+/=\n', '-_')
$$;
CREATE TEMP TABLE hostile_valid AS
SELECT t, split_part(t, '.', 1) AS h, split_part(t, '.', 2) AS p, split_part(t, '.', 3) AS s
  FROM (VALUES ('eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InJzYS0xIn0.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJwYXJhZ29uLXRlc3QiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9ucyI6eyJpbnRlZ3JhdGlvbjoqIjp0cnVlfX0.WDl9J_ow7UKPAQtgh8pj9rgKMpBdoqqO0SNvlUyAXWqxIORdsD5pWC9xUyxWQgDQcFxyP5bYDHJiwZWgu3phFzUdZ4TZBDXKx2j0FrEnBQ-LX_GIGBHlOmQQ9zWjWjvqgUhmUJ2LjkubVYSuR-2HyEW2DXZ2YoRCfl_MrVaO2WKuc4tYQjA6W86tAHAXZPdEdjG8I1K-VAG47scTAlUGJCml1xhZ3FRwNE1NV-0sz_2pT23QDSlE61nwG47iFz7vWe4A2MYo1ygYZl9HhbySeIzPEnBxVevEg_7mA_NoTUhYzbW_8pweCe2cvz78Uo1t7ZC0U3YK2iEbKSXHEQmSuQ')) v(t);
CREATE TEMP TABLE hostile_tokens (id serial PRIMARY KEY, label text NOT NULL, token text NOT NULL);
INSERT INTO hostile_tokens (label, token)
SELECT label, token FROM hostile_valid v, LATERAL (VALUES
('valid control (must verify)', v.t),
('empty', ''),
('one dot', '.'),
('two dots', '..'),
('three dots', '...'),
('two parts', 'a.b'),
('four parts', 'a.b.c.d'),
('five parts (JWE shape)', v.h || '.' || v.p || '.' || v.s || '.x.y'),
('no dots', 'abc'),
('70000 bytes', repeat('A', 70000) || '..'),
('1000 dots', repeat('.', 1000)),
('padding in header', v.h || '=.' || v.p || '.' || v.s),
('bytes outside the alphabet', '!!!.e30.AAAA'),
('non-ASCII', 'é.e30.AAAA'),
('leading space', ' ' || v.t),
('trailing newline', v.t || E'\n'),
('trailing space', v.t || ' '),
('standard base64 characters', replace(replace(v.t, '-', '+'), '_', '/')),
('header not JSON', hostile_b64('not json') || '.' || v.p || '.' || v.s),
('header an array', hostile_b64('[]') || '.' || v.p || '.' || v.s),
('header a string', hostile_b64('"RS256"') || '.' || v.p || '.' || v.s),
('header null', hostile_b64('null') || '.' || v.p || '.' || v.s),
('header with trailing garbage', hostile_b64('{"alg":"RS256"} x') || '.' || v.p || '.' || v.s),
('header duplicate alg', hostile_b64('{"alg":"RS256","alg":"none"}') || '.' || v.p || '.' || v.s),
('header alg none, no signature', hostile_b64('{"alg":"none"}') || '.' || v.p || '.'),
('header alg HS256', hostile_b64('{"alg":"HS256"}') || '.' || v.p || '.' || v.s),
('header alg lower case', hostile_b64('{"alg":"rs256"}') || '.' || v.p || '.' || v.s),
('header alg with a space', hostile_b64('{"alg":"RS256 "}') || '.' || v.p || '.' || v.s),
('header alg with NUL', hostile_b64('{"alg":"RS256\u0000"}') || '.' || v.p || '.' || v.s),
('header without alg', hostile_b64('{"typ":"JWT"}') || '.' || v.p || '.' || v.s),
('header alg a number', hostile_b64('{"alg":256}') || '.' || v.p || '.' || v.s),
('header alg not in the list', hostile_b64('{"alg":"EdDSA"}') || '.' || v.p || '.' || v.s),
('header crit', hostile_b64('{"alg":"RS256","crit":["exp"]}') || '.' || v.p || '.' || v.s),
('header b64 false', hostile_b64('{"alg":"RS256","b64":false}') || '.' || v.p || '.' || v.s),
('header kid a number', hostile_b64('{"alg":"RS256","kid":7}') || '.' || v.p || '.' || v.s),
('header invalid UTF-8', '__4.' || v.p || '.' || v.s),
('empty signature', v.h || '.' || v.p || '.'),
('one-byte signature', v.h || '.' || v.p || '.AA'),
('signature three bytes too long', v.h || '.' || v.p || '.' || v.s || 'AAAA'),
('signature of impossible length', v.h || '.' || v.p || '.' || v.s || 'AAA'),
('signature with non-zero padding bits', v.h || '.' || v.p || '.' || left(v.s, -1) || 'R'),
('signature one character changed', v.h || '.' || v.p || '.' || overlay(v.s placing (CASE WHEN substr(v.s, 100, 1) = 'A' THEN 'B' ELSE 'A' END) from 100 for 1)),
('token truncated', left(v.t, -10)),
('payload swapped', v.h || '.' || hostile_b64('{"sub":"attacker","urn:useparagon:connect:permissions":{"integration:*":true}}') || '.' || v.s),
('parts swapped', v.p || '.' || v.h || '.' || v.s),
('payload not JSON, signature invalid', v.h || '.' || hostile_b64('hello') || '.' || v.s)) x(label, token);

CREATE FUNCTION hostile_verify(token text, key text DEFAULT :'rsa2048_public') RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	RETURN 'verified: ' || (paragon_verify_token(token, key,
		'{RS256}', NULL, '30 seconds', '2026-01-01 00:30:00+00', true) ->> 'sub');
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || left(SQLERRM, 120);
END
$$;

SELECT count(*) AS hostile_tokens FROM hostile_tokens;
SELECT id, label, hostile_verify(token) AS result FROM hostile_tokens ORDER BY id;
-- only the control verifies (expect one row, id 1)
SELECT id, label FROM hostile_tokens WHERE hostile_verify(token) NOT SIMILAR TO '[0-9A-Z]{5}: %';
-- paragon_verify_jws refuses every one of them too, with the same SQLSTATE
-- (expect no rows)
CREATE FUNCTION hostile_jws(token text, key text DEFAULT :'rsa2048_public') RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	RETURN 'verified: ' || length(paragon_verify_jws(token, key, '{RS256}'));
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || left(SQLERRM, 120);
END
$$;
SELECT id, label, hostile_jws(token) AS jws, hostile_verify(token) AS jwt
  FROM hostile_tokens
 WHERE id > 1 AND (hostile_jws(token) NOT SIMILAR TO '[0-9A-Z]{5}: %'
	   OR left(hostile_jws(token), 5) <> left(hostile_verify(token), 5));
SELECT hostile_jws(token) AS control_payload_bytes FROM hostile_tokens WHERE id = 1;

-- Query cancellation during long compiles: CHECK_FOR_INTERRUPTS runs per
-- key in the jsonb walk.  Compiling a 100000-scope document a thousand
-- times takes far longer than 50 ms; the assertion is only that it ends
-- in 57014 (query_canceled), not when.
CREATE TEMP TABLE hostile_big AS
SELECT jsonb_build_object('urn:useparagon:connect:permissions',
		(SELECT jsonb_object_agg('integration:i' || i, true) FROM generate_series(1, 100000) i)) AS doc;
SET statement_timeout = '50ms';
DO $$
DECLARE
	d jsonb;
BEGIN
	SELECT doc INTO d FROM hostile_big;
	FOR i IN 1 .. 100000 LOOP
		PERFORM paragon_claims_valid(d);
	END LOOP;
	RAISE NOTICE 'not cancelled';
EXCEPTION WHEN query_canceled THEN
	RAISE NOTICE 'cancelled: % %', SQLSTATE, SQLERRM;
END
$$;
SET statement_timeout = '50ms';
-- the argument names g, so that the check runs for every joined row whatever
-- the join order (evaluated on hostile_big's scan, it would run only once)
SELECT count(*) FROM hostile_big, generate_series(1, 100000) g
 WHERE paragon_claims_valid(CASE WHEN g > 0 THEN doc END);
\echo :LAST_ERROR_SQLSTATE
RESET statement_timeout;
SELECT 'still usable' AS after_cancel, paragon_allowed(doc, 'events', 'i5', NULL::text, NULL) FROM hostile_big;
