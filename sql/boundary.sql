--
-- boundary: the Connected User of a token (its sub), paragon_sub and the
-- boundary checks paragon_user_allowed / paragon_user_visible
--
-- IF NOT EXISTS: earlier tests of the suite may have created it already.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;
-- the RSA 2048 public key of the test tokens (pg_regress runs psql in a
-- directory that holds test/fixtures)
\set rsa2048_public `cat test/fixtures/keys/rsa2048-public.pem`

-- explicit claims: every row of the table of the Connected User
SELECT paragon_sub(NULL) IS NULL AS null_claims_give_null;
SELECT paragon_sub('{"sub": "acme"}') AS non_empty_string;
SELECT paragon_sub('{"sub": " Acme "}') = ' Acme ' AS exactly_no_trimming,
       paragon_sub('{"sub": "ACME"}') = 'acme' AS case_sensitive_false;
SELECT paragon_sub('{"sub": "auth0|5f7c8ec7c33c6c004bbafe82"}') AS uri_like;
SELECT paragon_sub('{}') IS NULL AS missing_gives_null,
       paragon_sub('{"sub": ""}') IS NULL AS empty_gives_null,
       paragon_sub('{"exp": 1, "urn:useparagon:connect:permissions": {"integration:*": true}}') IS NULL AS restricted_without_sub;
-- any other JSON type: an error naming the path, never coerced to text
SELECT paragon_sub('{"sub": 42}');
SELECT paragon_sub('{"sub": "1"}') AS a_string_of_digits_is_fine;
SELECT paragon_sub('{"sub": {"id": "acme"}}');
SELECT paragon_sub('{"sub": ["acme"]}');
SELECT paragon_sub('{"sub": true}');
SELECT paragon_sub('{"sub": null}');
-- the claims must still be valid claims
SELECT paragon_sub('"acme"');
SELECT paragon_sub('{"sub": "acme", "integration:*": true}');
SELECT paragon_sub('{"sub": "acme", "urn:useparagon:connect:permissions": {"integration:*": 1}}');
-- a sub inside the permissions claim is no scope
SELECT paragon_sub('{"urn:useparagon:connect:permissions": {"sub": "acme"}}');
-- the sub of a permissions claim given as a string is the root's
SELECT paragon_sub('{"sub": "acme", "urn:useparagon:connect:permissions": "{\"integration:*\": true}"}') AS string_claim;

-- the checks of the permissions claim do not read sub: a non-string sub
-- makes none of them fail
SELECT paragon_allowed('{"sub": 42}', 'events', NULL, NULL, NULL) AS unrestricted,
       paragon_visible('{"sub": [1], "urn:useparagon:connect:permissions": {"integration:s": true}}', 's', NULL, NULL) AS visible,
       paragon_allowed('{"sub": null, "urn:useparagon:connect:permissions": {"integration:s": true}}', 'events', 'h', NULL, NULL) AS denied,
       paragon_permissions('{"sub": {}, "urn:useparagon:connect:permissions": {"integration:s": ["events"]}}', 's') AS perms,
       paragon_explain('{"sub": false}', 'events', 's') ->> 'reason' AS reason,
       paragon_claims_valid('{"sub": 42}') AS valid;
SELECT count(*) AS no_claims_errors FROM paragon_claims_errors('{"sub": 42}');

-- the session form, claims from a setting
SET paragon.claims_source = 'setting';
RESET request.jwt.claims;
SELECT paragon_sub() IS NULL AS no_claims_give_null;
SET request.jwt.claims = '{"sub": "acme"}';
SELECT paragon_sub() AS session_sub;
SET request.jwt.claims = '{"sub": "globex", "urn:useparagon:connect:permissions": {"integration:*": false}}';
SELECT paragon_sub() AS changed_with_the_setting;
SET request.jwt.claims = '{"sub": ""}';
SELECT paragon_sub() IS NULL AS empty_gives_null;
SET request.jwt.claims = '{"exp": 4102444800}';
SELECT paragon_sub() IS NULL AS missing_gives_null;
SET request.jwt.claims = '{"sub": 7}';
SELECT paragon_sub();
SELECT paragon_allowed('events') AS short_form_unaffected;
SET request.jwt.claims = '{"sub": "acme", "integration:*": true}';
SELECT paragon_sub();
-- read afresh on every call, even inside one statement
SET request.jwt.claims = '{"sub": "acme"}';
SELECT paragon_sub() AS before,
       set_config('request.jwt.claims', '{"sub": "globex"}', false) IS NOT NULL AS swapped,
       paragon_sub() AS after;

