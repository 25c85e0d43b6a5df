--
-- token_cache: the backend's caches of verified tokens and parsed keys
--
-- A cached token must get the verdict a fresh verification would give:
-- its time claims are judged at the instant of every call, another key
-- or other options are another entry, and a refusal is never kept.
-- Keys are read from test/fixtures; tokens are copies of its tokens/*.token,
-- issued 2026-01-01 00:00:00+00, expiring at 01:00:00; nbf.token is valid
-- from 02:00:00 to 04:00:00.  Every call judges at a fixed instant.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;
SET timezone = 'UTC';
\set VERBOSITY terse

-- the keys, read from test/fixtures (pg_regress runs psql in a directory
-- that holds it)
\set ec_key `cat test/fixtures/keys/ec256-public.pem`
\set rsa_key `cat test/fixtures/keys/rsa2048-public.pem`
\set other_ec_key `cat test/fixtures/rfc7515/A3-es256-public.pem`
\set es256 'eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImVjLTEifQ.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJwYXJhZ29uLXRlc3QiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9ucyI6eyJpbnRlZ3JhdGlvbjoqIjp0cnVlfX0.gNat01NoZDoEFL3FRKH1px36DPnKBaarzHhJpV90SLmpF6d2wCR1G0g_SBU0HbLwnyCgV3cMF6CdUc-QK9zFOg'
\set nbf 'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.eyJzdWIiOiJ1c2VyLTEiLCJuYmYiOjE3NjcyMzI4MDAsImV4cCI6MTc2NzI0MDAwMH0.az_ZFcbRftek7GP92BdzXzImG_v5vCrVXXYODFOSJV_YbY-Bg4ijzCdgdUk1lfWBrvO2ER1s5i40KFE8cBSnrDkDRPRql4MCMQiK1lBojnd4bfd0TXuZMwf-EtYVIf5fJikCHKQJij69x1-0-_IIa961Evie9kWyamkf3nEKPal2CFfz8cfSeWN7TezY8H7F0E8lzR3XF_GjnFsmwEdPxkw9tCa4JoEoKb1FY5H3EYh8zRzhbd_qV9QdwU8Pd8w5FzK1OOJQqM104fKc0tH1O9hGhGrTtFbmB56fHNo9NtH99kQV2OYQvbtMod5cdPunn8NwNR60e95fStpE1F1MSA'
-- test/fixtures/session/tokens.txt: "member", RS256 over keys/rsa2048, exp in 2100
\set member 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtMSIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjo0MTAyNDQ0ODAwLCJ1cm46dXNlcGFyYWdvbjpjb25uZWN0OnBlcm1pc3Npb25zIjp7ImludGVncmF0aW9uOnNhbGVzZm9yY2UiOnsiY3JlZGVudGlhbDoxMTExMTExMS0xMTExLTExMTEtMTExMS0xMTExMTExMTExMTEiOlsiY3JlZGVudGlhbDp3cml0ZSJdfX19.qvH1MVYKZ3CApbZi3tQ1ZloqrcW_Ay4R2qBOkThWRbDN2Zma_xgeh6oG-xH0JHvNs9bQV93XOIf8n1Q0jA2Avjzmr27FtipB95_x5HTPIhZHF7pOoVUj23UUcSzwRI7pOIKOpJ3G5Jtkr3CEtswQbTtosFW0Pa2H4nr1uwc2fHLpIC4FUSEYI2LAHteXG2tchgReTLoHTQ_WX5_BVuUCQVnhQSID7F-fqDaZAWNc2juIRW_kwSyokNoB5CRiL43Cpmyh8giXe-NLQuX0dFm5aBXLhRyvZ2O6NO6W1r-pfvLa5LiGYFd_jYam0pB7RUNUmDc1Tbpk7breQBptdofbhg'
\set noexp 'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.eyJzdWIiOiJ1c2VyLTEiLCJpYXQiOjE3NjcyMjU2MDB9.axaWJEQ13K0IIs-r3_Sp-gBHzcpEzIcbQTK11EJoLMhMvuC9UlZKGeWELXMQmToijzPMWjC4A5jfuImRvYlDX6u2POJQFSx9AT7HkpeOz9lOOzDeqtNipCafwSgLc1Mcx-vo_Hi45NuBjzPQunWw1smOfGwu0VMlOtZ1XTAauz4ZeiD4dRy-bElKMwe4BmUqVrzxumf4Bj1YbYDYvI2x5nni_2XXNobRSv_DbWf5Ors0Xdt-ah69AQbgxRn8J39AGiiWY3Fe0VfDWz_aHy5I_2bQIuu32iHdwb8sIaWa1OmVS3JsLAJ67aeOelkDYvBqy6t901eE842Dmatdomw08g'

-- the counters of the cache, as deltas from the last call
CREATE TEMP TABLE tc_last (hits bigint, misses bigint, entries bigint);
INSERT INTO tc_last VALUES (0, 0, 0);
CREATE FUNCTION tc_delta(OUT hits bigint, OUT misses bigint, OUT entries bigint)
LANGUAGE sql AS $$
	WITH s AS (SELECT paragon_token_cache_stats() AS j),
	n AS (SELECT (j->>'hits')::bigint AS h, (j->>'misses')::bigint AS m, (j->>'entries')::bigint AS e FROM s),
	d AS (SELECT n.h - l.hits AS hits, n.m - l.misses AS misses, n.e - l.entries AS entries FROM n, tc_last l),
	u AS (UPDATE tc_last SET hits = n.h, misses = n.m, entries = n.e FROM n RETURNING 1)
	SELECT d.hits, d.misses, d.entries FROM d, (SELECT count(*) FROM u) x
$$;
SELECT * FROM tc_delta() \g /dev/null

-- 1. exp: the same token is accepted, then served from the cache, and
-- refused once the instant passes exp + leeway (30 s), cached or not
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS first;
SELECT * FROM tc_delta();
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', at => '2026-01-01 00:20:00+00') ->> 'sub' AS again;
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', at => '2026-01-01 01:00:29+00') ->> 'sub' AS last_second;
SELECT * FROM tc_delta();
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', at => '2026-01-01 01:00:30+00') ->> 'sub' AS past_exp;
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', at => '2027-01-01 00:00:00+00') ->> 'sub' AS a_year_later;
SELECT * FROM tc_delta();
-- the entry is not a "no" either: an earlier instant is judged afresh
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', at => '2026-01-01 00:30:00+00') ->> 'sub' AS earlier_again;
SELECT * FROM tc_delta();

-- 2. another key: the same token under another P-256 key is refused,
-- every time; the first key still accepts it
SELECT paragon_verify_token(:'es256', :'other_ec_key', '{ES256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS other_key;
SELECT paragon_verify_token(:'es256', :'other_ec_key', '{ES256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS other_key_again;
SELECT paragon_verify_token(:'es256', :'rsa_key', '{ES256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS rsa_key;
SELECT * FROM tc_delta();
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS first_key;
SELECT * FROM tc_delta();

-- 3. a refused token stays refused: a forged signature (one character of
-- the signature changed) is verified, and refused, on every call
SELECT overlay(:'es256' placing (CASE WHEN substr(:'es256', length(:'es256') - 5, 1) = 'A' THEN 'B' ELSE 'A' END)
			   from length(:'es256') - 5 for 1) AS forged \gset
SELECT paragon_verify_token(:'forged', :'ec_key', '{ES256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS forged;
SELECT paragon_verify_token(:'forged', :'ec_key', '{ES256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS forged_again;
SELECT * FROM tc_delta();

-- 4. a refusal for time is not kept: nbf.token before its nbf, then
-- valid at a later instant, then before its nbf again (from the cache)
SELECT paragon_verify_token(:'nbf', :'rsa_key', at => '2026-01-01 01:00:00+00') ->> 'sub' AS too_early;
SELECT * FROM tc_delta();
SELECT paragon_verify_token(:'nbf', :'rsa_key', at => '2026-01-01 02:10:00+00') ->> 'sub' AS in_time;
SELECT * FROM tc_delta();
SELECT paragon_verify_token(:'nbf', :'rsa_key', at => '2026-01-01 01:59:00+00') ->> 'sub' AS too_early_cached;
SELECT paragon_verify_token(:'nbf', :'rsa_key', at => '2026-01-01 01:59:30+00') ->> 'sub' AS within_leeway_cached;
SELECT * FROM tc_delta();

-- 5. options that change the verdict have their own entries
-- audience: the token's "aud" is paragon-test
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', 'paragon-test', at => '2026-01-01 00:10:00+00') ->> 'sub' AS right_audience;
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', 'other', at => '2026-01-01 00:10:00+00') ->> 'sub' AS wrong_audience;
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', 'other', at => '2026-01-01 00:10:00+00') ->> 'sub' AS wrong_audience_again;
-- leeway: 10 s past exp is refused without leeway, accepted with 30 s
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', leeway => '0', at => '2026-01-01 01:00:10+00') ->> 'sub' AS no_leeway;
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', leeway => '30 s', at => '2026-01-01 01:00:10+00') ->> 'sub' AS leeway_30s;
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', leeway => '0', at => '2026-01-01 01:00:10+00') ->> 'sub' AS no_leeway_again;
-- algorithms: an ES256 token is refused when only RS256 is allowed
SELECT paragon_verify_token(:'es256', :'ec_key', '{RS256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS rs256_only;
SELECT paragon_verify_token(:'es256', :'ec_key', '{RS256,ES256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS both;
SELECT paragon_verify_token(:'es256', :'ec_key', '{RS256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS rs256_only_again;
-- require_exp: a token without exp
SELECT paragon_verify_token(:'noexp', :'rsa_key', at => '2026-01-01 00:10:00+00') ->> 'sub' AS exp_required;
SELECT paragon_verify_token(:'noexp', :'rsa_key', require_exp => false, at => '2026-01-01 00:10:00+00') ->> 'sub' AS exp_optional;
SELECT paragon_verify_token(:'noexp', :'rsa_key', at => '2026-01-01 00:10:00+00') ->> 'sub' AS exp_required_again;
SELECT * FROM tc_delta();

-- 6. a column of tokens: one row per verification, same verdicts
SELECT n, paragon_verify_token(t, :'ec_key', '{ES256}', at => at) ->> 'sub' AS sub
FROM (VALUES (1, :'es256', '2026-01-01 00:10:00+00'::timestamptz),
			 (2, :'es256', '2026-01-01 00:59:00+00'),
			 (3, :'es256', '2026-01-01 00:11:00+00')) v(n, t, at) ORDER BY n;
SELECT n, paragon_verify_token(t, :'ec_key', '{ES256}', at => '2026-01-01 02:00:00+00') ->> 'sub' AS sub
FROM (VALUES (1, :'es256')) v(n, t);

-- 7. memory: both caches are contexts of their own, and the token cache
-- is bounded: 4,200 distinct verifications (the same token with 4,200
-- leeways) leave max_entries entries, the oldest evicted
-- (name only: PostgreSQL 18 replaced the parent column with a path)
SELECT name FROM pg_backend_memory_contexts
WHERE name IN ('paragon_perm token cache', 'paragon_perm key cache') ORDER BY name;
SELECT set_config('tc.es256', :'es256', false) IS NOT NULL AS set,
	   set_config('tc.ec_key', :'ec_key', false) IS NOT NULL AS set;
DO $$
BEGIN
	FOR i IN 1..4200 LOOP
		PERFORM paragon_verify_token(current_setting('tc.es256'), current_setting('tc.ec_key'), '{ES256}',
									 leeway => make_interval(secs => i), at => '2026-01-01 00:10:00+00');
	END LOOP;
END
$$;
SELECT (j->>'entries')::bigint = (j->>'max_entries')::bigint AS full_not_more,
	   (j->>'evictions')::bigint >= 4200 - 4096 AS evicted,
	   (j->>'bytes')::bigint <= (j->>'max_bytes')::bigint AS within_bytes,
	   (j->>'keys')::int BETWEEN 1 AND 8 AS keys
FROM paragon_token_cache_stats() j;
SELECT total_bytes < 2 * (SELECT (paragon_token_cache_stats()->>'max_bytes')::bigint) AS context_bounded
FROM pg_backend_memory_contexts WHERE name = 'paragon_perm token cache';
-- the newest entry is served, the evicted oldest is verified again
SELECT * FROM tc_delta() \g /dev/null
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', leeway => '4200 s', at => '2026-01-01 00:10:00+00') ->> 'sub' AS newest;
SELECT paragon_verify_token(:'es256', :'ec_key', '{ES256}', leeway => '1 s', at => '2026-01-01 00:10:00+00') ->> 'sub' AS oldest;
SELECT hits, misses FROM tc_delta();

-- 8. parsed keys: one entry per key text, at most 8; ten spellings of the
-- same key (trailing newlines) all verify, and the oldest are dropped
SELECT count(*) AS accepted
FROM generate_series(1, 10) i
WHERE paragon_verify_token(:'es256', :'ec_key' || repeat(E'\n', i), '{ES256}',
						   at => '2026-01-01 00:10:00+00') ->> 'sub' = 'user-1';
SELECT (paragon_token_cache_stats() ->> 'keys')::int AS keys_kept;
SELECT count(*) AS key_context FROM pg_backend_memory_contexts WHERE name = 'paragon_perm key cache';

-- 9. paragon_set_token goes through the same cache: verified once; the
-- same token set again is recognised by the session itself (its bytes and
-- the settings compared), without even a lookup, in the same transaction
-- and in the next ones; another token and then the first again is a hit
SET paragon.claims_source = 'token';
SELECT set_config('paragon.public_key', :'rsa_key', false) IS NOT NULL AS key_set;
\set admin 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6OTQ2Njg0ODAwLCJleHAiOjQxMDI0NDQ4MDB9.LbMmaa6GJ0AfXXMAjdmBTr1a4TRLgqD3fBg-DIPYLHxYtlC4n9hvKU03-KelcHfx8qlpaaEQ5EWJHFwTjMd52-b9BQxQ-jF31JU9A7el5yDYPx_LLWYeAB0q23frAGFRFujURN4E-zLE9gfbd97ZbdCFwCtDCJS6cBPoGZyehlmCupo3d5FS7X2n3poY-P_aQVjlB00kwU4x5U4Q0dHEoNTYhWdPx0RruQV5KLBJdt2wMbRc0pf1H951pzEl0e276gzyw92ZXVGwex215T85MvZV6eFofXg_MWvA2OaxYr6LjTW9x7pjFSL80Na3qUcPMI0bI7wW8nAoMhkzDU0x1A'
\set expired 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtMSIsImF1ZCI6InVzZXBhcmFnb24uY29tL3Byb2otMSIsImlhdCI6OTQ2Njg0ODAwLCJleHAiOjk0NjY4ODQwMH0.FCy5aSTjDL222UBpq40NKXsIfN0UCr-rUNMN-C22LSTR8gGq75Tbmug5mQPeQmb_DxATQ4BkM_W-gJtcIVnW5hWdQJrcLW6fiW62wYde6y0rAD7hrFTb0BRD_3mUKG80PHhz29gjJEFpsJopMqoe_CZBWzfYnSc-sWThM0ocQ_-0uxJ-OefEmR98ZxBwnD38jA4apmjbeczCZpF-WrWda09HHMWt2JI1TkRPS4qSm_CPIBwnGki2aJhxizuVRxgDiOVxtm8aV3YwVgr9oeSMCldOsA8fO8yt1UuyN7dCDbKyp5Zs8REiqCeZwqZnNEOEAo8u10AJd43mL8Wy80eOYQ'
\set lookalike 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ0eXBvIiwiYXVkIjoidXNlcGFyYWdvbi5jb20vcHJvai0xIiwiaWF0Ijo5NDY2ODQ4MDAsImV4cCI6NDEwMjQ0NDgwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9uIjp7ImludGVncmF0aW9uOioiOmZhbHNlfX0.xgyiJD3JZ6lKutmRJseYNqSZQSydLyTmkj-FQb-O8Odmx8QeGoyOkYygPqnSLjvziuoBg0vmB8R1H_ocgKrzyd0UZ5sVl8Bo9sq7HwAv3fIV3IPU0FXQ0QVKp-hpT5g4IDNFuw1HnqnUVodGlYtlmub8m3VFBwGxz3k6zPYo3zl-hymnKJwCoAmbhZF4ZMrr9Ztv9CujOUA7bh-X20uKB7uX_rfigC92IH0cUJUoM69MgsocoXwnXTDkriv-eUWPbUCY34vDK62R2eV8Vv-X4zXVW0t3oPWB1YJgU_-UM70P_gT77lLJQQCftTWJIvigu3x5now_EL7GZI_mBpCDCg'
SELECT * FROM tc_delta() \g /dev/null
BEGIN;
SELECT paragon_set_token(:'member', true);
SELECT paragon_current_claims() ->> 'sub' AS sub;
SELECT paragon_set_token(:'member', true);
SELECT paragon_current_claims() ->> 'sub' AS sub_again;
COMMIT;
SELECT hits, misses AS verified FROM tc_delta();
BEGIN;
SET LOCAL paragon.token = :'member';
SELECT paragon_current_claims() ->> 'sub' AS next_transaction;
COMMIT;
BEGIN;
SELECT paragon_set_token(:'member');
SELECT paragon_current_claims() ->> 'sub' AS and_the_next;
COMMIT;
-- between them paragon.token was empty: no claims, and nothing verified
SELECT paragon_current_claims() IS NULL AS no_token_no_claims;
SELECT hits, misses FROM tc_delta();
BEGIN;
SELECT paragon_set_token(:'admin');
SELECT paragon_current_claims() ->> 'sub' AS another_token;
SELECT paragon_set_token(:'member');
SELECT paragon_current_claims() ->> 'sub' AS the_first_again;
COMMIT;
SELECT hits, misses FROM tc_delta();

-- 10. what the session keeps for the same token is dropped when anything
-- the verdict depends on changes, and never survives a refusal
-- the key's text: the same key spelled with a newline more is verified anew
SELECT set_config('paragon.public_key', :'rsa_key' || E'\n', false) IS NOT NULL AS key_respelled;
BEGIN;
SELECT paragon_set_token(:'member');
SELECT paragon_current_claims() ->> 'sub' AS under_respelled_key;
COMMIT;
SELECT hits, misses FROM tc_delta();
-- another key refuses the same token, however often it was accepted before
SELECT set_config('paragon.public_key', :'ec_key', false) IS NOT NULL AS other_key;
SET paragon.algorithms = 'RS256,ES256';
BEGIN;
SET LOCAL paragon.token = :'member';
SELECT paragon_current_claims() ->> 'sub' AS under_other_key;
ROLLBACK;
RESET paragon.algorithms;
SELECT set_config('paragon.public_key', :'rsa_key', false) IS NOT NULL AS key_back;
SELECT * FROM tc_delta() \g /dev/null
BEGIN;
SET LOCAL paragon.token = :'member';
SELECT paragon_current_claims() ->> 'sub' AS key_back_verified;
COMMIT;
SELECT hits + misses AS looked_up FROM tc_delta();
-- strict_claims: a look-alike claim accepted while it is off is refused
-- once it is on, the token unchanged
BEGIN;
SET LOCAL paragon.token = :'lookalike';
SELECT paragon_current_claims() ->> 'sub' AS lookalike_lenient;
COMMIT;
SET paragon.strict_claims = on;
BEGIN;
SET LOCAL paragon.token = :'lookalike';
SELECT paragon_current_claims() ->> 'sub' AS lookalike_strict;
ROLLBACK;
RESET paragon.strict_claims;
-- a refused token between two uses of the same one: the refusal drops
-- what the session kept, so the good token restored by the savepoint is
-- looked up again (a hit: the cache keeps only accepted tokens)
SELECT * FROM tc_delta() \g /dev/null
BEGIN;
SELECT paragon_set_token(:'member');
SELECT paragon_current_claims() ->> 'sub' AS before_refusal;
SELECT hits, misses FROM tc_delta();
SAVEPOINT s;
SELECT paragon_set_token(:'expired');
ROLLBACK TO SAVEPOINT s;
SELECT paragon_current_claims() ->> 'sub' AS after_refusal;
COMMIT;
SELECT hits, misses AS refused FROM tc_delta();
-- the setting's audience is part of the key: the same token is judged again
SET paragon.audience = 'someone-else';
BEGIN;
SELECT paragon_set_token(:'member', true);
ROLLBACK;
RESET paragon.audience;
RESET paragon.public_key;
RESET paragon.claims_source;
