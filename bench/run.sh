#!/usr/bin/env bash
#
# bench/run.sh — `make bench`: the paragon_perm benchmark on a throwaway
# cluster (Unix socket in a mktemp -d directory, never a TCP port),
# removed on exit.  Builds and installs the extension (as root), loads
# 1,000,000 configurations, runs every measurement as the median of
# BENCH_RUNS (default 9) runs after a warm-up, the variants of a group
# interleaved run by run so that noise from other processes hits them
# alike, and writes bench/results.md and docs/bench.png.
#
# Environment: BENCH_RUNS (default 9), PG_CONFIG, BENCH_OUT (default
# bench/results.md), BENCH_PLOT (default docs/bench.png).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
RUNS=${BENCH_RUNS:-9}
OUT=${BENCH_OUT:-$top/bench/results.md}
PLOT=${BENCH_PLOT:-$top/docs/bench.png}
t_start=$(date +%s)

log() { echo "bench: $*" >&2; }

if [ "$(id -u)" -eq 0 ]; then
	bash scripts/setup.sh gnuplot-nox
	make -s
	make -s install
fi
PG_CONFIG=${PG_CONFIG:-$(command -v pg_config)}
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_cluster paragon_bench -c shared_buffers=1GB -c work_mem=64MB \
	-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=8GB \
	-c jit=off -c autovacuum=off -c max_worker_processes=8 -c max_parallel_workers=4

log "loading data (1,000,000 configurations, tokens)"
psqlb < bench/setup.sql >/dev/null
psqlb < bench/reference.sql >/dev/null
t_loaded=$(date +%s)

declare -A MED MIN CNT ROWS

# parse_label OUT LABEL: median and minimum of the label's times (the first
# timing after each occurrence of the label), and its count (the first
# output line after the label)
parse_label() {
	local out=$1 l=$2
	read -r MED[$l] MIN[$l] < <(awk -v L="@@$l" '
		/^@@/ { cur = $0; seen = 0; next }
		cur == L && /^Time: / && !seen { print $2 + 0; seen = 1 }' "$out" | sort -g | awk '
		{ t[NR] = $1 }
		END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.3f %.3f\n", m, t[1] }')
	CNT[$l]=$(awk -v L="@@$l" '/^@@/ { cur = $0; next } cur == L && !/^Time: / { print; exit }' "$out")
}

# measure GROUP SETUP label query rows [label query rows ...]
# Runs SETUP, each query once (warm-up), then RUNS rounds of every query in
# turn; records the median and minimum time (ms) and the count of each.
measure() {
	local group=$1 setup=$2
	shift 2
	local script="$work/tmp/$group.sql" out="$work/tmp/$group.out"
	local labels=() queries=()
	while [ $# -gt 0 ]; do
		labels+=("$1"); queries+=("$2"); ROWS[$1]=$3
		shift 3
	done
	{
		echo "SET max_parallel_workers_per_gather = 0;"
		echo "$setup"
		local i r
		for i in "${!labels[@]}"; do
			echo "\\echo @@warm"
			echo "${queries[$i]};"
		done
		echo "\\timing on"
		for r in $(seq "$RUNS"); do
			for i in "${!labels[@]}"; do
				echo "\\echo @@${labels[$i]}"
				echo "${queries[$i]};"
			done
		done
	} > "$script"
	psqlb -At < "$script" > "$out"
	local l
	for l in "${labels[@]}"; do
		parse_label "$out" "$l"
		log "$l: median ${MED[$l]} ms, min ${MIN[$l]} ms, count ${CNT[$l]}"
	done
}

# per-row cost in ns of a label, and above the floor label
ns() { awk -v ms="${MED[$1]}" -v n="${ROWS[$1]}" 'BEGIN { printf "%.1f", ms * 1e6 / n }'; }
above() { awk -v a="$(ns "$1")" -v f="$(ns "$2")" 'BEGIN { printf "%.1f", a - f }'; }
ratio() { awk -v a="$(ns "$1")" -v b="$(ns "$2")" 'BEGIN { printf "%.2f", a / b }'; }

claims_of() { echo "SELECT set_config('bench.claims', claims::text, false) IS NULL AS x FROM tokens WHERE name = '$1' \\g /dev/null"; }
PREP="SET plan_cache_mode = force_generic_plan;
PREPARE floor_q(jsonb) AS SELECT count(*) FROM configurations WHERE num_nonnulls(\$1, 'proxy-api'::text, integration, credential_id, external_id) > 0;
PREPARE ext_q(jsonb) AS SELECT count(*) FROM configurations WHERE paragon_allowed(\$1, 'proxy-api', integration, credential_id, external_id);"
EXEC_FLOOR="EXECUTE floor_q(current_setting('bench.claims')::jsonb)"
EXEC_EXT="EXECUTE ext_q(current_setting('bench.claims')::jsonb)"
INIT="paragon_allowed((SELECT current_setting('bench.claims')::jsonb), 'proxy-api', integration, credential_id, external_id)"
N=1000000

# the short session form paragon_allowed(permission, ...), if this build has it
HAVE_SHORT=$(psqlb -At -c "SELECT count(*) FROM pg_proc WHERE proname = 'paragon_allowed' AND pronargs = 4 AND proargtypes[0] = 'text'::regtype")

# 1, 2, 4: floor, parameter, initplan, table, short form, by claims size
# claims_group GROUP TOKEN TABLE ROWS FLOOR_LABEL FORMS...: the floor and
# the given forms (const param init table short) of one token on a table
claims_group() {
	local group=$1 tok=$2 tab=$3 n=$4 fl=$5
	shift 5
	local prep="${PREP//FROM configurations/FROM $tab}" args=() f
	if [ "$HAVE_SHORT" -gt 0 ]; then
		prep="$prep
SET paragon.claims_source = 'setting';
SELECT set_config('request.jwt.claims', claims::text, false) IS NULL AS x FROM tokens WHERE name = '$tok' \\g /dev/null"
	fi
	for f in "$@"; do
		case $f in
		const) args+=("const_$tok" "SELECT count(*) FROM $tab WHERE paragon_allowed(:'bench_c'::jsonb, 'proxy-api', integration, credential_id, external_id)" "$n") ;;
		param) args+=("param_$tok" "$EXEC_EXT" "$n") ;;
		init) args+=("init_$tok" "SELECT count(*) FROM $tab WHERE $INIT" "$n") ;;
		table) args+=("table_$tok" "SELECT count(*) FROM $tab WHERE paragon_allowed((SELECT claims FROM tokens WHERE name = '$tok'), 'proxy-api', integration, credential_id, external_id)" "$n") ;;
		short) [ "$HAVE_SHORT" -gt 0 ] && args+=("short_$tok" "SELECT count(*) FROM $tab WHERE paragon_allowed('proxy-api', integration, credential_id, external_id)" "$n") ;;
		esac
	done
	measure "$group" "$(claims_of "$tok")
