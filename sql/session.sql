--
-- session: the paragon.* settings, paragon.token, paragon_set_token and
-- the short forms
--
-- Tokens: test/fixtures/session/make-session-tokens.sh (RS256, issued in
-- 2000, expiring in 2100, "expired" in 2000: the same verdicts on any clock
-- between those years).  A token that expires while it is set is tested
-- by test/suite-expiry.sh, which mints one at test time.
--
-- IF NOT EXISTS: earlier tests of the suite may have created it already.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;
-- the RSA 2048 public key, read from test/fixtures/keys (pg_regress runs
-- psql in a directory that holds test/fixtures)
\set rsa2048_public `cat test/fixtures/keys/rsa2048-public.pem`
\set admin '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6OTQ2Njg0ODAwLCJleHAiOjQxMDI0NDQ4MDB9.LbMmaa6GJ0AfXXMAjdmBTr1a4TRLgqD3fBg-DIPYLHxYtlC4n9hvKU03-KelcHfx8qlpaaEQ5EWJHFwTjMd52-b9BQxQ-jF31JU9A7el5yDYPx_LLWYeAB0q23frAGFRFujURN4E-zLE9gfbd97ZbdCFwCtDCJS6cBPoGZyehlmCupo3d5FS7X2n3poY-P_aQVjlB00kwU4x5U4Q0dHEoNTYhWdPx0RruQV5KLBJdt2wMbRc0pf1H951pzEl0e276gzyw92ZXVGwex215T85MvZV6eFofXg_MWvA2OaxYr6LjTW9x7pjFSL80Na3qUcPMI0bI7wW8nAoMhkzDU0x1A\''
\set member '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtMSIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6OTQ2Njg0ODAwLCJleHAiOjQxMDI0NDQ4MDAsInVybjp1c2VwYXJhZ29uOmNvbm5lY3Q6cGVybWlzc2lvbnMiOnsiaW50ZWdyYXRpb246c2FsZXNmb3JjZSI6eyJjcmVkZW50aWFsOjExMTExMTExLTExMTEtMTExMS0xMTExLTExMTExMTExMTExMSI6WyJjcmVkZW50aWFsOndyaXRlIl19fX0.d2gE_Vq5cCBhwPqYwFRPMbaEcLYTbGj5bGNZ-bIHQNlXLfmqPKPGMfXGFaPcqZmTy943l66dOgniOMjfupEvzQs6hfZSWP2lazQU7o-48905XNpEgOki9q5Uh6ETZcFWBXi7Ds7PrJYTNsUzBIsLv5If5heqbMygy8NmC2qcDznr64NLOcheNXAhvf9GWmGgHthVg2F1wI0cnzng6QbNaZAiNFq9qgGa4NVvDNzZDgd5e0wXFrdOvTLE6qbBV_Ox7LJo0cMrywZl05260eC6Ej4U3zkUZxLs7kCUuxYg23POHl5anKaSJbl5HK5CGQLKuteZXqzdTAHiRk5ejOjg_g\''
\set expired '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtMSIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6OTQ2Njg0ODAwLCJleHAiOjk0NjY4ODQwMH0.FCy5aSTjDL222UBpq40NKXsIfN0UCr-rUNMN-C22LSTR8gGq75Tbmug5mQPeQmb_DxATQ4BkM_W-gJtcIVnW5hWdQJrcLW6fiW62wYde6y0rAD7hrFTb0BRD_3mUKG80PHhz29gjJEFpsJopMqoe_CZBWzfYnSc-sWThM0ocQ_-0uxJ-OefEmR98ZxBwnD38jA4apmjbeczCZpF-WrWda09HHMWt2JI1TkRPS4qSm_CPIBwnGki2aJhxizuVRxgDiOVxtm8aV3YwVgr9oeSMCldOsA8fO8yt1UuyN7dCDbKyp5Zs8REiqCeZwqZnNEOEAo8u10AJd43mL8Wy80eOYQ\''
\set noexp '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtMSIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6OTQ2Njg0ODAwfQ.P7tp1fj5sj7bQ0CwVsjtUGgiQtxTmscxef5WfosPkuWQipBVRywJ48XISvBf9f6kO4E5QWvIaDJ97xB_Qn7GG6DRy6DxF7lN8eOEd1xKVHqtyDtJ_LCMUuOWc44hN7vea0CAAN2wIZ7kNe54YGC24KYERbpiaEHhS4x8kmuQ8vgQaL_lhuHSg_Mjc2J7eK_XkAGHt4pm93nQBIWGLuVfbCHDR1DpZd1dSQKblTmvHi82eIM7S7ly2NkF0lCefh3SpcC6aeQIoyLCRxlG4InI5J7QsNGbC0VXIKGUuead3K4ouMXNar4aE_lHq754uUgaCz7MSJs8ceaiJEidVDDXPA\''
\set otherkey '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6OTQ2Njg0ODAwLCJleHAiOjQxMDI0NDQ4MDB9.Jnb83TOfDHJetl7RyxIdVWid5lwseKOwC8FPMzHCZG8XEUzwFajz43lmBMKPBymzEto0DnzFFd0-NFyylHBmV6YWwb7b57dtprPI4EjZG8ROz3OKMbbGmeWfvvq51JlFbU0ipvjKlaT1OVIxQsWNguDbO6ZjmLxeAytoyMBNhX-VByohKLxMpwDrmgOXvyG_pggfQHFUf84cKas6DZ5BAiJ3jPBAfqE2IUXnzKcpMEwQPIR_lijYLlgcL7k4BY3yJlDm8AprBXZKTVgBxIpVbgZYQH1edlr3JeHiVZd6ZfyARGW-FuwYmIf2Z9HxbqrDF6ds2mSarPf0ZV89MK4abQ\''
\set badclaims '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtMSIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6OTQ2Njg0ODAwLCJleHAiOjQxMDI0NDQ4MDAsInVybjp1c2VwYXJhZ29uOmNvbm5lY3Q6cGVybWlzc2lvbnMiOnsiaW50ZWdyYXRpb246KiI6InllcyJ9fQ.wNFEZ2zbJ2HW-RCKW_u8jeapFGtkUmWzaIP4PnCl-svVJ9bkIAZxZD6QAqpWgDIW6Xuh2cF5Ibt2LK92xfK2Kg1b7yLhhf5NE8GZ_BOjc82hN0DnlDfuCFm8jJKMsYbYQggjDxRX-gmpZQipg9Agmk60hpdkvCYFRaY9uV_erGDFDNKg3pdP987-QyrBFdksSb9cv_cu9E60Qo2uN0GPdzrNMK3ZzTXjnNO0eCtOg3WEn0obJMoJ3DmuMLrtXvUw4dIxITjE7IBaQ7WZl7vwemPV0btXPVUSdhgOIu1xnbC6amE--s67vKmEValo7Vtqt-k4ZikoNIKMIq97T-WgkQ\''
\set otheraud '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtMSIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMiIsImlhdCI6OTQ2Njg0ODAwLCJleHAiOjQxMDI0NDQ4MDB9.rmEV3GhOm97tZ1DXgWQFo46cpbBafyc0mewk0uKfL4bYua76oVGyJV4ZhperW7OfhyYc1jiTXk_lpme-G1FnkK6uEXbkKF7tKC8oLwt_ufhffRbsqZQx9MCAsPtoIfNLgnPdbHOpocaC49jmYA2rP81QaRRsZL_ES-bpZ33bMtVGa9vp21j8vnwebd6Ao7CrN-1fTLO13cMs88sNBfz9OCeNj0sCeUSwMh1YaUIhqZ4TW0XOsT5_uS8OwvnBNO_rXmMKq6ggHxwNtI7BiheBEzsJ6iU8qyxNYKLSr4tvkE0opaYIi-9UNpp-KI213xDcySgUtPdUne48UYTBMDJglw\''

