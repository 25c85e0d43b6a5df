#!/usr/bin/env bash
#
# test/suite-settings.sh — the superuser settings cannot be lost or
# overridden by a role that can connect (issue "Fail closed").
#
# On a throwaway cluster (scripts/cluster.sh: the postgres user, a Unix
# socket in a temporary directory, no TCP), an unprivileged LOGIN role
# "app" reads a table under FORCE ROW LEVEL SECURITY whose policy uses the
# session form paragon_visible(integration, id); the superuser's settings
# are the README's: ALTER DATABASE app SET paragon.public_key, claims_source
# and audience.  Then "app" attacks with real connections: start-up
# options (PGOPTIONS="-c paragon.public_key=x -c paragon.claims_source=x
# -c request.jwt.claims={}", an empty audience, a wide leeway, strict
# claims off), and SET / SET LOCAL before the library is loaded.  Every
# attack must see 0 rows or be refused (SQLSTATE 42501, or the connection
# refused), first with the library loaded lazily, then with it in
# shared_preload_libraries; a valid token must still see its rows, and a
# superuser's own start-up options must still work.  A value the
# superuser configured that is invalid (1.3's "auto", the README's
# placeholder key) must be refused too: when set if the library is loaded,
# else when it loads (42501).
#
# Prints PASS/FAIL per case and "settings: N passed, M failed" last; exits
# non-zero on any failure.  Needs the extension installed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# shellcheck source=../scripts/cluster.sh
. scripts/cluster.sh
cluster_start settings

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

tok() { awk -v n="$1" '$1 == n { print $2 }' test/fixtures/session/tokens.txt; }
member=$(tok member)
admin=$(tok admin)
otheraud=$(tok otheraud)
pem=$(cat test/fixtures/keys/rsa2048-public.pem)

# psql_as ROLE OPTIONS: runs standard input as ROLE in database app with
# PGOPTIONS=OPTIONS, stopping at the first error; errors show their
# SQLSTATE.  Prints everything, errors included.
psql_as() {
	as_pg env PGOPTIONS="$2" "$bindir/psql" -X -q -At -h "$work" -U "$1" -d app \
		-v ON_ERROR_STOP=1 -v VERBOSITY=verbose -v member="$member" -v admin="$admin" \
		-v otheraud="$otheraud" -v key="$pem" -f - 2>&1
}

# denied NAME OUTPUT: no query saw a row, and either a count of 0 was
# seen or the session was refused with 42501 (or at connection, FATAL).
denied() {
	local name=$1 out=$2
	if grep -q '^rows=[1-9]' <<<"$out"; then
		fail "$name: rows seen: $(tr '\n' ' ' <<<"$out")"
	elif grep -qE '^(psql:[^ ]* )?ERROR:  42501: |FATAL:  ' <<<"$out"; then
		pass "$name (refused: $(grep -m1 -oE '(ERROR:  42501: |FATAL:  )[^"]*"[^"]*"' <<<"$out"))"
	elif grep -q '^rows=0$' <<<"$out"; then
		pass "$name (0 rows)"
	else
		fail "$name: neither 0 rows nor refused: $(tr '\n' ' ' <<<"$out")"
	fi
}

# refused NAME OUTPUT: the session must have been refused (42501), not merely see nothing.
refused() {
	local name=$1 out=$2
	if grep -q '^rows=[1-9]' <<<"$out"; then
		fail "$name: rows seen: $(tr '\n' ' ' <<<"$out")"
	elif grep -qE 'ERROR:  42501: |FATAL:  permission denied to set parameter' <<<"$out"; then
		pass "$name (refused)"
	else
		fail "$name: not refused: $(tr '\n' ' ' <<<"$out")"
	fi
}

# expect NAME PATTERN OUTPUT: the output has a line matching PATTERN.
expect() {
	if grep -qE "$2" <<<"$3"; then
		pass "$1"
	else
		fail "$1: expected /$2/, got: $(tr '\n' ' ' <<<"$3")"
	fi
}

