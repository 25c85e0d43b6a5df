-- bench/setup.sql — data for `make bench` (bench/run.sh).
--
-- 30 integrations, 50,000 credentials, 1,000,000 configurations (30% with
-- a NULL External ID), and the tokens: admin (no permissions claim),
-- admin_star ({"integration:*": true}), member (10 rules), t1k and t10k
-- (1,000 and 10,000 rules over many integrations, credentials and External
-- IDs, credential keys spelled four ways), 200 audit tokens of ~10 rules
-- over 5,000 credentials, and tables of distinct tokens for compile costs.
-- Everything is deterministic (md5 of a counter), so runs are comparable.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE EXTENSION paragon_perm;

CREATE TABLE integrations (idx int PRIMARY KEY, name text NOT NULL);
INSERT INTO integrations
SELECT i, n
FROM unnest(ARRAY['salesforce', 'hubspot', 'slack', 'jira', 'notion', 'gmail',
				  'googledrive', 'sharepoint', 'zendesk', 'intercom', 'asana',
				  'github', 'gitlab', 'linear', 'dropbox', 'box', 'outlook',
				  'teams', 'zoom', 'shopify', 'stripe', 'quickbooks', 'xero',
				  'netsuite', 'marketo', 'pipedrive', 'mailchimp', 'airtable',
				  'confluence', 'servicenow']) WITH ORDINALITY AS t(n, i);

CREATE TABLE credentials (
	id uuid PRIMARY KEY,
	integration text NOT NULL,
	idx int NOT NULL,
	int_idx int NOT NULL
);
INSERT INTO credentials
SELECT md5('cred' || g)::uuid, n.names[1 + g % 30], g, 1 + g % 30
FROM generate_series(0, 49999) g,
	 (SELECT array_agg(name ORDER BY idx) AS names FROM integrations) n;

-- each credential has 20 configurations; (g * 7) % 10 < 3 for exactly 30%
CREATE TABLE configurations (
	id uuid NOT NULL,
	credential_id uuid NOT NULL,
	integration text NOT NULL,
	external_id text
);
INSERT INTO configurations
SELECT md5('conf' || g)::uuid, md5('cred' || c)::uuid, n.names[1 + c % 30],
	   CASE WHEN (g * 7) % 10 < 3 THEN NULL ELSE 'ext-' || (g * 31) % 400 END
FROM (SELECT g, (g::bigint * 7919) % 50000 AS c FROM generate_series(0, 999999) g) s,
	 (SELECT array_agg(name ORDER BY idx) AS names FROM integrations) n;

-- Rules as paths of keys; tokens are built from them.
CREATE TABLE rules (tok text NOT NULL, path text[] NOT NULL, val jsonb NOT NULL);

