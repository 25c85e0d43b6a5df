#!/usr/bin/env bash
#
# scripts/test.sh — the whole test suite, on a throwaway cluster.
#
# Installs missing build dependencies, builds and installs the extension
# and the paragon-perm tool, runs the pg_regress suite against a temporary
# instance (started by pg_regress as the postgres user, on a Unix socket
# in a temporary directory, never on a fixed TCP port), then every
# test/suite-*.sh script.  A suite that exits 77 was skipped (it needs
# something this machine lacks, such as Citus) and counts as neither; its
# last line, which says why and how to run it, is repeated at the end.
# Prints "suites: N passed, N failed, N skipped" last; exits non-zero if
# anything failed.
#
# Two opt-in variables, for the mutation run (test/mutation/run.sh) and for
# a developer in a hurry; unset, every suite runs as described above:
#   PP_SUITES="regress cli ..."  runs only these suites, in this order:
#       "regress" is the pg_regress suite, NAME is test/suite-NAME.sh
#   PP_FAIL_FAST=1  stops at the first failing suite
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# the suites to run, in order: by default pg_regress, then every script
suites=()
if [ -z "${PP_SUITES:-}" ]; then
	suites=(regress)
	for suite in test/suite-*.sh; do
		if [ -e "$suite" ]; then suites+=("$suite"); fi
	done
else
	for name in $PP_SUITES; do
		if [ "$name" = regress ]; then
			suites+=(regress)
		elif [ -f "test/suite-$name.sh" ]; then
			suites+=("test/suite-$name.sh")
		else
			echo "PP_SUITES: no suite \"$name\" (regress, or NAME of test/suite-NAME.sh)" >&2
			exit 2
		fi
	done
fi

# the build's needs and every tool the suites use (jq, xxd, pgbouncer, clang
# with its sanitizer runtime, valgrind), for the PostgreSQL of this machine
bash scripts/setup.sh --test

PG_CONFIG=${PG_CONFIG:-$(command -v pg_config)}
bindir=$("$PG_CONFIG" --bindir)
pgxs=$("$PG_CONFIG" --pgxs)
regress="$(dirname "$pgxs")/../test/regress/pg_regress"

# warnings are errors here (and in CI), not in a user's own build
make -s PG_CONFIG="$PG_CONFIG" WERROR=1
make -s PG_CONFIG="$PG_CONFIG" WERROR=1 install

passed=0
failed=0
skipped=0
skip_notes=()

# pg_regress runs as postgres, which may not read this checkout (a clone
# under /root, say): give it a copy of the inputs in a directory it owns.
work=$(mktemp -d /tmp/paragon_perm_test.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r sql expected "$work/"
[ -d test/fixtures ] && mkdir -p "$work/test" && cp -r test/fixtures "$work/test/"
chown -R postgres "$work"
# run_regress runs the pg_regress suite.
run_regress() {
	local tests
	tests=$(make -s --no-print-directory print-regress)
	echo "== pg_regress: $tests"
	if (cd "$work" && runuser -u postgres -- "$regress" --inputdir="$work" --outputdir="$work" \
		--temp-instance="$work/instance" --bindir="$bindir" $tests); then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		[ -f "$work/regression.diffs" ] && cat "$work/regression.diffs"
		# keep the actual output where a developer can compare it
		rm -rf "$top/results" && cp -r "$work/results" "$top/results"
	fi
}

# run_suite runs one test/suite-*.sh script; exit 77 means skipped.
run_suite() {
	local rc=0
	echo "== $1"
	bash "$1" | tee "$work/suite.out" || rc=${PIPESTATUS[0]}
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
	elif [ "$rc" -eq 77 ]; then
		skipped=$((skipped + 1))
		skip_notes+=("SKIPPED: $1: $(tail -n 1 "$work/suite.out")")
	else
		failed=$((failed + 1))
		echo "FAILED: $1"
	fi
}

for suite in "${suites[@]}"; do
	if [ "${PP_FAIL_FAST:-0}" = 1 ] && [ "$failed" -gt 0 ]; then
		echo "PP_FAIL_FAST: the suites after the first failure are skipped"
		break
	fi
	if [ "$suite" = regress ]; then
		run_regress
	else
		run_suite "$suite"
	fi
done

[ ${#skip_notes[@]} -eq 0 ] || printf '%s\n' "${skip_notes[@]}"
echo "suites: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
