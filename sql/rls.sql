--
-- rls: row-level security end to end, a security_barrier view and an audit
--
-- IF NOT EXISTS: earlier tests of the suite may have created it already.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;

CREATE ROLE regress_paragon_app LOGIN;

CREATE TABLE credentials (
	id uuid PRIMARY KEY,
	integration text NOT NULL,
	label text
);
-- configurations carry their integration too, so a policy needs no join
CREATE TABLE configurations (
	id uuid PRIMARY KEY,
	credential_id uuid NOT NULL REFERENCES credentials,
	integration text NOT NULL,
	external_id text,
	settings jsonb DEFAULT '{}'
);
GRANT SELECT, INSERT, UPDATE, DELETE ON credentials, configurations TO regress_paragon_app;
ALTER TABLE credentials OWNER TO regress_paragon_app;
ALTER TABLE configurations OWNER TO regress_paragon_app;

INSERT INTO credentials VALUES
	('11111111-1111-1111-1111-111111111111', 'salesforce', 'sf main'),
	('22222222-2222-2222-2222-222222222222', 'salesforce', 'sf sandbox'),
	('33333333-3333-3333-3333-333333333333', 'hubspot', 'hs'),
	('44444444-4444-4444-4444-444444444444', 'slack', 'slack');
INSERT INTO configurations (id, credential_id, integration, external_id) VALUES
	('aaaaaaaa-0000-0000-0000-000000000001', '11111111-1111-1111-1111-111111111111', 'salesforce', 'team-a'),
	('aaaaaaaa-0000-0000-0000-000000000002', '11111111-1111-1111-1111-111111111111', 'salesforce', 'team-b'),
	('aaaaaaaa-0000-0000-0000-000000000003', '22222222-2222-2222-2222-222222222222', 'salesforce', 'team-a'),
	('aaaaaaaa-0000-0000-0000-000000000004', '33333333-3333-3333-3333-333333333333', 'hubspot', NULL),
	('aaaaaaaa-0000-0000-0000-000000000005', '44444444-4444-4444-4444-444444444444', 'slack', 'team-a');

ALTER TABLE credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE credentials FORCE ROW LEVEL SECURITY;
ALTER TABLE configurations ENABLE ROW LEVEL SECURITY;
ALTER TABLE configurations FORCE ROW LEVEL SECURITY;

