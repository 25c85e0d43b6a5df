--
-- settings: the superuser settings are checked when set; a value lost as
-- the library loaded leaves the session without claims (42501); private
-- keys are refused in every form; look-alikes of the permissions claim
-- are listed, and refused under paragon.strict_claims.
--
-- Tokens: test/fixtures/session/make-session-tokens.sh (RS256, issued in
-- 2000, expiring in 2100).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;
\set admin '''eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6OTQ2Njg0ODAwLCJleHAiOjQxMDI0NDQ4MDB9.LbMmaa6GJ0AfXXMAjdmBTr1a4TRLgqD3fBg-DIPYLHxYtlC4n9hvKU03-KelcHfx8qlpaaEQ5EWJHFwTjMd52-b9BQxQ-jF31JU9A7el5yDYPx_LLWYeAB0q23frAGFRFujURN4E-zLE9gfbd97ZbdCFwCtDCJS6cBPoGZyehlmCupo3d5FS7X2n3poY-P_aQVjlB00kwU4x5U4Q0dHEoNTYhWdPx0RruQV5KLBJdt2wMbRc0pf1H951pzEl0e276gzyw92ZXVGwex215T85MvZV6eFofXg_MWvA2OaxYr6LjTW9x7pjFSL80Na3qUcPMI0bI7wW8nAoMhkzDU0x1A'''
\set lookalike '''eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ0eXBvIiwiYXVkIjoidXNlcGFyYWdvbi5jb20vcHJvai0xIiwiaWF0Ijo5NDY2ODQ4MDAsImV4cCI6NDEwMjQ0NDgwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9uIjp7ImludGVncmF0aW9uOioiOmZhbHNlfX0.xgyiJD3JZ6lKutmRJseYNqSZQSydLyTmkj-FQb-O8Odmx8QeGoyOkYygPqnSLjvziuoBg0vmB8R1H_ocgKrzyd0UZ5sVl8Bo9sq7HwAv3fIV3IPU0FXQ0QVKp-hpT5g4IDNFuw1HnqnUVodGlYtlmub8m3VFBwGxz3k6zPYo3zl-hymnKJwCoAmbhZF4ZMrr9Ztv9CujOUA7bh-X20uKB7uX_rfigC92IH0cUJUoM69MgsocoXwnXTDkriv-eUWPbUCY34vDK62R2eV8Vv-X4zXVW0t3oPWB1YJgU_-UM70P_gT77lLJQQCftTWJIvigu3x5now_EL7GZI_mBpCDCg'''
\set rsa_n '27slHP0jJ96X5kCq2tvlko7vJItFKeM_dt40lRM3SXAhXxaMJIrYj5CppsbxvFdgwJHfdnbM9rGP6Kgu4wlfeGimIyaM7dyqqver6kfGrXJCnLmznXdezmOAcuJUPx25UEE94x5j-gX2k6EqnPsktkkAZDa3B1UM5aZ0ylcF1Mqn_49kMiniWFpXHqbx7qKAT_erles0xev_LN1daaeAUBGlUF_XugHzpK_Lj1LalUOWYKozGITVAv43FI2JiGY4R4MwEGykpdajx4BRipo-P0eXsIg2Zdh7AuIILaxKIdzQqkFxbGqTP8BtLnjhWjesRlspF80hFw5BgXlp-Z_ZGQ'

-- An application role writes superuser settings before the library is
-- loaded in its session (a fresh connection): they are placeholders then,
-- which any role may write.  When the library loads, PostgreSQL refuses
-- them (a WARNING) and would run on the built-in defaults; the session
-- gets no claims and no token instead (42501, naming the setting).
CREATE ROLE regress_settings_app LOGIN;
SELECT current_user AS superuser \gset
ALTER ROLE regress_settings_app SET paragon.claims_source = 'setting';
ALTER ROLE regress_settings_app SET paragon.audience = 'useparagon.com/proj-1';
\c - regress_settings_app
SET paragon.leeway = 3600;
SET request.jwt.claims = '{}';
SELECT paragon_current_claims();
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_allowed('events', 'slack');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_set_token(:admin);
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_clear_token();
\echo :LAST_ERROR_SQLSTATE
-- the backend's settings are pinned to claims from tokens and no key (the
-- role says 'setting'), so that what derives from them without the check,
-- a parallel worker, holds no claims either
SHOW paragon.claims_source;
SHOW paragon.public_key;
SHOW paragon.audience;
-- explicit claims do not read the settings and still answer
SELECT paragon_allowed('{}', 'events', 'slack', NULL, NULL) AS explicit_true;
-- the mark lasts for the session, whatever is reset
RESET ALL;
SELECT paragon_current_claims();
\echo :LAST_ERROR_SQLSTATE
-- a new session that writes nothing is not marked
\c - regress_settings_app
SELECT paragon_current_claims() AS fresh_session_no_claims;
SET request.jwt.claims = '{"sub": "from the role''s settings"}';
SELECT paragon_current_claims() ->> 'sub' AS fresh_session_sub;
-- once the library is loaded, the role cannot write them at all
SET paragon.claims_source = 'setting';
\c - :"superuser"
-- (load the library in this session first: until then, even a superuser's
-- SET only writes a placeholder, checked when the library loads)
SELECT paragon_current_claims() IS NULL AS loaded;

