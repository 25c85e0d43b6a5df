#!/usr/bin/env bash
#
# test/suite-rotation.sh — key rotation: what reaches sessions already open.
#
# A session reads its paragon.* values when it starts; PostgreSQL applies
# an ALTER DATABASE/ROLE ... SET to new sessions only.  A value from the
# server's configuration (postgresql.conf, or ALTER SYSTEM, which writes
# postgresql.auto.conf) reaches open sessions on reload (pg_reload_conf()),
# unless a database or role value overrides it there.  This suite checks
# both, the way the README describes rotation:
#
#   1. ALTER DATABASE ... SET a new key: an open session keeps the old key
#      (a token of the new key refused), a new session has the new one.
#   2. The key in the server configuration, changed and reloaded: the open
#      session follows (and drops what it had verified with the old key).
#
# The open session is one psql run as the application role; the
# superuser's changes run between its statements through psql's \!.
# Tokens: test/fixtures/session/tokens.txt ("admin": the test key,
# "otherkey": a second key), issued in 2000, expiring in 2100.
# Prints "rotation: N passed, M failed" last; exits non-zero on failure.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/cluster.sh
cluster_start rotation

tok() { awk -v n="$1" '$1 == n { print $2 }' test/fixtures/session/tokens.txt; }
old_tok=$(tok admin)
new_tok=$(tok otherkey)
old_key=$(tr -d '\n' <test/fixtures/keys/rsa2048.jwk)
new_pem=$(openssl pkey -in test/fixtures/session/other-rsa2048-private.pem -pubout)
# the same key as a JWK: ALTER SYSTEM takes no value with a line break
. test/jose.sh
new_n=$(openssl rsa -pubin -modulus -noout <<<"$new_pem" | sed 's/^Modulus=//' | xxd -r -p | b64url)
new_jwk="{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"$new_n\"}"

psql_as() { local role=$1; shift; as_pg "$bindir/psql" -X -q -At -h "$work" -U "$role" -d postgres "$@"; }
# su_sql NAME SQL: the shell command, for a \! line of the open session,
# that runs SQL as the superuser (from a file: a key spans lines)
su_sql() {
	printf '%s\n' "$2" >"$work/$1.sql"
	chown postgres "$work/$1.sql"
	echo "$bindir/psql -X -q -At -h $work -U postgres -d postgres -v ON_ERROR_STOP=1 -f $work/$1.sql >/dev/null"
}

psql_as postgres -v ON_ERROR_STOP=1 <<SQL >/dev/null
CREATE EXTENSION paragon_perm;
CREATE ROLE app LOGIN;
CREATE TABLE creds (id int PRIMARY KEY);
INSERT INTO creds SELECT generate_series(1, 3);
ALTER TABLE creds ENABLE ROW LEVEL SECURITY;
CREATE POLICY sel ON creds FOR SELECT USING (paragon_visible('slack'));
GRANT SELECT ON creds TO app;
ALTER DATABASE postgres SET paragon.claims_source = 'token';
ALTER DATABASE postgres SET paragon.public_key = '$old_key';
SQL

passed=0
failed=0
# check NAME OUTPUT LABEL WANT: WANT is the count the request saw, or
# "refused" (its statement failed with an error and answered nothing)
check() {
	local name=$1 out=$2 label=$3 want=$4 block got
	block=$(sed -n "/^$label-begin\$/,/^$label-end\$/p" <<<"$out")
	got=$(grep "^$label|" <<<"$block" | cut -d'|' -f2 || true)
	if { [ "$want" = refused ] && [ -z "$got" ] && grep -q '^ERROR:  ' <<<"$block"; } ||
		{ [ "$want" != refused ] && [ "$got" = "$want" ]; }; then
		echo "ok: $name"
		passed=$((passed + 1))
	else
		echo "FAILED: $name (want $want)"
		sed 's/^/    /' <<<"$block"
		failed=$((failed + 1))
	fi
}

# probe LABEL TOKEN: the lines of one request of the open session
probe() {
	cat <<SQL
\\echo $1-begin
BEGIN;
SET LOCAL paragon.token = '$2';
SELECT '$1', count(*) FROM creds;
COMMIT;
\\echo $1-end
SQL
}

# 1. ALTER DATABASE ... SET reaches new sessions only
out=$(psql_as app 2>&1 <<SQL
$(probe a-old "$old_tok")
\\! $(su_sql alter-db "ALTER DATABASE postgres SET paragon.public_key = '$new_pem';")
SELECT 1;
$(probe a-old-after "$old_tok")
$(probe a-new-after "$new_tok")
SQL
) || true
check "an open session verifies with the key it started with" "$out" a-old 3
check "ALTER DATABASE ... SET: the open session keeps the old key" "$out" a-old-after 3
check "ALTER DATABASE ... SET: the open session refuses the new key's token" "$out" a-new-after refused
out=$(psql_as app 2>&1 <<SQL
$(probe b-new "$new_tok")
$(probe b-old "$old_tok")
SQL
) || true
check "ALTER DATABASE ... SET: a new session takes the new key" "$out" b-new 3
check "ALTER DATABASE ... SET: a new session refuses the old key's token" "$out" b-old refused

# 2. the key in the server configuration, changed with a reload
psql_as postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL
ALTER DATABASE postgres RESET paragon.public_key;
ALTER SYSTEM SET paragon.public_key = '$old_key';
SELECT pg_reload_conf();
SQL
sleep 1
out=$(psql_as app 2>&1 <<SQL
$(probe c-old "$old_tok")
$(probe c-new "$new_tok")
\\! $(su_sql alter-system "ALTER SYSTEM SET paragon.public_key = '$new_jwk'; SELECT pg_reload_conf();") && sleep 1
SELECT 1;
$(probe c-new-after "$new_tok")
$(probe c-old-after "$old_tok")
SQL
) || true
check "server configuration: the open session verifies with the old key" "$out" c-old 3
check "server configuration: the new key's token refused before the reload" "$out" c-new refused
check "reload: the open session takes the new key" "$out" c-new-after 3
check "reload: the open session refuses the old key's token" "$out" c-old-after refused

echo "rotation: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