-- The claims come from a setting, read once per statement thanks to the
-- (SELECT ...) wrapper (an InitPlan), not once per row.  A configuration
-- without an External ID is the unspecified configuration '*'.
CREATE POLICY cred_select ON credentials FOR SELECT
	USING (paragon_visible((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                       integration, id, NULL));
CREATE POLICY cred_insert ON credentials FOR INSERT
	WITH CHECK (paragon_allowed((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                            'credential:write', integration, '*', NULL));
CREATE POLICY cred_update ON credentials FOR UPDATE
	USING (paragon_allowed((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                       'credential:write', integration, id, NULL));
CREATE POLICY cred_delete ON credentials FOR DELETE
	USING (paragon_allowed((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                       'credential:write', integration, id, NULL));
CREATE POLICY conf_select ON configurations FOR SELECT
	USING (paragon_visible((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                       integration, credential_id, coalesce(external_id, '*')));
CREATE POLICY conf_insert ON configurations FOR INSERT
	WITH CHECK (paragon_allowed((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                            'config:write', integration, credential_id, coalesce(external_id, '*')));
CREATE POLICY conf_update ON configurations FOR UPDATE
	USING (paragon_allowed((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                       'config:write', integration, credential_id, coalesce(external_id, '*')));
CREATE POLICY conf_delete ON configurations FOR DELETE
	USING (paragon_allowed((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                       'config:write', integration, credential_id, coalesce(external_id, '*')));

-- the claims are an InitPlan: one evaluation per statement (read from the
-- plan's JSON form, which names it alike on every PostgreSQL version)
CREATE FUNCTION rls_plan(query text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (COSTS OFF, FORMAT JSON) ' || query INTO plan;
	RETURN plan::jsonb -> 0 -> 'Plan';
END $$;
SET ROLE regress_paragon_app;
SET request.jwt.claims = '{"sub": "admin"}';
SELECT p->>'Node Type' AS scan, p->>'Relation Name' AS relation,
       p->>'Filter' LIKE 'paragon_visible(%' AS policy_filter,
       jsonb_path_query_array(p, '$.Plans[*]."Parent Relationship"') AS claims_from
  FROM rls_plan('SELECT label FROM credentials') p;

-- token 1: admin (no permissions claim): everything
SELECT label FROM credentials ORDER BY label;
SELECT integration, external_id FROM configurations ORDER BY 1, 2;
UPDATE credentials SET label = label || '!' WHERE integration = 'slack' RETURNING label;

-- token 2: a member limited to one credential
SET request.jwt.claims = '{"sub": "m1", "urn:useparagon:connect:permissions": {"integration:salesforce": {"credential:11111111-1111-1111-1111-111111111111": ["config:write", "settings:read"]}}}';
SELECT label FROM credentials ORDER BY label;
SELECT integration, external_id FROM configurations ORDER BY 1, 2;
-- no credential:write: updates and deletes touch nothing, inserts are refused
UPDATE credentials SET label = 'x' RETURNING label;
DELETE FROM credentials RETURNING label;
INSERT INTO credentials VALUES ('55555555-5555-5555-5555-555555555555', 'salesforce', 'new');
-- config:write on its own configurations only
WITH u AS (UPDATE configurations SET settings = '{"a": 1}' RETURNING external_id) SELECT * FROM u ORDER BY 1;

-- token 3: a member limited to one configuration External ID
SET request.jwt.claims = '{"sub": "m2", "urn:useparagon:connect:permissions": {"integration:*": {"credential:*": {"configuration:ext:team-a": true}}, "integration:salesforce": {"credential:*": ["credential:write"]}}}';
SELECT label FROM credentials ORDER BY label;
SELECT integration, external_id FROM configurations ORDER BY 1, 2;
-- may connect a new salesforce credential, not a hubspot one
INSERT INTO credentials VALUES ('55555555-5555-5555-5555-555555555555', 'salesforce', 'new sf') RETURNING label;
INSERT INTO credentials VALUES ('66666666-6666-6666-6666-666666666666', 'hubspot', 'new hs');
-- may write its team-a configurations, not team-b
WITH u AS (UPDATE configurations SET settings = '{"b": 2}' RETURNING integration, external_id) SELECT * FROM u ORDER BY 1, 2;
DELETE FROM credentials WHERE id = '55555555-5555-5555-5555-555555555555' RETURNING label;

-- no token at all: nothing
RESET request.jwt.claims;
SELECT count(*) AS no_token_credentials FROM credentials;
SET request.jwt.claims = '';
SELECT count(*) AS empty_token_credentials FROM configurations;

-- a broken token is an error, never a silent allow
SET request.jwt.claims = '{"urn:useparagon:connect:permissions": {"integration:*": "yes"}}';
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
	WHERE paragon_visible((SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb),
	                      integration, credential_id, coalesce(external_id, '*'));
GRANT SELECT ON visible_configurations TO regress_paragon_app;
CREATE FUNCTION leak(text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS
$$ BEGIN RAISE NOTICE 'leak saw %', $1; RETURN true; END $$;
SET ROLE regress_paragon_app;
SET request.jwt.claims = '{"urn:useparagon:connect:permissions": {"integration:slack": true}}';
SELECT integration, external_id FROM visible_configurations WHERE leak(integration || '/' || coalesce(external_id, '-'));
SELECT count(*) AS base_table_denied FROM plain_configurations;
RESET ROLE;
RESET request.jwt.claims;

--
-- Audit: for a set of tokens, which credentials may each write, and why
--
CREATE TABLE audit_tokens (name text PRIMARY KEY, claims jsonb CHECK (paragon_claims_valid(claims)));
INSERT INTO audit_tokens VALUES
	('admin', '{"sub": "admin"}'),
	('sf-writer', '{"urn:useparagon:connect:permissions": {"integration:salesforce": ["credential:write"], "credential:22222222-2222-2222-2222-222222222222": false}}'),
	('reader', '{"urn:useparagon:connect:permissions": {"integration:*": []}}');
SET row_security = off;
SELECT t.name, c.label,
       paragon_explain(t.claims, 'credential:write', c.integration, c.id::text) ->> 'reason' AS reason,
       paragon_explain(t.claims, 'credential:write', c.integration, c.id::text) -> 'rule' AS rule
FROM audit_tokens t CROSS JOIN credentials c
WHERE paragon_allowed(t.claims, 'credential:write', c.integration, c.id, NULL)
ORDER BY 1, 2;
-- and what each may not write, with the deciding rule
SELECT t.name, c.label, paragon_explain(t.claims, 'credential:write', c.integration, c.id::text) -> 'rule' AS rule
FROM audit_tokens t CROSS JOIN credentials c
WHERE NOT paragon_allowed(t.claims, 'credential:write', c.integration, c.id, NULL)
ORDER BY 1, 2;
RESET row_security;

DROP VIEW visible_configurations;
DROP TABLE audit_tokens, plain_configurations, configurations, credentials;
DROP FUNCTION leak(text);
DROP FUNCTION rls_plan(text);
DROP ROLE regress_paragon_app;
