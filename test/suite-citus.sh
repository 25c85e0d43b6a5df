#!/usr/bin/env bash
#
# test/suite-citus.sh — the same answers on Citus as on one PostgreSQL
# server, verified tokens included, and no worker that fails open.
#
# Run by scripts/test.sh.  When Citus is not installed in the PostgreSQL
# that $PG_CONFIG (or pg_config) names, it prints "citus: skipped (not
# installed)" and exits 77, which scripts/test.sh counts as skipped.  A
# developer installs Citus (13.2 supports PostgreSQL 15 to 17) by the
# usual means; this suite only looks for it.
#
# With Citus: a coordinator and two workers (test/citus-cluster.sh);
# database "app" holds multi-tenant credentials and configurations tables
# distributed by their Connected User column (colocated), database
# "single" on the coordinator the same tables and rows, not distributed.
# Each database has them twice: schema "pre" got its policies from
# paragon_enable_rls before create_distributed_table, schema "post"
# after.  Then, as an unprivileged role, for each token (Connected Users,
# restricted members, unrestricted, a stranger, no sub, invalid), the
# same script (router queries, multi-shard counts, GROUP BY, joins,
# INSERT/UPDATE/DELETE allowed and refused) runs on both, and the outputs
# must be identical.  Last, the ways a token can fail to reach a worker,
# and a worker without the key, must raise errors, never answer.
#
# Tokens are signed here with openssl and the test key of test/fixtures,
# with fixed iat and exp (2100), so nothing depends on the clock.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
PG_CONFIG=${PG_CONFIG:-$(command -v pg_config)}
export PG_CONFIG
if [ ! -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ]; then
	# one line: scripts/test.sh repeats it under its summary
	echo "citus: skipped (not installed): no citus.so in $("$PG_CONFIG" --pkglibdir); Debian has no Citus package, so a machine runs this suite only where Citus was built from source; to run it, build Citus 13.2 (PostgreSQL 15-17) from source into this PostgreSQL (./configure PG_CONFIG=$PG_CONFIG && make && make install, as root) and run: PG_CONFIG=$PG_CONFIG bash test/suite-citus.sh"
	exit 77
fi

# shellcheck source=test/citus-cluster.sh
source "$top/test/citus-cluster.sh"
if ! grep -qs paragon_enable_rls "$("$PG_CONFIG" --sharedir)"/extension/paragon_perm--*.sql; then
	echo "citus: note: this build has no paragon_enable_rls; the suite writes policies of its shape itself"
