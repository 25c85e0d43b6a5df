#!/usr/bin/env bash
#
# bench/tokens.sh — `make bench-tokens` (also run by `make bench`): the
# per-request token path on a throwaway cluster (Unix socket in a mktemp -d
# directory, removed on exit).
#
# 1. DO loops in one backend, each the median of BENCH_RUNS (default 5)
#    runs, every run in a fresh session (so a fresh token cache), the
#    variants interleaved run by run:
#      - the unverified path: set_config('request.jwt.claims', ..., true)
#        and one check of the session form (claims_source = setting);
#      - the same token again: paragon_set_token(token, true) and the same
#        check (claims_source = token), RS256 and ES256, in one transaction;
#      - the same two paths with a transaction per request (the DO commits
#        after each check, and the token is set with
#        set_config('paragon.token', token, true) where the build has it);
#      - 2,000 distinct tokens, each new to the backend, through
#        paragon_set_token + check and through paragon_verify_token alone;
#      - the compile time of 2,000 distinct claims (paragon_allowed with
#        explicit claims, each a miss of the store);
#    beside `openssl speed -seconds 3 rsa2048` / `ecdsap256`, whose verify
#    time is the floor of a new token.
# 2. pgbench, 1, 4 and 16 clients, BENCH_PGBENCH_SECONDS (default 10) each,
#    BENCH_PGBENCH_ROUNDS (default 3) interleaved rounds, median TPS: each
#    transaction picks one of 2,000 users uniformly, sets its claims
#    (verified RS256 token, or unverified claims through set_config) and
#    reads that Connected User's rows through a row security policy.
#
# Writes its section into bench/results.md (between the markers
# <!-- tokens:begin --> and <!-- tokens:end -->, appended if absent).
# Environment: BENCH_RUNS, BENCH_PGBENCH_SECONDS, BENCH_PGBENCH_ROUNDS,
# PG_CONFIG, BENCH_OUT.  Needs python3 with the cryptography package (to
# sign the tokens) and pgbench.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
RUNS=${BENCH_RUNS:-5}
PGB_T=${BENCH_PGBENCH_SECONDS:-10}
PGB_ROUNDS=${BENCH_PGBENCH_ROUNDS:-3}
OUT=${BENCH_OUT:-$top/bench/results.md}
NSAME=20000				# iterations of the same-token loops
NTOK=2000				# distinct tokens (and users)
t_start=$(date +%s)
load_start=$(awk '{ print $1 }' /proc/loadavg)

log() { echo "bench-tokens: $*" >&2; }

PG_CONFIG=${PG_CONFIG:-$(command -v pg_config)}
if [ "$(id -u)" -eq 0 ]; then
	make -s PG_CONFIG="$PG_CONFIG"
	make -s PG_CONFIG="$PG_CONFIG" install
fi
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_cluster paragon_bench_tokens -c shared_buffers=256MB -c fsync=off \
	-c synchronous_commit=off -c full_page_writes=off -c jit=off -c autovacuum=off \
	-c max_connections=50

