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
# Not part of scripts/test.sh: it takes a few minutes.  Run it with
#   make install && bash test/leak.sh
set -euo pipefail

CHECKS_CONSTANT=${CHECKS_CONSTANT:-10000000}
CHECKS_CHANGING=${CHECKS_CHANGING:-1000000}
FAILING=${FAILING:-100000}
LEAK_LIMIT_KB=${LEAK_LIMIT_KB:-1024}
RSS_LIMIT_KB=${RSS_LIMIT_KB:-65536}

# shellcheck source=scripts/cluster.sh
. "$(dirname "$0")/../scripts/cluster.sh"
cluster_start leak

P='urn:useparagon:connect:permissions'
out=$(as_pg "$bindir/psql" -h "$work" -d postgres -X -q -v ON_ERROR_STOP=1 -At <<SQL
CREATE EXTENSION paragon_perm;
\timing on
CREATE FUNCTION status_kb(field text) RETURNS bigint LANGUAGE sql AS \$\$
	SELECT regexp_replace(l, '\D', '', 'g')::bigint
	  FROM regexp_split_to_table(pg_read_file('/proc/self/status'), E'\n') l
	 WHERE l LIKE field || ':%'
\$\$;
CREATE FUNCTION mem() RETURNS text LANGUAGE sql AS \$\$
	SELECT (SELECT sum(total_bytes) / 1024 FROM pg_backend_memory_contexts)::bigint || ' ' ||
		   status_kb('RssAnon') || ' ' || status_kb('VmRSS') || ' ' || status_kb('VmHWM')
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
DO \$\$
DECLARE
	n int := 0;
BEGIN
	FOR i IN 1 .. $FAILING LOOP
		BEGIN
			PERFORM paragon_allowed(jsonb_build_object('$P', jsonb_build_object('Integration:' || i, true)),
									'events', 's', NULL::text, NULL);
		EXCEPTION WHEN invalid_parameter_value THEN
			n := n + 1;
		END;
	END LOOP;
	RAISE NOTICE 'failing_result %', n;
END
\$\$;
SELECT 'failing ' || mem();
SQL
)
echo "$out"

fail=0
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
