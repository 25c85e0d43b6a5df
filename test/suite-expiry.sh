#!/usr/bin/env bash
#
# test/suite-expiry.sh — a verified token that expires while it is set is
# refused from the next statement on, however long ago it was verified.
#
# The claims of paragon.token are verified once per change of the token
# (or of the settings it is verified with) and kept; exp and nbf are then
# compared with each statement's start.  This suite lets a kept token
# expire: it mints a token at test time (test/mint-token.sh) that expires
# a few seconds later, checks that it answers, sleeps past its exp
# (paragon.leeway = 0) and checks that the same token, unchanged, is now
# refused, once in a transaction (SET LOCAL), once set again by new
# transactions (SET LOCAL, then paragon_set_token: the session keeps the
# claims of the same token across transactions, and must still judge its
# exp) and once across statements of a session (paragon.token_lifetime =
# session).
#
# Nothing depends on the machine's speed: if the first statement already
# finds the token expired (a slow machine), the attempt is repeated with a
# longer lifetime (3, 10, then 30 seconds); only the refusal after expiry
# decides.  Runs on a throwaway cluster (scripts/cluster.sh).  Prints
# "expiry: N passed, M failed" last; exits non-zero on any failure.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/cluster.sh
cluster_start expiry

psql_as() { local role=$1; shift; as_pg "$bindir/psql" -X -q -At -h "$work" -U "$role" -d postgres "$@"; }
jwk=$(tr -d '\n' < test/fixtures/keys/rsa2048.jwk)

psql_as postgres -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION paragon_perm;
CREATE ROLE app LOGIN;
CREATE ROLE app_session LOGIN;
CREATE TABLE creds (id int PRIMARY KEY, integration text NOT NULL);
INSERT INTO creds SELECT g, CASE WHEN g <= 2 THEN 'slack' ELSE 'hubspot' END FROM generate_series(1, 5) g;
ALTER TABLE creds ENABLE ROW LEVEL SECURITY;
CREATE POLICY sel ON creds FOR SELECT USING (paragon_visible(integration));
GRANT SELECT ON creds TO app, app_session;
ALTER DATABASE postgres SET paragon.public_key = '$jwk';
ALTER DATABASE postgres SET paragon.claims_source = 'token';
ALTER DATABASE postgres SET paragon.leeway = 0;
ALTER ROLE app_session SET paragon.token_lifetime = 'session';
SQL

passed=0
failed=0

# attempt ROLE LIFETIME_S MODE: mints a token expiring LIFETIME_S seconds
# from now; prints "early" if it had expired before its first use, else
# "ok" when it answered before exp and was refused after it, else "FAIL".
attempt() {
	local role=$1 life=$2 mode=$3 exp tok out
	exp=$(( $(date +%s) + life ))
	tok=$(bash test/mint-token.sh "{\"sub\":\"u\",\"iat\":946684800,\"exp\":$exp,\"urn:useparagon:connect:permissions\":{\"integration:slack\":true}}")
	if [ "$mode" = transactions ]; then
		# the same token set again by each new transaction: the session keeps
		# its verified claims (no verification, no hash), never its exp
		out=$(psql_as "$role" 2>&1 <<SQL
BEGIN;
SET LOCAL paragon.token = '$tok';
SELECT 'before', count(*) FROM creds;
COMMIT;
BEGIN;
SELECT paragon_set_token('$tok');
SELECT 'before', count(*) FROM creds;
COMMIT;
SELECT pg_sleep(greatest(0, $exp - extract(epoch FROM clock_timestamp())) + 0.3);
BEGIN;
SET LOCAL paragon.token = '$tok';
SELECT 'after', count(*) FROM creds;
COMMIT;
BEGIN;
SELECT paragon_set_token('$tok');
SELECT 'after', paragon_current_claims() ->> 'sub';
COMMIT;
SQL
)
	elif [ "$mode" = transaction ]; then
		out=$(psql_as "$role" 2>&1 <<SQL
BEGIN;
SET LOCAL paragon.token = '$tok';
SELECT 'before', count(*) FROM creds;
SELECT pg_sleep(greatest(0, $exp - extract(epoch FROM clock_timestamp())) + 0.3);
SELECT 'after', count(*) FROM creds;
SELECT 'after', paragon_current_claims() ->> 'sub';
COMMIT;
SQL
)
	else
		out=$(psql_as "$role" 2>&1 <<SQL
SET paragon.token = '$tok';
SELECT 'before', count(*) FROM creds;
SELECT pg_sleep(greatest(0, $exp - extract(epoch FROM clock_timestamp())) + 0.3);
SELECT 'after', count(*) FROM creds;
SELECT 'after', paragon_current_claims() ->> 'sub';
SQL
)
	fi
	if [ "$(grep -cx 'before|2' <<<"$out")" -lt "$( [ "$mode" = transactions ] && echo 2 || echo 1)" ]; then
		if grep -q 'token expired' <<<"$out"; then echo early; else echo "FAIL: $out" | head -5; fi
		return
	fi
	# after exp: the token is refused (28000, "token expired at"), never answers
	if grep -q '^after' <<<"$out" ||
		[ "$(grep -c 'ERROR:  token expired at' <<<"$out")" -lt "$( [ "$mode" = transactions ] && echo 2 || echo 1)" ]; then
		echo "FAIL: $out" | head -8
		return
	fi
	echo ok
}

for mode in transaction transactions session; do
	role=app
	[ "$mode" = session ] && role=app_session
	result=early
	for life in 3 10 30; do
		result=$(attempt "$role" "$life" "$mode")
		[ "$result" = early ] || break
	done
	if [ "$result" = ok ]; then
		echo "ok: $mode token refused once it expired (lifetime ${life}s)"
		passed=$((passed + 1))
	else
		echo "FAILED: $mode token after its exp: $result"
		failed=$((failed + 1))
	fi
done

echo "expiry: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