# --- tokens: the fixtures' throwaway test keys, 2,000 users each ------------
now=$(date +%s)
keys=test/fixtures/keys
python3 bench/sign_tokens.py $keys/rsa2048-private.pem RS256 $NTOK "$now" > "$work/tmp/rs.tsv"
python3 bench/sign_tokens.py $keys/ec256-private.pem ES256 $NTOK "$now" > "$work/tmp/es.tsv"
cp $keys/rsa2048-public.pem "$work/tmp/rs.pem"
cp $keys/ec256-public.pem "$work/tmp/es.pem"
chmod 644 "$work"/tmp/*
tok_bytes=$(awk -F'\t' '{ n++; s += length($2); if (length($2) > m) m = length($2) } END { printf "%d-%d", s / n, m }' "$work/tmp/rs.tsv")
es_bytes=$(awk -F'\t' '{ if (length($2) > m) m = length($2) } END { print m }' "$work/tmp/es.tsv")

log "loading tokens and 200,000 rows"
psqlb <<SQL >/dev/null
CREATE EXTENSION paragon_perm;
CREATE TABLE bench_tokens (alg text, n int, tok text, claims text, PRIMARY KEY (alg, n));
CREATE TEMP TABLE t (n int, tok text, claims text);
\copy t FROM '$work/tmp/rs.tsv'
INSERT INTO bench_tokens SELECT 'RS256', * FROM t;
TRUNCATE t;
\copy t FROM '$work/tmp/es.tsv'
INSERT INTO bench_tokens SELECT 'ES256', * FROM t;
DO \$\$
BEGIN
	IF EXISTS (SELECT 1 FROM bench_tokens WHERE NOT paragon_claims_valid(claims::jsonb)) THEN
		RAISE EXCEPTION 'invalid benchmark claims';
	END IF;
END
\$\$;
-- 100 rows per Connected User: its two credentials and others' rows of
-- the same integrations, so that the check has something to refuse
CREATE TABLE items (id bigserial PRIMARY KEY, connected_user text NOT NULL,
	integration text NOT NULL, credential_id uuid, external_id text, body text);
INSERT INTO items (connected_user, integration, credential_id, body)
SELECT 'user-' || u,
	   (ARRAY['salesforce', 'hubspot', 'slack', 'gmail', 'zendesk'])[1 + k % 5],
	   (lpad(to_hex(CASE WHEN k % 3 = 0 THEN u ELSE 1 + (u + k) % $NTOK END), 8, '0')
		|| '-0000-4000-8000-' || lpad(to_hex(1 + k % 2), 12, '0'))::uuid,
	   md5(u::text || k::text)
FROM generate_series(1, $NTOK) u, generate_series(1, 100) k;
CREATE INDEX ON items (connected_user);
ANALYZE items;
ALTER TABLE items ENABLE ROW LEVEL SECURITY;
CREATE POLICY paragon_select ON items FOR SELECT
	USING (connected_user = (SELECT paragon_current_claims() ->> 'sub')
		   AND paragon_allowed('proxy-api', integration, credential_id, external_id));
CREATE ROLE bench_token LOGIN;
CREATE ROLE bench_claims LOGIN;
GRANT SELECT ON items, bench_tokens TO bench_token, bench_claims;
ALTER ROLE bench_token SET paragon.claims_source = 'token';
ALTER ROLE bench_claims SET paragon.claims_source = 'setting';
ALTER DATABASE bench SET paragon.public_key = \$pem\$$(cat "$work/tmp/rs.pem")\$pem\$;
ALTER DATABASE bench SET paragon.algorithms = 'RS256';
SQL

# --- 1. DO loops --------------------------------------------------------------
# paragon.token (release 1.4) when this build has it; the setting exists
# once the library is loaded
HAVE_GUC=$(psqlb -At -c "LOAD 'paragon_perm'" -c "SELECT count(*) FROM pg_settings WHERE name = 'paragon.token'")
if [ "$HAVE_GUC" -gt 0 ]; then
	TOKEN_SET_TX="set_config('paragon.token', tok, true)"
else
	TOKEN_SET_TX="paragon_set_token(tok, true)"
fi
# Each variant prints "@@label us_per_iteration".
# timed LABEL N STATEMENT... prints the PL/pgSQL (in a block declaring t0)
# that runs the statements N times and reports "@@LABEL" and the
# microseconds per iteration
timed() {
	local label=$1 n=$2
	shift 2
	printf '\tt0 := clock_timestamp();\n\tFOR i IN 1..%s LOOP\n' "$n"
	printf '\t\t%s\n' "$@"
	printf '\tEND LOOP;\n\tRAISE NOTICE '"'"'@@%s %%'"'"', extract(epoch FROM clock_timestamp() - t0) * 1e6 / %s;\n' "$label" "$n"
}
loop_claims() { cat <<SQL
SET paragon.claims_source = 'setting';
DO \$\$
DECLARE c text := (SELECT claims FROM bench_tokens WHERE alg = 'RS256' AND n = 1); b bool; t0 timestamptz;
BEGIN
$(timed claims $NSAME "PERFORM set_config('request.jwt.claims', c, true);" "b := paragon_allowed('proxy-api', 'salesforce', NULL::uuid, NULL);")
END
\$\$;
SQL
}
token_setup() { cat <<SQL
SET paragon.claims_source = 'token';
SET paragon.public_key = \$pem\$$(cat "$work/tmp/$2.pem")\$pem\$;
SET paragon.algorithms = '$1';
SQL
}
loop_same() { token_setup "$1" "$2"; cat <<SQL
BEGIN;
DO \$\$
DECLARE tok text := (SELECT tok FROM bench_tokens WHERE alg = '$1' AND n = 1); b bool; t0 timestamptz;
BEGIN
	PERFORM paragon_set_token(tok, true);	-- the first time: a miss
$(timed same_$1 $NSAME "PERFORM paragon_set_token(tok, true);" "b := paragon_allowed('proxy-api', 'salesforce', NULL::uuid, NULL);")
END
\$\$;
COMMIT;
SQL
}
# a new transaction for each request, as a pooled application runs them:
# the DO commits after every check (the loop runs outside a transaction
# block), so the settings set with is_local end there; PERFORM runs the
# check as a query, through the executor, as a policy would
loop_claims_tx() { cat <<SQL
SET paragon.claims_source = 'setting';
DO \$\$
DECLARE c text := (SELECT claims FROM bench_tokens WHERE alg = 'RS256' AND n = 1); t0 timestamptz;
BEGIN
$(timed claims_tx $NSAME "PERFORM set_config('request.jwt.claims', c, true);" "PERFORM paragon_allowed('proxy-api', 'salesforce', NULL::uuid, NULL);" "COMMIT;")
END
\$\$;
SQL
}
loop_same_tx() { token_setup "$1" "$2"; cat <<SQL
DO \$\$
DECLARE tok text := (SELECT tok FROM bench_tokens WHERE alg = '$1' AND n = 1); t0 timestamptz;
BEGIN
	PERFORM $TOKEN_SET_TX;	-- the first time: a miss
	PERFORM paragon_allowed('proxy-api', 'salesforce', NULL::uuid, NULL);
	COMMIT;
$(timed same_tx_$1 $NSAME "PERFORM $TOKEN_SET_TX;" "PERFORM paragon_allowed('proxy-api', 'salesforce', NULL::uuid, NULL);" "COMMIT;")
END
\$\$;
SQL
}
loop_new() { token_setup "$1" "$2"; cat <<SQL
BEGIN;
DO \$\$
DECLARE toks text[] := ARRAY(SELECT tok FROM bench_tokens WHERE alg = '$1' ORDER BY n); b bool; t0 timestamptz;
BEGIN
$(timed new_$1 $NTOK "PERFORM paragon_set_token(toks[i], true);" "b := paragon_allowed('proxy-api', 'salesforce', NULL::uuid, NULL);")
END
\$\$;
COMMIT;
SQL
}
loop_verify() { cat <<SQL
DO \$\$
DECLARE toks text[] := ARRAY(SELECT tok FROM bench_tokens WHERE alg = '$1' ORDER BY n);
	key text := \$pem\$$(cat "$work/tmp/$2.pem")\$pem\$; j jsonb; t0 timestamptz;
BEGIN
$(timed verify_$1 $NTOK "j := paragon_verify_token(toks[i], key, '{$1}');")
$(timed reverify_$1 $NTOK "j := paragon_verify_token(toks[i], key, '{$1}');")
END
\$\$;
SQL
}
loop_compile() { cat <<SQL
DO \$\$
DECLARE cs jsonb[] := ARRAY(SELECT claims::jsonb FROM bench_tokens WHERE alg = 'RS256' ORDER BY n); b bool; t0 timestamptz;
BEGIN
$(timed compile $NTOK "b := paragon_allowed(cs[i], 'proxy-api', 'salesforce', NULL::uuid, NULL);")
END
\$\$;
SQL
}

# warm-up, and a check that every variant runs
for f in "loop_claims" "loop_claims_tx" "loop_same RS256 rs" "loop_same_tx RS256 rs" "loop_new RS256 rs" \
	"loop_verify ES256 es" "loop_compile"; do
	out=$($f | psqlb 2>&1) || true
	case $out in *@@*) ;; *) log "variant $f failed: $out"; exit 1 ;; esac
done

# openssl speed runs inside every round, next to the loops, so that the
# load of the machine at that moment weighs on both sides of the ratio
ossl_speed() {
	case $1 in
	rsa) openssl speed -seconds 3 rsa2048 2>/dev/null |
		awk '/^rsa 2048 bits/ { printf "@@ossl_rsa %.3f\n", 1e6 / $NF }' ;;	# 1e6 / verify/s
	ec) openssl speed -seconds 3 ecdsap256 2>/dev/null |
		awk '/ecdsa \(nistp256\)/ { printf "@@ossl_ec %.3f\n", 1e6 / $NF }' ;;
	esac
}

log "${RUNS} rounds of DO loops and openssl speed"
: > "$work/tmp/loops.txt"
for r in $(seq 1 "$RUNS"); do
	log "round $r/$RUNS"
	for f in "ossl_speed rsa" "loop_claims" "loop_same RS256 rs" "loop_same ES256 es" \
		"loop_claims_tx" "loop_same_tx RS256 rs" "loop_same_tx ES256 es" "loop_new RS256 rs" \
		"loop_verify RS256 rs" "ossl_speed ec" "loop_new ES256 es" "loop_verify ES256 es" "loop_compile"; do
		case $f in
		ossl_speed*) $f >> "$work/tmp/loops.txt" ;;
		*) $f | psqlb 2>&1 | grep -o '@@[a-zA-Z0-9_]* [0-9.e+-]*' >> "$work/tmp/loops.txt" ;;
		esac
	done
done
declare -A MED
for l in $(awk '{ print $1 }' "$work/tmp/loops.txt" | sort -u); do
	MED[${l#@@}]=$(awk -v L="$l" '$1 == L { print $2 }' "$work/tmp/loops.txt" | sort -g | awk '
		{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.2f", m }')
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# per_round LOOP OSSL prints each round's LOOP and OSSL figures and their
# ratio ("38.4 / 23.1 = 1.66x, ..."): the two ran a minute apart, so a
# round's ratio shows what the machine's noise did to the medians
per_round() {
	awk -v L="@@$1" -v O="@@$2" '
		$1 == L { l[++nl] = $2 } $1 == O { o[++no] = $2 }
		END { for (i = 1; i <= nl && i <= no; i++)
				printf "%s%.1f / %.1f = %.2fx", (i > 1 ? ", " : ""), l[i], o[i], l[i] / o[i] }' \
		"$work/tmp/loops.txt"
}
ossl_rsa_us=${MED[ossl_rsa]}
ossl_ec_us=${MED[ossl_ec]}

# --- 2. pgbench -----------------------------------------------------------------
if [ "$HAVE_GUC" -gt 0 ]; then
	SET_TOKEN="SET LOCAL paragon.token = ':tok';"
	token_how="SET LOCAL paragon.token"
else
	SET_TOKEN="SELECT paragon_set_token(':tok', true);"
	token_how="SELECT paragon_set_token(token, true) (paragon.token not in this build)"
fi
cat > "$work/tmp/token.pgb" <<PGB
\\set n random(1, $NTOK)
BEGIN;
SELECT tok FROM bench_tokens WHERE alg = 'RS256' AND n = :n \\gset
$SET_TOKEN
SELECT count(*), max(body) FROM items;
COMMIT;
PGB
cat > "$work/tmp/claims.pgb" <<PGB
\\set n random(1, $NTOK)
BEGIN;
SELECT claims FROM bench_tokens WHERE alg = 'RS256' AND n = :n \\gset
SELECT set_config('request.jwt.claims', ':claims', true);
SELECT count(*), max(body) FROM items;
COMMIT;
PGB
chmod 644 "$work"/tmp/*.pgb

# both arms must see the same rows
same=$(for who in token claims; do
	if [ $who = token ]; then set_it=$(sed -n 4p "$work/tmp/token.pgb"); else set_it=$(sed -n 4p "$work/tmp/claims.pgb"); fi
	as_pg "$bindir/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$work" -d bench -U bench_$who <<SQL
BEGIN;
SELECT tok, claims FROM bench_tokens WHERE alg = 'RS256' AND n = 7 \gset
$(echo "$set_it" | sed "s/':tok'/:'tok'/; s/':claims'/:'claims'/; s/;$//") \g /dev/null
SELECT count(*) FROM items;
COMMIT;
SQL
done | sort -u)
if [ "$(echo "$same" | wc -l)" != 1 ] || [ "$same" = 0 ]; then
	log "the two arms disagree or see no rows: $same"; exit 1
fi
rows_per_user=$same

declare -A TPS
: > "$work/tmp/pgbench.txt"
for r in $(seq 1 "$PGB_ROUNDS"); do
	for c in 1 4 16; do
		for who in claims token; do
			j=$(( c < 2 ? c : 2 ))
			tps=$(as_pg "$bindir/pgbench" -n -h "$work" -U bench_$who -c $c -j $j -T "$PGB_T" \
				-f "$work/tmp/$who.pgb" bench 2>"$work/tmp/pgbench.err" | awk '/^tps = / { print $3; exit }')
			[ -n "$tps" ] || { log "pgbench $who -c $c failed: $(head -3 "$work/tmp/pgbench.err")"; exit 1; }
			log "pgbench round $r, $c clients, $who: $tps TPS"
			echo "$who$c $tps" >> "$work/tmp/pgbench.txt"
		done
	done
done
for l in $(awk '{ print $1 }' "$work/tmp/pgbench.txt" | sort -u); do
	TPS[$l]=$(awk -v L="$l" '$1 == L { print $2 }' "$work/tmp/pgbench.txt" | sort -g | awk '
		{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.0f", m }')
done

# --- report ---------------------------------------------------------------------
section="$work/tmp/section.md"
{
cat <<MD
<!-- tokens:begin -->
## Tokens: the per-request path (\`make bench-tokens\`)

Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, PostgreSQL $("$PG_CONFIG" --version | awk '{ print $2 }'),
$(openssl version | awk '{ print $1, $2 }'), in $(( $(date +%s) - t_start )) s; load from other processes
(1-minute load average) ${load_start} at the start, $(awk '{ print $1 }' /proc/loadavg) at the end.
DO loops: median of $RUNS runs, each in a fresh session; pgbench: median of $PGB_ROUNDS rounds of
${PGB_T} s. Tokens: $NTOK users, RS256 tokens of ${tok_bytes} bytes (mean-max), ES256 of at most
${es_bytes} bytes, about ten rules each; the throwaway test keys of test/fixtures/keys.

| path, per call (one backend) | µs | vs the unverified path | vs bare OpenSSL | target |
|---|---:|---:|---:|---|
| unverified: \`set_config('request.jwt.claims', c, true)\` + one check (claims_source = setting), one transaction | ${MED[claims]} | 1 | | |
| same RS256 token again: \`paragon_set_token(t, true)\` + one check, in one transaction | ${MED[same_RS256]} | $(ratio "${MED[same_RS256]}" "${MED[claims]}")x | $(ratio "${MED[same_RS256]}" "$ossl_rsa_us")x | ≤ 3x the unverified path |
| same ES256 token again, in one transaction | ${MED[same_ES256]} | $(ratio "${MED[same_ES256]}" "${MED[claims]}")x | $(ratio "${MED[same_ES256]}" "$ossl_ec_us")x | ≤ 3x the unverified path |
| unverified, a transaction per request: \`set_config('request.jwt.claims', c, true)\`, \`PERFORM\` one check, \`COMMIT\` | ${MED[claims_tx]} | 1 | | |
| same RS256 token, a transaction per request: \`${TOKEN_SET_TX}\`, \`PERFORM\` one check, \`COMMIT\` | ${MED[same_tx_RS256]} | $(ratio "${MED[same_tx_RS256]}" "${MED[claims_tx]}")x | $(ratio "${MED[same_tx_RS256]}" "$ossl_rsa_us")x | ≤ 3x the unverified path |
| same ES256 token, a transaction per request | ${MED[same_tx_ES256]} | $(ratio "${MED[same_tx_ES256]}" "${MED[claims_tx]}")x | $(ratio "${MED[same_tx_ES256]}" "$ossl_ec_us")x | ≤ 3x the unverified path |
| bare OpenSSL RSA-2048 verify (\`openssl speed -seconds 3 rsa2048\`) | ${ossl_rsa_us} | | 1 | |
| new RS256 token: \`paragon_verify_token\` (2,000 distinct, each a miss) | ${MED[verify_RS256]} | $(ratio "${MED[verify_RS256]}" "${MED[claims]}")x | $(ratio "${MED[verify_RS256]}" "$ossl_rsa_us")x | ≤ 1.6x OpenSSL |
| new RS256 token: \`paragon_set_token\` + one check (verify, claims to the session, compile) | ${MED[new_RS256]} | $(ratio "${MED[new_RS256]}" "${MED[claims]}")x | $(ratio "${MED[new_RS256]}" "$ossl_rsa_us")x | |
| bare OpenSSL P-256 verify (\`openssl speed -seconds 3 ecdsap256\`) | ${ossl_ec_us} | | 1 | |
| new ES256 token: \`paragon_verify_token\` (2,000 distinct, each a miss) | ${MED[verify_ES256]} | $(ratio "${MED[verify_ES256]}" "${MED[claims]}")x | $(ratio "${MED[verify_ES256]}" "$ossl_ec_us")x | ≤ 1.6x OpenSSL |
| new ES256 token: \`paragon_set_token\` + one check | ${MED[new_ES256]} | $(ratio "${MED[new_ES256]}" "${MED[claims]}")x | $(ratio "${MED[new_ES256]}" "$ossl_ec_us")x | |
| the same 2,000 RS256 tokens again (\`paragon_verify_token\`, cached) | ${MED[reverify_RS256]} | $(ratio "${MED[reverify_RS256]}" "${MED[claims]}")x | | |
| the same 2,000 ES256 tokens again (cached) | ${MED[reverify_ES256]} | $(ratio "${MED[reverify_ES256]}" "${MED[claims]}")x | | |
| compile of the claims: \`paragon_allowed(claims, ...)\` over 2,000 distinct claims | ${MED[compile]} | | | |

A new token against OpenSSL round by round (µs, \`paragon_verify_token\` / \`openssl speed\`):
RS256 $(per_round verify_RS256 ossl_rsa); ES256 $(per_round verify_ES256 ossl_ec).

End to end, pgbench: each transaction \`BEGIN\`; picks one of $NTOK users uniformly and reads its
token (or claims) from a table; sets it (\`$token_how\`, claims_source = token; or
\`set_config('request.jwt.claims', claims, true)\`, claims_source = setting); \`SELECT count(*),
max(body) FROM items\`, where a row security policy keeps the user's rows (\`connected_user =
(SELECT paragon_current_claims() ->> 'sub') AND paragon_allowed('proxy-api', ...)\`, an index on
connected_user; ${rows_per_user} of the user's 100 rows pass); \`COMMIT\`.

| clients | unverified claims, TPS | verified RS256 tokens, TPS | ratio | target |
|---:|---:|---:|---:|---|
| 1 | ${TPS[claims1]} | ${TPS[token1]} | $(ratio "${TPS[token1]}" "${TPS[claims1]}") | |
| 4 | ${TPS[claims4]} | ${TPS[token4]} | $(ratio "${TPS[token4]}" "${TPS[claims4]}") | |
| 16 | ${TPS[claims16]} | ${TPS[token16]} | $(ratio "${TPS[token16]}" "${TPS[claims16]}") | ≥ 0.8 |

Command: \`make bench-tokens\` (or \`PG_CONFIG=... bash bench/tokens.sh\`).
<!-- tokens:end -->
MD
} > "$section"

if [ -f "$OUT" ] && grep -q '<!-- tokens:begin -->' "$OUT"; then
	awk -v S="$section" '
		/<!-- tokens:begin -->/ { while ((getline l < S) > 0) print l; skip = 1; next }
		/<!-- tokens:end -->/ { skip = 0; next }
		!skip { print }' "$OUT" > "$work/tmp/out.md"
	cat "$work/tmp/out.md" > "$OUT"
else
	{ [ -f "$OUT" ] && echo; cat "$section"; } >> "$OUT"
fi
cat "$section"
log "wrote $OUT in $(( $(date +%s) - t_start )) s"
