#!/usr/bin/env bash
#
# test/suite-readme.sh — every SQL example of README.md runs as written.
#
# Takes the ```sql blocks of README.md in order and runs them, one psql
# session each, on one fresh database "app" of a throwaway cluster
# (scripts/cluster.sh) as the superuser, the way a reader pastes them one
# after the other: what a block creates, the next one finds.  A block that
# needs another role switches to it itself (SET ROLE).  A block must run
# without an error or a WARNING, unless the line before its fence is one of
# these HTML comments (invisible on a rendered page):
#
#   <!-- readme-test: error TEXT -->     the block must stop on an error
#                                        whose output contains TEXT (what
#                                        the prose around it says happens)
#   <!-- readme-test: equals QUERY -->   the block is not run: it must equal
#                                        the rows QUERY returns, run as the
#                                        superuser, white space aside (the
#                                        statements a function writes, shown)
#   <!-- readme-test: skip REASON -->    not run; REASON is required (a
#                                        placeholder key or token, say)
#
# Only README.md is checked: the SQL of docs/*.md is reference material,
# not a walk-through, and is not run.
#
# Prints one line per block and "readme: N passed, N failed, N skipped"
# (README_SHOW=1 prints each block's output too, to compare it with the
# results the README quotes in comments);
# exits non-zero when a block does not behave as marked.  Needs the
# extension installed, which scripts/test.sh does before the suites.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/cluster.sh
. "$top/scripts/cluster.sh"
cluster_start readme
as_pg "$bindir/createdb" -h "$work" -U postgres app

# split README.md into numbered block files: NNN.sql, NNN.mark, NNN.line
if ! awk -v dir="$work" '
	/^<!-- readme-test: / { mark = $0; sub(/^<!-- readme-test: /, "", mark); sub(/ *-->[ \t]*$/, "", mark); next }
	/^```sql[ \t]*$/ && !inblock { inblock = 1; n++
		f = sprintf("%s/%03d.sql", dir, n)
		printf "%s\n", (mark == "" ? "run" : mark) > sprintf("%s/%03d.mark", dir, n)
		printf "line %d\n", NR > sprintf("%s/%03d.line", dir, n)
		printf "" > f; mark = ""; next }
	/^```/ && inblock { inblock = 0; next }
	inblock { print > f; next }
	/[^ \t]/ { mark = "" }
	END { if (inblock) { print "README.md: a ```sql block is never closed"; exit 1 } }
' "$top/README.md"; then
	echo "readme: FAILED"
	exit 1
fi
chown -R postgres "$work"

psql_su() { as_pg "$bindir/psql" -h "$work" -U postgres -d app -X -q -v ON_ERROR_STOP=1 "$@"; }
# psql_block runs a block's file; with README_SHOW=1 it echoes each statement
psql_block() {
	if [ "${README_SHOW:-0}" = 1 ]; then psql_su -e "$@"; else psql_su "$@"; fi
}
# squash prints its input on one line, runs of white space made one space
squash() { tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'; }

passed=0
failed=0
skipped=0
for f in "$work"/[0-9][0-9][0-9].sql; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .sql)
	mark=$(cat "$work/$n.mark")
	where="README.md $(cat "$work/$n.line")"
	fail() {
		echo "readme: block $n ($where): FAILED: $1"
		[ -s "$work/$n.out" ] && sed 's/^/    /' "$work/$n.out"
		failed=$((failed + 1))
	}
	: >"$work/$n.out"
	case "$mark" in
	skip\ ?*)
		echo "readme: block $n ($where): skipped: ${mark#skip }"
		skipped=$((skipped + 1))
		continue ;;
	equals\ ?*)
		if ! psql_su -At -c "${mark#equals }" >"$work/$n.out" 2>&1; then
			fail "the query of its mark failed"
		elif [ "$(squash <"$work/$n.out")" = "$(grep -v '^ *--' "$f" | squash)" ]; then
			echo "readme: block $n ($where): ok (equals what its query returns)"
			passed=$((passed + 1))
		else
			{ echo "expected:"; cat "$work/$n.out"; } >"$work/$n.diff"
			mv "$work/$n.diff" "$work/$n.out"
			fail "the block differs from what its query returns"
		fi
		continue ;;
	run | error\ ?*) ;;
	*)
		fail "unrecognized mark \"$mark\" (skip and equals need a reason or query, error a message)"
		continue ;;
	esac
	rc=0
	psql_block -f "$f" >"$work/$n.out" 2>&1 || rc=$?
	if [ "$mark" = run ]; then
		if [ $rc -ne 0 ]; then
			fail "an error"
		elif grep -q 'WARNING:' "$work/$n.out"; then
			fail "a WARNING"
		else
			echo "readme: block $n ($where): ok"
			[ "${README_SHOW:-0}" = 1 ] && sed 's/^/    /' "$work/$n.out"
			passed=$((passed + 1))
		fi
	else
		want=${mark#error }
		if [ $rc -eq 0 ]; then
			fail "no error, expected one saying: $want"
		elif ! grep -F -q -- "$want" "$work/$n.out"; then
			fail "another error than the one saying: $want"
		else
			echo "readme: block $n ($where): ok (refused as the README says: $want)"
			passed=$((passed + 1))
		fi
	fi
done
echo "readme: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