SELECT claims::text AS bench_c FROM tokens WHERE name = '$tok' \\gset
$prep" "$fl" "$EXEC_FLOOR" "$n" "${args[@]}"
}
# FLOOR_OF[label]: the floor measured with it
declare -A FLOOR_OF
for tok in admin admin_star member t1k; do
	log "claims $tok"
	claims_group "claims_$tok" "$tok" configurations $N "floor_$tok" const param init table short
	for f in const param init table short; do FLOOR_OF[${f}_$tok]=floor_$tok; done
done
log "claims t10k"
claims_group claims_t10k t10k configurations $N floor_t10k const param init table short
for f in const param init table short; do FLOOR_OF[${f}_t10k]=floor_t10k; done

# 4, the size target: the 10-rule and the 10,000-rule token in one
# interleaved group, so that a change of load between groups does not
# decide the ratio.  Each statement also runs on a one-row table: what it
# costs there (parsing a 616 kB literal, compiling the policy) is paid
# once per statement, and the per-row cost is the rest over the rows.
log "size: member and t10k interleaved"
SZ="paragon_allowed(CLAIMS, 'proxy-api', integration, credential_id, external_id)"
SZ_CM=":'c_member'::jsonb"
SZ_CT=":'c_t10k'::jsonb"
SZ_IM="(SELECT current_setting('bench.c_member')::jsonb)"
SZ_IT="(SELECT current_setting('bench.c_t10k')::jsonb)"
measure size "SELECT claims::text AS c_member FROM tokens WHERE name = 'member' \\gset
SELECT claims::text AS c_t10k FROM tokens WHERE name = 't10k' \\gset
SELECT set_config('bench.c_member', :'c_member', false) IS NULL AS x \\g /dev/null
SELECT set_config('bench.c_t10k', :'c_t10k', false) IS NULL AS x \\g /dev/null
CREATE TEMP TABLE one_row AS SELECT * FROM configurations LIMIT 1;
ANALYZE one_row;" \
	size_const_member "SELECT count(*) FROM configurations WHERE ${SZ//CLAIMS/$SZ_CM}" $N \
	size_const_t10k "SELECT count(*) FROM configurations WHERE ${SZ//CLAIMS/$SZ_CT}" $N \
	size_init_member "SELECT count(*) FROM configurations WHERE ${SZ//CLAIMS/$SZ_IM}" $N \
	size_init_t10k "SELECT count(*) FROM configurations WHERE ${SZ//CLAIMS/$SZ_IT}" $N \
	size1_const_member "SELECT count(*) FROM one_row WHERE ${SZ//CLAIMS/$SZ_CM}" 1 \
	size1_const_t10k "SELECT count(*) FROM one_row WHERE ${SZ//CLAIMS/$SZ_CT}" 1 \
	size1_init_member "SELECT count(*) FROM one_row WHERE ${SZ//CLAIMS/$SZ_IM}" 1 \
	size1_init_t10k "SELECT count(*) FROM one_row WHERE ${SZ//CLAIMS/$SZ_IT}" 1

# the short form with verified token claims (paragon.claims_source =
# token, paragon_set_token): tokens signed here with a throwaway RSA key
HAVE_TOKEN=$(psqlb -At -c "SELECT count(*) FROM pg_proc WHERE proname = 'paragon_set_token'")
if [ "$HAVE_TOKEN" -gt 0 ] && [ "$HAVE_SHORT" -gt 0 ]; then
	# rs256_jwt
	. test/jose.sh
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/tmp/key.pem" 2>/dev/null
	openssl pkey -in "$work/tmp/key.pem" -pubout -out "$work/tmp/pub.pem"
	chmod 644 "$work/tmp/pub.pem"
	for tok in admin_star member t1k t10k; do
		claims=$(psqlb -At -c "SELECT jsonb_set(jsonb_set(claims, '{exp}', to_jsonb(extract(epoch FROM now())::bigint + 86400)),
						'{iat}', to_jsonb(extract(epoch FROM now())::bigint - 60))::text FROM tokens WHERE name = '$tok'")
		rs256_jwt "$work/tmp/key.pem" "$claims" | tr -d '\n' > "$work/tmp/$tok.jwt"
		chmod 644 "$work/tmp/$tok.jwt"
	done
	token_setup() {
		echo "\\set pem \`cat $work/tmp/pub.pem\`"
		echo "\\set jwt \`cat $work/tmp/$1.jwt\`"
		echo "SET paragon.claims_source = 'token';"
		echo "SELECT set_config('paragon.public_key', :'pem', false) IS NULL AS x \\g /dev/null"
		# one token for the whole measured session (1.4: a session-level
		# token counts only with paragon.token_lifetime = session)
		echo "SET paragon.token_lifetime = 'session';"
		echo "SELECT paragon_set_token(:'jwt', false) \\g /dev/null"
	}
	if ! { token_setup member; echo "SELECT paragon_allowed('events', NULL);"; } | psqlb -At >/dev/null 2>"$work/tmp/token_check.err"; then
		log "paragon_set_token failed ($(head -1 "$work/tmp/token_check.err")): token mode n/a"
		HAVE_TOKEN=0
	fi
fi
TOKEN_NA=""
if [ "$HAVE_TOKEN" -gt 0 ] && [ "$HAVE_SHORT" -gt 0 ]; then
	for tok in admin_star member t1k t10k; do
		if ! { token_setup "$tok"; echo "SELECT paragon_allowed('events', NULL);"; } | psqlb -At >/dev/null 2>"$work/tmp/token_$tok.err"; then
			msg=$(grep -m1 ERROR "$work/tmp/token_$tok.err" | sed 's/.*ERROR: *//')
			log "short form, verified token $tok: n/a ($msg)"
			TOKEN_NA="$TOKEN_NA $tok: $msg;"
			continue
		fi
		log "short form, verified token $tok"
		measure "token_$tok" "$(token_setup "$tok")
$(claims_of "$tok")
$PREP" \
			"tfloor_$tok" "$EXEC_FLOOR" $N \
			"token_$tok" "SELECT count(*) FROM configurations WHERE paragon_allowed('proxy-api', integration, credential_id, external_id)" $N
	done
else
	HAVE_TOKEN=0
fi

# 3: the PL/pgSQL reference must agree with the extension on the
# benchmark's rows: 20,000 sampled rows x tokens x permissions x depths
log "agreement check: PL/pgSQL reference vs extension"
agree_sql() {
	local toks=$1 perms=$2 extra=${3:-}
	cat <<EOF
SELECT count(*) FILTER (WHERE e IS DISTINCT FROM r OR (u IS NOT NULL AND eu IS DISTINCT FROM r)), count(*)
FROM (SELECT paragon_allowed(t.claims, p.perm, s.integration, s.cred, s.ext) AS e,
			 CASE WHEN s.u IS NOT NULL THEN paragon_allowed(t.claims, p.perm, s.integration, s.u, s.ext) END AS eu,
			 s.u,
			 ref_allowed(t.claims, p.perm, s.integration, s.cred, s.ext) AS r
	  FROM tokens t,
		   unnest($perms::text[]) AS p(perm),
		   (SELECT integration, credential_id::text AS cred, credential_id AS u, external_id AS ext FROM sample20k
			UNION ALL SELECT integration, credential_id::text, credential_id, NULL FROM sample20k WHERE id::text < '4'
			UNION ALL SELECT integration, NULL, NULL, NULL FROM sample20k WHERE id::text < '2'
			UNION ALL SELECT integration, '*', NULL, external_id FROM sample20k WHERE id::text < '2'
			UNION ALL SELECT NULL, upper(credential_id::text), NULL, external_id FROM sample20k WHERE id::text < '2') s
	  WHERE t.name = ANY ($toks::text[]) AND s.integration IS NOT DISTINCT FROM s.integration $extra) x;
EOF
}
{
	agree_sql "'{admin,admin_star,member}'" "'{proxy-api,credential:write,settings:read,NULL}'"
	agree_sql "'{t1k}'" "'{NULL}'"
	agree_sql "'{t10k}'" "'{proxy-api}'" "AND s.ext LIKE 'ext-1%' AND s.cred > 'f'"
} | psqlb -At -F ' ' > "$work/tmp/agree1.out" &
agree_pid=$!
agree_sql "'{t1k}'" "'{proxy-api}'" | psqlb -At -F ' ' > "$work/tmp/agree2.out"
wait $agree_pid
DISAGREE=$(cat "$work/tmp/agree1.out" "$work/tmp/agree2.out" | awk '{ s += $1 } END { print s }')
CHECKED=$(cat "$work/tmp/agree1.out" "$work/tmp/agree2.out" | awk '{ s += $2 } END { print s }')
log "agreement: $DISAGREE disagreements in $CHECKED checks"
if [ "$DISAGREE" -ne 0 ]; then
	log "FAILED: the PL/pgSQL reference disagrees with the extension"
	exit 1
fi

# 3: the PL/pgSQL reference's cost, on subsets sized to finish
REF="ref_allowed((SELECT claims FROM tokens WHERE name = 'TOK'), 'proxy-api', integration, credential_id::text, external_id)"
EXTS="paragon_allowed((SELECT claims FROM tokens WHERE name = 'TOK'), 'proxy-api', integration, credential_id::text, external_id)"
FLS="num_nonnulls((SELECT claims FROM tokens WHERE name = 'TOK'), 'proxy-api'::text, integration, credential_id::text, external_id) > 0"
for tok in member t1k t10k; do
	case $tok in member) sub=sub10k; n=10000 ;; t1k) sub=sub1k; n=1000 ;; t10k) sub=sub100; n=100 ;; esac
	log "PL/pgSQL $tok on $n rows"
	measure "ref_$tok" "" \
		"ref_$tok" "SELECT count(*) FROM $sub WHERE ${REF//TOK/$tok}" $n \
		"refext_$tok" "SELECT count(*) FROM $sub WHERE ${EXTS//TOK/$tok}" $n \
		"reffloor_$tok" "SELECT count(*) FROM $sub WHERE ${FLS//TOK/$tok}" $n
