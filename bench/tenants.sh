#!/usr/bin/env bash
#
# bench/tenants.sh — `make bench-tenants` (and the last part of `make
# bench`): the multi-tenant group.  1,000,000 configurations of 10,000
# Connected Users, an index on the user column (bench/tenants.sql).  A
# request sets one user's claims (request.jwt.claims, as PostgREST does)
# and reads all of that user's rows; pgbench picks a random user for each.
# The same requests run against the same rows under the policies
# paragon_enable_rls writes (boundary + permission check) and under the
# tenant-only policy people write today (connected_user = the claims'
# sub): BENCH_TENANT_ROUNDS runs (default 5) of BENCH_TENANT_SECONDS each
# (default 20), one client, each run mixing the two variants' requests at
# random so that load from other processes hits both alike.  Reported:
# the median over the runs of each variant's average latency per request,
# and their ratio.  Writes its section of
# bench/results.md (between the "tenants" markers), leaving the rest.
#
# Environment: PG_CONFIG, BENCH_OUT (default bench/results.md),
# BENCH_TENANT_ROUNDS, BENCH_TENANT_SECONDS.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
OUT=${BENCH_OUT:-$top/bench/results.md}
ROUNDS=${BENCH_TENANT_ROUNDS:-5}
SECS=${BENCH_TENANT_SECONDS:-20}

log() { echo "bench-tenants: $*" >&2; }

if [ "$(id -u)" -eq 0 ]; then
	make -s
	make -s install
fi
PG_CONFIG=${PG_CONFIG:-$(command -v pg_config)}
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_cluster paragon_tenants -c shared_buffers=512MB -c fsync=off \
	-c synchronous_commit=off -c full_page_writes=off -c max_wal_size=8GB -c jit=off \
	-c autovacuum=off -c max_parallel_workers_per_gather=0

# the member's permissions claim
MEMBER_PERMS="{\"integration:salesforce\": true, \"integration:hubspot\": {\"credential:*\": {\"configuration:ext:team-1\": [\"settings:read\"]}}, \"integration:slack\": [\"proxy-api\"]}"

log "loading 1,000,000 configurations of 10,000 Connected Users"
psqlb < bench/tenants.sql >/dev/null
echo "ALTER DATABASE bench SET bench.member_claims = :'claims';" |
	psqlb -v claims="{\"sub\": \"\", \"urn:useparagon:connect:permissions\": $MEMBER_PERMS}" >/dev/null

# the request: one user's claims, then all of that user's rows; the
# member's claims hold a permissions claim as well
P=urn:useparagon:connect:permissions
for kind in admin member; do
	for tab in generated tenant; do
		if [ $kind = admin ]; then
			claims="'{\"sub\": \"user-' || :u || '\"}'"
		else
			# (pgbench would read the colons of the claim's keys as variables)
			claims="jsonb_set(current_setting('bench.member_claims')::jsonb, '{sub}', to_jsonb('user-' || :u))::text"
		fi
		cat > "$work/tmp/${kind}_$tab.pgb" <<SCRIPT
\\set u random(0, 9999)
SELECT set_config('request.jwt.claims', $claims, false);
SELECT id, integration, credential_id, external_id, settings FROM conf_$tab;
SCRIPT
	done