-- boundary checks: the row's Connected User must be the claims' sub
SET request.jwt.claims = '{"sub": "acme", "urn:useparagon:connect:permissions": {"integration:salesforce": {"credential:11111111-1111-1111-1111-111111111111": ["credential:write"]}}}';
SELECT paragon_user_allowed('acme', 'credential:write', 'salesforce', '11111111-1111-1111-1111-111111111111') AS own_allowed,
       paragon_user_allowed('acme', 'credential:write', 'salesforce', '11111111-1111-1111-1111-111111111111'::uuid) AS own_allowed_uuid,
       paragon_user_allowed('globex', 'credential:write', 'salesforce', '11111111-1111-1111-1111-111111111111') AS other_user_false,
       paragon_user_allowed('ACME', 'credential:write', 'salesforce', '11111111-1111-1111-1111-111111111111') AS mis_cased_false,
       paragon_user_allowed('acme ', 'credential:write', 'salesforce', '11111111-1111-1111-1111-111111111111') AS trailing_space_false,
       paragon_user_allowed(NULL, 'credential:write', 'salesforce', '11111111-1111-1111-1111-111111111111') AS null_user_false,
       paragon_user_allowed('acme', 'credential:write', 'salesforce', '22222222-2222-2222-2222-222222222222') AS permission_half_false,
       paragon_user_allowed('acme', 'credential:write', 'salesforce', '*') AS new_credential_false;
SELECT paragon_user_visible('acme', 'salesforce') AS own_visible,
       paragon_user_visible('acme', 'salesforce', '11111111-1111-1111-1111-111111111111'::uuid) AS own_visible_uuid,
       paragon_user_visible('globex', 'salesforce') AS other_user_invisible,
       paragon_user_visible('acme', 'hubspot') AS permission_half_invisible,
       paragon_user_visible(NULL, 'salesforce') AS null_user_invisible;
-- an unknown permission is an error, whoever the row belongs to
SELECT paragon_user_allowed('globex', 'bogus', 'salesforce');
-- unrestricted: the whole of its own Connected User, nothing of another
SET request.jwt.claims = '{"sub": "acme"}';
SELECT paragon_user_allowed('acme', 'config:write', 'hubspot', 'x', 'team-a') AS own_all,
       paragon_user_visible('acme', 'hubspot') AS own_visible,
       paragon_user_allowed('globex', 'config:write', 'hubspot', 'x', 'team-a') AS other_none,
       paragon_user_visible('globex', NULL) AS other_invisible;
-- no Connected User: no row, even for an unrestricted token
SET request.jwt.claims = '{"sub": ""}';
SELECT paragon_user_visible('', 'hubspot') AS empty_sub_sees_no_empty_user,
       paragon_user_allowed('', 'events') AS empty_sub_allows_nothing;
SET request.jwt.claims = '{}';
SELECT paragon_user_visible('acme', 'hubspot') AS missing_sub_invisible;
RESET request.jwt.claims;
SELECT paragon_user_visible('acme', 'hubspot') AS no_claims_invisible,
       paragon_user_allowed('acme', 'events') AS no_claims_false;
-- a non-string sub is an error of the boundary checks
SET request.jwt.claims = '{"sub": 42}';
SELECT paragon_user_visible('42', 'hubspot');
SELECT paragon_user_allowed('42', 'events');
RESET request.jwt.claims;