fi
citus_start citus

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# --- tokens ----------------------------------------------------------------
keys=$top/test/fixtures/keys
# shellcheck source=test/jose.sh
source "$top/test/jose.sh"
# mint KEYFILE PAYLOAD prints a compact RS256 JWS
mint() { rs256_jwt "$1" "$2"; }
# uuid NAME is md5(NAME)::uuid, as the rows below are keyed
uuid() { printf '%s' "$1" | md5sum | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/\1-\2-\3-\4-\5/'; }

T='"iat":946684800,"exp":4102444800'
P='"urn:useparagon:connect:permissions"'
declare -A tok
names="admin1 admin2 member1 member3 stranger nosub badclaims otherkey expired"
tok[admin1]=$(mint "$keys/rsa2048-private.pem" "{\"sub\":\"user-1\",$T}")
tok[admin2]=$(mint "$keys/rsa2048-private.pem" "{\"sub\":\"user-2\",$T}")
# user-1: events everywhere; Salesforce only through credential 3; Slack:
# new credentials and the team-a configurations
tok[member1]=$(mint "$keys/rsa2048-private.pem" "{\"sub\":\"user-1\",$T,$P:{\"integration:*\":[\"events\"],\"integration:salesforce\":{\"credential:*\":false,\"credential:$(uuid cred-1-3)\":[\"credential:write\",\"config:write\"]},\"integration:slack\":{\"credential:*\":[\"credential:write\"],\"configuration:ext:team-a\":[\"config:write\"]}}}")
# user-3: HubSpot, and of Slack credential 2 only its team-b configurations
tok[member3]=$(mint "$keys/rsa2048-private.pem" "{\"sub\":\"user-3\",$T,$P:{\"integration:hubspot\":[\"credential:write\"],\"credential:$(uuid cred-3-2)\":{\"configuration:*\":false,\"configuration:ext:team-b\":[\"config:write\"]}}}")
tok[stranger]=$(mint "$keys/rsa2048-private.pem" "{\"sub\":\"user-99\",$T}")
tok[nosub]=$(mint "$keys/rsa2048-private.pem" "{$T}")
tok[badclaims]=$(mint "$keys/rsa2048-private.pem" "{\"sub\":\"user-1\",$T,$P:{\"integration:*\":\"yes\"}}")
tok[otherkey]=$(mint "$top/test/fixtures/session/other-rsa2048-private.pem" "{\"sub\":\"user-1\",$T}")
tok[expired]=$(mint "$keys/rsa2048-private.pem" '{"sub":"user-1","iat":946684800,"exp":946688400}')
pem=$(cat "$keys/rsa2048-public.pem")

# --- schema and data ---------------------------------------------------------
# the same tables and rows in both databases; :dist distributes them
cat >"$work/setup.sql" <<'SQL'
SET client_min_messages = warning;
SET citus.shard_count = 4;
CREATE EXTENSION paragon_perm;
SELECT format('ALTER DATABASE %I SET paragon.public_key = %L', current_database(), :'pem') \gexec
\if :dist
ALTER DATABASE app SET citus.propagate_set_commands = 'local';
\endif
SELECT 'CREATE ROLE app_user LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_user') \gexec
CREATE SCHEMA pre;
CREATE SCHEMA post;
GRANT USAGE ON SCHEMA pre, post TO app_user;
SELECT format($f$
CREATE TABLE %1$s.credentials (
	connected_user text NOT NULL,
	id uuid NOT NULL,
	integration text NOT NULL,
	label text,
	PRIMARY KEY (connected_user, id));
CREATE TABLE %1$s.configurations (
	connected_user text NOT NULL,
	id uuid NOT NULL,
	credential_id uuid NOT NULL,
	integration text NOT NULL,
	external_id text,
	PRIMARY KEY (connected_user, id));
-- 12 Connected Users, 6 credentials each (hubspot, slack, salesforce in
-- turn), 3 configurations per credential (team-a, team-b, none)
INSERT INTO %1$s.credentials
	SELECT 'user-' || u, md5('cred-' || u || '-' || c)::uuid,
	       (ARRAY['salesforce', 'hubspot', 'slack'])[1 + c %% 3], 'u' || u || 'c' || c
	FROM generate_series(1, 12) u, generate_series(1, 6) c;
INSERT INTO %1$s.configurations
	SELECT connected_user, md5('conf-' || id || '-' || k)::uuid, id, integration,
	       (ARRAY['team-a', 'team-b', NULL])[k]
	FROM %1$s.credentials, generate_series(1, 3) k;
GRANT SELECT, INSERT, UPDATE, DELETE ON %1$s.credentials, %1$s.configurations TO app_user;
$f$, s) FROM unnest(ARRAY['pre', 'post']) s \gexec
SELECT to_regproc('paragon_enable_rls') IS NOT NULL AS have_enable_rls \gset
-- pre: the policies first, then the distribution
\set s pre
\ir policies.sql
\if :dist
SELECT create_distributed_table('pre.credentials', 'connected_user');
SELECT create_distributed_table('pre.configurations', 'connected_user', colocate_with => 'pre.credentials');
SELECT create_distributed_table('post.credentials', 'connected_user');
SELECT create_distributed_table('post.configurations', 'connected_user', colocate_with => 'post.credentials');
\endif
-- post: the distribution first, then the policies
\set s post
\ir policies.sql
SQL
# the policies of schema :s: paragon_enable_rls's on both tables when this
# build has it, else the four policies it writes, in its shape (the
# boundary and the check in one permissive policy, no subquery), from the
# session forms; they are named alike, for the shard checks below
cat >"$work/policies.sql" <<'SQL'
\set ct :s '.credentials'
\set cf :s '.configurations'
\if :have_enable_rls
SELECT count(*) AS policies FROM (
	SELECT paragon_enable_rls(:'ct', 'credentials')
	UNION ALL SELECT paragon_enable_rls(:'cf', 'configurations')) p;