-- defaults fail closed: claims come from tokens, verified with no key yet
SHOW paragon.claims_source;
SHOW paragon.strict_claims;
SET paragon.claims_source = 'auto';

-- paragon.public_key is checked when set, with the messages of the first
-- token; the value is never quoted back (it may be a private key)
SET paragon.public_key = '-----BEGIN PUBLIC KEY----- ...';
SET paragon.public_key = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA';
SET paragon.public_key = '{"kty": "RSA", "n": "AQAB"';
SET paragon.public_key = '-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg5WsRwckO5FIJjpTX
SOBkrz++h+5nsJeyGljiBua4pUChRANCAAQuuZ2Vb++82W5SiOtSs4cZZidtZnp4
/7MKXeghtoKbf3W4kKCRM162tFq2i8utGuOya8Jo8MiSlKjt32ilTLgR
-----END PRIVATE KEY-----';
SELECT set_config('paragon.public_key', '{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB", "d": "AQAB"}', false);
SELECT set_config('paragon.public_key', '{"keys": [{"kty": "RSA", "kid": "rsa-1", "n": "' || :'rsa_n' || '", "e": "AQAB"}, {"kty": "oct", "kid": "h", "k": "c2VjcmV0"}]}', false);
SELECT set_config('paragon.public_key', '{"keys": []}', false);
SELECT set_config('paragon.public_key', '{"kty": "RSA", "n": "AQAB", "e": "AQAB"}', false);
-- ALTER ROLE/DATABASE ... SET check the same way
ALTER ROLE regress_settings_app SET paragon.public_key = '-----BEGIN PUBLIC KEY----- ...';
-- a good key is accepted, and verifies
SELECT set_config('paragon.public_key', '{"keys": [{"kty": "RSA", "kid": "rsa-1", "n": "' || :'rsa_n' || '", "e": "AQAB"}]}', false) IS NOT NULL AS key_set;
SET paragon.public_key = '';
SHOW paragon.public_key;

-- paragon.audience is checked for what no aud could match
SET paragon.audience = ' useparagon.com/proj-1';
SET paragon.audience = E'useparagon.com/proj-1\n';
SET paragon.audience = E'useparagon.com/\tproj-1';
SET paragon.audience = 'useparagon.com/proj-1';
SHOW paragon.audience;
-- paragon.algorithms names supported algorithms only
SET paragon.algorithms = 'RS256, HS256';
SET paragon.algorithms = ' , ';
RESET paragon.audience;

