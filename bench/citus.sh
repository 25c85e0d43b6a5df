#!/usr/bin/env bash
#
# bench/citus.sh — what a multi-shard count costs on Citus, against one
# PostgreSQL server, with the policies paragon_enable_rls writes.
#
# Needs Citus installed in the PostgreSQL that $PG_CONFIG (or pg_config)
# names.  Starts a coordinator and two workers on this machine
# (test/citus-cluster.sh), loads 1,500,000 configurations of 1,000
# Connected Users into a table distributed by its Connected User column
# (8 shards, 4 per worker) and the same rows into a plain table of another
# database on the coordinator, and times, on both, with the token sent the
# Citus way (BEGIN; SET LOCAL paragon.token = '...'; ...):
#
#   plain      SELECT count(*) as the superuser: no policy, no check
#   check      the same count with the session form of paragon_visible on
#              every row (a restricted member's token): 1.5M checks
#   rls        SELECT count(*) as an unprivileged role under the generated
#              policies, with the token of one Connected User (1,500 rows):
#              the policy's paragon_sub() cannot prune shards, so every
#              shard is asked
#   router     the same with WHERE connected_user = 'user-7': one shard
#
# Each is run RUNS times (default 7) after one warm-up, interleaved, and
# the median and minimum go to the Citus section of bench/results.md
# (replaced on each run; bench/run.sh keeps it).  Three servers share
# this machine's cores: the distributed figures measure the price of the
# extra hops, not the gain of more machines.  About two minutes.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
PG_CONFIG=${PG_CONFIG:-$(command -v pg_config)}
export PG_CONFIG
RUNS=${RUNS:-7}
OUT=${BENCH_OUT:-$top/bench/results.md}
if [ ! -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ]; then
	echo "bench/citus.sh: Citus is not installed in $("$PG_CONFIG" --pkglibdir)" >&2
	exit 1
fi
t_start=$(date +%s)

# shellcheck source=test/citus-cluster.sh
source "$top/test/citus-cluster.sh"
citus_start citus_bench

keys=$top/test/fixtures/keys
# shellcheck source=test/jose.sh
source "$top/test/jose.sh"
# mint PAYLOAD prints a compact RS256 JWS signed with the test key
mint() { rs256_jwt "$keys/rsa2048-private.pem" "$1"; }
T='"iat":946684800,"exp":4102444800'
owner=$(mint "{\"sub\":\"user-7\",$T}")
member=$(mint "{\"sub\":\"user-7\",$T,\"urn:useparagon:connect:permissions\":{\"integration:*\":[\"events\"],\"integration:salesforce\":{\"credential:*\":false,\"credential:$(printf c7 | md5sum | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/\1-\2-\3-\4-\5/')\":[\"proxy-api\"]},\"integration:slack\":{\"configuration:ext:team-a\":[\"config:write\"]}}}")
pem=$(cat "$keys/rsa2048-public.pem")

cat >"$work/setup.sql" <<'SQL'
SET client_min_messages = warning;
SET citus.shard_count = 8;
CREATE EXTENSION paragon_perm;
SELECT format('ALTER DATABASE %I SET paragon.public_key = %L', current_database(), :'pem') \gexec
ALTER DATABASE app SET citus.propagate_set_commands = 'local';
SELECT 'CREATE ROLE app_user LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_user') \gexec
CREATE TABLE configurations (
	connected_user text NOT NULL,
	id uuid NOT NULL,
	credential_id uuid NOT NULL,
	integration text NOT NULL,
	external_id text,
	PRIMARY KEY (connected_user, id));
\if :dist
SELECT create_distributed_table('configurations', 'connected_user');
\endif
-- 1,000 Connected Users of 1,500 configurations; 6 credentials each
INSERT INTO configurations
	SELECT 'user-' || g % 1000, md5('f' || g)::uuid, md5('c' || g % 6000)::uuid,
	       (ARRAY['salesforce', 'hubspot', 'slack'])[1 + g % 3],
	       (ARRAY['team-a', 'team-b', NULL])[1 + (g / 3) % 3]
	FROM generate_series(1, 1500000) g;
GRANT SELECT ON configurations TO app_user;
SELECT count(*) FROM paragon_enable_rls('configurations', 'configurations');
VACUUM ANALYZE configurations;
SQL
chown postgres "$work/setup.sql"
as_pg "$bindir/createdb" -h "$work/node1" -p "$port1" single
t_load=$(date +%s)
node_psql 1 -v dist=true -v pem="$pem" -f "$work/setup.sql" >/dev/null
node_psql 1 -d single -v dist=false -v pem="$pem" -f "$work/setup.sql" >/dev/null
t_load=$(($(date +%s) - t_load))