-- the settings exist once the library is loaded, by any of its functions
SELECT paragon_current_claims() IS NULL AS loaded;
-- defaults
SHOW paragon.claims_source;
SHOW paragon.algorithms;
SHOW paragon.leeway;
SHOW paragon.claims_setting;
SHOW paragon.token_lifetime;
SELECT current_setting('paragon.token') = '' AS no_token;
-- the prefix is reserved, and settings are checked
SET paragon.no_such_setting = 'x';
SET paragon.algorithms = 'RS256, HS256';
SET paragon.claims_source = 'both';
SET paragon.token_lifetime = 'forever';
-- paragon.token's check hook looks at the shape only (it never verifies)
SET paragon.token = 'not a token';
SET paragon.token = 'a.b';
SET paragon.token = 'a.b.c.d';
SET paragon.token = '.b.c';
SET paragon.token = ' a.b.c';
SET paragon.token = 'a.b.c';
RESET paragon.token;

-- claims from a setting (PostgREST's convention)
SET paragon.claims_source = 'setting';
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
-- never two sources: a token next to claims from a setting is an error
BEGIN;
SET LOCAL paragon.token = :member;
SELECT paragon_current_claims();
ROLLBACK;
-- paragon_set_token needs claims from tokens, and does not clear a setting's claims
SELECT paragon_set_token(:admin);
SELECT paragon_set_token(NULL);
SELECT paragon_clear_token();
SELECT paragon_current_claims() ->> 'sub' AS still_v;
-- invalid claims in the setting are an error, never an allow
SET request.jwt.claims = '{"urn:useparagon:connect:permissions": {"integration:*": 1}}';
SELECT paragon_allowed('events', 'hubspot');
SET request.jwt.claims = 'not json';
SELECT paragon_allowed('events', 'hubspot');
RESET request.jwt.claims;
-- a literal JSON object where a permission belongs: claims passed to a short form
SELECT paragon_allowed('{"sub": "x"}', 'events');
SELECT paragon_visible('{"sub": "x"}', 'slack', NULL);

-- claims from tokens: a token without a key is an error, never a deny
SET paragon.claims_source = 'token';
BEGIN;
SET LOCAL paragon.token = :member;
SELECT paragon_current_claims();
ROLLBACK;
-- the superuser configures the key
SET paragon.public_key = :'rsa2048_public';
SET paragon.audience = 'useparagon.com/proj-1';
SELECT paragon_current_claims() IS NULL AS no_token_yet;

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
-- the number of parallel workers a query launched
CREATE FUNCTION regress_workers(q text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	plan jsonb;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) ' || q INTO plan;
	RETURN (SELECT coalesce(sum(w::int), 0) FROM jsonb_path_query(plan, 'strict $.**."Workers Launched"') w);
END $$;

SET ROLE regress_paragon_user;
-- the application role cannot change the trust settings or forge a verdict
SET paragon.public_key = 'x';
SET paragon.claims_source = 'setting';
SET paragon.token_lifetime = 'session';
SET paragon.token_scope = 'x';
SELECT set_config('paragon.token_scope', 'x', true);
-- with claims from tokens, request.jwt.claims changes nothing
SET request.jwt.claims = '{"sub": "forged"}';
SELECT count(*) AS forged_sees_nothing FROM session_credentials;
SELECT paragon_current_claims() AS no_claims;
RESET request.jwt.claims;

-- the documented form: the token of the transaction, with SET LOCAL
BEGIN;
SET LOCAL paragon.token = :member;
SELECT paragon_current_claims() ->> 'sub' AS sub;
SELECT id, integration FROM session_credentials ORDER BY id;
SELECT paragon_allowed('credential:write', 'salesforce', '11111111-1111-1111-1111-111111111111') AS write_true,
       paragon_allowed('credential:write', 'salesforce', '22222222-2222-2222-2222-222222222222'::uuid) AS write_false;
COMMIT;
-- it ends with the transaction
SELECT count(*) AS after_commit_nothing FROM session_credentials;
-- set_config(..., true) is the same
BEGIN;
SELECT set_config('paragon.token', :admin, true) IS NOT NULL AS set;
SELECT count(*) AS admin_sees_all FROM session_credentials;
COMMIT;
-- paragon_set_token is the same (is_local defaults to true), verified at once
BEGIN;
SELECT paragon_set_token(:member);
SELECT current_setting('paragon.token') = :member AS token_is_the_setting;
SELECT count(*) AS member_one FROM session_credentials;
COMMIT;
-- outside a transaction block it warns, as SET LOCAL does, and lasts one statement
SELECT paragon_set_token(:member);
SELECT count(*) AS still_nothing FROM session_credentials;

-- a token set for the session is refused at use (paragon.token_lifetime = transaction)
SET paragon.token = :member;
SELECT count(*) FROM session_credentials;
SELECT paragon_current_claims();
-- class 28, as every refused token
\set VERBOSITY sqlstate
SELECT count(*) FROM session_credentials;
SELECT paragon_set_token('not a token');
\set VERBOSITY default
RESET paragon.token;
SELECT set_config('paragon.token', :member, false) IS NOT NULL AS set;
SELECT paragon_allowed('credential:write', 'salesforce', '11111111-1111-1111-1111-111111111111');
RESET paragon.token;
-- paragon_set_token(..., false) is refused at once, and the failed statement keeps nothing
SELECT paragon_set_token(:member, false);
SELECT current_setting('paragon.token') = '' AS nothing_kept;
-- the stack decides, not the order of events: SET then SET LOCAL counts in
-- the transaction, and the SET's value is refused after it
BEGIN;
SET paragon.token = :admin;
SET LOCAL paragon.token = :member;
SELECT count(*) AS local_member_one FROM session_credentials;
COMMIT;
SELECT paragon_current_claims() ->> 'sub';
-- SET LOCAL then SET: the session value is refused at once
BEGIN;
SET LOCAL paragon.token = :member;
SET paragon.token = :member;
SELECT count(*) FROM session_credentials;
ROLLBACK;
SELECT current_setting('paragon.token') = :admin AS rollback_keeps_the_earlier_set;
RESET paragon.token;
-- a function's SET clause scopes the token to the call: it counts there
RESET ROLE;
CREATE FUNCTION regress_member_count() RETURNS bigint LANGUAGE sql
	SET paragon.token = :member AS 'SELECT count(*) FROM session_credentials';
SET ROLE regress_paragon_user;
SELECT regress_member_count() AS function_token_one;
SELECT count(*) AS none_after_the_call FROM session_credentials;

-- parallel workers decide as the leader does: they honour the transaction's
-- token, and refuse a session token (the leader does not take part, so
-- only workers read the claims)
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
BEGIN;
SET LOCAL paragon.token = :member;
SELECT count(*) AS parallel_count FROM session_credentials;
SELECT regress_workers('SELECT count(*) FROM session_credentials') > 0 AS ran_in_workers;
COMMIT;
SET paragon.token = :member;
SELECT count(*) FROM session_credentials;
RESET paragon.token;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- a refused token leaves no claims behind: in a transaction the refusal
-- aborts it, and ROLLBACK TO SAVEPOINT restores the earlier token as it
-- would any setting
BEGIN;
SET LOCAL paragon.token = :member;
SELECT count(*) AS member_one FROM session_credentials;
SAVEPOINT s;
SET LOCAL paragon.token = :expired;
SELECT count(*) FROM session_credentials;
ROLLBACK TO SAVEPOINT s;
SELECT paragon_current_claims() ->> 'sub' AS member_again;
SAVEPOINT s;
SELECT paragon_set_token(:otherkey);
ROLLBACK TO SAVEPOINT s;
SAVEPOINT s;
SELECT paragon_set_token(:expired);
ROLLBACK TO SAVEPOINT s;
SAVEPOINT s;
SELECT paragon_set_token(:otheraud);
ROLLBACK TO SAVEPOINT s;
-- a token without exp: the hint names no parameter paragon_set_token lacks
SAVEPOINT s;
SELECT paragon_set_token(:noexp);
ROLLBACK TO SAVEPOINT s;
SAVEPOINT s;
SELECT paragon_set_token(:badclaims);
ROLLBACK TO SAVEPOINT s;
SAVEPOINT s;
SELECT paragon_set_token('not a token');
ROLLBACK TO SAVEPOINT s;
SELECT paragon_current_claims() ->> 'sub' AS still_member;
-- a request without a token clears it, never keeps the last one
SELECT paragon_set_token(NULL);
SELECT count(*) AS null_token_sees_nothing FROM session_credentials;
SELECT paragon_set_token(:member);
SELECT paragon_clear_token();
SELECT count(*) AS cleared_sees_nothing FROM session_credentials;
SELECT paragon_current_claims() AS cleared;
COMMIT;

-- with paragon.token_lifetime = session, session tokens count too
RESET ROLE;
SET paragon.token_lifetime = 'session';
SET ROLE regress_paragon_user;
SELECT paragon_set_token(:member, false);
SELECT count(*) AS session_member_one FROM session_credentials;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT count(*) AS parallel_session_one FROM session_credentials;
SELECT regress_workers('SELECT count(*) FROM session_credentials') > 0 AS ran_in_workers;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
-- a refused token keeps the earlier one (the failed statement undoes its
-- SET) ...
SELECT paragon_set_token(:expired, false);
SELECT paragon_current_claims() ->> 'sub' AS earlier_token_answers;
-- ... so each request starts with paragon_clear_token()
SELECT paragon_clear_token();
SELECT paragon_set_token(:expired, false);
SELECT paragon_current_claims() AS no_claims;
SELECT count(*) AS nothing FROM session_credentials;

-- verified claims hold only for the settings they were verified with
SELECT paragon_set_token(:admin, false);
SELECT count(*) AS admin_count FROM session_credentials;
RESET ROLE;
SET paragon.audience = 'useparagon.com/proj-2';
SELECT paragon_current_claims();
SET paragon.audience = 'useparagon.com/proj-1';
SELECT paragon_current_claims() ->> 'sub' AS admin_again;

-- DISCARD ALL (connection poolers) forgets the token
DISCARD ALL;
SELECT current_setting('paragon.token') = '' AS discarded;
SET paragon.public_key = :'rsa2048_public';
SELECT paragon_current_claims() AS after_discard;

DROP TABLE session_credentials;
DROP FUNCTION regress_workers(text);
DROP FUNCTION regress_member_count();
DROP ROLE regress_paragon_user;