\else
SELECT format(stmt, tbl, $b$connected_user OPERATOR(pg_catalog.=) (paragon_current_claims() ->> 'sub')$b$,
			  target, perm, target_new)
FROM (VALUES (:'ct', $t$integration, id$t$, 'credential:write', $t$integration, '*'::text$t$),
			 (:'cf', $t$integration, credential_id, COALESCE(external_id, '*'::text)$t$, 'config:write',
			  $t$integration, credential_id, COALESCE(external_id, '*'::text)$t$)) v(tbl, target, perm, target_new),
	 unnest(ARRAY[
		'ALTER TABLE %1$s ENABLE ROW LEVEL SECURITY',
		'ALTER TABLE %1$s FORCE ROW LEVEL SECURITY',
		'CREATE POLICY paragon_select ON %1$s FOR SELECT USING (%2$s AND paragon_visible(%3$s))',
		'CREATE POLICY paragon_insert ON %1$s FOR INSERT WITH CHECK (%2$s AND paragon_allowed(%4$L, %5$s))',
		'CREATE POLICY paragon_update ON %1$s FOR UPDATE USING (%2$s AND paragon_allowed(%4$L, %3$s)) WITH CHECK (%2$s AND paragon_allowed(%4$L, %3$s))',
		'CREATE POLICY paragon_delete ON %1$s FOR DELETE USING (%2$s AND paragon_allowed(%4$L, %3$s))']) WITH ORDINALITY AS u(stmt, n)
ORDER BY tbl, n \gexec
\endif
SQL
chown postgres "$work/setup.sql" "$work/policies.sql"
as_pg "$bindir/createdb" -h "$work/node1" -p "$port1" single
node_psql 1 -v dist=true -v pem="$pem" -f "$work/setup.sql" >/dev/null
node_psql 1 -d single -v dist=false -v pem="$pem" -f "$work/setup.sql" >/dev/null

# the tables are distributed, colocated, and every shard carries the policies
check() {
	local what=$1 want=$2 got=$3
	if [ "$got" = "$want" ]; then echo "ok: $what"; else fail "$what: expected $want, got $got"; fi
}
check "four distributed tables, colocated" "4|1" \
	"$(node_psql 1 -tAc "SELECT count(*), count(DISTINCT colocationid) FROM pg_dist_partition WHERE partmethod = 'h'")"
for n in 2 3; do
	check "worker $n: the four policies on each of its shards of both schemas" "0" \
		"$(node_psql "$n" -tA -c "SET citus.override_table_visibility = off" -c "SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
			WHERE s.nspname IN ('pre', 'post') AND c.relkind = 'r' AND c.relname ~ '_[0-9]+$'
			AND (NOT c.relrowsecurity OR NOT c.relforcerowsecurity
			     OR (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname LIKE 'paragon_%') <> 4)")"
	check "worker $n: has shards" "t" \
		"$(node_psql "$n" -tA -c "SET citus.override_table_visibility = off" -c "SELECT count(*) > 0 FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
			WHERE s.nspname IN ('pre', 'post') AND c.relname ~ '_[0-9]+$'")"
done

