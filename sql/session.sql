--
-- session: the paragon.* settings, paragon_set_token and the short forms
--
-- Tokens: test/fixtures/session/make-session-tokens.sh (RS256, exp in 2100).
--
-- IF NOT EXISTS: earlier tests of the suite may have created it already.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;
\set admin '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.U4XJtX9Z_LaaaQVW1HUm3QJ2OmuqJ94N4aJCpwjxq-sj5HrZ9ZAE-5pl9fqpo-rP7BjQItQ3yw5BF_7q0Khfl7PODg_jAU13lW2e6PVTU5S9JFxKizB94wcEguHDrk6Ac2g_TYtD8t2-iYVxN-4Xow6TarlHvdVFZJ5uhIQUdbRzicicgq5p150cF4ZUFGjK90eroUa2Td0DMhBK2WsQQ0pBI63_r6N9XH3eWuy1nprIQC5qbgkHxLHNIE6Mu_wTu2uGcz-ibIDvmF-1RdXA2OEHLF0E3jeaWEN2Av4R2fsYh8VuplCqDmc7QRZbu6iMw_t7AJHePS1Qd2fuBqHkNA\''
\set member '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtMSIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjo0MTAyNDQ0ODAwLCJ1cm46dXNlcGFyYWdvbjpjb25uZWN0OnBlcm1pc3Npb25zIjp7ImludGVncmF0aW9uOnNhbGVzZm9yY2UiOnsiY3JlZGVudGlhbDoxMTExMTExMS0xMTExLTExMTEtMTExMS0xMTExMTExMTExMTEiOlsiY3JlZGVudGlhbDp3cml0ZSJdfX19.qvH1MVYKZ3CApbZi3tQ1ZloqrcW_Ay4R2qBOkThWRbDN2Zma_xgeh6oG-xH0JHvNs9bQV93XOIf8n1Q0jA2Avjzmr27FtipB95_x5HTPIhZHF7pOoVUj23UUcSzwRI7pOIKOpJ3G5Jtkr3CEtswQbTtosFW0Pa2H4nr1uwc2fHLpIC4FUSEYI2LAHteXG2tchgReTLoHTQ_WX5_BVuUCQVnhQSID7F-fqDaZAWNc2juIRW_kwSyokNoB5CRiL43Cpmyh8giXe-NLQuX0dFm5aBXLhRyvZ2O6NO6W1r-pfvLa5LiGYFd_jYam0pB7RUNUmDc1Tbpk7breQBptdofbhg\''
\set expired '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtMSIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjI5MjAwfQ.177VMTXIoovp4IupMBLEI-9PQVuIyO2JP-PsY5s0zKQ-c_F7eH3cEGIVDMWn7UNlXnmQP1UF294tFAN5nAWa1K8LQaqG-uSSEfnFQPSBSPYtz7ZF8B1wjDd3rovu4OzapuVALQjjdVRlXe9UetNyrTcPzSzB3EMMvBT0h07RrSZhKepA7ex8C3Q_p0h5uTn9SJBo9oSv3G8-TIDrx2y9Gt612tNTcSr0bCLI6OSiAZ4hKq9IMgv2X3ySskU_F_XcoY5eYzSWKJjzEVBte91v1pUeuwmWJZOjYmoexEqq8vjcMvoLlfVov-D5KSsmntlFTL00aJkRbL5uUdPgRV84Rw\''
\set otherkey '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.iaah3CnqKY-W7imc_XdeRJFEwSouLVomFrm9AJ5zMTeHZGTbgn8qpq3Fj3EZh1ePyyTDt6jYrW7t2aXqoQKDSQZJSqHKfbfbKBAVnQB0PwHvl1Eufp13MYPkwqrGOxgNqBHdfGC55CxcKlbpHzDiI_Dv2dCYSGzDQtpmXk4zeRrsww-3AmNoQaf9goCWfnV6AZVvej5JrZkIvAnwb04jJ95ypZOiEgOaVFxAqjMI0bNYDimrVjlRtfG1QIoB33-rtUcB70vFdaI39v2tCW9QtzbKAkcawYd0M6jj4KYZQ9Qkp5L0oTv1WOep9t1K_qylmVgUjUEXqrdGh_GlAOIWrw\''
\set badclaims '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtMSIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjo0MTAyNDQ0ODAwLCJ1cm46dXNlcGFyYWdvbjpjb25uZWN0OnBlcm1pc3Npb25zIjp7ImludGVncmF0aW9uOioiOiJ5ZXMifX0.Guvw4TL84ZbnzKzZ6BOCHRirUaJxuKe4Zmlp84-WLxMLlpos9zKrygR0ddypT4vJbt_xSzSFw_UGhR1vzoPwG-_ja1xPGCHC_2FXzIlN-ulw8XvAd2wTfCsWjBY7U3rW7tXH4p5Ma6e2pVFHQ8axwK4ZGHlMgQltz-4boIZ4omv10An7XxvvSyXnFbVLYLEIC8WKRZfCR2wtUgbt_IYs_92qN2NzNrWqce9Sck4jk4INZq7KP-Nl-uUO6Bkq_SE8CY4voL3HW5TbaI3X85c-wonnjXx0SgM4mbCfzvKMrLg2HXnFc5iav-AvajjKv8xN1ILLsiR8Esp0TG2vhZATow\''
\set otheraud '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtMSIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMiIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.YC2UCNXptWCW08qtluhxl8QW1U6HN-4ZdVirV5UdY59Yi62rN5AgXm_WP_vIpbLdH6wtCTsq8KuW0ATN1oAuhaTqdmRNG7tAyjodbYBiUp9lYHxICybrs3c1lPTQYFiDeCZAbJhC-VIUVhfAJNe-Y36mnoyfgkNCAy-7L8LkgDQEKmAWLHFCBubhokDDClvNlMk0YJbOzIuCOPtH37jtGNBTdwEEHwIc4NO8p7X2b2bedh8FfIpHp1mhQZLj-uTPnuquizfmVv7Pv_dO4igyOBUU9keRSNBHCey7NqSv1ckZyM4hferX68hcCPakNaT8QafynQCu0UHtVi1EtYfr6g\''