done

# 5: RLS as a non-superuser owner with FORCE ROW LEVEL SECURITY
log "RLS"
psqlb <<'EOF' >/dev/null
CREATE ROLE bench_user NOSUPERUSER NOBYPASSRLS;
ALTER TABLE configurations OWNER TO bench_user;
ALTER TABLE configurations ENABLE ROW LEVEL SECURITY;
ALTER TABLE configurations FORCE ROW LEVEL SECURITY;
EOF
RLS_Q="SELECT count(*) FROM configurations"
# the policies alternate run by run: each round recreates the policy
# before its query
rls_round() {
	local out="$work/tmp/rls.sql" r
	{
		echo "SET max_parallel_workers_per_gather = 0;"
		echo "SELECT set_config('request.jwt.claims', claims::text, false) IS NULL AS x FROM tokens WHERE name = 'member' \\g /dev/null"
		echo "SET app.integration = 'salesforce';"
		[ "$HAVE_SHORT" -gt 0 ] && echo "SET paragon.claims_source = 'setting';"
		for r in warm $(seq "$RUNS"); do
			[ "$r" = 1 ] && echo "\\timing on"
			for i in "${!RLS_LABELS[@]}"; do
				echo "RESET ROLE;"
				echo "DROP POLICY IF EXISTS p ON configurations;"
				echo "CREATE POLICY p ON configurations FOR SELECT USING (${RLS_POLS[$i]});"
				echo "SET ROLE bench_user;"
				if [ "$r" = warm ]; then echo "\\echo @@warm"; else echo "\\echo @@${RLS_LABELS[$i]}"; fi
				echo "$RLS_Q;"
			done
		done
	} > "$out"
}
# (e) is the floor as a policy: the call of (a) without the decision
RLS_LABELS=(rls_a rls_c rls_d rls_e)
RLS_POLS=("paragon_allowed((SELECT current_setting('request.jwt.claims', true)::jsonb), 'proxy-api', integration, credential_id, external_id)"
	"paragon_allowed(current_setting('request.jwt.claims', true)::jsonb, 'proxy-api', integration, credential_id, external_id)"
	"integration = (SELECT current_setting('app.integration'))"
	"num_nonnulls((SELECT current_setting('request.jwt.claims', true)::jsonb), 'proxy-api'::text, integration, credential_id, external_id) > 0")
if [ "$HAVE_SHORT" -gt 0 ]; then
	RLS_LABELS+=(rls_b)
	RLS_POLS+=("paragon_allowed('proxy-api', integration, credential_id, external_id)")
fi
rls_round
psqlb -At < "$work/tmp/rls.sql" > "$work/tmp/rls.out" 2>&1 || { cat "$work/tmp/rls.out" >&2; exit 1; }
for l in "${RLS_LABELS[@]}"; do
	ROWS[$l]=$N
	parse_label "$work/tmp/rls.out" "$l"
	log "$l: median ${MED[$l]} ms, count ${CNT[$l]}"