# --- the same script on both ---------------------------------------------------
# one transaction per statement, so an error stops nothing else
{
	echo '\set VERBOSITY sqlstate'
	echo '\set QUIET off'
	echo '\pset tuples_only on'
	echo '\pset format unaligned'
	echo 'SET ROLE app_user;'
	for name in $names; do
		for schema in pre post; do
			i=0
			while IFS= read -r q; do
				[ -n "$q" ] || continue
				i=$((i + 1))
				echo "\\echo '## $name $schema q$i'"
				echo "BEGIN; SET LOCAL search_path = $schema, public; SET LOCAL paragon.token = '${tok[$name]}';"
				echo "$q"
				echo 'ROLLBACK;'
			done <<-'QUERIES'
				SELECT count(*) AS credentials FROM credentials;
				SELECT count(*) AS configurations FROM configurations;
				SELECT label FROM credentials WHERE connected_user = 'user-1' ORDER BY label;
				SELECT label FROM credentials WHERE connected_user = 'user-3' AND integration = 'slack' ORDER BY label;
				SELECT integration, external_id, count(*) FROM configurations GROUP BY 1, 2 ORDER BY 1, 2;
				SELECT connected_user, count(*) FROM credentials GROUP BY 1 ORDER BY 1;
				SELECT c.label, f.external_id FROM credentials c JOIN configurations f ON f.connected_user = c.connected_user AND f.credential_id = c.id ORDER BY 1, 2;
				SELECT c.integration, count(f.id) FROM credentials c LEFT JOIN configurations f ON f.connected_user = c.connected_user AND f.credential_id = c.id WHERE c.connected_user IN ('user-1', 'user-3') GROUP BY 1 ORDER BY 1;
				INSERT INTO credentials VALUES ('user-1', md5('new-1')::uuid, 'slack', 'new slack');
				INSERT INTO credentials VALUES ('user-1', md5('new-2')::uuid, 'salesforce', 'new salesforce');
				INSERT INTO credentials VALUES ('user-2', md5('new-3')::uuid, 'slack', 'into another tenant');
				INSERT INTO configurations VALUES ('user-1', md5('new-4')::uuid, md5('cred-1-2')::uuid, 'slack', 'team-a');
				INSERT INTO configurations VALUES ('user-3', md5('new-5')::uuid, md5('cred-3-2')::uuid, 'slack', 'team-b');
				UPDATE credentials SET label = label || '!';
				UPDATE credentials SET label = label || '!' WHERE connected_user = 'user-1' AND integration = 'salesforce';
				UPDATE configurations SET external_id = 'team-c' WHERE external_id = 'team-a';
				UPDATE configurations SET external_id = 'team-b' WHERE connected_user = 'user-3' AND external_id = 'team-b';
				DELETE FROM configurations WHERE external_id IS NULL;
				DELETE FROM credentials WHERE connected_user = 'user-1' AND integration = 'hubspot';
				DELETE FROM credentials WHERE connected_user = 'user-2';
			QUERIES
		done
	done
} >"$work/compare.sql"
chown postgres "$work/compare.sql"
run_compare() { node_psql 1 -d "$1" -v ON_ERROR_STOP=0 -f "$work/compare.sql" 2>&1 | sed -E 's/^psql:[^:]*:[0-9]+: //'; }
run_compare app >"$work/citus.out"
run_compare single >"$work/single.out"
if diff -u "$work/single.out" "$work/citus.out" >"$work/compare.diff"; then
	echo "ok: $(grep -c '^## ' "$work/citus.out") statements (9 tokens, 2 schemas) give the same output on Citus and on one node"
else
	fail "Citus differs from one node:"
	head -100 "$work/compare.diff"
fi

# the answers compared above are the right ones, not equal by accident:
# answer TOKEN SCHEMA N is the first line of the Nth statement's output
answer() { grep -x -A4 "## $1 $2 q$3" "$work/citus.out" | sed -n 5p; }
for schema in pre post; do
	check "$schema: admin1 sees the 6 credentials of user-1" 6 "$(answer admin1 $schema 1)"
	check "$schema: admin1 sees the 18 configurations of user-1" 18 "$(answer admin1 $schema 2)"
	check "$schema: admin2 sees the 6 credentials of user-2" "user-2|6" "$(answer admin2 $schema 6)"
	check "$schema: member1 sees 5 credentials (not Salesforce credential 6)" 5 "$(answer member1 $schema 1)"
	check "$schema: member3 sees Slack credential 2 of user-3" "u3c2" "$(answer member3 $schema 4)"
	check "$schema: the stranger sees nothing" 0 "$(answer stranger $schema 1)"
	check "$schema: a token without sub sees nothing" 0 "$(answer nosub $schema 1)"
	check "$schema: invalid claims raise 22023" "ERROR:  22023" "$(answer badclaims $schema 1)"
	check "$schema: a token signed with another key raises (class 28)" "ERROR:  28" "$(answer otherkey $schema 1 | cut -c1-10)"
	check "$schema: admin1 updates its own 6 credentials only" "UPDATE 6" "$(answer admin1 $schema 14)"
	check "$schema: admin1 cannot insert into user-2" "ERROR:  42501" "$(answer admin1 $schema 11)"
	check "$schema: member1 connects a Slack credential" "INSERT 0 1" "$(answer member1 $schema 9)"
	check "$schema: member1 cannot connect a Salesforce credential" "ERROR:  42501" "$(answer member1 $schema 10)"