-- private keys are refused in every form, with one message, even when the
-- token would pick another key of the set; the public parts alone verify
CREATE FUNCTION settings_verify(tok text, key text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	detail text;
BEGIN
	RETURN 'verified ' || (paragon_verify_token(tok, key, '{RS256,ES256,EdDSA}',
	                                            at => '2030-01-01 00:00:00+00') ->> 'sub');
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ' ' || SQLERRM || ' / ' || detail;
END $$;
WITH k(name, key) AS (VALUES
	('RSA public', '{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB"}'),
	('RSA with d', '{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB", "d": "AQAB"}'),
	('RSA with p', '{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB", "p": "AQAB"}'),
	('RSA with q', '{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB", "q": "AQAB"}'),
	('RSA with dp', '{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB", "dp": "AQAB"}'),
	('RSA with dq', '{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB", "dq": "AQAB"}'),
	('RSA with qi', '{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB", "qi": "AQAB"}'),
	('RSA with oth', '{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB", "oth": []}'),
	('EC with d', '{"kty": "EC", "crv": "P-256", "x": "LrmdlW_vvNluUojrUrOHGWYnbWZ6eP-zCl3oIbaCm38", "y": "dbiQoJEzXra0WraLy60a47JrwmjwyJKUqO3faKVMuBE", "d": "5WsRwckO5FIJjpTXSOBkrz--h-5nsJeyGljiBua4pUA"}'),
	('OKP with d', '{"kty": "OKP", "crv": "Ed25519", "x": "1IHVJmVtjKn9HBuUdKSkQugmI9WP8i3K25jf8Z8sCjI", "d": "AQAB"}'),
	('oct with k', '{"kty": "oct", "k": "c2VjcmV0"}'),
	('set, RSA public', '{"keys": [{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB"}]}'),
	('set, RSA with d', '{"keys": [{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB", "d": "AQAB"}]}'),
	('set, EC with d beside RSA', '{"keys": [{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB"}, {"kty": "EC", "crv": "P-256", "x": "LrmdlW_vvNluUojrUrOHGWYnbWZ6eP-zCl3oIbaCm38", "y": "dbiQoJEzXra0WraLy60a47JrwmjwyJKUqO3faKVMuBE", "d": "AQAB"}]}'),
	('set, OKP with d beside RSA', '{"keys": [{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB"}, {"kty": "OKP", "crv": "Ed25519", "x": "1IHVJmVtjKn9HBuUdKSkQugmI9WP8i3K25jf8Z8sCjI", "d": "AQAB"}]}'),
	('PEM private key', '-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg5WsRwckO5FIJjpTX
SOBkrz++h+5nsJeyGljiBua4pUChRANCAAQuuZ2Vb++82W5SiOtSs4cZZidtZnp4
/7MKXeghtoKbf3W4kKCRM162tFq2i8utGuOya8Jo8MiSlKjt32ilTLgR
-----END PRIVATE KEY-----'))
SELECT name, settings_verify(:admin, key) AS result FROM k;

-- a look-alike of the permissions claim: evaluation ignores it (the token
-- is unrestricted), paragon_claims_valid says what evaluation does, and
-- paragon_claims_errors lists it with its path
SELECT paragon_allowed('{"urn:useparagon:connect:permission": {"integration:*": false}}', 'events', 'slack', NULL, NULL) AS ignored_true,
       paragon_claims_valid('{"urn:useparagon:connect:permission": {"integration:*": false}}') AS valid;
SELECT * FROM paragon_claims_errors('{"urn:useparagon:connect:permission": {"integration:*": false}}');
SELECT k AS claim, (SELECT count(*) FROM paragon_claims_errors(jsonb_build_object(k, '{}'::jsonb))) AS listed
FROM (VALUES ('urn:useparagon:connect:permissions'), ('URN:USEPARAGON:CONNECT:PERMISSIONS'),
             ('urn:useparagon:connect:Permissions'), ('urn:useparagon:connect:permisions'),
             ('urn:useparagon:connect:permissionz'), ('urn:useparagon:connect:roles'),
             ('useparagon:connect:permissions'), ('urn:paragon:connect:permissions'),
             (' urn:useparagon:connect:permissions'), ('sub'), ('permissions'),
             ('urn:example:connect:permissions'), ('https://example.com/claims')) v(k);
-- a look-alike beside the real claim is listed too; a long one is cut
SELECT * FROM paragon_claims_errors('{"urn:useparagon:connect:permissions": {}, "urn:useparagon:connect:Permissions": {}}');
SELECT * FROM paragon_claims_errors(jsonb_build_object('urn:useparagon:' || repeat('x', 300), true));

-- paragon.strict_claims makes a look-alike an error in the session forms
-- and the token calls; the explicit-claims functions stay pure functions
-- of their arguments
SET paragon.strict_claims = on;
SELECT paragon_allowed('{"urn:useparagon:connect:permission": {"integration:*": false}}', 'events', 'slack', NULL, NULL) AS explicit_unchanged;
SET paragon.claims_source = 'setting';
SET request.jwt.claims = '{"sub": "t", "urn:useparagon:connect:permission": {"integration:*": false}}';
SELECT paragon_allowed('events', 'slack');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_current_claims();
-- turning it off and on applies at once to claims already read
SET paragon.strict_claims = off;
SELECT paragon_allowed('events', 'slack') AS strict_off_true;
SET paragon.strict_claims = on;
SELECT paragon_visible('slack');
SET request.jwt.claims = '{"sub": "t", "urn:useparagon:connect:permissions": {"integration:*": false}}';
SELECT paragon_allowed('events', 'slack') AS exact_claim_false;
-- the token path
RESET paragon.claims_source;
RESET request.jwt.claims;
SELECT set_config('paragon.public_key', '{"kty": "RSA", "n": "' || :'rsa_n' || '", "e": "AQAB"}', false) IS NOT NULL AS key_set;
BEGIN;
SELECT paragon_set_token(:lookalike, true);
ROLLBACK;
BEGIN;
SELECT paragon_set_token(:admin, true);
SELECT paragon_current_claims() ->> 'sub' AS sub;
ROLLBACK;
SET paragon.strict_claims = off;
BEGIN;
SELECT paragon_set_token(:lookalike, true);
SELECT paragon_current_claims() ->> 'sub' AS lenient_sub, paragon_allowed('events', 'slack') AS lenient_unrestricted;
ROLLBACK;

RESET ALL;
DROP FUNCTION settings_verify(text, text);
DROP ROLE regress_settings_app;