# request ROLE TOKEN QUERY prints QUERY's transaction as ROLE, with TOKEN
# sent the Citus way
request() { printf '%s\n' "SET ROLE $1;" 'BEGIN;' "SET LOCAL paragon.token = '$2';" "$3" 'COMMIT;'; }
# time DB ROLE TOKEN QUERY prints the milliseconds of QUERY in a transaction
time_ms() {
	{ echo '\timing on'; request "$2" "$3" "$4"; } |
		node_psql 1 -d "$1" -tA 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | sed -n 4p
}
declare -A Q R W C
variants=
# variant NAME ROLE TOKEN QUERY adds a measured query, run as ROLE with TOKEN
variant() { R[$1]=$2; W[$1]=$3; Q[$1]=$4; variants="$variants $1"; }
variant plain postgres "$owner" "SELECT count(*) FROM configurations;"
variant check postgres "$member" "SELECT count(*) FROM configurations WHERE paragon_visible(integration, credential_id, coalesce(external_id, '*'));"
variant rls app_user "$owner" "SELECT count(*) FROM configurations;"
variant router app_user "$owner" "SELECT count(*) FROM configurations WHERE connected_user = 'user-7';"
# the answers first: both databases must agree
for v in $variants; do
	for db in single app; do
		C[$v.$db]=$(request "${R[$v]}" "${W[$v]}" "${Q[$v]}" |
			node_psql 1 -d "$db" -tA | grep -E '^[0-9]+$')
	done
	[ "${C[$v.single]}" = "${C[$v.app]}" ] || { echo "bench/citus.sh: $v: one node counts ${C[$v.single]}, Citus ${C[$v.app]}" >&2; exit 1; }
done
declare -A T_
for run in $(seq 0 "$RUNS"); do
	for v in $variants; do
		for db in single app; do
			ms=$(time_ms "$db" "${R[$v]}" "${W[$v]}" "${Q[$v]}")
			[ "$run" -eq 0 ] || T_[$v.$db]="${T_[$v.$db]:-} $ms"
		done
	done
done
med() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ a[NR] = $1 } END { printf "%.1f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
mini() { tr ' ' '\n' | sed '/^$/d' | sort -g | head -1 | awk '{ printf "%.1f", $1 }'; }

{
	echo '<!-- citus -->'
	echo '## Citus: a multi-shard count, one node against three (bench/citus.sh)'
	echo
	echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC') in $(($(date +%s) - t_start)) s (data load ${t_load} s); $(node_psql 1 -tAc "SELECT 'Citus ' || extversion FROM pg_extension WHERE extname = 'citus'"),"
	echo "$(node_psql 1 -tAc 'SELECT version()' | cut -d, -f1); \`nproc\` = $(nproc), load average at the end $(cut -d' ' -f1 /proc/loadavg)."
	echo "1,500,000 configurations of 1,000 Connected Users; Citus: a coordinator and two workers on this"
	echo "one machine, 8 shards (4 per worker); one node: a plain table in another database of the"
	echo "coordinator. Each query runs in \`BEGIN; SET LOCAL paragon.token = '...'; ...; COMMIT\`."
	echo "Median and minimum of $RUNS runs after a warm-up, interleaved."
	echo
	echo '| query | rows counted | one node, median (min) | Citus, median (min) | Citus / one node |'
	echo '|---|---|---|---|---|'
	for v in $variants; do
		case $v in
		plain) d='`count(*)` as the superuser, no check' ;;
		check) d='`count(*) ... WHERE paragon_visible(...)`: 1.5M checks, a member token' ;;
		rls) d='`count(*)` under the generated policies, one Connected User'"'"'s token' ;;
		router) d='the same with `WHERE connected_user = '"'"'user-7'"'"'` (a router query)' ;;
		esac
		s=$(echo "${T_[$v.single]}" | med)
		a=$(echo "${T_[$v.app]}" | med)
		printf '| %s | %s | %s ms (%s) | %s ms (%s) | %s |\n' "$d" "${C[$v.app]}" \
			"$s" "$(echo "${T_[$v.single]}" | mini)" "$a" "$(echo "${T_[$v.app]}" | mini)" \
			"$(awk -v a="$a" -v s="$s" 'BEGIN { printf "%.2fx", a / s }')"
	done
	echo
	echo '<!-- /citus -->'
} >"$work/section.md"
if [ -f "$OUT" ] && grep -q '^<!-- citus -->' "$OUT"; then
	# replace the previous section
	awk -v f="$work/section.md" '/^<!-- citus -->/ { while ((getline l < f) > 0) print l; skip = 1; next }
		/^<!-- \/citus -->/ { skip = 0; next } !skip' "$OUT" >"$work/out.md"
	cat "$work/out.md" >"$OUT"
else
	{ echo; cat "$work/section.md"; } >>"$OUT"
fi
cat "$work/section.md"
