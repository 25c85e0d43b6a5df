#!/usr/bin/env bash
#
# scripts/demo.sh — paragon_perm end to end on a throwaway cluster.
#
# Installs what is missing, builds and installs the extension, starts a
# temporary PostgreSQL (as the postgres user, Unix socket in a temporary
# directory, no TCP), and puts two Connected Users, acme and globex, in the
# same credentials and configurations tables.  paragon_enable_rls writes
# the row-level security policies of both tables; three Paragon User
# Tokens, signed with a fresh RSA key, then show what an application role
# sees and may change with each: an unrestricted acme token (all of acme,
# none of globex), a restricted acme member, and globex's own token.
# Writes that must fail are shown failing.  Removes everything on exit.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/setup.sh
make -s
make -s install >/dev/null

# shellcheck source=scripts/cluster.sh
. scripts/cluster.sh
cluster_start demo
psql_admin() { as_pg "$bindir/psql" -h "$work" -U postgres -d demo -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_app() { as_pg "$bindir/psql" -h "$work" -U app -d demo -X -q -v ON_ERROR_STOP=1 "$@"; }
as_pg "$bindir/createdb" -h "$work" -U postgres demo

# A signing key, as Paragon's would be; the database gets only the public half.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/signing.pem" 2>/dev/null
openssl pkey -in "$work/signing.pem" -pubout -out "$work/public.pem"
# rs256_jwt: the JWS helpers the tests use
. test/jose.sh
sign() { rs256_jwt "$work/signing.pem" "$1"; }
now=$(date +%s)
exp=$((now + 3600))
aud='useparagon.com/demo-project'
P=urn:useparagon:connect:permissions
acme_admin=$(sign "{\"sub\":\"acme\",\"aud\":\"$aud\",\"iat\":$now,\"exp\":$exp}")
acme_member=$(sign "{\"sub\":\"acme\",\"aud\":\"$aud\",\"iat\":$now,\"exp\":$exp,\"$P\":{\"integration:salesforce\":{\"credential:11111111-1111-1111-1111-111111111111\":{\"configuration:*\":false,\"configuration:ext:team-a\":[\"config:write\",\"settings:write\"]}},\"integration:slack\":{\"credential:*\":[\"credential:write\"]}}}")
globex_admin=$(sign "{\"sub\":\"globex\",\"aud\":\"$aud\",\"iat\":$now,\"exp\":$exp}")

echo "=== setup (as the superuser): two Connected Users, acme and globex, in the same tables"
psql_admin -v key="$(cat "$work/public.pem")" -v aud="$aud" <<'SQL'
CREATE EXTENSION paragon_perm;

-- The superuser decides where claims come from and how tokens are verified;
-- the application cannot.
ALTER DATABASE demo SET paragon.claims_source = 'token';
ALTER DATABASE demo SET paragon.public_key = :'key';
ALTER DATABASE demo SET paragon.audience = :'aud';

CREATE ROLE app LOGIN;
-- Every row names its Connected User (the token's sub).  The composite
-- foreign key keeps each configuration under a credential of its own user.
CREATE TABLE credentials (
	id uuid PRIMARY KEY,
	connected_user text NOT NULL,
	integration text NOT NULL,
	label text,
	UNIQUE (id, connected_user));
CREATE INDEX ON credentials (connected_user);
CREATE TABLE configurations (
	id serial PRIMARY KEY,
	connected_user text NOT NULL,
	credential_id uuid NOT NULL,
	integration text NOT NULL,
	external_id text,
	FOREIGN KEY (credential_id, connected_user) REFERENCES credentials (id, connected_user));
CREATE INDEX ON configurations (connected_user);
INSERT INTO credentials VALUES
	('11111111-1111-1111-1111-111111111111', 'acme', 'salesforce', 'acme: Salesforce (production)'),
	('22222222-2222-2222-2222-222222222222', 'acme', 'salesforce', 'acme: Salesforce (sandbox)'),
	('33333333-3333-3333-3333-333333333333', 'acme', 'hubspot', 'acme: HubSpot'),
	('44444444-4444-4444-4444-444444444444', 'globex', 'salesforce', 'globex: Salesforce'),
	('55555555-5555-5555-5555-555555555555', 'globex', 'slack', 'globex: Slack');
INSERT INTO configurations (connected_user, credential_id, integration, external_id) VALUES
	('acme', '11111111-1111-1111-1111-111111111111', 'salesforce', 'team-a'),
	('acme', '11111111-1111-1111-1111-111111111111', 'salesforce', 'team-b'),
	('acme', '22222222-2222-2222-2222-222222222222', 'salesforce', 'team-a'),
	('acme', '33333333-3333-3333-3333-333333333333', 'hubspot', NULL),
	('globex', '44444444-4444-4444-4444-444444444444', 'salesforce', 'team-a'),
	('globex', '55555555-5555-5555-5555-555555555555', 'slack', NULL);
GRANT SELECT, INSERT, UPDATE, DELETE ON credentials, configurations TO app;
GRANT USAGE ON SEQUENCE configurations_id_seq TO app;

-- try runs a statement and says how it went: a refusal is an expected
-- outcome here, printed as such rather than as an error that stops the demo
CREATE FUNCTION try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE stmt;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n = 0 THEN
		RETURN 'no row changed: the policies let it change none of the rows it names';
	END IF;
	RETURN 'done, ' || n || ' row(s)';
EXCEPTION WHEN insufficient_privilege OR foreign_key_violation OR check_violation THEN
	RETURN 'refused, as it must be: ' || SQLERRM;
END $$;
GRANT EXECUTE ON FUNCTION try(text) TO app;

\echo
\echo the policies, as paragon_enable_rls writes them (credentials, then configurations):
SELECT * FROM paragon_enable_rls('credentials', 'credentials');
SELECT * FROM paragon_enable_rls('configurations', 'configurations');
SQL

show() {	# title token
	echo
	echo "=== $1"
	psql_app -v token="$2" <<'SQL'
BEGIN;
SET LOCAL paragon.token = :'token';
SELECT paragon_sub() AS "token for (its sub)";
\echo credentials this token sees, and its permissions on each:
SELECT label, integration,
       array_to_string(paragon_permissions(paragon_current_claims(), integration, id::text), ', ') AS permissions
  FROM credentials ORDER BY label;
\echo configurations this token sees:
SELECT c.label AS credential, coalesce(f.external_id, '(none)') AS external_id,
       paragon_allowed('config:write', f.integration, f.credential_id, coalesce(f.external_id, '*')) AS may_edit
  FROM configurations f JOIN credentials c ON c.id = f.credential_id ORDER BY 1, 2;
\echo rows of another Connected User it sees, in either table:
SELECT (SELECT count(*) FROM credentials WHERE connected_user <> paragon_sub())
     + (SELECT count(*) FROM configurations WHERE connected_user <> paragon_sub()) AS other_users_rows;
COMMIT;
SQL
}

show "acme's unrestricted token (no permissions claim): all of acme, none of globex" "$acme_admin"
show "globex's unrestricted token: all of globex, none of acme" "$globex_admin"
show "an acme member (one Salesforce credential, one configuration of it; may connect Slack)" "$acme_member"
cat <<'TEXT'
The member sees "acme: Salesforce (production)" with an empty permission list: no rule grants
anything on the credential itself (its configurations are denied by "configuration:*": false),
but its configuration team-a is visible, and a credential is visible when anything beneath it
is, so the member can list it and reach team-a. Disconnecting it would need credential:write
on the credential itself, which the member does not have.
TEXT

echo
echo "=== writes: what each token may change"
psql_app -v admin="$acme_admin" -v member="$acme_member" <<'SQL'
BEGIN;
SET LOCAL paragon.token = :'admin';
\echo 'acme''s unrestricted token plants a credential in globex:'
SELECT try($$INSERT INTO credentials VALUES ('66666666-6666-6666-6666-666666666666', 'globex', 'salesforce', 'planted')$$) AS outcome;
\echo ... moves one of its own credentials to globex:
SELECT try($$UPDATE credentials SET connected_user = 'globex' WHERE label = 'acme: HubSpot'$$) AS outcome;
\echo ... renames every globex credential (it sees none of them):
SELECT try($$UPDATE credentials SET label = 'hijacked' WHERE connected_user = 'globex'$$) AS outcome;
\echo '... adds a configuration under globex''s credential, in its own name:'
SELECT try($$INSERT INTO configurations (connected_user, credential_id, integration, external_id)
             VALUES ('acme', '44444444-4444-4444-4444-444444444444', 'salesforce', 'across')$$) AS outcome;
COMMIT;
BEGIN;
SET LOCAL paragon.token = :'member';
\echo the acme member edits its configuration team-a (config:write there):
SELECT try($$UPDATE configurations SET external_id = 'team-a' WHERE external_id = 'team-a'$$) AS outcome;
\echo ... disconnects the Salesforce credential it can see (no credential:write on it):
SELECT try($$DELETE FROM credentials WHERE label = 'acme: Salesforce (production)'$$) AS outcome;
\echo ... connects a HubSpot credential:
SELECT try($$INSERT INTO credentials VALUES ('77777777-7777-7777-7777-777777777777', 'acme', 'hubspot', 'acme: HubSpot 2')$$) AS outcome;
\echo ... connects a Slack credential (credential:write on any Slack credential):
SELECT try($$INSERT INTO credentials VALUES ('88888888-8888-8888-8888-888888888888', 'acme', 'slack', 'acme: Slack')$$) AS outcome;
COMMIT;
SQL

echo
echo "=== a forged claim is ignored: the app role sets request.jwt.claims and paragon.public_key"
psql_app -v token="$acme_member" <<'SQL'
BEGIN;
SET LOCAL paragon.token = :'token';
SET LOCAL request.jwt.claims = '{"sub": "globex"}';
SELECT paragon_sub() AS "still the token's sub", count(*) AS credentials_seen FROM credentials;
SELECT try($$SET paragon.public_key = 'attacker key'$$) AS outcome;
COMMIT;
SQL

echo
echo "demo: shown: two Connected Users in one table each, separated by the policies paragon_enable_rls wrote; acme's unrestricted token saw all of acme and none of globex, the member only what its permissions claim allows, and every write across the boundary or beyond the permissions was refused."
