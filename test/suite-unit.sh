#!/usr/bin/env bash
#
# test/suite-unit.sh — the core's unit tests (test/unit/core_test.c), with
# no PostgreSQL: built and run plainly, then under AddressSanitizer and
# UndefinedBehaviorSanitizer, then under valgrind.  Any failed assertion,
# sanitizer report or valgrind error (leaks included) fails the suite.
#
# Run by scripts/test.sh (which runs every test/suite-*.sh) and by
# "make sanitize" (SUITE_UNIT_ONLY=sanitize).  Needs clang (or gcc with
# libasan/libubsan) and valgrind: bash scripts/setup.sh clang valgrind.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
only=${SUITE_UNIT_ONLY:-all}

out=$(mktemp -d /tmp/paragon_unit.XXXXXX)
trap 'rm -rf "$out"' EXIT

srcs=(test/unit/core_test.c src/core/*.c src/json/jansson_walk.c)
inc=(-Isrc/core -Isrc/json $(pkg-config --cflags jansson))
libs=$(pkg-config --libs jansson)
warn=(-Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers)

# the compiler for sanitizers: clang if present, else gcc
cc_san=${CC_SAN:-$(command -v clang || command -v clang-14 || command -v gcc)}

fail=0

run() {
	local name=$1
	shift
	echo "-- unit: $name"
	if ! "$@" >"$out/$name.log" 2>&1; then
		head -n 200 "$out/$name.log"
		echo "unit: $name FAILED"
		fail=1
		return
	fi
	tail -n 1 "$out/$name.log"
}

if [ "$only" = all ] || [ "$only" = plain ]; then
	${CC:-gcc} -O2 -g "${warn[@]}" "${inc[@]}" -o "$out/core_test" "${srcs[@]}" $libs
	run plain "$out/core_test"
fi

if [ "$only" = all ] || [ "$only" = sanitize ]; then
	"$cc_san" -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
		-fno-sanitize-recover=all "${warn[@]}" "${inc[@]}" \
		-o "$out/core_test_san" "${srcs[@]}" $libs
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		run sanitize "$out/core_test_san"
	if grep -q -e 'runtime error' -e 'AddressSanitizer' -e 'LeakSanitizer' "$out/sanitize.log"; then
		head -n 200 "$out/sanitize.log"
		fail=1
	fi
fi

if [ "$only" = all ] || [ "$only" = valgrind ]; then
	if command -v valgrind >/dev/null; then
		${CC:-gcc} -O1 -g "${warn[@]}" "${inc[@]}" -o "$out/core_test_vg" "${srcs[@]}" $libs
		run valgrind valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
			--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 \
			"$out/core_test_vg"
	else
		echo "unit: valgrind not installed (bash scripts/setup.sh valgrind)"
		fail=1
	fi
fi

exit $fail