done
psqlb <<'EOF' >/dev/null
DROP POLICY p ON configurations;
ALTER TABLE configurations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE configurations DISABLE ROW LEVEL SECURITY;
ALTER TABLE configurations OWNER TO postgres;
EOF

# 6: audit join, 200 tokens x 5,000 credentials, nested loop both ways
log "audit join"
AJ_T="SELECT count(*) FROM audit_tokens t CROSS JOIN LATERAL (SELECT 1 FROM audit_creds c WHERE QUAL OFFSET 0) x"
AJ_C="SELECT count(*) FROM audit_creds c CROSS JOIN LATERAL (SELECT 1 FROM audit_tokens t WHERE QUAL OFFSET 0) x"
AQ="paragon_allowed(t.claims, 'credential:write', c.integration, c.id, NULL)"
AF="num_nonnulls(t.claims, 'credential:write'::text, c.integration, c.id, NULL::text) > 0"
measure audit "SET enable_hashjoin = off; SET enable_mergejoin = off; SET join_collapse_limit = 1;" \
	audit_tok_outer "${AJ_T//QUAL/$AQ}" $N \
	audit_cred_outer "${AJ_C//QUAL/$AQ}" $N \
	auditfloor_tok_outer "${AJ_T//QUAL/$AF}" $N \
	auditfloor_cred_outer "${AJ_C//QUAL/$AF}" $N
psqlb -c "SET max_parallel_workers_per_gather = 0" -c "EXPLAIN (COSTS OFF) ${AJ_T//QUAL/$AQ}" -c "EXPLAIN (COSTS OFF) ${AJ_C//QUAL/$AQ}" > "$work/tmp/audit_plans.txt"

# 7: compile cost: every row a different token (they differ in "sub")
log "compile"
CQ="paragon_allowed(claims, 'proxy-api', 'salesforce', NULL, NULL)"
CF="num_nonnulls(claims, 'proxy-api'::text, 'salesforce'::text, NULL::text, NULL::text) > 0"
measure compile "" \
	compile_10 "SELECT count(*) FROM compile10 WHERE $CQ" 20000 \
	compilefloor_10 "SELECT count(*) FROM compile10 WHERE $CF" 20000 \
	valid_10 "SELECT count(*) FROM compile10 WHERE paragon_claims_valid(claims)" 20000 \
	compile_1k "SELECT count(*) FROM compile1k WHERE $CQ" 500 \
	compilefloor_1k "SELECT count(*) FROM compile1k WHERE $CF" 500 \
	compile_10k "SELECT count(*) FROM compile10k WHERE $CQ" 50 \
	compilefloor_10k "SELECT count(*) FROM compile10k WHERE $CF" 50

# 8: parallel
log "parallel"
PAR="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
measure parallel "$(claims_of member)
$PREP
$PAR" \
	par_param_member "$EXEC_EXT" $N \
	par_floor_member "$EXEC_FLOOR" $N \
	par_init_member "SELECT count(*) FROM configurations WHERE $INIT" $N
{
	claims_of member
	echo "$PREP"
	echo "$PAR"
	echo "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $EXEC_EXT;"
	echo "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) SELECT count(*) FROM configurations WHERE $INIT;"
} | psqlb > "$work/tmp/par_plans.txt"