-- spell writes a credential UUID one of four ways (all equal as UUIDs)
CREATE FUNCTION spell(id uuid, k bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE k % 4
		WHEN 0 THEN id::text
		WHEN 1 THEN upper(id::text)
		WHEN 2 THEN replace(id::text, '-', '')
		ELSE '{' || id::text || '}' END
$$;

-- val_of cycles through the kinds of values
CREATE FUNCTION val_of(k bigint) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
	SELECT (ARRAY['true', 'false', '["proxy-api"]',
				  '["settings:write", "credential:write"]', '[]'])[1 + k % 5]::jsonb
$$;

-- member: 10 rules
INSERT INTO rules
SELECT 'member', p, v::jsonb
FROM (VALUES
	(ARRAY['integration:salesforce'], 'true'),
	(ARRAY['integration:hubspot'], '["proxy-api", "credential:write"]'),
	(ARRAY['integration:slack', 'credential:*'], '["proxy-api"]'),
	(ARRAY['integration:slack', 'credential:' ||
		   (SELECT upper(id::text) FROM credentials WHERE integration = 'slack' ORDER BY idx LIMIT 1)], 'false'),
	(ARRAY['integration:jira', 'credential:' ||
		   (SELECT id::text FROM credentials WHERE integration = 'jira' ORDER BY idx LIMIT 1),
		   'configuration:*'], '["settings:read"]'),
	(ARRAY['integration:jira', 'credential:' ||
		   (SELECT id::text FROM credentials WHERE integration = 'jira' ORDER BY idx LIMIT 1),
		   'configuration:ext:ext-7'], '["settings:write", "proxy-api"]'),
	(ARRAY['credential:' ||
		   (SELECT replace(id::text, '-', '') FROM credentials WHERE integration = 'notion' ORDER BY idx LIMIT 1)],
	 '["proxy-api"]'),
	(ARRAY['configuration:ext:ext-42'], '["proxy-api"]'),
	(ARRAY['integration:notion'], 'false'),
	(ARRAY['integration:*'], '["events"]')
) AS t(p, v);

-- gen_big: n rules.  Integrations 1..10 are leaves; integration:* has a
-- credential:* rule; 60% of n are credential rules nested in integrations
-- 11..30; 10% of n credentials hold three configuration rules each (30%);
-- 5% are bare top-level credential rules (integrations 1..10, so they
-- override the integration leaf); the rest are top-level configuration
-- rules.
CREATE FUNCTION gen_big(t text, n int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	ncred int := (n * 0.6)::int;
	ncont int := (n * 0.1)::int;
	ntopc int := (n * 0.05)::int;
	ntopx int := n - 11 - ncred - 3 * ncont - ntopc;
BEGIN
	INSERT INTO rules
	SELECT t, ARRAY['integration:' || name], val_of(idx) FROM integrations WHERE idx <= 10;
	INSERT INTO rules VALUES (t, '{integration:*,credential:*}', '["events"]');

	CREATE TEMP TABLE pick ON COMMIT DROP AS
	SELECT c.*, row_number() OVER (PARTITION BY c.int_idx > 10 ORDER BY md5(t || c.idx)) AS k
	FROM credentials c;

	INSERT INTO rules
	SELECT t, ARRAY['integration:' || integration, 'credential:' || spell(id, k)], val_of(k)
	FROM pick WHERE int_idx > 10 AND k <= ncred;

	INSERT INTO rules
	SELECT t, ARRAY['integration:' || integration, 'credential:' || spell(id, k), x.key], val_of(k + x.o)
	FROM pick,
		 LATERAL (VALUES ('configuration:ext:ext-' || k % 400, 1),
						 ('configuration:ext:ext-' || (k * 7 + 1) % 400, 2),
						 ('configuration:*', 3)) AS x(key, o)
	WHERE int_idx > 10 AND k > ncred AND k <= ncred + ncont;

	INSERT INTO rules
	SELECT t, ARRAY['credential:' || spell(id, k)], val_of(k)
	FROM pick WHERE int_idx <= 10 AND k <= ntopc;

	INSERT INTO rules
	SELECT t, ARRAY['configuration:ext:' ||
					CASE WHEN j < 200 THEN 'ext-' || (j * 2) ELSE 'team ' || j END], val_of(j)
	FROM generate_series(0, ntopx - 1) j;
	DROP TABLE pick;
END
$$;

-- gen_small: about 10 rules over the 5,000 audit credentials
CREATE FUNCTION gen_small(t text, seed int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	leaf text := (SELECT name FROM integrations WHERE idx = 1 + seed % 30);
	cont text := (SELECT name FROM integrations WHERE idx = 1 + (seed + 7) % 30);
BEGIN
	INSERT INTO rules VALUES
		(t, ARRAY['integration:' || leaf], 'true'),
		(t, ARRAY['integration:' || cont, 'credential:*'], '["credential:write"]'),
		(t, ARRAY['integration:*'], CASE WHEN seed % 2 = 0 THEN '["proxy-api"]' ELSE 'false' END::jsonb);
	INSERT INTO rules
	SELECT t, CASE WHEN k % 3 = 0 THEN ARRAY['credential:' || spell(id, k)]
				   ELSE ARRAY['integration:' || integration, 'credential:' || spell(id, k)] END,
		   val_of(k)
	FROM (SELECT c.*, row_number() OVER (ORDER BY md5(t || c.idx)) AS k
		  FROM credentials c WHERE c.idx < 5000 AND c.integration <> leaf) p
	WHERE k <= 7;
END
$$;

-- build_perms nests a token's rule paths into the permissions object
CREATE FUNCTION build_perms(t text) RETURNS jsonb LANGUAGE sql STABLE AS $$
	WITH r AS (SELECT path, val FROM rules WHERE tok = t),
	l3 AS (SELECT path[1:2] AS path, jsonb_object_agg(path[3], val) AS val
		   FROM r WHERE cardinality(path) = 3 GROUP BY path[1:2]),
	a2 AS (SELECT path, val FROM r WHERE cardinality(path) = 2
		   UNION ALL SELECT path, val FROM l3),
	l2 AS (SELECT path[1:1] AS path, jsonb_object_agg(path[2], val) AS val
		   FROM a2 GROUP BY path[1:1]),
	a1 AS (SELECT path, val FROM r WHERE cardinality(path) = 1
		   UNION ALL SELECT path, val FROM l2)
	SELECT jsonb_object_agg(path[1], val) FROM a1
$$;

SELECT gen_big('t1k', 1000);
SELECT gen_big('t10k', 10000);
SELECT gen_small('audit-' || g, g) FROM generate_series(1, 200) g;

CREATE TABLE tokens (name text PRIMARY KEY, rules int, claims jsonb NOT NULL);
INSERT INTO tokens VALUES
	('admin', 0, '{"sub": "user-admin", "iat": 1795000000, "exp": 1795003600, "aud": "useparagon.com"}'),
	('admin_star', 1, '{"sub": "user-admin", "iat": 1795000000, "exp": 1795003600, "aud": "useparagon.com",
					   "urn:useparagon:connect:permissions": {"integration:*": true}}');
INSERT INTO tokens
SELECT tok, count(*),
	   jsonb_build_object('sub', 'user-' || tok, 'iat', 1795000000, 'exp', 1795003600,
						  'aud', 'useparagon.com',
						  'urn:useparagon:connect:permissions', build_perms(tok))
FROM rules GROUP BY tok;

-- every token must compile
DO $$
DECLARE
	bad text;
BEGIN
	SELECT string_agg(name, ', ') INTO bad FROM tokens WHERE NOT paragon_claims_valid(claims);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'invalid benchmark tokens: %', bad;
	END IF;
END
$$;

CREATE TABLE audit_tokens AS SELECT name, claims FROM tokens WHERE name LIKE 'audit-%';
CREATE TABLE audit_creds AS SELECT id, integration FROM credentials WHERE idx < 5000;

-- distinct tokens (they differ in "sub") for the compile cost
CREATE TABLE compile10 AS
SELECT jsonb_set(claims, '{sub}', to_jsonb('user-' || g)) AS claims
FROM tokens, generate_series(1, 20000) g WHERE name = 'member';
CREATE TABLE compile1k AS
SELECT jsonb_set(claims, '{sub}', to_jsonb('user-' || g)) AS claims
FROM tokens, generate_series(1, 500) g WHERE name = 't1k';
CREATE TABLE compile10k AS
SELECT jsonb_set(claims, '{sub}', to_jsonb('user-' || g)) AS claims
FROM tokens, generate_series(1, 50) g WHERE name = 't10k';

-- the agreement sample (20,000 rows) and the PL/pgSQL timing subsets
CREATE TABLE sample20k AS
SELECT * FROM configurations WHERE ('x' || substr(id::text, 1, 8))::bit(32)::int % 50 = 0 LIMIT 20000;
CREATE TABLE sub10k AS SELECT * FROM configurations LIMIT 10000;
CREATE TABLE sub1k AS SELECT * FROM configurations LIMIT 1000;
CREATE TABLE sub100 AS SELECT * FROM configurations LIMIT 100;

VACUUM (FREEZE, ANALYZE);
