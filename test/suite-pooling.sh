#!/usr/bin/env bash
#
# test/suite-pooling.sh — tokens through a real PgBouncer in transaction
# pooling mode: no client ever sees another client's rows.
#
# A throwaway cluster (scripts/cluster.sh) and Debian's pgbouncer, started
# here as the postgres user on a Unix socket in the cluster's temporary
# directory (no TCP), pool_mode = transaction, 4 server connections for 13
# clients running at once:
#   - 10 token clients, each a fixed number of transactions in the
#     documented form, BEGIN; SET LOCAL paragon.token = '...'; SELECT ...;
#     COMMIT;, cycling through 7 tokens that each see a different number
#     of rows (1 to 6, or all 21);
#   - 1 client that never sends a token: must see 0 rows (or be refused
#     when a session token was left on its server connection);
#   - 2 clients that use plain session-level SET paragon.token, which the
#     default paragon.token_lifetime = transaction refuses: one sends the
#     SET and the SELECT in one message (same server connection: must be
#     refused every time), one as separate statements (may land on another
#     server connection: refused or 0 rows).
# Every answer is compared with the client's expected row count; a wrong
# answer is any other count, a missing answer of a token client, or an
# error where none may occur.  Prints the counts; exits non-zero on any
# wrong answer.  A missing pgbouncer is a failure, never a skip.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
PGBOUNCER=${PGBOUNCER:-$(command -v pgbouncer || echo /usr/sbin/pgbouncer)}
if [ ! -x "$PGBOUNCER" ]; then
	echo "FAILED: pgbouncer not found (scripts/setup.sh installs Debian's pgbouncer)"
	exit 1
fi

. scripts/cluster.sh
cluster_start pooling
bouncer=$work/bouncer
# stop_all stops pgbouncer (by its pid) and then the cluster
stop_all() {
	if [ -f "$bouncer/pgbouncer.pid" ]; then
		kill "$(cat "$bouncer/pgbouncer.pid")" 2>/dev/null || true
		sleep 0.2
	fi
	cluster_stop
}
trap stop_all EXIT

TXNS=${POOLING_TXNS:-120}	# transactions per client
TOKEN_CLIENTS=10
jwk=$(tr -d '\n' < test/fixtures/keys/rsa2048.jwk)

as_pg "$bindir/psql" -X -q -h "$work" -d postgres -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION paragon_perm;
CREATE ROLE app LOGIN;
CREATE TABLE creds (id int PRIMARY KEY, integration text NOT NULL);
-- integration intK has K rows, K = 1..6: 21 rows
INSERT INTO creds SELECT row_number() OVER (), 'int' || k
FROM generate_series(1, 6) k, LATERAL generate_series(1, k);
ALTER TABLE creds ENABLE ROW LEVEL SECURITY;
CREATE POLICY sel ON creds FOR SELECT USING (paragon_visible(integration));
GRANT SELECT ON creds TO app;
ALTER DATABASE postgres SET paragon.public_key = '$jwk';
ALTER DATABASE postgres SET paragon.audience = 'useparagon.com/proj-1';
ALTER DATABASE postgres SET paragon.claims_source = 'token';
SQL

# tokens: tok[K] sees integration intK only (K rows); tok[0] has no
# permissions claim (unrestricted: 21 rows).  Fixed iat/exp (2000, 2100).
declare -a tok want
base='"aud":"useparagon.com/proj-1","iat":946684800,"exp":4102444800'
tok[0]=$(bash test/mint-token.sh "{\"sub\":\"admin\",$base}")
want[0]=21
for k in 1 2 3 4 5 6; do
	tok[k]=$(bash test/mint-token.sh "{\"sub\":\"u$k\",$base,\"urn:useparagon:connect:permissions\":{\"integration:int$k\":true}}")
	want[k]=$k
done

mkdir -p "$bouncer"
printf '"app" ""\n' > "$bouncer/userlist.txt"
cat > "$bouncer/pgbouncer.ini" <<INI
[databases]
app = host=$work dbname=postgres user=app

