--
-- enable_rls: the policies paragon_enable_rls writes, under FORCE ROW LEVEL
-- SECURITY, for tokens of several Connected Users, as roles that are not
-- superusers; its dry run, reruns and errors; and a token changed in the
-- middle of a statement
--
-- IF NOT EXISTS: earlier tests of the suite may have created it already.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;
-- the RSA 2048 public key of the test tokens (pg_regress runs psql in a
-- directory that holds test/fixtures)
\set rsa2048_public `cat test/fixtures/keys/rsa2048-public.pem`
\set SHOW_CONTEXT never
-- explicit claims from request.jwt.claims (a superuser's choice)
SET paragon.claims_source = 'setting';

CREATE ROLE regress_bnd_owner;
CREATE ROLE regress_bnd_app;
CREATE ROLE regress_bnd_stranger;

-- one credentials table and one configurations table for every Connected
-- User; the composite foreign key keeps a configuration on its own side
CREATE TABLE bnd_credentials (
	id uuid PRIMARY KEY,
	connected_user text NOT NULL,
	integration text NOT NULL,
	label text,
	UNIQUE (id, connected_user)
);
CREATE INDEX bnd_credentials_user ON bnd_credentials (connected_user);
CREATE TABLE bnd_configurations (
	id serial PRIMARY KEY,
	connected_user text NOT NULL,
	integration text NOT NULL,
	credential_id uuid NOT NULL,
	external_id text,
	FOREIGN KEY (credential_id, connected_user) REFERENCES bnd_credentials (id, connected_user)
);
CREATE INDEX bnd_configurations_user ON bnd_configurations (connected_user);
ALTER TABLE bnd_credentials OWNER TO regress_bnd_owner;
ALTER TABLE bnd_configurations OWNER TO regress_bnd_owner;
GRANT SELECT, INSERT, UPDATE, DELETE ON bnd_credentials, bnd_configurations TO regress_bnd_app;
GRANT USAGE ON SEQUENCE bnd_configurations_id_seq TO regress_bnd_app;

-- acme's first credential is inserted first: index scans meet it first
INSERT INTO bnd_credentials VALUES
	('a0000000-0000-0000-0000-000000000001', 'acme', 'salesforce', 'acme sf main'),
	('a0000000-0000-0000-0000-000000000002', 'acme', 'salesforce', 'acme sf sandbox'),
	('a0000000-0000-0000-0000-000000000003', 'acme', 'hubspot', 'acme hs'),
	('b0000000-0000-0000-0000-000000000001', 'globex', 'salesforce', 'globex sf'),
	('b0000000-0000-0000-0000-000000000002', 'globex', 'slack', 'globex slack'),
	('c0000000-0000-0000-0000-000000000001', 'ACME', 'salesforce', 'ACME (another user)'),
	('c0000000-0000-0000-0000-000000000002', '', 'salesforce', 'empty user'),
	('c0000000-0000-0000-0000-000000000003', '42', 'salesforce', 'user 42');
INSERT INTO bnd_configurations (connected_user, integration, credential_id, external_id) VALUES
	('acme', 'salesforce', 'a0000000-0000-0000-0000-000000000001', 'team-a'),
	('acme', 'salesforce', 'a0000000-0000-0000-0000-000000000001', 'team-b'),
	('acme', 'salesforce', 'a0000000-0000-0000-0000-000000000001', NULL),
	('acme', 'hubspot', 'a0000000-0000-0000-0000-000000000003', 'team-a'),
	('globex', 'salesforce', 'b0000000-0000-0000-0000-000000000001', 'team-a'),
	('globex', 'slack', 'b0000000-0000-0000-0000-000000000002', NULL);

-- ownership is checked first, before anything else about the call
SET ROLE regress_bnd_stranger;
SELECT paragon_enable_rls('bnd_credentials', 'credentials');
SELECT paragon_enable_rls('bnd_credentials', 'no such kind');
RESET ROLE;

SET ROLE regress_bnd_owner;
-- errors: unknown kind, missing columns, wrong types
SELECT paragon_enable_rls('bnd_credentials', 'credential');
SELECT paragon_enable_rls('bnd_credentials', NULL);
SELECT paragon_enable_rls('bnd_credentials', 'credentials', user_column => 'owner');
SELECT paragon_enable_rls('bnd_credentials', 'credentials', integration_column => 'provider');
SELECT paragon_enable_rls('bnd_configurations', 'configurations', external_id_column => 'ext');
-- (configurations default to credential_id and external_id; credentials to id)
SELECT paragon_enable_rls('bnd_credentials', 'configurations');
SELECT paragon_enable_rls('bnd_credentials', 'credentials', user_column => 'id');
SELECT paragon_enable_rls('bnd_credentials', 'credentials', integration_column => 'id');
SELECT paragon_enable_rls('bnd_configurations', 'configurations', credential_column => 'id');
SELECT paragon_enable_rls('bnd_credentials', 'credentials', external_id_column => 'label');
SELECT paragon_enable_rls('bnd_credentials', 'credentials', user_column => NULL);
SELECT paragon_enable_rls(NULL, 'credentials');
RESET ROLE;
CREATE TABLE bnd_wrong (id uuid, connected_user text COLLATE "C", integration text, n integer);
CREATE VIEW bnd_view AS SELECT * FROM bnd_wrong;
SELECT paragon_enable_rls('bnd_wrong', 'credentials', credential_column => 'n');
SELECT paragon_enable_rls('bnd_view', 'credentials');
ALTER TABLE bnd_wrong ADD COLUMN ci_user text COLLATE pg_catalog."default";
-- a collation that is not deterministic would let an index find another user's rows
CREATE COLLATION bnd_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
ALTER TABLE bnd_wrong ALTER COLUMN ci_user TYPE text COLLATE bnd_ci;
SELECT paragon_enable_rls('bnd_wrong', 'credentials', user_column => 'ci_user', dry_run => true);
-- a "C" collation is deterministic: accepted
SELECT count(*) AS statements FROM paragon_enable_rls('bnd_wrong', 'credentials', dry_run => true);
DROP VIEW bnd_view;
DROP TABLE bnd_wrong;
DROP COLLATION bnd_ci;

-- dry run: the statements, and nothing done
SET ROLE regress_bnd_owner;
SELECT * FROM paragon_enable_rls('bnd_configurations', 'configurations', dry_run => true);
SELECT relrowsecurity, relforcerowsecurity,
       (SELECT count(*) FROM pg_policy WHERE polrelid = c.oid) AS policies
  FROM pg_class c WHERE oid = 'bnd_configurations'::regclass;

-- the real thing, for both tables
SELECT * FROM paragon_enable_rls('bnd_credentials', 'credentials');
SELECT * FROM paragon_enable_rls('bnd_configurations', 'configurations');
RESET ROLE;
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, p.polname, p.polpermissive,
       p.polcmd, p.polroles = '{0}' AS to_public, p.polqual IS NOT NULL AS has_using,
       p.polwithcheck IS NOT NULL AS has_check
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
 WHERE c.relname IN ('bnd_credentials', 'bnd_configurations')
 ORDER BY 1, 4;
-- every policy holds both halves and no subquery
SELECT polname, pg_get_expr(polqual, polrelid) AS using_expr, pg_get_expr(polwithcheck, polrelid) AS check_expr
  FROM pg_policy WHERE polrelid = 'bnd_configurations'::regclass ORDER BY polname;
SELECT count(*) AS policies_with_a_subquery
  FROM pg_policy
 WHERE polrelid IN ('bnd_credentials'::regclass, 'bnd_configurations'::regclass)
   AND (coalesce(pg_get_expr(polqual, polrelid), '') ~* 'select'
		OR coalesce(pg_get_expr(polwithcheck, polrelid), '') ~* 'select');

-- reading, as a role that is not the owner, for tokens of several users
SET ROLE regress_bnd_app;
-- no claims: nothing
SELECT count(*) AS no_claims FROM bnd_credentials;
-- an unrestricted acme token: all of acme, none of globex (nor of ACME)
SET request.jwt.claims = '{"sub": "acme"}';
SELECT connected_user, label FROM bnd_credentials ORDER BY label;
SELECT connected_user, credential_id, external_id FROM bnd_configurations ORDER BY 2, 3;
-- an unrestricted globex token: all of globex
SET request.jwt.claims = '{"sub": "globex"}';
SELECT connected_user, label FROM bnd_credentials ORDER BY label;
SELECT connected_user, credential_id, external_id FROM bnd_configurations ORDER BY 2, 3;
-- a restricted acme member: one configuration of one credential; the
-- credential is visible because a configuration beneath it is
SET request.jwt.claims = '{"sub": "acme", "urn:useparagon:connect:permissions": {"integration:salesforce": {"credential:a0000000-0000-0000-0000-000000000001": {"configuration:*": false, "configuration:ext:team-a": ["settings:read"]}}}}';
SELECT connected_user, label FROM bnd_credentials ORDER BY label;
SELECT connected_user, credential_id, external_id FROM bnd_configurations ORDER BY 2, 3;
-- the same permissions claim under globex's sub: globex's rows only
SET request.jwt.claims = '{"sub": "globex", "urn:useparagon:connect:permissions": {"integration:salesforce": true}}';
SELECT connected_user, label FROM bnd_credentials ORDER BY label;
-- a mis-cased sub is another Connected User
SET request.jwt.claims = '{"sub": "Acme"}';
SELECT count(*) AS mis_cased FROM bnd_credentials;
SET request.jwt.claims = '{"sub": "ACME"}';
SELECT connected_user, label FROM bnd_credentials;
-- missing or empty sub: nothing, even unrestricted, even the row of ''
SET request.jwt.claims = '{"exp": 4102444800}';
SELECT count(*) AS missing_sub FROM bnd_credentials;
SET request.jwt.claims = '{"sub": ""}';
SELECT count(*) AS empty_sub FROM bnd_credentials;
SELECT count(*) AS empty_sub_configurations FROM bnd_configurations;
-- a numeric sub is invalid claims: an error, never user '42''s rows
SET request.jwt.claims = '{"sub": 42}';
SELECT count(*) FROM bnd_credentials;
SET request.jwt.claims = '{"sub": "42"}';
SELECT label FROM bnd_credentials;
-- the owner is held by FORCE ROW LEVEL SECURITY too
RESET ROLE;
SET ROLE regress_bnd_owner;
SET request.jwt.claims = '{"sub": "globex"}';
SELECT count(*) AS owner_sees_globex_only FROM bnd_credentials WHERE connected_user <> 'globex';
RESET ROLE;

-- writing
SET ROLE regress_bnd_app;
-- credential:write connects (INSERT on the unspecified credential '*'),
-- reconnects (UPDATE) and disconnects (DELETE)
SET request.jwt.claims = '{"sub": "acme", "urn:useparagon:connect:permissions": {"integration:salesforce": {"credential:*": ["credential:write"]}}}';
INSERT INTO bnd_credentials VALUES ('a0000000-0000-0000-0000-000000000004', 'acme', 'salesforce', 'acme sf new');
-- not for another integration, not for another Connected User
INSERT INTO bnd_credentials VALUES ('a0000000-0000-0000-0000-000000000005', 'acme', 'hubspot', 'acme hs new');
INSERT INTO bnd_credentials VALUES ('b0000000-0000-0000-0000-000000000005', 'globex', 'salesforce', 'planted in globex');
UPDATE bnd_credentials SET label = 'acme sf main (reconnected)' WHERE id = 'a0000000-0000-0000-0000-000000000001';
-- the new row is checked too: not moved to another user or integration
UPDATE bnd_credentials SET connected_user = 'globex' WHERE id = 'a0000000-0000-0000-0000-000000000002';
UPDATE bnd_credentials SET integration = 'hubspot' WHERE id = 'a0000000-0000-0000-0000-000000000002';
-- another user's rows are not even seen
UPDATE bnd_credentials SET label = 'hijacked' WHERE connected_user = 'globex';
DELETE FROM bnd_credentials WHERE connected_user = 'globex';
DELETE FROM bnd_credentials WHERE id = 'a0000000-0000-0000-0000-000000000004';
-- hubspot is visible to an unrestricted token only; no credential:write here
DELETE FROM bnd_credentials WHERE id = 'a0000000-0000-0000-0000-000000000003';
-- a member without credential:write reads, and writes nothing
SET request.jwt.claims = '{"sub": "acme", "urn:useparagon:connect:permissions": {"integration:*": ["settings:read"]}}';
UPDATE bnd_credentials SET label = 'x' WHERE connected_user = 'acme';
INSERT INTO bnd_credentials VALUES ('a0000000-0000-0000-0000-000000000006', 'acme', 'salesforce', 'no');
-- config:write creates, modifies and destroys configurations
SET request.jwt.claims = '{"sub": "acme", "urn:useparagon:connect:permissions": {"integration:salesforce": {"credential:a0000000-0000-0000-0000-000000000001": {"configuration:ext:team-c": ["config:write"], "configuration:ext:team-a": ["settings:read"]}}}}';
INSERT INTO bnd_configurations (connected_user, integration, credential_id, external_id)
	VALUES ('acme', 'salesforce', 'a0000000-0000-0000-0000-000000000001', 'team-c');
-- a NULL External ID is the unspecified configuration, which this token may not write
INSERT INTO bnd_configurations (connected_user, integration, credential_id, external_id)
	VALUES ('acme', 'salesforce', 'a0000000-0000-0000-0000-000000000001', NULL);
UPDATE bnd_configurations SET external_id = 'team-a' WHERE external_id = 'team-c';
UPDATE bnd_configurations SET integration = 'salesforce' WHERE external_id = 'team-a';
DELETE FROM bnd_configurations WHERE external_id = 'team-a';
DELETE FROM bnd_configurations WHERE external_id = 'team-c';
-- an unrestricted token: the unspecified configuration too, but only its own user's
SET request.jwt.claims = '{"sub": "acme"}';
INSERT INTO bnd_configurations (connected_user, integration, credential_id, external_id)
	VALUES ('acme', 'salesforce', 'a0000000-0000-0000-0000-000000000002', NULL);
INSERT INTO bnd_configurations (connected_user, integration, credential_id, external_id)
	VALUES ('globex', 'salesforce', 'b0000000-0000-0000-0000-000000000001', 'planted');
-- the composite foreign key: no acme configuration under globex's credential
INSERT INTO bnd_configurations (connected_user, integration, credential_id, external_id)
	VALUES ('acme', 'salesforce', 'b0000000-0000-0000-0000-000000000001', 'across');
UPDATE bnd_configurations SET connected_user = 'globex' WHERE credential_id = 'a0000000-0000-0000-0000-000000000002';
DELETE FROM bnd_configurations WHERE credential_id = 'a0000000-0000-0000-0000-000000000002';
RESET ROLE;
RESET request.jwt.claims;
SELECT connected_user, label FROM bnd_credentials ORDER BY 1, 2;
SELECT connected_user, credential_id, external_id FROM bnd_configurations ORDER BY 1, 2, 3;

-- the calls are schema-qualified: a paragon_sub of the caller's own is never used
CREATE SCHEMA bnd_evil;
CREATE FUNCTION bnd_evil.paragon_sub() RETURNS text LANGUAGE sql AS $$ SELECT 'globex' $$;
GRANT USAGE ON SCHEMA bnd_evil TO PUBLIC;
SET ROLE regress_bnd_app;
SET search_path = bnd_evil, public;
SET request.jwt.claims = '{"sub": "acme"}';
SELECT DISTINCT connected_user FROM bnd_credentials;
RESET search_path;
RESET ROLE;
DROP SCHEMA bnd_evil CASCADE;

-- a token changed inside a statement never pairs one token's sub with
-- another token's permissions.  The policies' equality with paragon_sub()
-- is an index condition, evaluated at the start of each scan, while the
-- checks read the claims of their call site; each check compares the
-- row's user with the sub of the claims it evaluates.
CREATE FUNCTION bnd_swap_claims(who text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	PERFORM pg_catalog.set_config('request.jwt.claims',
		CASE who WHEN 'acme' THEN '{"sub": "acme"}'
		ELSE '{"sub": "globex", "urn:useparagon:connect:permissions": {"integration:*": false}}' END, false);
	RETURN who;
END $$;
-- does the plan of a query hold every one of these nodes?  Each is a node
-- type, or 'Index Scan using <index>'; read from the JSON form of the plan,
-- which is the same on every supported version
CREATE FUNCTION bnd_plan_has(query text, VARIADIC nodes text[]) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	plan jsonb;
BEGIN
	EXECUTE 'EXPLAIN (COSTS OFF, FORMAT JSON) ' || query INTO plan;
	RETURN nodes <@ ARRAY(
		SELECT n ->> 'Node Type' || COALESCE(' using ' || (n ->> 'Index Name'), '')
		FROM jsonb_path_query(plan, 'strict $.**') AS n
		WHERE jsonb_typeof(n) = 'object' AND n ? 'Node Type');
END $$;
SET ROLE regress_bnd_app;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SET enable_material = off;
SET enable_memoize = off;
-- (1) claims from the setting: the outer side sets acme's token, then
-- globex's; the inner index scan is rescanned for each, its paragon_sub()
-- read again, while its checks keep the claims of their first row (acme's,
-- unrestricted).  globex's rows under acme's permissions: no row.
\set swap_query 'SELECT s.who AS token, c.connected_user, c.label FROM (SELECT n, bnd_swap_claims(who) AS who FROM (VALUES (1, ''acme''), (2, ''globex'')) v(n, who) OFFSET 0) s CROSS JOIN LATERAL (SELECT * FROM bnd_credentials c WHERE s.n > 0 OFFSET 0) c'
SELECT bnd_plan_has(:'swap_query', 'Nested Loop', 'Index Scan using bnd_credentials_user') AS nested_index_scan;
:swap_query;
-- (2) claims of verified tokens (the key of sql/session.sql): acme's
-- token allows acme's first credential only; a function in the select
-- list replaces it with globex's unrestricted token after the first row.
-- The scan, started with acme's sub, goes on over acme's rows: under
-- globex's permissions, none of them.
RESET ROLE;
SET paragon.public_key = :'rsa2048_public';
SET paragon.audience = 'useparagon.com/proj-1';
SET paragon.claims_source = 'token';
-- tokens: test/fixtures/boundary/make-boundary-tokens.sh
\set acme_one '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhY21lIiwiYXVkIjoidXNlcGFyYWdvbi5jb20vcHJvai0xIiwiaWF0Ijo5NDY2ODQ4MDAsImV4cCI6NDEwMjQ0NDgwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9ucyI6eyJjcmVkZW50aWFsOmEwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMSI6dHJ1ZX19.JrHnBeJ7F-xl3pEl65uz3wytuwM-5oxUyHY-aabqL2uACC_JGccZlQ-7GsHR64tpMmEPkCxcsc4bOl2yXaKz2Oo7p_L0XkNw-NjWSWwO97tLe0zo28d-BtBbqNQK6yt2T8zzUPq3JgCx1yIY3Jph7e-QvLNOj-TisSrcDnrneKqoXGCQYV2v0h0TI0k23LAUviQYQs_iQHqd0dlAp24nIR2EcmC-JPUfOII68YcFtjMEDf5vkF2gcbn4P71J2T-Q1Ord0TU8no_6fOKpGUrJkdZIB6QoR5fBrmiRfL79lmS-VQ7YNsM2NrN6DBrsbWNkxV_TYqg0ebEQeMrp-hRNcQ\''
\set globex_all '\'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJnbG9iZXgiLCJhdWQiOiJ1c2VwYXJhZ29uLmNvbS9wcm9qLTEiLCJpYXQiOjk0NjY4NDgwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.VdgxM_RcJUnb7n4vWbg9jHPfb_twllpJqTb5KxmeXzN3YQGq_AUniTn9OqVEhLi5M4VxswWBn6E-IxjS8Nh-huhtH0JWF4w9P7NPKiKA9EQA9d2M-qPUGvRsK7swQUHJJl3oULFdil6A8V45SM-FeMGIMOV8tIdZ3uxA8zhAeBaVIOLwhmsQ-3rq4saNFzxBUwm--2_s0Gxb-m-R-bZ9N6gIh9tFJEyOceOvJsyeCp2IC7C4qMHz57mCJN8lVJ1dFC41JwO2sB14KEf1A2GmZhxmyDU8L8fRgrDkpLWKmi9R6NWQZdGEZxEUXF8IwZZhq0BpFS3IxJZzigSFiuFvHw\''
CREATE FUNCTION bnd_swap_token(token text) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	PERFORM paragon_set_token(token, true);
	RETURN true;
END $$;
SET ROLE regress_bnd_app;
BEGIN;
SELECT paragon_set_token(:acme_one, true);
SELECT bnd_plan_has('SELECT label FROM bnd_credentials', 'Index Scan using bnd_credentials_user') AS index_scan;
SELECT label, bnd_swap_token(:globex_all) AS swapped FROM bnd_credentials;
-- the statement after it reads globex's token throughout
SELECT label FROM bnd_credentials ORDER BY label;
COMMIT;
RESET ROLE;
RESET enable_seqscan;
RESET enable_bitmapscan;
RESET enable_hashjoin;
RESET enable_mergejoin;
RESET enable_material;
RESET enable_memoize;
RESET paragon.public_key;
RESET paragon.audience;
SET paragon.claims_source = 'setting';

-- a rerun replaces exactly the four policies
SET ROLE regress_bnd_owner;
SELECT * FROM paragon_enable_rls('bnd_credentials', 'credentials');
-- another permissive policy would be OR-ed with them: refused, named
CREATE POLICY see ON bnd_credentials USING (true);
CREATE POLICY "Old Recipe" ON bnd_credentials FOR SELECT USING (true);
SELECT * FROM paragon_enable_rls('bnd_credentials', 'credentials');
-- and while it stands, it leaks: the reason for the refusal
SET request.jwt.claims = '{"sub": "acme"}';
SELECT count(*) > 0 AS leaks_globex FROM bnd_credentials WHERE connected_user = 'globex';
-- a restrictive policy only narrows: accepted
DROP POLICY see ON bnd_credentials;
CREATE POLICY narrow ON bnd_credentials AS RESTRICTIVE USING (label IS NOT NULL);
-- force drops the permissive one
SELECT * FROM paragon_enable_rls('bnd_credentials', 'credentials', force => true);
SELECT polname, polpermissive FROM pg_policy WHERE polrelid = 'bnd_credentials'::regclass ORDER BY 1;
SELECT count(*) AS no_leak FROM bnd_credentials WHERE connected_user = 'globex';
-- other column names, a text credential and a varchar user column
RESET ROLE;
CREATE TABLE bnd_other (
	"Cred" text PRIMARY KEY,
	"User Name" varchar(64) NOT NULL,
	provider text NOT NULL
);
ALTER TABLE bnd_other OWNER TO regress_bnd_owner;
GRANT SELECT ON bnd_other TO regress_bnd_app;
INSERT INTO bnd_other VALUES ('x1', 'acme', 'slack'), ('x2', 'globex', 'slack');
SET ROLE regress_bnd_owner;
SELECT * FROM paragon_enable_rls('bnd_other', 'credentials', user_column => 'User Name',
                                 integration_column => 'provider', credential_column => 'Cred');
SET ROLE regress_bnd_app;
SELECT "Cred" FROM bnd_other;
RESET ROLE;
RESET request.jwt.claims;
RESET paragon.claims_source;

DROP TABLE bnd_other, bnd_configurations, bnd_credentials;
DROP FUNCTION bnd_swap_claims(text), bnd_swap_token(text), bnd_plan_has(text, text[]);
DROP ROLE regress_bnd_owner;
DROP ROLE regress_bnd_app;
DROP ROLE regress_bnd_stranger;