# ------------------------------------------------------------------ setup
setup=$(as_pg "$bindir/psql" -X -q -At -h "$work" -U postgres -d postgres -v ON_ERROR_STOP=1 \
	-v key="$pem" -f - 2>&1 <<'SQL'
CREATE ROLE app LOGIN;
CREATE DATABASE app;
\c app
CREATE EXTENSION paragon_perm;
CREATE TABLE credentials (id uuid PRIMARY KEY, integration text NOT NULL);
INSERT INTO credentials VALUES
	('11111111-1111-1111-1111-111111111111', 'salesforce'),
	('22222222-2222-2222-2222-222222222222', 'salesforce'),
	('33333333-3333-3333-3333-333333333333', 'hubspot');
ALTER TABLE credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE credentials FORCE ROW LEVEL SECURITY;
CREATE POLICY sel ON credentials FOR SELECT USING (paragon_visible(integration, id));
GRANT SELECT ON credentials TO app;
ALTER DATABASE app SET paragon.public_key = :'key';
ALTER DATABASE app SET paragon.claims_source = 'token';
ALTER DATABASE app SET paragon.audience = 'useparagon.com/proj-1';
SQL
)
if [ -n "$setup" ]; then
	echo "$setup"
	fail "setup"
	echo "settings: $passed passed, $failed failed"
	exit 1
fi

count='SELECT '\''rows='\'' || count(*) FROM credentials;'
with_member="BEGIN; SELECT paragon_set_token(:'member', true) IS NULL AS set; $count COMMIT;"
with_admin="BEGIN; SELECT paragon_set_token(:'admin', true) IS NULL AS set; $count COMMIT;"
with_otheraud="BEGIN; SELECT paragon_set_token(:'otheraud', true) IS NULL AS set; $count COMMIT;"
attack='-c paragon.public_key=x -c paragon.claims_source=x -c request.jwt.claims={}'

# run_attacks PHASE: the cases that must hold whether or not the library is preloaded.
run_attacks() {
	local p=$1
	expect "$p: no token sees nothing" '^rows=0$' "$(psql_as app '' <<<"$count")"
	expect "$p: a member token sees its one row" '^rows=1$' "$(psql_as app '' <<<"$with_member")"
	expect "$p: an admin token sees every row" '^rows=3$' "$(psql_as app '' <<<"$with_admin")"
	expect "$p: a token for another audience is refused" 'ERROR:  28000: token is not intended for audience' \
		"$(psql_as app '' <<<"$with_otheraud")"

	denied "$p: start-up options (the issue's attack), no token" "$(psql_as app "$attack" <<<"$count")"
	denied "$p: start-up options (the issue's attack), admin token" "$(psql_as app "$attack" <<<"$with_admin")"
	denied "$p: start-up options, the hidden verified claims" \
		"$(psql_as app '-c paragon.token_claims={}' <<<"$count")"
	denied "$p: start-up options, claims_source=setting with forged claims" \
		"$(psql_as app '-c paragon.claims_source=setting -c request.jwt.claims={}' <<<"$count")"
	denied "$p: start-up options, empty audience and another audience's token" \
		"$(psql_as app '-c paragon.audience=' <<<"$with_otheraud")"
	refused "$p: start-up options, leeway=3600, with a valid token" \
		"$(psql_as app '-c paragon.leeway=3600' <<<"$with_member")"
	refused "$p: start-up options, strict_claims=off (the default value), with a valid token" \
		"$(psql_as app '-c paragon.strict_claims=off' <<<"$with_member")"
	refused "$p: start-up options, audience equal to the default ('')" \
		"$(psql_as app '-c paragon.audience=' <<<"$with_member")"
	denied "$p: SET before the library is loaded, forged claims" \
		"$(psql_as app '' <<<"SET paragon.claims_source = 'setting'; SET request.jwt.claims = '{}'; $count")"
	denied "$p: SET LOCAL before the library is loaded, empty audience" \
		"$(psql_as app '' <<<"BEGIN; SET LOCAL paragon.audience = ''; SELECT paragon_set_token(:'otheraud', true) IS NULL AS set; $count COMMIT;")"
	expect "$p: a superuser's own start-up option is applied" '^sub=admin$' \
		"$(psql_as postgres '-c paragon.leeway=60' <<<"BEGIN; SELECT paragon_set_token(:'admin', true) IS NULL AS set; SELECT 'sub=' || (paragon_current_claims() ->> 'sub'); COMMIT;")"
	expect "$p: the application role cannot ALTER ROLE ... SET a superuser setting" \
		'ERROR:  42501: permission denied to set parameter' \
		"$(psql_as app '' <<<"ALTER ROLE app SET paragon.claims_source = 'setting';")"
}

