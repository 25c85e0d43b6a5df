--
-- semantics: every worked example of the documented semantics, one query each
--
CREATE EXTENSION paragon_perm;
\set c1 '\'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\''
\set c2 '\'b1ffcd88-8d1a-4ef8-bb6d-6bb9bd380a22\''

-- 1. no permissions claim: unrestricted token
SELECT paragon_allowed('{"sub": "u1"}', 'proxy-api', 'salesforce', NULL, NULL) AS ex1_true;
-- 2. integration:* true reaches the unspecified integration (user-level operations)
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:*": true}}', 'events', NULL, NULL, NULL) AS ex2_true;
-- 3. integration:* false hides everything
SELECT paragon_visible('{"urn:useparagon:connect:permissions": {"integration:*": false}}', 'salesforce', NULL, NULL) AS ex3_false;
-- 4..7. one credential of one integration
SELECT paragon_allowed(jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:salesforce', jsonb_build_object('credential:' || :c1, true))),
       'proxy-api', 'salesforce', :c1, NULL) AS ex4_true;
SELECT paragon_allowed(jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:salesforce', jsonb_build_object('credential:' || :c1, true))),
       'proxy-api', 'salesforce', :c2, NULL) AS ex5_false;
SELECT paragon_allowed(jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:salesforce', jsonb_build_object('credential:' || :c1, true))),
       'proxy-api', 'salesforce', NULL, NULL) AS ex6_false;
SELECT paragon_visible(jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('integration:salesforce', jsonb_build_object('credential:' || :c1, true))),
       'salesforce', NULL, NULL) AS ex7_true;
-- 8..9. connecting a new credential: the unspecified member '*'
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:salesforce": {"credential:*": ["credential:write"]}}}',
       'credential:write', 'salesforce', '*', NULL) AS ex8_true;
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:salesforce": {"credential:*": ["credential:write"]}}}',
       'credential:write', 'salesforce', NULL, NULL) AS ex9_false;
-- 10. settings:write implies settings:read
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:*": ["settings:write"]}}',
       'settings:read', 'salesforce', :c1, 'Team A') AS ex10_true;
-- 11..12. a configuration rule is more specific than an integration rule, but only reaches configurations
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:salesforce": false, "configuration:*": true}}',
       'config:write', 'salesforce', :c1, 'x') AS ex11_true;
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:salesforce": false, "configuration:*": true}}',
       'proxy-api', 'salesforce', :c1, NULL) AS ex12_false;
-- 13. tie at credential:*, the ancestor integration:salesforce breaks it
SELECT paragon_visible('{"urn:useparagon:connect:permissions": {"integration:*": {"credential:*": false}, "integration:salesforce": {"credential:*": []}}}',
       'salesforce', :c1, NULL) AS ex13_true;
-- 14..16. a credential visible through one configuration External ID
SELECT paragon_visible(jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('credential:' || :c1,
       '{"configuration:*": false, "configuration:ext:Team A": ["settings:read"]}'::jsonb)), 'salesforce', :c1, NULL) AS ex14_true;
SELECT paragon_allowed(jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('credential:' || :c1,
       '{"configuration:*": false, "configuration:ext:Team A": ["settings:read"]}'::jsonb)), 'settings:read', 'salesforce', :c1, NULL) AS ex15_false;
SELECT paragon_allowed(jsonb_build_object('urn:useparagon:connect:permissions', jsonb_build_object('credential:' || :c1,
       '{"configuration:*": false, "configuration:ext:Team A": ["settings:read"]}'::jsonb)), 'settings:read', 'salesforce', :c1, 'Team A') AS ex16_true;
-- 17. an unknown permission argument is an error
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:*": true}}', 'bogus', 'salesforce', NULL, NULL);
-- 18. an integration scope nested in an integration scope is an error
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": {"integration:*": {"integration:salesforce": true}}}', 'proxy-api', 'salesforce', NULL, NULL);
-- 19. a scope at the root of the claims is an error (a bare permissions object passed as claims)
SELECT paragon_allowed('{"integration:*": true}', 'proxy-api', 'salesforce', NULL, NULL);
-- 20. the permissions claim serialised as a JSON string
SELECT paragon_allowed('{"urn:useparagon:connect:permissions": "{\"integration:*\": [\"events\"]}"}', 'events', NULL, NULL, NULL) AS ex20_true;

-- NULL claims: no token, every check false and never NULL
SELECT paragon_allowed(NULL, 'proxy-api', 'salesforce', NULL, NULL) AS null_claims_false,
       paragon_visible(NULL, 'salesforce', NULL, NULL) AS null_visible_false,
       paragon_permissions(NULL, 'salesforce') AS null_perms_empty;
-- ... but an unknown permission is still an error
SELECT paragon_allowed(NULL, 'bogus', 'salesforce', NULL, NULL);