done

# --- nothing fails open ------------------------------------------------------
# as_app DB SQL [SETUP] prints the last line of SQL's output as app_user
# (after SETUP as the superuser), or its first error as "ERROR:  SQLSTATE"
as_app() {
	printf '%s\n' '\set VERBOSITY sqlstate' "${3:-}" 'SET ROLE app_user;' 'SET search_path = post, public;' "$2" |
		node_psql 1 -d "$1" -tA -v ON_ERROR_STOP=0 2>&1 | sed -E 's/^psql:[^:]*:[0-9]+: //' |
		awk '/^ERROR:/ && e == "" { e = $0 } { l = $0 } END { print (e != "" ? e : l) }'
}
A1=${tok[admin1]}
A2=${tok[admin2]}
check "paragon_set_token works on one node" "" \
	"$(as_app single "BEGIN; SELECT paragon_set_token('$A1', true); ROLLBACK;")"
check "paragon_set_token is refused with Citus (0A000)" "ERROR:  0A000" \
	"$(as_app app "BEGIN; SELECT paragon_set_token('$A1', true); ROLLBACK;")"
check "no token: one node answers no rows" "0" "$(as_app single "SELECT count(*) FROM credentials;")"
check "no token: Citus raises 55000 instead" "ERROR:  55000" "$(as_app app "SELECT count(*) FROM credentials;")"
check "no token, a router query: Citus raises 55000" "ERROR:  55000" \
	"$(as_app app "SELECT count(*) FROM credentials WHERE connected_user = 'user-1';")"
check "a token from set_config() in a transaction is refused as it is set (0A000)" "ERROR:  0A000" \
	"$(as_app app "BEGIN; SELECT set_config('paragon.token', '$A1', true) IS NULL; SELECT count(*) FROM credentials; ROLLBACK;")"
check "a token from set_config() outside a transaction does not travel: 55000" "ERROR:  55000" \
	"$(as_app app "SELECT set_config('paragon.token', '$A1', false) IS NULL; SELECT count(*) FROM credentials;" "SET paragon.token_lifetime = 'session';")"
# after SET LOCAL of one token, only another SET LOCAL or a RESET (both
# sent to the workers Citus has opened) may change it
check "SET LOCAL of another token reaches the open worker connections" "user-2|6" \
	"$(as_app app "BEGIN; SET LOCAL paragon.token = '$A1'; SELECT count(*) FROM credentials; SET LOCAL paragon.token = '$A2'; SELECT connected_user, count(*) FROM credentials GROUP BY 1; ROLLBACK;")"
check "set_config() of another token after SET LOCAL: 0A000" "ERROR:  0A000" \
	"$(as_app app "BEGIN; SET LOCAL paragon.token = '$A1'; SELECT count(*) FROM credentials; SELECT set_config('paragon.token', '$A2', true); SELECT connected_user, count(*) FROM credentials GROUP BY 1; ROLLBACK;")"
check "a plain SET of another token after SET LOCAL: 0A000" "ERROR:  0A000" \
	"$(as_app app "BEGIN; SET LOCAL paragon.token = '$A1'; SELECT count(*) FROM credentials; SET paragon.token = '$A2'; SELECT connected_user, count(*) FROM credentials GROUP BY 1; ROLLBACK;")"
check "paragon_clear_token() after SET LOCAL: 0A000" "ERROR:  0A000" \
	"$(as_app app "BEGIN; SET LOCAL paragon.token = '$A1'; SELECT count(*) FROM credentials; SELECT paragon_clear_token(); SELECT count(*) FROM credentials; ROLLBACK;")"
check "RESET after SET LOCAL reaches the workers, which then have no token: 55000" "ERROR:  55000" \
	"$(as_app app "BEGIN; SET LOCAL paragon.token = '$A1'; SELECT count(*) FROM credentials; RESET paragon.token; SELECT count(*) FROM credentials; ROLLBACK;")"
got=$(as_app app "SET paragon.token = '$A1'; SELECT count(*) FROM credentials;")
case $got in
"ERROR:  "*) echo "ok: a token from a plain SET is refused (${got#ERROR:  })" ;;
*) fail "a token from a plain SET answered $got" ;;
esac
check "a token from a plain SET, paragon.token_lifetime = session: does not travel, 55000" "ERROR:  55000" \
	"$(as_app app "SET paragon.token = '$A1'; SELECT count(*) FROM credentials;" "SET paragon.token_lifetime = 'session';")"