# 9: memory: 30 million checks with constant claims (a lateral rescan of
# the table, nothing materialized; long enough to sample), 1 million with
# claims that change on every row; sampled during the query (VmRSS from
# /proc, and pg_log_backend_memory_contexts' grand total in the server
# log) and after it (pg_backend_memory_contexts, VmRSS)
log "memory"
mem_run() {
	local name=$1 query=$2
	local app="bench_$name" pid=""
	{
		echo "SET max_parallel_workers_per_gather = 0;"
		claims_of member
		echo "$PREP"
		echo "PREPARE mem_q(jsonb) AS $query;"
		echo "SELECT count(*) FROM configurations;"	# maps the table's shared buffers first
		echo "SELECT 'before', pg_backend_pid(), (SELECT sum(total_bytes) FROM pg_backend_memory_contexts);"
		echo "EXECUTE mem_q(current_setting('bench.claims')::jsonb);"
		echo "SELECT 'after', pg_backend_pid(), (SELECT sum(total_bytes) FROM pg_backend_memory_contexts);"
	} > "$work/tmp/mem_$name.sql"
	PGAPPNAME=$app psqlb -At -F ' ' < "$work/tmp/mem_$name.sql" > "$work/tmp/mem_$name.out" &
	local qpid=$!
	# the backend, as soon as the session is connected
	for _ in $(seq 100); do
		pid=$(psqlb -At -c "SELECT pid FROM pg_stat_activity WHERE application_name = '$app' AND backend_type = 'client backend'" || true)
		[ -n "$pid" ] && break
		sleep 0.05
	done
	: > "$work/tmp/mem_$name.rss"
	if [ -n "$pid" ]; then
		# sample only while the measured statement runs
		while kill -0 "$qpid" 2>/dev/null; do
			active=$(psqlb -At -c "SELECT pg_log_backend_memory_contexts(pid) FROM pg_stat_activity
				WHERE pid = $pid AND state = 'active' AND query LIKE 'EXECUTE mem_q%'" 2>/dev/null || true)
			if [ "$active" = t ]; then
				rss=$(awk '/^VmRSS/ { v = $2 } /^RssAnon/ { a = $2 } END { if (v != "") print v, a }' "/proc/$pid/status" 2>/dev/null || true)
				[ -n "$rss" ] && echo "$rss" >> "$work/tmp/mem_$name.rss"
			fi
			sleep 0.1
		done
	fi
	wait "$qpid"
	drop_last2 < "$work/tmp/mem_$name.rss" > "$work/tmp/mem_$name.rss.t" && mv "$work/tmp/mem_$name.rss.t" "$work/tmp/mem_$name.rss"
	echo "$pid"
}
psqlb -c "ALTER SYSTEM SET log_line_prefix = '[%p] '" -c "SELECT pg_reload_conf()" >/dev/null
# the last two samples of a run may be taken as its query ends (the check
# that the query is active and the sample are not atomic, and the backend
# logs its memory when it next checks for interrupts), when the cache is
# already freed: they are dropped
drop_last2() { head -n -2; }
mem_stats() { # file [column] -> "samples first max max-min" (KiB or bytes)
	[ -s "$1" ] || { echo "0 0 0 0"; return; }
	if [ "${3:-}" = late ]; then	# the second half of the samples only
		local n
		n=$(wc -l < "$1")
		tail -n $(( (n + 1) / 2 )) "$1" > "$1.late"
		mem_stats "$1.late" "${2:-1}"
		return
	fi
	awk -v c="${2:-1}" 'NR == 1 { f = $c; mn = $c; mx = $c } { if ($c < mn) mn = $c; if ($c > mx) mx = $c } END { printf "%d %d %d %d\n", NR, f, mx, mx - mn }' "$1"
}
pid_c=$(mem_run const "SELECT sum(n) FROM generate_series(1, 30) g CROSS JOIN LATERAL (SELECT count(*) AS n FROM configurations c WHERE g > 0 AND paragon_allowed(\$1, 'proxy-api', c.integration, c.credential_id, c.external_id)) x") || { log "memory run (constant claims) failed"; pid_c=none; }
{ grep -a "^\[$pid_c\]" "$work/log" || true; } | sed -n 's/.*Grand total: \([0-9]*\) bytes.*/\1/p' | drop_last2 > "$work/tmp/mem_const.ctx"
pid_v=$(mem_run vary "SELECT count(*) FROM generate_series(1, 1000000) g WHERE paragon_allowed(jsonb_set(\$1, '{sub}', to_jsonb(g)), 'proxy-api', 'salesforce', NULL, NULL)") || { log "memory run (changing claims) failed"; pid_v=none; }
{ grep -a "^\[$pid_v\]" "$work/log" || true; } | sed -n 's/.*Grand total: \([0-9]*\) bytes.*/\1/p' | drop_last2 > "$work/tmp/mem_vary.ctx"

t_end=$(date +%s)
log "measurements done in $((t_end - t_start)) s"

###########################################################################
# results.md and the plot
###########################################################################
citus_section=$(sed -n '/^<!-- citus -->/,/^<!-- \/citus -->/p' "$OUT" 2>/dev/null || true)
ver=$(psqlb -At -c "SELECT version()")
nproc_=$(nproc)
model=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
memtot=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
rules_of() { psqlb -At -c "SELECT rules || ' rules, ' || pg_column_size(claims) || ' B stored, ' || octet_length(claims::text) || ' B as text' FROM tokens WHERE name = '$1'"; }

# the core alone (bench/core_bench.c): ns per decision without PostgreSQL
make -s bench/core_bench >/dev/null
core_table=$(bench/core_bench)
fl() { echo "${FLOOR_OF[$1]}"; }
row() { # label description floor_label
	local l=$1 d=$2 f=${3:-}
	local extra="" rat=""
	if [ -n "$f" ]; then extra=$(above "$l" "$f"); rat=$(ratio "$l" "$f"); fi
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$d" "${ROWS[$l]}" "${MED[$l]}" "${MIN[$l]}" "$(ns "$l")" "$extra" "$rat"
}
verdict() { if awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { exit !((op == "<=") ? v <= t : v >= t) }'; then echo met; else echo MISSED; fi; }

size() { awk -v a="$(ns "$1_t10k")" -v b="$(ns "$1_member")" 'BEGIN { printf "%.2f", a / b }'; }
# perrow FORM TOKEN: ns per row of group 4 net of the statement's fixed
# cost (its median on the one-row table)
perrow() { awk -v a="${MED[size_$1_$2]}" -v b="${MED[size1_$1_$2]}" -v n="${ROWS[size_$1_$2]}" 'BEGIN { printf "%.1f", (a - b) * 1e6 / (n - 1) }'; }
size_net() { awk -v a="$(perrow "$1" t10k)" -v b="$(perrow "$1" member)" 'BEGIN { printf "%.2f", a / b }'; }
floor_ratios() { echo "$1: member $(ratio "$1_member" floor_member)x, t1k $(ratio "$1_t1k" floor_t1k)x, t10k $(ratio "$1_t10k" "$(fl "$1_t10k")")x"; }
r_const=$(ratio const_member floor_member)
r_param=$(ratio param_member floor_member)
r_short=n/a; size_short=n/a
if [ "$HAVE_SHORT" -gt 0 ]; then r_short=$(ratio short_member floor_member); size_short="$(size short)x"; fi
r_token=n/a; size_token=n/a
if [ "$HAVE_TOKEN" -gt 0 ]; then r_token=$(ratio token_member tfloor_member); [ -n "${MED[token_t10k]:-}" ] && size_token="$(size token)x"; fi
ref_speed() { awk -v r="$(above "ref_$1" "reffloor_$1")" -v e="$(above "const_$2" "floor_$2")" 'BEGIN { printf "%.0f", r / (e > 0 ? e : 1) }'; }
ref_speed_total() { awk -v r="$(ns "ref_$1")" -v e="$(ns "const_$2")" 'BEGIN { printf "%.0f", r / e }'; }
sp10=$(ref_speed member member); sp1k=$(ref_speed t1k t1k); sp10k=$(ref_speed t10k t10k)
spt10=$(ref_speed_total member member); spt1k=$(ref_speed_total t1k t1k); spt10k=$(ref_speed_total t10k t10k)
c10=$(awk -v a="$(ns compile_10)" -v f="$(ns compilefloor_10)" 'BEGIN { printf "%.2f", (a - f) / 1000 }')
c1k=$(awk -v a="$(ns compile_1k)" -v f="$(ns compilefloor_1k)" 'BEGIN { printf "%.1f", (a - f) / 1000 }')
c10k=$(awk -v a="$(ns compile_10k)" -v f="$(ns compilefloor_10k)" 'BEGIN { printf "%.0f", (a - f) / 1000 }')
v10=$(awk -v a="$(ns valid_10)" -v f="$(ns compilefloor_10)" 'BEGIN { printf "%.2f", (a - f) / 1000 }')
rls_ratio=$(ratio rls_a rls_d)
rls_ratio_c=$(ratio rls_c rls_d)
if [ "$HAVE_SHORT" -gt 0 ]; then rls_ratio_b=$(ratio rls_b rls_d); else rls_ratio_b=n/a; fi
aud_ratio=$(awk -v a="${MED[audit_cred_outer]}" -v b="${MED[audit_tok_outer]}" 'BEGIN { r = a / b; if (r < 1) r = 1 / r; printf "%.2f", r }')
par_ok=$(grep -c "Workers Launched: 2" "$work/tmp/par_plans.txt" || true)
read -r mc_n mc_first mc_max mc_spread < <(mem_stats "$work/tmp/mem_const.rss")
read -r mv_n mv_first mv_max mv_spread < <(mem_stats "$work/tmp/mem_vary.rss")
read -r _ ac_first ac_max ac_spread < <(mem_stats "$work/tmp/mem_const.rss" 2)
read -r _ av_first av_max av_spread < <(mem_stats "$work/tmp/mem_vary.rss" 2)
read -r _ _ _ mcl_spread < <(mem_stats "$work/tmp/mem_const.rss" 1 late)
read -r _ _ _ mvl_spread < <(mem_stats "$work/tmp/mem_vary.rss" 1 late)
read -r _ _ _ ccl_spread < <(mem_stats "$work/tmp/mem_const.ctx" 1 late)
read -r _ _ _ cvl_spread < <(mem_stats "$work/tmp/mem_vary.ctx" 1 late)
read -r cc_n cc_first cc_max cc_spread < <(mem_stats "$work/tmp/mem_const.ctx" 2>/dev/null || echo "0 0 0 0")
read -r cv_n cv_first cv_max cv_spread < <(mem_stats "$work/tmp/mem_vary.ctx" 2>/dev/null || echo "0 0 0 0")
mem_after() { { grep -a "^$1 " "$work/tmp/mem_$2.out" || true; } | awk '{ print $3 }'; }

# plot data: rules, extension (parameter), extension (initplan), floor, PL/pgSQL
{
	echo "# rules const_ns param_ns floor_ns plpgsql_ns short_ns"
	for t in member:10 t1k:1000 t10k:10000; do
		tok=${t%%:*}; n=${t##*:}
		sh=NaN; [ "$HAVE_SHORT" -gt 0 ] && sh=$(ns "short_$tok")
		echo "$n $(ns "const_$tok") $(ns "param_$tok") $(ns "floor_$tok") $(ns "ref_$tok") $sh"
	done
} > "$work/tmp/plot.dat"
mkdir -p "$(dirname "$PLOT")"
gnuplot <<EOF
set terminal pngcairo size 1000,760 font ",11"
set output "$PLOT"
set title "paragon\\\\_perm: per-row cost of a SELECT count(*) scan (median of $RUNS runs)"
set logscale xy
set xlabel "rules in the permissions claim" offset 0,0.8
set ylabel "ns per row (log)"
set xtics ("10" 10, "1,000" 1000, "10,000" 10000)
set xrange [5:20000]
set grid
set key below left Left reverse vertical maxrows 5
plot "$work/tmp/plot.dat" using 1:5 with linespoints lw 2 pt 7 title "plain PL/pgSQL over jsonb (bench/reference.sql)", \
     "" using 1:3 with linespoints lw 2 pt 5 title "paragon\\\\_allowed(\$1, ...) (parameter, generic plan)", \
     "" using 1:2 with linespoints lw 2 pt 9 title "paragon\\\\_allowed('{...}'::jsonb, ...) (Const: cached policy)", \
     "" using 1:6 with linespoints lw 2 pt 11 title "paragon\\\\_allowed('proxy-api', ...) (session short form, claims from a setting)", \
     "" using 1:4 with linespoints lw 2 pt 13 dt 2 title "floor: num\\\\_nonnulls(same arguments)"
EOF

{
cat <<EOF
# paragon_perm benchmark

Generated by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); the whole run took $((t_end - t_start)) s
(data load $((t_loaded - t_start)) s).

## Machine

- CPU: $model, \`nproc\` = $nproc_
- Memory: $memtot
- $ver
- Cluster: throwaway (\`initdb\` in a mktemp directory, Unix socket only), shared_buffers=1GB,
  jit=off, autovacuum=off, fsync=off; every table was read once before timing (warm-up run).
- Load from other processes during the run (1-minute load average at the end): $(cut -d' ' -f1 /proc/loadavg).
  The machine is shared, so each group's variants run interleaved, round by round, and the
  table gives the median and the minimum of $RUNS runs after one warm-up.

## Data

- 1,000,000 configurations (\`id uuid, credential_id uuid, integration text, external_id text\`,
  30% NULL External IDs, 400 distinct), 50,000 credentials, 30 integrations.
- Tokens (the whole JWT payload: sub, iat, exp, aud and the permissions claim):
  - admin: no permissions claim ($(rules_of admin)); admin_star: \`{"integration:*": true}\`
  - member: $(rules_of member)
  - t1k: $(rules_of t1k)
  - t10k: $(rules_of t10k)
  - The large tokens name 20 integrations, thousands of credentials (UUID keys spelled four ways:
    lowercase, uppercase, no hyphens, braces), configuration:ext rules under credentials and at the top.
- Every query is \`SELECT count(*)\` with \`max_parallel_workers_per_gather = 0\` (except 8);
  permission \`'proxy-api'\`, target \`(integration, credential_id, external_id)\` of each row.
- Forms of the claims argument (src/pg/cache.c, src/pg/support.c): "Const" is the claims as a
  literal in the query (cache tier 1: the datum pointer of a plan constant); "parameter" is a
  prepared statement with \`plan_cache_mode = force_generic_plan\` and claims \`\$1\`
  (PARAM_EXTERN in a query that reads a table: the planner support function of release 1.2 marks
  the call, so it is tier 1 too); "initplan" is \`(SELECT current_setting('bench.claims')::jsonb)\`
  (an uncorrelated scalar subquery, also marked: tier 1); "table" is
  \`(SELECT claims FROM tokens WHERE name = ...)\` (an uncorrelated subquery as well: tier 1);
  "short form" is \`paragon_allowed('proxy-api', integration, credential_id, external_id)\` with
  the session's claims from the setting request.jwt.claims or from a token verified by
  \`paragon_set_token\`.

## Results

Times in ms (median and minimum of $RUNS runs); ns/row = median / rows; "above floor" subtracts the
floor's ns/row measured in the same group; ratio = ns/row over the floor's.

| measurement | rows | median ms | min ms | ns/row | ns/row above floor | ratio to floor |
|---|---:|---:|---:|---:|---:|---:|
| **1. floor** \`num_nonnulls(\$1, 'proxy-api', integration, credential_id, external_id) > 0\` | | | | | | |
EOF
for t in admin admin_star member t1k t10k; do row "floor_$t" "floor, $t group"; done
echo "| **2/4. claims as a literal Const \`paragon_allowed('{...}'::jsonb, ...)\` (cache tier 1: datum pointer)** | | | | | | |"
for t in admin admin_star member t1k t10k; do row "const_$t" "Const, $t" "floor_$t"; done
echo "| **2/4. claims as a parameter \`\$1\`, generic plan (tier 1: marked by the planner support function)** | | | | | | |"
for t in admin admin_star member t1k t10k; do row "param_$t" "parameter, $t" "$(fl "param_$t")"; done
echo "| **2/4. claims from an initplan \`(SELECT current_setting('bench.claims')::jsonb)\` (tier 1: marked)** | | | | | | |"
for t in admin admin_star member t1k t10k; do row "init_$t" "initplan, $t" "$(fl "init_$t")"; done
echo "| **2. claims from a table \`(SELECT claims FROM tokens WHERE name = ...)\` (tier 1: marked)** | | | | | | |"
for t in admin admin_star member t1k t10k; do row "table_$t" "table, $t" "floor_$t"; done
if [ "$HAVE_SHORT" -gt 0 ]; then
	echo "| **2/4. short session form \`paragon_allowed('proxy-api', integration, credential_id, external_id)\` (claims from request.jwt.claims)** | | | | | | |"
	for t in admin admin_star member t1k t10k; do row "short_$t" "short form (setting), $t" "$(fl "short_$t")"; done
fi
if [ "$HAVE_TOKEN" -gt 0 ]; then
	echo "| **2/4. short session form, claims of a token verified by \`paragon_set_token\` (claims_source = token)** | | | | | | |"
	for t in admin_star member t1k t10k; do
		if [ -n "${MED[token_$t]:-}" ]; then row "token_$t" "short form (token), $t" "tfloor_$t"
		else echo "| short form (token), $t | n/a: paragon_set_token refused the token ($(echo "$TOKEN_NA" | grep -o "$t: [^;]*" | head -1 | sed "s/^$t: //")) | | | | | |"; fi
	done
fi
echo "| **4. claims size: the 10-rule and the 10,000-rule token interleaved in one group** | | | | | | |"
row size_const_member "Const, member (10 rules)"
row size_const_t10k "Const, t10k (10,000 rules; the last two columns compare with the 10-rule row)" size_const_member
row size_init_member "initplan, member"
row size_init_t10k "initplan, t10k (against the 10-rule row)" size_init_member
echo "| **3. plain PL/pgSQL (bench/reference.sql), claims from the tokens table** | | | | | | |"
for t in member t1k t10k; do
	row "ref_$t" "PL/pgSQL, $t" "reffloor_$t"
	row "refext_$t" "paragon_allowed on the same rows, $t" "reffloor_$t"
done
echo "| **5. RLS, role bench_user (owner, FORCE ROW LEVEL SECURITY), member token** | | | | | | |"
row rls_a "(a) \`paragon_allowed((SELECT current_setting('request.jwt.claims', true)::jsonb), 'proxy-api', integration, credential_id, external_id)\`" rls_d
if [ "$HAVE_SHORT" -gt 0 ]; then
	row rls_b "(b) short form \`paragon_allowed('proxy-api', integration, credential_id, external_id)\` (paragon.claims_source = setting)" rls_d
else
	echo "| (b) short session form | n/a: not in this build | | | | | |"
fi
row rls_c "(c) naive \`paragon_allowed(current_setting('request.jwt.claims', true)::jsonb, ...)\` (parsed per row)" rls_d
row rls_d "(d) \`integration = (SELECT current_setting('app.integration'))\`"
row rls_e "(e) the floor as a policy: \`num_nonnulls((SELECT current_setting('request.jwt.claims', true)::jsonb), 'proxy-api'::text, integration, credential_id, external_id) > 0\` (against (d))" rls_d
row rls_a "(a) again, against the floor (e)" rls_e
echo "| **6. audit join: 200 tokens x 5,000 credentials, nested loop** | | | | | | |"
row audit_tok_outer "tokens outer (claims a lateral param: tier 2)" auditfloor_tok_outer
row audit_cred_outer "credentials outer (claims change every row: tier 3 table)" auditfloor_cred_outer
row auditfloor_tok_outer "floor, tokens outer"
row auditfloor_cred_outer "floor, credentials outer"
echo "| **7. compile: every row a different token** | | | | | | |"
row compile_10 "compile, 10-rule tokens (20,000 distinct)" compilefloor_10
row valid_10 "paragon_claims_valid, 10-rule tokens (walk + validate, no tables)" compilefloor_10
row compile_1k "compile, 1,000-rule tokens (500 distinct, TOASTed)" compilefloor_1k
row compile_10k "compile, 10,000-rule tokens (50 distinct, TOASTed)" compilefloor_10k
echo "| **8. parallel, 2 workers, member token** | | | | | | |"
row par_param_member "parameter" par_floor_member
row par_init_member "initplan" par_floor_member
row par_floor_member "floor"

cat <<EOF

Counts (rows allowed) must agree across the forms of a token (Const / parameter / initplan / table / short):
$(for t in admin admin_star member t1k t10k; do printf '%s %s / %s / %s / %s / %s; ' "$t" "${CNT[const_$t]}" "${CNT[param_$t]}" "${CNT[init_$t]}" "${CNT[table_$t]}" "${CNT[short_$t]:-n/a}"; done)
Parallel ${CNT[par_param_member]} (serial ${CNT[param_member]}).

### 4. Claims size, per row

Group 4 again, with each statement's fixed cost taken out: the same statement on a one-row
table costs what is paid once per statement whatever the rows (for the 10,000-rule token,
parsing its 616 kB text into jsonb and compiling the policy), and per row is the rest over the
rows.

| form | token | ${N} rows, median ms | 1 row, median ms (fixed) | ns per row net of it | ratio to the 10-rule token |
|---|---|---:|---:|---:|---:|
| Const | member (10 rules) | ${MED[size_const_member]} | ${MED[size1_const_member]} | $(perrow const member) | |
| Const | t10k (10,000 rules) | ${MED[size_const_t10k]} | ${MED[size1_const_t10k]} | $(perrow const t10k) | $(size_net const) |
| initplan | member (10 rules) | ${MED[size_init_member]} | ${MED[size1_init_member]} | $(perrow init member) | |
| initplan | t10k (10,000 rules) | ${MED[size_init_t10k]} | ${MED[size1_init_t10k]} | $(perrow init t10k) | $(size_net init) |

### The core alone

\`make bench-core\` (bench/core_bench.c): the same decision without PostgreSQL, on a million
targets drawn like the rows above, against synthetic tokens of the three sizes; the part of the
per-row cost that the extension's own code owns (dictionary lookups of the three members, the
probes of the rule table, the target's set-up).

$core_table

### 7. Compile cost

| token | µs per compile (above floor) |
|---|---:|
| 10 rules (walk, validate, build the hash tables, cache insert with LRU eviction past 1,024 entries) | $c10 |
| 10 rules, \`paragon_claims_valid\` only | $v10 |
| 1,000 rules (incl. detoasting ~34 kB) | $c1k |
| 10,000 rules (incl. detoasting ~320 kB) | $c10k |

### 9. Memory

| run | samples during the query | VmRSS first (KiB) | VmRSS max (KiB) | VmRSS spread (KiB) | RssAnon first / spread (KiB) | context grand total first (B) | max (B) | spread (B) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
| 30,000,000 checks, constant claims (member, parameter; the table rescanned 30 times) | $mc_n | $mc_first | $mc_max | $mc_spread | $ac_first / $ac_spread | $cc_first | $cc_max | $cc_spread |
| 1,000,000 checks, claims changing on every row (\`jsonb_set(\$1, '{sub}', to_jsonb(g))\`) | $mv_n | $mv_first | $mv_max | $mv_spread | $av_first / $av_spread | $cv_first | $cv_max | $cv_spread |

Samples: VmRSS read from \`/proc/PID/status\` every 0.2 s, and \`pg_log_backend_memory_contexts(PID)\`'s
"Grand total" of all the backend's memory contexts, while the query runs (the last two of each
series are dropped: they may be taken as the query ends, after the cache is freed). After the query, the sum of
\`pg_backend_memory_contexts.total_bytes\` was $(mem_after before const) B before and $(mem_after after const) B
after the constant run, $(mem_after before vary) B before and $(mem_after after vary) B after the changing run.

### 8. Parallel plan

\`\`\`
$(grep -v '^$' "$work/tmp/par_plans.txt")
\`\`\`

### 6. Audit join plans

\`\`\`
$(grep -v '^$' "$work/tmp/audit_plans.txt")
\`\`\`

## Targets

| target | result | verdict |
|---|---|---|
| paragon_allowed per row within 1.5x of the floor (member token) | Const ${r_const}x, short form (setting) ${r_short}x, short form (verified token) ${r_token}x, parameter ${r_param}x. $(floor_ratios const); $(floor_ratios param); $(floor_ratios init) | Const $(verdict "$r_const" 1.5 "<="), short (setting) $([ "$r_short" = n/a ] && echo n/a || verdict "$r_short" 1.5 "<="), short (token) $([ "$r_token" = n/a ] && echo n/a || verdict "$r_token" 1.5 "<="), parameter $(verdict "$r_param" 1.5 "<=") |
| >= 1,000x faster than PL/pgSQL (per-row cost above the floor, PL/pgSQL vs the Const form; total per-row cost in brackets) | member ${sp10}x (${spt10}x), t1k ${sp1k}x (${spt1k}x), t10k ${sp10k}x (${spt10k}x) | $(verdict "$sp10" 1000 ">=") / $(verdict "$sp1k" 1000 ">=") / $(verdict "$sp10k" 1000 ">=") |
| 10,000-rule token within 1.2x of 10-rule token | interleaved (group 4), per row net of each statement's fixed cost: Const $(size_net const)x, initplan $(size_net init)x; including the fixed cost (parse and compile, once per statement, spread over the rows): Const $(ratio size_const_t10k size_const_member)x, initplan $(ratio size_init_t10k size_init_member)x. From the separate groups above: Const $(size const)x, short form (setting) ${size_short}, short form (verified token) ${size_token}, table $(size table)x, parameter $(size param)x, initplan $(size init)x | per row: Const $(verdict "$(size_net const)" 1.2 "<="), initplan $(verdict "$(size_net init)" 1.2 "<="); including the fixed cost: Const $(verdict "$(ratio size_const_t10k size_const_member)" 1.2 "<="), initplan $(verdict "$(ratio size_init_t10k size_init_member)" 1.2 "<="); separate groups: Const $(verdict "$(size const)" 1.2 "<="), short (setting) $([ "$size_short" = n/a ] && echo n/a || verdict "${size_short%x}" 1.2 "<="), short (token) $([ "$size_token" = n/a ] && echo n/a || verdict "${size_token%x}" 1.2 "<="), table $(verdict "$(size table)" 1.2 "<="), parameter $(verdict "$(size param)" 1.2 "<="), initplan $(verdict "$(size init)" 1.2 "<=") |
| compile of a 10-rule token under 20 µs | $c10 µs | $(verdict "$c10" 20 "<=") |
| RLS policy within 1.5x of the one-equality policy | (a) ${rls_ratio}x, (b) ${rls_ratio_b}x, (c) ${rls_ratio_c}x; the floor as a policy (e) alone $(ratio rls_e rls_d)x, and (a) is $(ratio rls_a rls_e)x of (e) | (a) $(verdict "$rls_ratio" 1.5 "<=") |
| audit join within 2x either way | ${aud_ratio}x | $(verdict "$aud_ratio" 2 "<=") |
| parallel plan works | Workers Launched: 2 in $par_ok plans, same count as serial | $([ "$par_ok" -ge 1 ] && [ "${CNT[par_param_member]}" = "${CNT[param_member]}" ] && echo met || echo MISSED) |
| memory flat within 1 MiB | constant claims: VmRSS spread ${mc_spread} KiB, memory contexts ${cc_spread} B over the whole query. Changing claims: the cache grows to its bound (1,024 policies / 64 MiB per call site) in the first ~1,000 rows, then VmRSS spread ${mvl_spread} KiB and contexts ${cvl_spread} B over the second half of the samples (${mv_spread} KiB / ${cv_spread} B including the fill) | constant $(verdict "$mc_spread" 1024 "<="); changing, after the fill $(verdict "$mvl_spread" 1024 "<=") |
| PL/pgSQL reference agrees with the extension | $DISAGREE disagreements in $CHECKED checks (20,000 sampled rows, depths 1-3, '*' and NULL members, 5 tokens, 4 permissions incl. NULL) | $([ "$DISAGREE" -eq 0 ] && echo met || echo MISSED) |

![per-row cost by claims size](../docs/bench.png)

## Commands

\`\`\`
make bench                      # = bash bench/run.sh (as root: builds, installs, needs gnuplot-nox)
BENCH_RUNS=15 bash bench/run.sh  # runs per measurement (default 9)
\`\`\`

The queries are in bench/run.sh (one \`measure\` call per group), the data in bench/setup.sql and the
PL/pgSQL reference in bench/reference.sql.
EOF
if [ -f "$top/bench/findings.md" ]; then
	echo
	cat "$top/bench/findings.md"
fi
# the section bench/citus.sh wrote, kept (it needs Citus and runs apart)
[ -z "$citus_section" ] || printf '\n%s\n' "$citus_section"
} > "$OUT"
log "wrote $OUT and $PLOT in $(( $(date +%s) - t_start )) s"
