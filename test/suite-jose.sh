#!/usr/bin/env bash
#
# test/suite-jose.sh — the token verifier (src/jwt) on the project's own JWS
# vectors, with no PostgreSQL: test/jwt/jose_vectors.c runs every case of
# test/jwt/vectors.json (made by test/jwt/make-vectors.sh), first plainly,
# then under valgrind.  A case checks the verdict and, for a refusal, the
# client message and the log-only reason the extension keeps for
# errdetail_log (say, "The ES256 signature has 63 bytes; exactly 64 are
# required."), which no SQL test can read.  Under valgrind an invalid read
# (a short signature reaching OpenSSL, say) or a leak fails the suite.
#
# Run by scripts/test.sh (which runs every test/suite-*.sh).  Needs gcc,
# jansson, OpenSSL and valgrind: bash scripts/setup.sh valgrind.
# Prints a line per case, "jose: N passed, M failed" last (cases of both
# runs, plus one failure for a run that exits non-zero on its own); exits non-zero
# on any failure.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

out=$(mktemp -d /tmp/paragon_jose.XXXXXX)
trap 'rm -rf "$out"' EXIT

vectors=test/jwt/vectors.json
warn=(-Wall -Wextra -Werror -Wno-unused-parameter)
inc=(-Isrc/jwt $(pkg-config --cflags jansson openssl))
libs=$(pkg-config --libs jansson openssl)

passed=0
failed=0

if ! ${CC:-gcc} -O1 -g "${warn[@]}" "${inc[@]}" -o "$out/jose_vectors" \
	test/jwt/jose_vectors.c src/jwt/*.c $libs -lm; then
	echo "jose: the runner does not build"
	echo "jose: 0 passed, 1 failed"
	exit 1
fi

# run NAME COMMAND... runs the runner on the vectors, a line per case
run() {
	local name=$1 rc
	shift
	echo "-- jose: $name"
	(cd test/jwt && "$@" -v "$(basename "$vectors")") >"$out/$name.log" 2>&1
	rc=$?
	sed "s/^/$name: /" "$out/$name.log"
	local ok bad
	ok=$(grep -c '^ok ' "$out/$name.log")
	bad=$(grep -c '^FAIL ' "$out/$name.log")
	passed=$((passed + ok))
	failed=$((failed + bad))
	# a valgrind error, a crash or a file that did not load fails the run
	if [ $rc -ne 0 ] || ! grep -q ' agree, 0 disagree$' "$out/$name.log"; then
		[ "$bad" -eq 0 ] && failed=$((failed + 1))
		echo "FAIL: jose $name (exit $rc)"
	fi
}

run plain "$out/jose_vectors"

if command -v valgrind >/dev/null; then
	run valgrind valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=3 \
		"$out/jose_vectors"
else
	echo "FAIL: jose: valgrind not installed (bash scripts/setup.sh valgrind)"
	failed=$((failed + 1))
fi

echo "jose: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
