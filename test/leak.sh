#!/usr/bin/env bash
#
# test/leak.sh — memory of one backend under many checks.
#
# Starts a throwaway cluster (as postgres, Unix socket in a temporary
# directory, no TCP), creates the extension (install it first: make
# install), and in ONE backend runs:
#   1. CHECKS_CONSTANT checks (default ten million) with constant claims;
#   2. CHECKS_CHANGING checks (default one million) with claims that change
#      on every row, so every row compiles (and the per-call-site cache
#      evicts);
#   3. FAILING calls (default one hundred thousand) whose claims are
#      invalid, each error caught in PL/pgSQL.
# Phases 1 and 2 run twice: the first run may grow RSS once (malloc keeps
# what the executor freed, the cache fills); the second must not.
# Before and after each phase it records the sum of the backend's memory
# contexts (pg_backend_memory_contexts) and VmRSS / VmHWM from
# /proc/<backend>/status (RssAnon, the backend's private memory, is what a
# leak grows; VmRSS also counts the shared buffers the backend touched),
# and fails if a phase grows the contexts by more than LEAK_LIMIT_KB
# (default 1024 kB) or RssAnon by more than RSS_LIMIT_KB (default 65536 kB:
# the compiled-policy cache may hold up to 64 MB).
#
# It also checks the answers: every phase counts its "true" answers (or
# its caught errors) and fails unless the count is the one the claims
# give (see expected_* below), so a leak test that answered wrongly fails.
#
# Prints one line per phase ("leak: PHASE: ..."), "leak: passed" or
# "leak: FAILED" last; exits non-zero on any failure.  Run by
# scripts/test.sh through test/suite-leak.sh (about 30 seconds on 2 cores),
# or by hand after make install:  bash test/leak.sh
# (smaller: CHECKS_CONSTANT=100000 CHECKS_CHANGING=20000 FAILING=1000).
set -euo pipefail

CHECKS_CONSTANT=${CHECKS_CONSTANT:-10000000}
CHECKS_CHANGING=${CHECKS_CHANGING:-1000000}
FAILING=${FAILING:-100000}
LEAK_LIMIT_KB=${LEAK_LIMIT_KB:-1024}
RSS_LIMIT_KB=${RSS_LIMIT_KB:-65536}

# The answers each phase must count, from the claims below:
# - constant: settings:read is granted only through team-a's
#   "settings:write" (which implies it) under credential a0eebc99... of
#   integration s; the integration:* scope grants only "events".  The row
#   asks about that configuration when g is even (integration s) and a
#   multiple of 3 (that credential): g % 6 = 0, so N / 6 rows.
# - changing: row g's claims grant events on integration i<g> only; it asks
#   about integration i<g % 1000>, the same one exactly when g < 1000.
# - failing: every call raises invalid_parameter_value ("Integration:" is
#   not a scope key), each caught: FAILING errors.
expected_constant=$((CHECKS_CONSTANT / 6))
expected_changing=$((CHECKS_CHANGING < 999 ? CHECKS_CHANGING : 999))
expected_failing=$FAILING

# shellcheck source=scripts/cluster.sh
. "$(dirname "$0")/../scripts/cluster.sh"
cluster_start leak