# ------------------------------------------------- the library loaded lazily
run_attacks lazy

# an invalid value the superuser configured while the library was not
# loaded (1.3's "auto", the README's placeholder key) is lost when it
# loads: refused, never run on the defaults
out=$(psql_as postgres '' <<<"ALTER ROLE app SET paragon.claims_source = 'auto';")
refused "lazy: ALTER ROLE ... SET claims_source = 'auto' (1.3's value), then a valid token" \
	"$(psql_as app '' <<<"$with_member")"
psql_as postgres '' <<<"ALTER ROLE app RESET paragon.claims_source;" >/dev/null
psql_as postgres '' <<<"ALTER ROLE app SET paragon.public_key = '-----BEGIN PUBLIC KEY----- ...';" >/dev/null
refused "lazy: ALTER ROLE ... SET an invalid key, then a valid token" "$(psql_as app '' <<<"$with_member")"
psql_as postgres '' <<<"ALTER ROLE app RESET paragon.public_key;" >/dev/null
expect "lazy: after RESET the role's sessions work again" '^rows=1$' "$(psql_as app '' <<<"$with_member")"
# values from the configuration file are the superuser's too: no false alarm
psql_as postgres '' <<<"LOAD 'paragon_perm'; ALTER SYSTEM SET paragon.leeway = 60; SELECT pg_reload_conf();" >/dev/null
# (the postmaster rereads the file asynchronously: wait for new sessions to
# see it, as the placeholder's text while the library is not loaded)
for _ in $(seq 50); do
	[ "$(psql_as postgres '' <<<"SHOW paragon.leeway;")" = 60 ] && break
	sleep 0.1
done
expect "lazy: a setting from postgresql.auto.conf is applied, not refused" '^leeway=1min rows=1$' \
	"$(psql_as app '' <<<"BEGIN; SELECT paragon_set_token(:'member', true) IS NULL AS set; SELECT 'leeway=' || current_setting('paragon.leeway') || ' rows=' || count(*) FROM credentials; COMMIT;")"
psql_as postgres '' <<<"LOAD 'paragon_perm'; ALTER SYSTEM RESET paragon.leeway; SELECT pg_reload_conf();" >/dev/null

# ------------------------------------------- the library in shared_preload_libraries
as_pg "$bindir/pg_ctl" -D "$work/data" -l "$work/log" -w -m fast \
	-o "-c listen_addresses='' -c unix_socket_directories='$work' -c shared_preload_libraries=paragon_perm" \
	restart >/dev/null
expect "preload: the library is preloaded" '^paragon_perm$' \
	"$(psql_as postgres '' <<<"SHOW shared_preload_libraries;")"
run_attacks preload
expect "preload: an invalid claims_source is refused when set" \
	'ERROR:  22023: invalid value for parameter "paragon.claims_source": "auto"' \
	"$(psql_as postgres '' <<<"ALTER ROLE app SET paragon.claims_source = 'auto';")"
expect "preload: the README's placeholder key is refused when set" \
	'ERROR:  22023: invalid PEM key' \
	"$(psql_as postgres '' <<<"ALTER DATABASE app SET paragon.public_key = '-----BEGIN PUBLIC KEY----- ...';")"
expect "preload: the database's key still verifies" '^rows=1$' "$(psql_as app '' <<<"$with_member")"

echo "settings: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