[pgbouncer]
unix_socket_dir = $bouncer
listen_port = 6432
auth_type = trust
auth_file = $bouncer/userlist.txt
pool_mode = transaction
default_pool_size = 4
max_db_connections = 4
max_client_conn = 100
logfile = $bouncer/pgbouncer.log
pidfile = $bouncer/pgbouncer.pid
INI
chown -R postgres "$bouncer"
as_pg "$PGBOUNCER" -d -q "$bouncer/pgbouncer.ini"
for _ in $(seq 50); do
	[ -S "$bouncer/.s.PGSQL.6432" ] && break
	sleep 0.1
done
bpsql() { as_pg "$bindir/psql" -X -q -At -F ' ' -h "$bouncer" -p 6432 -U app -d app "$@"; }
if [ "$(bpsql -c 'SELECT 1' 2>&1)" != 1 ]; then
	echo "FAILED: cannot connect through pgbouncer"; cat "$bouncer/pgbouncer.log"; exit 1
fi

# the clients' scripts; each SELECT prints "expected actual"
for c in $(seq 1 $TOKEN_CLIENTS); do
	for i in $(seq 1 $TXNS); do
		k=$(( (c + i * 3) % 7 ))
		printf "BEGIN;\nSET LOCAL paragon.token = '%s';\nSELECT %d, count(*) FROM creds;\nCOMMIT;\n" "${tok[k]}" "${want[k]}"
	done > "$bouncer/token-$c.sql"
done
for i in $(seq 1 $TXNS); do
	printf 'BEGIN;\nSELECT 0, count(*) FROM creds;\nCOMMIT;\n'
done > "$bouncer/none.sql"
for i in $(seq 1 $TXNS); do
	k=$(( i % 7 ))
	printf "SET paragon.token = '%s' \\\\; SELECT -1, count(*) FROM creds;\n" "${tok[k]}"
done > "$bouncer/set-one.sql"
for i in $(seq 1 $TXNS); do
	k=$(( i % 7 ))
	printf "SET paragon.token = '%s';\nSELECT 0, count(*) FROM creds;\n" "${tok[k]}"