-- the settings exist once the library is loaded, by any of its functions
SELECT paragon_current_claims() IS NULL AS loaded;
-- defaults
SHOW paragon.claims_source;
SHOW paragon.algorithms;
SHOW paragon.leeway;
SHOW paragon.claims_setting;
-- the prefix is reserved, and settings are checked
SET paragon.no_such_setting = 'x';
SET paragon.algorithms = 'RS256, HS256';
SET paragon.claims_source = 'both';

-- without a key, claims come from the setting (PostgREST's convention)
SELECT paragon_current_claims() AS no_claims_yet;
SELECT paragon_allowed('events') AS no_claims_false, paragon_visible('slack') AS no_claims_invisible;
SET request.jwt.claims = '{"sub": "u", "urn:useparagon:connect:permissions": {"integration:slack": true}}';
SELECT paragon_current_claims() ->> 'sub' AS sub;
SELECT paragon_allowed('events', 'slack') AS slack_true, paragon_allowed('events', 'hubspot') AS hubspot_false,
       paragon_visible('slack') AS visible_true,
       paragon_allowed('proxy-api', 'slack', '11111111-1111-1111-1111-111111111111'::uuid) AS uuid_true;
-- the setting is read again when it changes
SET request.jwt.claims = '{"sub": "v"}';
SELECT paragon_allowed('events', 'hubspot') AS unrestricted_true;
-- invalid claims in the setting are an error, never an allow
SET request.jwt.claims = '{"urn:useparagon:connect:permissions": {"integration:*": 1}}';
SELECT paragon_allowed('events', 'hubspot');
SET request.jwt.claims = 'not json';
SELECT paragon_allowed('events', 'hubspot');
RESET request.jwt.claims;
-- paragon_set_token needs a key
SELECT paragon_set_token(:admin);
-- a literal JSON object where a permission belongs: claims passed to a short form
SELECT paragon_allowed('{"sub": "x"}', 'events');
SELECT paragon_visible('{"sub": "x"}', 'slack', NULL);

-- the superuser configures the key; auto now means token
SET paragon.public_key = '-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA27slHP0jJ96X5kCq2tvl
ko7vJItFKeM/dt40lRM3SXAhXxaMJIrYj5CppsbxvFdgwJHfdnbM9rGP6Kgu4wlf
eGimIyaM7dyqqver6kfGrXJCnLmznXdezmOAcuJUPx25UEE94x5j+gX2k6EqnPsk
tkkAZDa3B1UM5aZ0ylcF1Mqn/49kMiniWFpXHqbx7qKAT/erles0xev/LN1daaeA
UBGlUF/XugHzpK/Lj1LalUOWYKozGITVAv43FI2JiGY4R4MwEGykpdajx4BRipo+
P0eXsIg2Zdh7AuIILaxKIdzQqkFxbGqTP8BtLnjhWjesRlspF80hFw5BgXlp+Z/Z
GQIDAQAB
-----END PUBLIC KEY-----';
SET paragon.audience = 'useparagon.com/proj-1';
SHOW paragon.claims_source;

CREATE ROLE regress_paragon_user;
CREATE TABLE session_credentials (id uuid PRIMARY KEY, integration text NOT NULL);
INSERT INTO session_credentials VALUES
	('11111111-1111-1111-1111-111111111111', 'salesforce'),
	('22222222-2222-2222-2222-222222222222', 'salesforce'),
	('33333333-3333-3333-3333-333333333333', 'hubspot');
ALTER TABLE session_credentials ENABLE ROW LEVEL SECURITY;
CREATE POLICY sel ON session_credentials FOR SELECT USING (paragon_visible(integration, id));
CREATE POLICY del ON session_credentials FOR DELETE USING (paragon_allowed('credential:write', integration, id));
GRANT SELECT, DELETE ON session_credentials TO regress_paragon_user;

SET ROLE regress_paragon_user;
-- the application role cannot change the trust settings or forge claims
SET paragon.public_key = 'x';
SET paragon.claims_source = 'setting';
SET paragon.token_claims = '{}';
SELECT set_config('paragon.token_claims', '{}', false);
-- with claims from tokens, request.jwt.claims changes nothing
SET request.jwt.claims = '{"sub": "forged"}';
SELECT count(*) AS forged_sees_nothing FROM session_credentials;
SELECT paragon_current_claims() AS no_claims;

-- a member token: one credential
SELECT paragon_set_token(:member);
SELECT paragon_current_claims() ->> 'sub' AS sub;
SELECT id, integration FROM session_credentials ORDER BY id;
SELECT paragon_allowed('credential:write', 'salesforce', '11111111-1111-1111-1111-111111111111') AS write_true,
       paragon_allowed('credential:write', 'salesforce', '22222222-2222-2222-2222-222222222222'::uuid) AS write_false;
-- parallel workers see the same claims (debug_parallel_query was called
-- force_parallel_mode before PostgreSQL 16)
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
            THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END AS parallel_guc \gset
SET :parallel_guc = on;
SELECT count(*) AS parallel_count FROM session_credentials;
RESET :parallel_guc;

-- is_local: the transaction's claims only
BEGIN;
SELECT paragon_set_token(:admin, true);
SELECT count(*) AS admin_sees_all FROM session_credentials;
COMMIT;
SELECT count(*) AS member_again FROM session_credentials;
-- a rolled back transaction keeps the claims it started with
BEGIN;
SELECT paragon_set_token(:admin);
ROLLBACK;
SELECT paragon_current_claims() ->> 'sub' AS still_member;

-- refusals leave the current claims alone
SELECT paragon_set_token(:otherkey);
SELECT paragon_set_token(:expired);
SELECT paragon_set_token(:otheraud);
SELECT paragon_set_token(:badclaims);
SELECT paragon_set_token('not a token');
SELECT paragon_current_claims() ->> 'sub' AS still_member;

-- a request without a token clears the claims, never keeps the last ones
SELECT paragon_set_token(NULL);
SELECT count(*) AS null_token_sees_nothing FROM session_credentials;
SELECT paragon_set_token(:member);

-- clearing: no claims, nothing visible
SELECT paragon_clear_token();
SELECT count(*) AS cleared_sees_nothing FROM session_credentials;
SELECT paragon_current_claims() AS cleared;

-- DISCARD ALL (connection poolers) forgets the token too
SELECT paragon_set_token(:admin);
SELECT count(*) AS admin_count FROM session_credentials;
RESET ROLE;
DISCARD ALL;
SET paragon.public_key = '-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA27slHP0jJ96X5kCq2tvl
ko7vJItFKeM/dt40lRM3SXAhXxaMJIrYj5CppsbxvFdgwJHfdnbM9rGP6Kgu4wlf
eGimIyaM7dyqqver6kfGrXJCnLmznXdezmOAcuJUPx25UEE94x5j+gX2k6EqnPsk
tkkAZDa3B1UM5aZ0ylcF1Mqn/49kMiniWFpXHqbx7qKAT/erles0xev/LN1daaeA
UBGlUF/XugHzpK/Lj1LalUOWYKozGITVAv43FI2JiGY4R4MwEGykpdajx4BRipo+
P0eXsIg2Zdh7AuIILaxKIdzQqkFxbGqTP8BtLnjhWjesRlspF80hFw5BgXlp+Z/Z
GQIDAQAB
-----END PUBLIC KEY-----';
SELECT paragon_current_claims() AS after_discard;

-- verified claims whose exp has passed (beyond paragon.leeway) are no
-- claims from the next statement on, though nothing cleared them.  They
-- are stored here as paragon_set_token stores verified claims, with an exp
-- of 1970-01-01 00:00:01 that every clock has passed, so no time must pass
SELECT set_config('paragon.token_claims',
  '{"sub": "m1", "exp": 1, "urn:useparagon:connect:permissions": {"integration:*": true}}', false) IS NOT NULL AS stored;
SELECT paragon_current_claims() IS NULL AS expired_no_claims,
       paragon_allowed('events', 'salesforce') AS expired_allowed,
       paragon_visible('salesforce') AS expired_visible;
-- the same claims with exp in 2100 are the session's
SELECT set_config('paragon.token_claims',
  '{"sub": "m1", "exp": 4102444800, "urn:useparagon:connect:permissions": {"integration:*": true}}', false) IS NOT NULL AS stored;
SELECT paragon_current_claims() ->> 'sub' AS unexpired_sub,
       paragon_allowed('events', 'salesforce') AS unexpired_allowed;
SELECT paragon_clear_token();

DROP TABLE session_credentials;
DROP ROLE regress_paragon_user;