-- claims from a verified token (the key and tokens of sql/session.sql:
-- admin has sub "admin", member sub "m1")
\set admin '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6OTQ2Njg0ODAwLCJleHAiOjQxMDI0NDQ4MDB9.LbMmaa6GJ0AfXXMAjdmBTr1a4TRLgqD3fBg-DIPYLHxYtlC4n9hvKU03-KelcHfx8qlpaaEQ5EWJHFwTjMd52-b9BQxQ-jF31JU9A7el5yDYPx_LLWYeAB0q23frAGFRFujURN4E-zLE9gfbd97ZbdCFwCtDCJS6cBPoGZyehlmCupo3d5FS7X2n3poY-P_aQVjlB00kwU4x5U4Q0dHEoNTYhWdPx0RruQV5KLBJdt2wMbRc0pf1H951pzEl0e276gzyw92ZXVGwex215T85MvZV6eFofXg_MWvA2OaxYr6LjTW9x7pjFSL80Na3qUcPMI0bI7wW8nAoMhkzDU0x1A\''
\set member '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtMSIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6OTQ2Njg0ODAwLCJleHAiOjQxMDI0NDQ4MDAsInVybjp1c2VwYXJhZ29uOmNvbm5lY3Q6cGVybWlzc2lvbnMiOnsiaW50ZWdyYXRpb246c2FsZXNmb3JjZSI6eyJjcmVkZW50aWFsOjExMTExMTExLTExMTEtMTExMS0xMTExLTExMTExMTExMTExMSI6WyJjcmVkZW50aWFsOndyaXRlIl19fX0.d2gE_Vq5cCBhwPqYwFRPMbaEcLYTbGj5bGNZ-bIHQNlXLfmqPKPGMfXGFaPcqZmTy943l66dOgniOMjfupEvzQs6hfZSWP2lazQU7o-48905XNpEgOki9q5Uh6ETZcFWBXi7Ds7PrJYTNsUzBIsLv5If5heqbMygy8NmC2qcDznr64NLOcheNXAhvf9GWmGgHthVg2F1wI0cnzng6QbNaZAiNFq9qgGa4NVvDNzZDgd5e0wXFrdOvTLE6qbBV_Ox7LJo0cMrywZl05260eC6Ej4U3zkUZxLs7kCUuxYg23POHl5anKaSJbl5HK5CGQLKuteZXqzdTAHiRk5ejOjg_g\''
SET paragon.public_key = :'rsa2048_public';
SET paragon.audience = 'useparagon.com/proj-1';
SET paragon.claims_source = 'token';
-- the setting is not read any more
SET request.jwt.claims = '{"sub": "forged"}';
SELECT paragon_sub() IS NULL AS setting_ignored;
BEGIN;
SELECT paragon_set_token(:admin, true);
SELECT paragon_sub() AS token_sub,
       paragon_user_visible('admin', 'anything') AS own_rows,
       paragon_user_visible('forged', 'anything') AS forged_rows_invisible;
SELECT paragon_set_token(:member, true);
SELECT paragon_sub() AS member_sub,
       paragon_user_allowed('m1', 'credential:write', 'salesforce', '11111111-1111-1111-1111-111111111111'::uuid) AS member_own,
       paragon_user_allowed('admin', 'credential:write', 'salesforce', '11111111-1111-1111-1111-111111111111'::uuid) AS member_other_user;
COMMIT;
SELECT paragon_sub() IS NULL AS transaction_scope_ended;
-- the token in paragon.token, verified where paragon_sub reads it; a
-- token that fails verification is an error, not an absent Connected User
BEGIN;
SET LOCAL paragon.token = :member;
SELECT paragon_sub() AS sub_of_paragon_token,
       paragon_user_visible('m1', 'salesforce') AS own_rows,
       paragon_user_visible('admin', 'salesforce') AS other_users_rows;
SET LOCAL paragon.token = 'not.a.token';
SELECT paragon_sub();
ROLLBACK;
SELECT paragon_sub() IS NULL AS local_token_gone;
RESET paragon.claims_source;
RESET paragon.public_key;
RESET paragon.audience;
RESET request.jwt.claims;

-- labels: explicit form IMMUTABLE, session forms STABLE, all PARALLEL SAFE
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.prosupport <> 0 AS has_support
  FROM pg_proc p
 WHERE p.proname IN ('paragon_sub', 'paragon_user_allowed', 'paragon_user_visible')
 ORDER BY 1::text;