done > "$bouncer/set-two.sql"
chown postgres "$bouncer"/*.sql

start=$(date +%s%N)
pids=()
for f in "$bouncer"/token-*.sql "$bouncer/none.sql" "$bouncer/set-one.sql" "$bouncer/set-two.sql"; do
	bpsql -f "$f" > "${f%.sql}.out" 2> "${f%.sql}.err" &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done
ms=$(( ($(date +%s%N) - start) / 1000000 ))

wrong=0
total=0
# token clients: every answer present and right, no error
tok_answers=0
for c in $(seq 1 $TOKEN_CLIENTS); do
	n=$(wc -l < "$bouncer/token-$c.out")
	bad=$(awk '$1 != $2' "$bouncer/token-$c.out" | wc -l)
	errs=$(grep -c 'ERROR' "$bouncer/token-$c.err" || true)
	tok_answers=$((tok_answers + n - bad))
	wrong=$((wrong + bad + (TXNS - n) + errs))
	[ "$bad" -eq 0 ] && [ "$n" -eq "$TXNS" ] && [ "$errs" -eq 0 ] || {
		echo "token client $c: $n answers, $bad wrong, $errs errors"; head -3 "$bouncer/token-$c.err"; }
done
total=$((total + TOKEN_CLIENTS * TXNS))
# the client without a token: 0 rows, or refused (a session token left behind)
none_zero=$(awk '$2 == 0' "$bouncer/none.out" | wc -l)
none_bad=$(awk '$2 != 0' "$bouncer/none.out" | wc -l)
none_refused=$(grep -c 'paragon.token is set for the session' "$bouncer/none.err" || true)
none_other=$(( TXNS - none_zero - none_bad - none_refused ))
wrong=$((wrong + none_bad + none_other))
total=$((total + TXNS))
# session SET and SELECT in one message: refused every time, never rows
one_rows=$(wc -l < "$bouncer/set-one.out")
one_refused=$(grep -c 'paragon.token is set for the session' "$bouncer/set-one.err" || true)
wrong=$((wrong + one_rows + (TXNS - one_refused)))
total=$((total + TXNS))
# session SET, then SELECT as its own statement: refused or 0 rows, never rows
two_zero=$(awk '$2 == 0' "$bouncer/set-two.out" | wc -l)
two_bad=$(awk '$2 != 0' "$bouncer/set-two.out" | wc -l)
two_refused=$(grep -c 'paragon.token is set for the session' "$bouncer/set-two.err" || true)
two_other=$(( TXNS - two_zero - two_bad - two_refused ))
wrong=$((wrong + two_bad + two_other))
total=$((total + TXNS))

# without a pooler: a token given at connection start or by ALTER ROLE ...
# SET lasts for the session, so it is refused; SET LOCAL in the same
# connection still counts.  The library loads after the start-up value is
# set (a placeholder until then), so this also runs the check hook's replay.
direct() {	# role pgoptions sql
	as_pg env PGOPTIONS="$2" "$bindir/psql" -X -q -At -F ' ' -h "$work" -U "$1" -d postgres -c "$3" 2>&1 || true
}
as_pg "$bindir/psql" -X -q -h "$work" -d postgres -v ON_ERROR_STOP=1 \
	-c "CREATE ROLE app_role_token LOGIN" -c "GRANT SELECT ON creds TO app_role_token" \
	-c "ALTER ROLE app_role_token SET paragon.token = '${tok[0]}'"
startup_wrong=0
check_direct() {	# what output pattern
	if grep -q -- "$3" <<<"$2"; then echo "  $1: ok"; else echo "  $1: WRONG: $2"; startup_wrong=$((startup_wrong + 1)); fi
}
check_direct "token as a start-up option refused" \
	"$(direct app "-c paragon.token=${tok[0]}" "SELECT count(*) FROM creds")" "paragon.token is set for the session"
check_direct "token from ALTER ROLE ... SET refused" \
	"$(direct app_role_token "" "SELECT count(*) FROM creds")" "paragon.token is set for the session"
check_direct "SET LOCAL over a start-up token counts" \
	"$(direct app "-c paragon.token=${tok[0]}" "BEGIN; SET LOCAL paragon.token = '${tok[3]}'; SELECT 'rows', count(*) FROM creds; COMMIT;")" "^rows 3$"
check_direct "SET LOCAL before the library loads counts" \
	"$(direct app "" "BEGIN; SET LOCAL paragon.token = '${tok[2]}'; SELECT 'rows', count(*) FROM creds; COMMIT;")" "^rows 2$"
# parallel workers of a fresh backend (the library not loaded yet), on a
# table without policies: the planner loads the library for a claims
# function (its support function), so workers answer as the leader;
# claims read only inside a PL/pgSQL function are an error, never a silent
# answer on default settings
as_pg "$bindir/psql" -X -q -h "$work" -d postgres -v ON_ERROR_STOP=1 -c "
CREATE TABLE plain AS SELECT g FROM generate_series(1, 1000) g;
GRANT SELECT ON plain TO app;
CREATE FUNCTION sub_of() RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE
	AS 'BEGIN RETURN paragon_current_claims() ->> ''sub''; END';
GRANT EXECUTE ON FUNCTION sub_of() TO app;"
par="-c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c parallel_leader_participation=off"
check_direct "fresh backend, parallel workers read the claims" \
	"$(direct app "$par" "BEGIN; SET LOCAL paragon.token = '${tok[4]}'; SELECT 'rows', count(*) FROM plain WHERE paragon_current_claims() ->> 'sub' = 'u4'; COMMIT;")" "^rows 1000$"
check_direct "fresh backend, claims read only in a worker's PL/pgSQL: an error" \
	"$(direct app "$par" "BEGIN; SET LOCAL paragon.token = '${tok[4]}'; SELECT 'rows', count(*) FROM plain WHERE sub_of() = 'u4'; COMMIT;")" "session claims cannot be read in this parallel worker"
wrong=$((wrong + startup_wrong))

echo "pooling: $total transactions by $((TOKEN_CLIENTS + 3)) clients over 4 server connections in ${ms} ms"
echo "  token clients (SET LOCAL): $tok_answers of $((TOKEN_CLIENTS * TXNS)) answers right"
echo "  no token: $none_zero saw 0 rows, $none_refused refused (a session token left on the connection), $none_bad saw rows, $none_other other errors"
echo "  session SET + SELECT in one message: $one_refused of $TXNS refused, $one_rows answered"
echo "  session SET, SELECT apart: $two_refused refused, $two_zero saw 0 rows, $two_bad saw rows, $two_other other errors"
echo "pooling: $wrong wrong answers"
[ "$wrong" -eq 0 ]
