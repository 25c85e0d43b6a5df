#!/usr/bin/env bash
#
# scripts/demo.sh — paragon_perm end to end on a throwaway cluster.
#
# Installs what is missing, builds and installs the extension, starts a
# temporary PostgreSQL (as the postgres user, Unix socket in a temporary
# directory, no TCP), creates credential and configuration tables under
# row-level security, signs two Paragon User Tokens with a fresh RSA key,
# and shows what an application role sees with each.  Removes everything
# on exit.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/setup.sh
make -s
make -s install >/dev/null

# shellcheck source=scripts/cluster.sh
. scripts/cluster.sh
cluster_start demo
psql_app() { as_pg "$bindir/psql" -h "$work" -U postgres -d demo -X -q -v ON_ERROR_STOP=1 "$@"; }
as_pg "$bindir/createdb" -h "$work" -U postgres demo

# A signing key, as Paragon's would be; the database gets only the public half.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/signing.pem" 2>/dev/null
openssl pkey -in "$work/signing.pem" -pubout -out "$work/public.pem"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
sign() {
	local h p
	h=$(printf '%s' '{"alg":"RS256","typ":"JWT"}' | b64url)
	p=$(printf '%s' "$1" | b64url)
	printf '%s.%s.%s' "$h" "$p" "$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -sign "$work/signing.pem" | b64url)"
}
now=$(date +%s)
exp=$((now + 3600))
aud='useparagon.com/demo-project'
admin_token=$(sign "{\"sub\":\"admin@acme\",\"aud\":\"$aud\",\"iat\":$now,\"exp\":$exp}")
member_token=$(sign "{\"sub\":\"member@acme\",\"aud\":\"$aud\",\"iat\":$now,\"exp\":$exp,\"urn:useparagon:connect:permissions\":{\"integration:salesforce\":{\"credential:11111111-1111-1111-1111-111111111111\":{\"configuration:*\":false,\"configuration:ext:team-a\":[\"config:write\",\"settings:write\"]}},\"integration:slack\":{\"credential:*\":[\"credential:write\"]}}}")

psql_app -v key="$(cat "$work/public.pem")" -v aud="$aud" <<'SQL'
CREATE EXTENSION paragon_perm;

-- The superuser decides how tokens are verified; the application cannot.
ALTER DATABASE demo SET paragon.public_key = :'key';
ALTER DATABASE demo SET paragon.audience = :'aud';

CREATE ROLE app LOGIN;
CREATE TABLE credentials (id uuid PRIMARY KEY, integration text NOT NULL, label text);
CREATE TABLE configurations (
	id uuid PRIMARY KEY, credential_id uuid NOT NULL REFERENCES credentials,
	integration text NOT NULL, external_id text);
INSERT INTO credentials VALUES
	('11111111-1111-1111-1111-111111111111', 'salesforce', 'Salesforce (production)'),
	('22222222-2222-2222-2222-222222222222', 'salesforce', 'Salesforce (sandbox)'),
	('33333333-3333-3333-3333-333333333333', 'hubspot', 'HubSpot'),
	('44444444-4444-4444-4444-444444444444', 'slack', 'Slack');
INSERT INTO configurations VALUES
	('aaaaaaaa-0000-0000-0000-000000000001', '11111111-1111-1111-1111-111111111111', 'salesforce', 'team-a'),
	('aaaaaaaa-0000-0000-0000-000000000002', '11111111-1111-1111-1111-111111111111', 'salesforce', 'team-b'),
	('aaaaaaaa-0000-0000-0000-000000000003', '22222222-2222-2222-2222-222222222222', 'salesforce', 'team-a'),
	('aaaaaaaa-0000-0000-0000-000000000004', '33333333-3333-3333-3333-333333333333', 'hubspot', NULL),
	('aaaaaaaa-0000-0000-0000-000000000005', '44444444-4444-4444-4444-444444444444', 'slack', 'team-a');
GRANT SELECT, INSERT, UPDATE, DELETE ON credentials, configurations TO app;

ALTER TABLE credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE configurations ENABLE ROW LEVEL SECURITY;
CREATE POLICY see ON credentials FOR SELECT USING (paragon_visible(integration, id));
CREATE POLICY connect ON credentials FOR INSERT WITH CHECK (paragon_allowed('credential:write', integration, '*'));
CREATE POLICY edit ON credentials FOR UPDATE USING (paragon_allowed('credential:write', integration, id));
CREATE POLICY disconnect ON credentials FOR DELETE USING (paragon_allowed('credential:write', integration, id));
CREATE POLICY see ON configurations FOR SELECT
	USING (paragon_visible(integration, credential_id, coalesce(external_id, '*')));
CREATE POLICY edit ON configurations FOR UPDATE
	USING (paragon_allowed('config:write', integration, credential_id, coalesce(external_id, '*')));
SQL

show() {	# title token
	echo
	echo "=== $1"
	as_pg "$bindir/psql" -h "$work" -U app -d demo -X -q -v ON_ERROR_STOP=1 -v token="$2" <<'SQL'
BEGIN;
SET LOCAL paragon.token = :'token';
SELECT paragon_current_claims() ->> 'sub' AS "token for";
\echo credentials this token sees, and what it may do with them:
SELECT label, integration,
       paragon_allowed('credential:write', integration, id) AS may_disconnect,
       array_to_string(paragon_permissions(paragon_current_claims(), integration, id::text), ', ') AS permissions
FROM credentials ORDER BY label;
\echo configurations this token sees:
SELECT c.label AS credential, coalesce(f.external_id, '(none)') AS external_id,
       paragon_allowed('config:write', f.integration, f.credential_id, coalesce(f.external_id, '*')) AS may_edit
FROM configurations f JOIN credentials c ON c.id = f.credential_id ORDER BY 1, 2;
\echo may it connect a new credential?
SELECT i AS integration, paragon_allowed('credential:write', i, '*') AS may_connect
FROM unnest(ARRAY['salesforce', 'hubspot', 'slack']) i;
\echo the HubSpot credential, explained:
SELECT paragon_explain(paragon_current_claims(), NULL, 'hubspot', '33333333-3333-3333-3333-333333333333', NULL) AS explain;
COMMIT;
SQL
}

show "admin token (no permissions claim: everything)" "$admin_token"
show "member token (one Salesforce credential, one configuration; may connect Slack)" "$member_token"

echo
echo "=== a forged claim is ignored: the app role sets request.jwt.claims and tries to widen its settings"
as_pg "$bindir/psql" -h "$work" -U app -d demo -X -q -v token="$member_token" <<'SQL'
BEGIN;
SET LOCAL paragon.token = :'token';
SET LOCAL request.jwt.claims = '{"sub": "admin@acme"}';
SELECT count(*) AS credentials_seen FROM credentials;
COMMIT;
SET paragon.public_key = 'attacker key';
SQL