P='urn:useparagon:connect:permissions'
if ! out=$(as_pg "$bindir/psql" -h "$work" -d postgres -X -q -v ON_ERROR_STOP=1 -At 2>&1 <<SQL
SET client_min_messages = warning;
CREATE EXTENSION paragon_perm;
CREATE FUNCTION status_kb(field text) RETURNS bigint LANGUAGE sql AS \$\$
	SELECT regexp_replace(l, '\D', '', 'g')::bigint
	  FROM regexp_split_to_table(pg_read_file('/proc/self/status'), E'\n') l
	 WHERE l LIKE field || ':%'
\$\$;
CREATE FUNCTION mem() RETURNS text LANGUAGE sql AS \$\$
	SELECT (SELECT sum(total_bytes) / 1024 FROM pg_backend_memory_contexts)::bigint || ' ' ||
		   status_kb('RssAnon') || ' ' || status_kb('VmRSS') || ' ' || status_kb('VmHWM')
\$\$;
-- failing_calls makes n calls with invalid claims and counts the errors caught
CREATE FUNCTION failing_calls(n int) RETURNS int LANGUAGE plpgsql AS \$\$
DECLARE
	caught int := 0;
BEGIN
	FOR i IN 1 .. n LOOP
		BEGIN
			PERFORM paragon_allowed(jsonb_build_object('$P', jsonb_build_object('Integration:' || i, true)),
									'events', 's', NULL::text, NULL);
		EXCEPTION WHEN invalid_parameter_value THEN
			caught := caught + 1;
		END;
	END LOOP;
	RETURN caught;
END
\$\$;
CREATE TABLE claims AS SELECT jsonb_build_object('sub', 'u1', '$P',
	jsonb_build_object('integration:*', '["events"]'::jsonb,
		'integration:s', jsonb_build_object('credential:*', false,
			'credential:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', jsonb_build_object('configuration:ext:team-a', '["settings:write"]'::jsonb)))) AS c;
-- warm up: load the library, plan once
SELECT count(*) FROM claims, generate_series(1, 1000) g WHERE paragon_allowed(c, 'events', 'i' || (g % 100), NULL::text, NULL);
SELECT 'start ' || mem();
SELECT 'constant_result ' || count(*) FROM claims, generate_series(1, $CHECKS_CONSTANT) g
 WHERE paragon_allowed(c, 'settings:read', CASE WHEN g % 2 = 0 THEN 's' ELSE 'i' || (g % 100) END,
					   CASE WHEN g % 3 = 0 THEN 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' ELSE NULL END, 'team-a');
SELECT 'constant ' || mem();
SELECT 'constant_again_result ' || count(*) FROM claims, generate_series(1, $CHECKS_CONSTANT) g
 WHERE paragon_allowed(c, 'settings:read', CASE WHEN g % 2 = 0 THEN 's' ELSE 'i' || (g % 100) END,
					   CASE WHEN g % 3 = 0 THEN 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' ELSE NULL END, 'team-a');
SELECT 'constant_again ' || mem();
SELECT 'changing_result ' || count(*) FROM generate_series(1, $CHECKS_CHANGING) g
 WHERE paragon_allowed(jsonb_build_object('$P', jsonb_build_object('integration:i' || g, '["events"]'::jsonb, 'credential:*', false)),
					   'events', 'i' || (g % 1000), NULL::text, NULL);
SELECT 'changing ' || mem();
SELECT 'changing_again_result ' || count(*) FROM generate_series(1, $CHECKS_CHANGING) g
 WHERE paragon_allowed(jsonb_build_object('$P', jsonb_build_object('integration:i' || g, '["events"]'::jsonb, 'credential:*', false)),
					   'events', 'i' || (g % 1000), NULL::text, NULL);
SELECT 'changing_again ' || mem();
SELECT 'failing_result ' || failing_calls($FAILING);
SELECT 'failing ' || mem();
SQL
); then
	printf '%s\n' "$out"
	echo "leak: FAILED (the SQL above did not run)"
	exit 1
fi

fail=0

# answers: each phase's count against the expected one
check_answer() {
	local phase=$1 want=$2 got
	got=$(printf '%s\n' "$out" | sed -n "s/^${phase}_result //p")
	if [ "$got" = "$want" ]; then
		echo "leak: $phase: $got answers, expected $want: ok"
	else
		echo "leak: $phase: ${got:-no} answers, expected $want: FAILED"
		fail=1
	fi
}
check_answer constant "$expected_constant"
check_answer constant_again "$expected_constant"
check_answer changing "$expected_changing"
check_answer changing_again "$expected_changing"
check_answer failing "$expected_failing"

# memory: each phase's growth against the limits
prev_ctx=
prev_anon=
while read -r phase ctx anon rss hwm; do
	echo "leak: $phase: contexts ${ctx} kB, RssAnon ${anon} kB, VmRSS ${rss} kB (shared buffers included), VmHWM ${hwm} kB"
	if [ -n "$prev_ctx" ]; then
		dctx=$((ctx - prev_ctx))
		danon=$((anon - prev_anon))
		echo "leak: $phase: contexts grew ${dctx} kB, RssAnon grew ${danon} kB"
		if [ "$dctx" -gt "$LEAK_LIMIT_KB" ] || [ "$danon" -gt "$RSS_LIMIT_KB" ]; then
			echo "leak: $phase: FAILED (limits ${LEAK_LIMIT_KB} kB contexts, ${RSS_LIMIT_KB} kB RssAnon)"
			fail=1
		fi
	fi
	prev_ctx=$ctx
	prev_anon=$anon
done < <(echo "$out" | grep -E '^(start|constant|constant_again|changing|changing_again|failing) [0-9]')
echo "leak: $([ $fail -eq 0 ] && echo passed || echo FAILED)"
exit $fail
