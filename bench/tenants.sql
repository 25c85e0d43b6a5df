-- bench/tenants.sql — data of the multi-tenant group (bench/tenants.sh):
-- 1,000,000 configurations of 10,000 Connected Users (100 each, in 10
-- credentials of 10 configurations), in random order on disk, as rows of
-- many users are in a real table.  Two tables with the same rows in the
-- same physical order: conf_generated under the policies
-- paragon_enable_rls writes, conf_tenant under the tenant-only policy
-- people write today.  Each has an index on its user column.
CREATE EXTENSION paragon_perm;
SELECT setseed(0.4213);

CREATE TABLE conf_generated (
	id bigint PRIMARY KEY,
	connected_user text NOT NULL,
	integration text NOT NULL,
	credential_id uuid NOT NULL,
	external_id text,
	settings jsonb NOT NULL DEFAULT '{}'
);
INSERT INTO conf_generated
SELECT g,
       'user-' || (g % 10000),
       (ARRAY['salesforce', 'hubspot', 'slack', 'notion', 'jira'])[1 + (g / 10000) % 5],
       md5('cred-' || (g % 10000) || '-' || ((g / 10000) % 10))::uuid,
       CASE WHEN g % 7 = 0 THEN NULL ELSE 'team-' || ((g / 100000) % 10) END,
       jsonb_build_object('n', g)
  FROM generate_series(0, 999999) g
 ORDER BY random();
CREATE TABLE conf_tenant (LIKE conf_generated INCLUDING ALL);
INSERT INTO conf_tenant SELECT * FROM conf_generated ORDER BY ctid;
CREATE INDEX ON conf_generated (connected_user);
CREATE INDEX ON conf_tenant (connected_user);
VACUUM ANALYZE conf_generated;
VACUUM ANALYZE conf_tenant;

CREATE ROLE bench_app LOGIN;
GRANT SELECT ON conf_generated, conf_tenant TO bench_app;
ALTER DATABASE bench SET paragon.claims_source = 'setting';

SELECT count(*) FROM paragon_enable_rls('conf_generated', 'configurations');

-- the tenant-only policy: the boundary alone, with no permission check
ALTER TABLE conf_tenant ENABLE ROW LEVEL SECURITY;
ALTER TABLE conf_tenant FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON conf_tenant FOR SELECT
	USING (connected_user = current_setting('request.jwt.claims', true)::jsonb ->> 'sub');