check "SET LOCAL paragon.token with propagation off: 55000" "ERROR:  55000" \
	"$(as_app app "BEGIN; SET LOCAL citus.propagate_set_commands = 'none'; SET LOCAL paragon.token = '$A1'; SELECT count(*) FROM credentials; ROLLBACK;")"
check "SET LOCAL paragon.token inside a savepoint: 0A000" "ERROR:  0A000" \
	"$(as_app app "BEGIN; SET LOCAL paragon.token = '$A1'; SAVEPOINT s; SET LOCAL paragon.token = '$A2'; RELEASE s; SELECT count(*) FROM credentials; ROLLBACK;")"
check "a token set before a savepoint is still read after it" "user-1|6" \
	"$(as_app app "BEGIN; SET LOCAL paragon.token = '$A1'; SAVEPOINT s; SELECT 1; RELEASE s; SELECT connected_user, count(*) FROM credentials GROUP BY 1; ROLLBACK;")"

# a client on a worker, with claims in request.jwt.claims and no token
forged='{"sub": "user-1"}'
got=$(printf '%s\n' '\set VERBOSITY sqlstate' 'SET ROLE app_user;' "SET request.jwt.claims = '$forged';" \
	'SELECT count(*) FROM post.credentials;' | node_psql 2 -tA -v ON_ERROR_STOP=0 2>&1 | sed -E 's/^psql:[^:]*:[0-9]+: //' | tail -1)
case $got in
0 | "ERROR:  55000") echo "ok: a client of a worker with forged request.jwt.claims gets no rows ($got)" ;;
*) fail "a client of a worker with forged request.jwt.claims got: $got" ;;
esac

# each node verifies with its own key: worker 2 without one, worker 3 with
# another; with a valid token and forged request.jwt.claims, nothing answers
node_psql 2 -c "SET citus.enable_ddl_propagation = off" -c "ALTER DATABASE app RESET paragon.public_key" >/dev/null
node_psql 3 -c "SET citus.enable_ddl_propagation = off" \
	-c "ALTER DATABASE app SET paragon.public_key = '$(openssl pkey -in "$top/test/fixtures/session/other-rsa2048-private.pem" -pubout)'" >/dev/null
for q in "SELECT count(*) FROM credentials;" "SELECT connected_user, count(*) FROM credentials GROUP BY 1;" \
	"SELECT count(*) FROM credentials WHERE connected_user = 'user-1';" \
	"SELECT count(*) FROM credentials WHERE connected_user = 'user-2';"; do
	got=$(as_app app "BEGIN; SET LOCAL paragon.token = '$A1'; SET LOCAL request.jwt.claims = '$forged'; $q ROLLBACK;")
	case $got in
	"ERROR:  "*) echo "ok: workers without the key, or with another: $q raises (${got#ERROR:  })" ;;
	*) fail "workers without the key, or with another: $q answered $got" ;;
	esac
done
node_psql 1 -c "ALTER DATABASE app SET paragon.public_key = '$pem'" >/dev/null
check "the key set again on the coordinator reaches the workers" "user-1|6" \
	"$(as_app app "BEGIN; SET LOCAL paragon.token = '$A1'; SELECT connected_user, count(*) FROM credentials GROUP BY 1; ROLLBACK;")"

# the settings the README gives to keep the token out of logs and
# pg_stat_activity reach the workers, where the token travels too
node_psql 1 -c "ALTER ROLE app_user SET track_activities = off" -c "ALTER ROLE app_user SET log_statement = 'none'" \
	-c "ALTER ROLE app_user SET log_min_error_statement = 'panic'" >/dev/null
for n in 2 3; do
	check "worker $n: the role settings that hide the token arrived" "track_activities=off,log_statement=none,log_min_error_statement=panic" \
		"$(node_psql "$n" -tAc "SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting WHERE setrole = 'app_user'::regrole")"
done

if [ "$failures" -ne 0 ]; then
	echo "citus: $failures failed"
	exit 1
fi
echo "citus: all passed"
