--
-- rls: row-level security end to end, a security_barrier view and an audit,
-- written by hand with explicit claims: the claims are read from
-- request.jwt.claims by the policies themselves, in an InitPlan, so this
-- file needs no paragon.claims_source (enable_rls tests the generated
-- policies, which read the session's claims).  Every policy, the view and
-- the audit apply both halves of the Connected User boundary: the row's
-- Connected User is the claims' sub (paragon_sub), and the permissions
-- claim allows the row.  acme holds most rows; globex's must never show.
--
-- IF NOT EXISTS: earlier tests of the suite may have created it already.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;

CREATE ROLE regress_paragon_app LOGIN;

CREATE TABLE credentials (
	id uuid PRIMARY KEY,
	connected_user text NOT NULL,
	integration text NOT NULL,
	label text
);
-- configurations carry their integration too, so a policy needs no join
CREATE TABLE configurations (
	id uuid PRIMARY KEY,
	credential_id uuid NOT NULL REFERENCES credentials,
	connected_user text NOT NULL,
	integration text NOT NULL,
	external_id text,
	settings jsonb DEFAULT '{}'
);
GRANT SELECT, INSERT, UPDATE, DELETE ON credentials, configurations TO regress_paragon_app;
ALTER TABLE credentials OWNER TO regress_paragon_app;
ALTER TABLE configurations OWNER TO regress_paragon_app;

INSERT INTO credentials (id, connected_user, integration, label) VALUES
	('11111111-1111-1111-1111-111111111111', 'acme', 'salesforce', 'sf main'),
	('22222222-2222-2222-2222-222222222222', 'acme', 'salesforce', 'sf sandbox'),
	('33333333-3333-3333-3333-333333333333', 'acme', 'hubspot', 'hs'),
	('44444444-4444-4444-4444-444444444444', 'acme', 'slack', 'slack'),
	('77777777-7777-7777-7777-777777777777', 'globex', 'salesforce', 'globex sf');
INSERT INTO configurations (id, credential_id, connected_user, integration, external_id) VALUES
	('aaaaaaaa-0000-0000-0000-000000000001', '11111111-1111-1111-1111-111111111111', 'acme', 'salesforce', 'team-a'),
	('aaaaaaaa-0000-0000-0000-000000000002', '11111111-1111-1111-1111-111111111111', 'acme', 'salesforce', 'team-b'),
	('aaaaaaaa-0000-0000-0000-000000000003', '22222222-2222-2222-2222-222222222222', 'acme', 'salesforce', 'team-a'),
	('aaaaaaaa-0000-0000-0000-000000000004', '33333333-3333-3333-3333-333333333333', 'acme', 'hubspot', NULL),
	('aaaaaaaa-0000-0000-0000-000000000005', '44444444-4444-4444-4444-444444444444', 'acme', 'slack', 'team-a'),
	('aaaaaaaa-0000-0000-0000-000000000007', '77777777-7777-7777-7777-777777777777', 'globex', 'salesforce', 'team-a');

ALTER TABLE credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE credentials FORCE ROW LEVEL SECURITY;
ALTER TABLE configurations ENABLE ROW LEVEL SECURITY;
ALTER TABLE configurations FORCE ROW LEVEL SECURITY;

-- The claims come from a setting, read once per statement thanks to the
-- (SELECT ...) wrapper (an InitPlan), not once per row.  A configuration
-- without an External ID is the unspecified configuration '*'.  Each
-- policy holds both halves: PERMISSIVE policies of one command are OR-ed,
-- so a boundary in a separate policy would not restrict the other.
CREATE POLICY cred_select ON credentials FOR SELECT
	USING (connected_user = paragon_sub((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb))
	       AND paragon_visible((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                           integration, id, NULL));
CREATE POLICY cred_insert ON credentials FOR INSERT
	WITH CHECK (connected_user = paragon_sub((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb))
	            AND paragon_allowed((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                                'credential:write', integration, '*', NULL));
CREATE POLICY cred_update ON credentials FOR UPDATE
	USING (connected_user = paragon_sub((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb))
	       AND paragon_allowed((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                           'credential:write', integration, id, NULL));
CREATE POLICY cred_delete ON credentials FOR DELETE
	USING (connected_user = paragon_sub((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb))
	       AND paragon_allowed((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                           'credential:write', integration, id, NULL));
CREATE POLICY conf_select ON configurations FOR SELECT
	USING (connected_user = paragon_sub((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb))
	       AND paragon_visible((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                           integration, credential_id, coalesce(external_id, '*')));
CREATE POLICY conf_insert ON configurations FOR INSERT
	WITH CHECK (connected_user = paragon_sub((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb))
	            AND paragon_allowed((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                                'config:write', integration, credential_id, coalesce(external_id, '*')));
CREATE POLICY conf_update ON configurations FOR UPDATE
	USING (connected_user = paragon_sub((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb))
	       AND paragon_allowed((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                           'config:write', integration, credential_id, coalesce(external_id, '*')));
CREATE POLICY conf_delete ON configurations FOR DELETE
	USING (connected_user = paragon_sub((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb))
	       AND paragon_allowed((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                           'config:write', integration, credential_id, coalesce(external_id, '*')));

-- the claims are InitPlans (one per (SELECT ...)): one evaluation per
-- statement (read from the plan's JSON form, which names them alike on
-- every PostgreSQL version); the filter holds both halves, in the
-- order the planner chose
CREATE FUNCTION rls_plan(query text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (COSTS OFF, FORMAT JSON) ' || query INTO plan;
	RETURN plan::jsonb -> 0 -> 'Plan';
END $$;
SET ROLE regress_paragon_app;
SET request.jwt.claims = '{"sub": "acme"}';
SELECT p->>'Node Type' AS scan, p->>'Relation Name' AS relation,
       p->>'Filter' LIKE '%(connected_user = paragon_sub(%' AND
       p->>'Filter' LIKE '%paragon_visible(%' AS policy_filter,
       jsonb_path_query_array(p, '$.Plans[*]."Parent Relationship"') AS claims_from
  FROM rls_plan('SELECT label FROM credentials') p;

-- token 1: acme's admin (no permissions claim): everything of acme, and
-- nothing of globex
SELECT label FROM credentials ORDER BY label;
SELECT integration, external_id FROM configurations ORDER BY 1, 2;
UPDATE credentials SET label = label || '!' WHERE integration = 'slack' RETURNING label;
-- globex's rows are out of reach for writes too, and no row moves to globex
UPDATE credentials SET label = 'taken' WHERE connected_user = 'globex' RETURNING label;
DELETE FROM configurations WHERE connected_user = 'globex' RETURNING external_id;
UPDATE credentials SET connected_user = 'globex' WHERE integration = 'hubspot';
INSERT INTO credentials VALUES ('66666666-6666-6666-6666-666666666666', 'globex', 'hubspot', 'planted');

-- globex's admin: globex's rows only
SET request.jwt.claims = '{"sub": "globex"}';
SELECT connected_user, label FROM credentials ORDER BY label;
SELECT connected_user, integration, external_id FROM configurations ORDER BY 1, 2, 3;

-- token 2: a member limited to one credential
SET request.jwt.claims = '{"sub": "acme", "urn:useparagon:connect:permissions": {"integration:salesforce": {"credential:11111111-1111-1111-1111-111111111111": ["config:write", "settings:read"]}}}';
SELECT label FROM credentials ORDER BY label;
SELECT integration, external_id FROM configurations ORDER BY 1, 2;
-- no credential:write: updates and deletes touch nothing, inserts are refused
UPDATE credentials SET label = 'x' RETURNING label;
DELETE FROM credentials RETURNING label;
INSERT INTO credentials VALUES ('55555555-5555-5555-5555-555555555555', 'acme', 'salesforce', 'new');
-- config:write on its own configurations only
WITH u AS (UPDATE configurations SET settings = '{"a": 1}' RETURNING external_id) SELECT * FROM u ORDER BY 1;

-- token 3: a member limited to one configuration External ID
SET request.jwt.claims = '{"sub": "acme", "urn:useparagon:connect:permissions": {"integration:*": {"credential:*": {"configuration:ext:team-a": true}}, "integration:salesforce": {"credential:*": ["credential:write"]}}}';
SELECT label FROM credentials ORDER BY label;
SELECT integration, external_id FROM configurations ORDER BY 1, 2;
-- may connect a new salesforce credential, not a hubspot one, and not
-- one of another Connected User
INSERT INTO credentials VALUES ('55555555-5555-5555-5555-555555555555', 'acme', 'salesforce', 'new sf') RETURNING label;
INSERT INTO credentials VALUES ('66666666-6666-6666-6666-666666666666', 'acme', 'hubspot', 'new hs');
INSERT INTO credentials VALUES ('66666666-6666-6666-6666-666666666666', 'globex', 'salesforce', 'new sf of globex');
-- may write its team-a configurations, not team-b
WITH u AS (UPDATE configurations SET settings = '{"b": 2}' RETURNING integration, external_id) SELECT * FROM u ORDER BY 1, 2;
DELETE FROM credentials WHERE id = '55555555-5555-5555-5555-555555555555' RETURNING label;

-- claims that name no Connected User reach nothing, however much the
-- permissions claim grants
SET request.jwt.claims = '{"urn:useparagon:connect:permissions": {"integration:*": true}}';
SELECT count(*) AS no_sub_credentials FROM credentials;
SET request.jwt.claims = '{"sub": ""}';
SELECT count(*) AS empty_sub_configurations FROM configurations;

-- no token at all: nothing
RESET request.jwt.claims;
SELECT count(*) AS no_token_credentials FROM credentials;
SET request.jwt.claims = '';
SELECT count(*) AS empty_token_credentials FROM configurations;

-- a broken token is an error, never a silent allow; so is a sub that is
-- not a string
SET request.jwt.claims = '{"sub": "acme", "urn:useparagon:connect:permissions": {"integration:*": "yes"}}';
SELECT count(*) FROM credentials;
SET request.jwt.claims = '{"sub": ["acme"]}';
SELECT count(*) FROM credentials;
RESET ROLE;
RESET request.jwt.claims;

--
-- A security_barrier view for a table without RLS: only the configurations
-- the token may see, and no leaky function in a caller's WHERE can peek.
--
CREATE TABLE plain_configurations AS SELECT * FROM configurations;
CREATE VIEW visible_configurations WITH (security_barrier) AS
	SELECT id, integration, credential_id, external_id
	FROM plain_configurations
	WHERE connected_user = paragon_sub((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb))
	  AND paragon_visible((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                      integration, credential_id, coalesce(external_id, '*'));
GRANT SELECT ON visible_configurations TO regress_paragon_app;
CREATE FUNCTION leak(text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS
$$ BEGIN RAISE NOTICE 'leak saw %', $1; RETURN true; END $$;
SET ROLE regress_paragon_app;
SET request.jwt.claims = '{"sub": "acme", "urn:useparagon:connect:permissions": {"integration:slack": true}}';
SELECT integration, external_id FROM visible_configurations WHERE leak(integration || '/' || coalesce(external_id, '-'));
SELECT count(*) AS base_table_denied FROM plain_configurations;
RESET ROLE;
RESET request.jwt.claims;

--
-- Audit: for a set of tokens, which credentials of its Connected User may
-- each write, and why.  The boundary is a join condition on paragon_sub.
--
CREATE TABLE audit_tokens (name text PRIMARY KEY, claims jsonb CHECK (paragon_claims_valid(claims)));
INSERT INTO audit_tokens VALUES
	('admin', '{"sub": "acme"}'),
	('globex-admin', '{"sub": "globex"}'),
	('sf-writer', '{"sub": "acme", "urn:useparagon:connect:permissions": {"integration:salesforce": ["credential:write"], "credential:22222222-2222-2222-2222-222222222222": false}}'),
	('reader', '{"sub": "acme", "urn:useparagon:connect:permissions": {"integration:*": []}}');
SET row_security = off;
SELECT t.name, c.label,
       paragon_explain(t.claims, 'credential:write', c.integration, c.id::text) ->> 'reason' AS reason,
       paragon_explain(t.claims, 'credential:write', c.integration, c.id::text) -> 'rule' AS rule
FROM audit_tokens t JOIN credentials c ON c.connected_user = paragon_sub(t.claims)
WHERE paragon_allowed(t.claims, 'credential:write', c.integration, c.id, NULL)
ORDER BY 1, 2;
-- and what of its Connected User each may not write, with the deciding rule
SELECT t.name, c.label, paragon_explain(t.claims, 'credential:write', c.integration, c.id::text) -> 'rule' AS rule
FROM audit_tokens t JOIN credentials c ON c.connected_user = paragon_sub(t.claims)
WHERE NOT paragon_allowed(t.claims, 'credential:write', c.integration, c.id, NULL)
ORDER BY 1, 2;
RESET row_security;

DROP VIEW visible_configurations;
DROP TABLE audit_tokens, plain_configurations, configurations, credentials;
DROP FUNCTION leak(text);
DROP FUNCTION rls_plan(text);
DROP ROLE regress_paragon_app;