done
chmod 644 "$work"/tmp/*.pgb

# check: both policies give every user exactly its own 100 rows (the
# admin token), and the member's rows are a subset
as_pg "$bindir/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$work" -d bench -U bench_app > "$work/tmp/check" <<SQL
SELECT set_config('request.jwt.claims', '{"sub": "user-42"}', false) IS NULL;
SELECT (SELECT count(*) FROM conf_generated) || ' ' || (SELECT count(*) FROM conf_tenant) || ' ' ||
       (SELECT count(*) FROM conf_generated WHERE connected_user <> 'user-42');
SELECT set_config('request.jwt.claims', '{"sub": "user-42", "$P": {"integration:salesforce": true}}', false) IS NULL;
SELECT count(*) FROM conf_generated;
EXPLAIN (COSTS OFF) SELECT id FROM conf_generated;
SELECT set_config('request.jwt.claims', '{"sub": "user-42", "$P": $MEMBER_PERMS}', false) IS NULL;
SELECT 'member ' || count(*) FROM conf_generated;
SQL
member_bench=$(sed -n 's/^member //p' "$work/tmp/check")
read -r gen_rows ten_rows foreign < <(sed -n 2p "$work/tmp/check")
member_rows=$(sed -n 4p "$work/tmp/check")
if [ "$gen_rows" != 100 ] || [ "$ten_rows" != 100 ] || [ "$foreign" != 0 ] || [ "$member_rows" != 20 ]; then
	log "check failed: $(cat "$work/tmp/check")"
	exit 1
fi
if ! grep -q "Index.*Scan.* on conf_generated_connected_user_idx\|Index Scan using conf_generated_connected_user_idx" "$work/tmp/check"; then
	log "the generated policies do not use the index: $(cat "$work/tmp/check")"
	exit 1
fi

# Each run gives pgbench both variants' scripts, one picked at random for
# each request, so that load from other processes (this machine is shared)
# hits both alike; pgbench reports the average latency of each script.
declare -A LAT
run() {	# kind mode: appends each variant's average latency (ms) to LAT
	local out g t
	out=$(as_pg "$bindir/pgbench" -n -h "$work" -U bench_app -c 1 -T "$SECS" -M "$2" \
		-f "$work/tmp/$1_generated.pgb" -f "$work/tmp/$1_tenant.pgb" bench 2>&1)
	g=$(echo "$out" | awk '/^SQL script 1:/ { s = 1 } /^SQL script 2:/ { s = 2 } s == 1 && /latency average/ { print $5; exit }')
	t=$(echo "$out" | awk '/^SQL script 1:/ { s = 1 } /^SQL script 2:/ { s = 2 } s == 2 && /latency average/ { print $5; exit }')
	[ -n "$g" ] && [ -n "$t" ] || { echo "$out" >&2; exit 1; }
	LAT[$1_generated_$2]="${LAT[$1_generated_$2]:-} $g"
	LAT[$1_tenant_$2]="${LAT[$1_tenant_$2]:-} $t"
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.3f", m }'; }

for mode in simple prepared; do
	for kind in admin member; do
		# warm-up: the tables' pages in shared buffers
		run "$kind" "$mode"
		LAT[${kind}_generated_$mode]=""; LAT[${kind}_tenant_$mode]=""
		for r in $(seq "$ROUNDS"); do
			run "$kind" "$mode"
		done
		g=$(echo "${LAT[${kind}_generated_$mode]}" | median)
		t=$(echo "${LAT[${kind}_tenant_$mode]}" | median)
		LAT[m_${kind}_$mode]="$g $t"
		log "$kind, $mode protocol: generated $g ms, tenant-only $t ms (rounds: generated${LAT[${kind}_generated_$mode]}; tenant${LAT[${kind}_tenant_$mode]})"
	done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" 'BEGIN { print (r <= 1.25) ? "met" : "MISSED" }'; }
row() {	# kind mode description
	local g t
	read -r g t <<<"${LAT[m_$1_$2]}"
	local r
	r=$(ratio "$g" "$t")
	echo "| $3 | $2 | $t | $g | ${r}x | $(verdict "$r") |"
}
host=$(uname -srm)
cpus=$(nproc)
pgver=$("$bindir/postgres" --version)
section=$(cat <<MD
<!-- tenants -->
## Multi-tenant group (bench/tenants.sh, \`make bench-tenants\`)

Run $(date -u '+%Y-%m-%d %H:%M UTC') on $host, $cpus CPUs, $pgver; $ROUNDS runs of ${SECS} s
after a warm-up run, one pgbench client; in each run pgbench picks one of the two variants at
random for every request, so that the load of other processes on this shared machine hits both
alike; medians over the runs of each variant's average latency.

1,000,000 configurations of 10,000 Connected Users (100 rows each, scattered over the table),
an index on \`connected_user\`. A request = \`set_config('request.jwt.claims', <claims of a
random user>)\` then \`SELECT id, integration, credential_id, external_id, settings\` of every
row the policies let through: 100 for an unrestricted token; for the member, whose permissions
claim is \`$MEMBER_PERMS\`, $member_bench of user-42's 100 (the tenant-only policy returns all 100). The same rows, in the same
physical order, under:

- **generated**: the four policies \`paragon_enable_rls(..., 'configurations')\` writes
  (\`connected_user = paragon_sub()\`, an index condition, AND \`paragon_user_visible(...)\` per
  row, comparing the row's user with the sub of the claims it checks);
- **tenant-only**: \`connected_user = current_setting('request.jwt.claims', true)::jsonb ->> 'sub'\`,
  the boundary alone, no permission check (what people write today).

Checked before timing: both give user-42 exactly its 100 rows and no other user's; a token
allowing salesforce only gets its 20 salesforce rows; the generated policies use the index.

| claims | protocol | tenant-only ms/request | generated ms/request | ratio | within 1.25x |
|---|---|---|---|---|---|
$(row admin simple "unrestricted (\`{\"sub\": ...}\`)")
$(row admin prepared "unrestricted (\`{\"sub\": ...}\`)")
$(row member simple "member (permissions claim)")
$(row member prepared "member (permissions claim)")

"simple" sends each request's two statements as text (parsed and planned every time);
"prepared" uses prepared statements (\`pgbench -M prepared\`). The member's requests return
fewer rows under the generated policies than under the tenant-only one (which ignores the
permissions claim), so that row compares different work and is shown for information.
<!-- /tenants -->
MD
)
if [ -f "$OUT" ] && grep -q '^<!-- tenants -->$' "$OUT"; then
	awk -v s="$section" '
		/^<!-- tenants -->$/ { print s; skip = 1; next }
		/^<!-- \/tenants -->$/ { skip = 0; next }
		!skip { print }' "$OUT" > "$OUT.new" && mv "$OUT.new" "$OUT"
else
	printf '\n%s\n' "$section" >> "$OUT"
fi
log "wrote the multi-tenant section of $OUT"
