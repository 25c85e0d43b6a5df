#!/usr/bin/env bash
#
# test/mutation/run.sh — mutation testing of paragon_perm: how many of the
# semantic mutants of test/mutation/mutants.txt does the test suite kill?
#
#   bash test/mutation/run.sh              every mutant (make mutation)
#   bash test/mutation/run.sh core-01 ...  only these mutants
#   bash test/mutation/run.sh --check      only resolve every mutant to its
#                                          file:line (no build, no tests)
#
# Run by hand, never by CI: the whole list takes 12-15 minutes on two cores.
# Needs root, like scripts/test.sh (the clusters run as postgres).
#
# The checkout is never modified.  The tree (tracked and untracked files,
# not the ignored ones) is copied once to a scratch directory; each mutant
# is applied there, built (a build failure is "killed by the compiler",
# counted apart), installed into a private copy of the PostgreSQL install
# (made here from the one PG_CONFIG or the pg_config on PATH names, so no
# other checkout's install is touched), and judged by the scratch copy's
# scripts/test.sh with PP_SUITES (the suites that can reach the mutated
# directory, or the mutant's own "suites:") and PP_FAIL_FAST=1.  Then the
# file is put back.  An unmutated baseline run of the whole suite comes
# first: if it fails, nothing can be judged and the script stops.
#
# A mutant names its place by file and an exact search text, never a line
# number: the text is resolved to file:line at run time, and a text that is
# missing or not unique makes the mutant STALE, an error of the list.
#
# Every result line reads "RESULT id file:line ...".  Last come the score
# per directory and overall, and the survivors with their file:line.
# Exit status: 0 when every mutant not marked equivalent was killed, 1 when
# some survived, 2 for a stale mutant, a usage error or a failed baseline.
#
# Environment: PG_CONFIG (the install to copy), MUTATION_LIST (another
# list), MUTATION_TIMEOUT (seconds per mutant, default 900: beyond, the
# mutant counts as killed by the timeout), MUTATION_UNIT_MODE (the unit
# suite's SUITE_UNIT_ONLY for the mutants, default "plain": its sanitizer
# and valgrind builds triple its time, and in the first full run every
# mutant the unit suite killed had failed its plain run already; "all"
# runs them too), MUTATION_BASELINE=0 (skip the
# baseline run, for quick reruns of a few mutants), MUTATION_KEEP=1 (keep
# the scratch directory).  The logs stay in a directory printed at the start.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
list=${MUTATION_LIST:-$top/test/mutation/mutants.txt}
timeout_s=${MUTATION_TIMEOUT:-900}

# the suites that can execute code of each directory, cheapest killers first:
# the unit tests link only src/core and src/json, the JOSE vectors only
# src/jwt, the CLI suite the tool (core, json, jwt) and the extension; the
# other suites run the extension.  The core and its JSON walker are reached
# by those only through what the unit tests and pg_regress check already,
# so the slow leak, pooling and settings suites are left out for them.
declare -A dir_suites=(
	[src/core]="unit regress cli"
	[src/json]="unit cli regress"
	[src/jwt]="jose regress cli expiry rotation pooling settings"
	[src/pg]="regress cli expiry rotation pooling settings leak"
	[src/cli]="cli"
)

check_only=0
wanted=()
for a in "$@"; do
	case "$a" in
		--check) check_only=1 ;;
		-h | --help)
			sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
			exit 0 ;;
		-*) echo "mutation: unknown option $a" >&2; exit 2 ;;
		*) wanted+=("$a") ;;
	esac
done

# ------------------------------------------------------------ the list
# Blocks of "key: value" lines separated by blank lines; "#" starts a
# comment line.  Keys: id, file, find, replace, what (required), suites,
# equivalent (optional).  A value is the rest of the line after "key: ",
# taken literally.
ids=()
declare -A m_file m_find m_replace m_what m_suites m_equiv m_line m_stale

[ -f "$list" ] || { echo "mutation: no list $list" >&2; exit 2; }

cur=""
errors=0
# finish_block checks the block just read.
finish_block() {
	[ -n "$cur" ] || return 0
	local k v
	for k in file find what; do
		case $k in
			file) v=${m_file[$cur]:-} ;;
			find) v=${m_find[$cur]:-} ;;
			what) v=${m_what[$cur]:-} ;;
		esac
		if [ -z "$v" ]; then
			echo "mutation: $list: mutant $cur has no \"$k:\"" >&2
			errors=$((errors + 1))
		fi
	done
	if [ -z "${m_replace[$cur]+set}" ]; then
		echo "mutation: $list: mutant $cur has no \"replace:\"" >&2
		errors=$((errors + 1))
	fi
	cur=""
}
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	line=${line%$'\r'}
	case "$line" in
		'#'*) continue ;;
		'') finish_block; continue ;;
	esac
	key=${line%%:*}
	if [ "$key" = "$line" ]; then
		echo "mutation: $list:$lineno: not a \"key: value\" line" >&2
		errors=$((errors + 1))
		continue
	fi
	val=${line#*:}
	val=${val# }
	case "$key" in
		id)
			finish_block
			cur=$val
			if [ -n "${m_what[$cur]+set}${m_file[$cur]+set}" ]; then
				echo "mutation: $list:$lineno: duplicate id $cur" >&2
				errors=$((errors + 1))
			fi
			ids+=("$cur") ;;
		file | find | replace | what | suites | equivalent)
			if [ -z "$cur" ]; then
				echo "mutation: $list:$lineno: \"$key:\" before any \"id:\"" >&2
				errors=$((errors + 1))
				continue
			fi
			case "$key" in
				file) m_file[$cur]=$val ;;
				find) m_find[$cur]=$val ;;
				replace) m_replace[$cur]=$val ;;
				what) m_what[$cur]=$val ;;
				suites) m_suites[$cur]=$val ;;
				equivalent) m_equiv[$cur]=$val ;;
			esac ;;
		*)
			echo "mutation: $list:$lineno: unknown key \"$key\"" >&2
			errors=$((errors + 1)) ;;
	esac
done <"$list"
finish_block
[ "$errors" -eq 0 ] || exit 2

if [ ${#wanted[@]} -gt 0 ]; then
	for w in "${wanted[@]}"; do
		if [ -z "${m_file[$w]+set}" ]; then
			echo "mutation: no mutant \"$w\" in $list" >&2
			exit 2
		fi
	done
	selected=("${wanted[@]}")
else
	selected=("${ids[@]}")
fi

# mutate MODE FILE: with the search text in $MUT_FIND, MODE "count" prints
# the number of occurrences and the line of the first; MODE "apply" prints
# FILE with the first occurrence replaced by $MUT_REPLACE.  Texts are taken
# literally (index, not a regular expression) and never span lines.
mutate() {
	awk -v mode="$1" '
		BEGIN { f = ENVIRON["MUT_FIND"]; r = ENVIRON["MUT_REPLACE"]; n = 0; first = 0 }
		{
			line = $0; out = ""
			while ((i = index(line, f)) > 0) {
				n++
				if (n == 1) {
					first = NR
					if (mode == "apply") {
						out = out substr(line, 1, i - 1) r
						line = substr(line, i + length(f))
						continue
					}
				}
				out = out substr(line, 1, i - 1 + length(f))
				line = substr(line, i + length(f))
			}
			if (mode == "apply")
				print out line
		}
		END { if (mode == "count") print n, first }
	' "$2"
}

# dir_of prints the directory a mutant's file belongs to (src/core, ...).
dir_of() {
	local d=${1%/*}
	echo "$d"
}

# resolve every selected mutant to file:line, or mark it stale
nstale=0
for id in "${selected[@]}"; do
	f=${m_file[$id]}
	if [ ! -f "$top/$f" ]; then
		m_stale[$id]="file $f does not exist"
	elif [ -z "${m_find[$id]}" ]; then
		m_stale[$id]="empty search text"
	else
		read -r count first < <(MUT_FIND=${m_find[$id]} mutate count "$top/$f")
		if [ "$count" -eq 1 ]; then
			m_line[$id]=$first
		elif [ "$count" -eq 0 ]; then
			m_stale[$id]="search text not found"
		else
			m_stale[$id]="search text found $count times (first at line $first)"
		fi
	fi
	if [ -n "${m_stale[$id]:-}" ]; then
		nstale=$((nstale + 1))
		echo "STALE    $id $f: ${m_stale[$id]}: ${m_find[$id]}"
	elif [ "$check_only" -eq 1 ]; then
		printf 'OK       %-8s %s:%s  %s\n' "$id" "$f" "${m_line[$id]}" "${m_what[$id]}"
	fi
done
if [ "$check_only" -eq 1 ]; then
	echo "mutation: ${#selected[@]} mutants, $nstale stale"
	[ "$nstale" -eq 0 ] && exit 0 || exit 2
fi

# ------------------------------------------------------------ scratch
if [ "$(id -u)" -ne 0 ]; then
	echo "mutation: run as root, as scripts/test.sh (the clusters run as postgres)" >&2
	exit 2
fi
src_pg_config=${PG_CONFIG:-$(command -v pg_config || true)}
src_pg_config=$(command -v "$src_pg_config" || true)
if [ -z "$src_pg_config" ] || [ ! -x "$src_pg_config" ]; then
	echo "mutation: no pg_config: set PG_CONFIG" >&2
	exit 2
fi

scratch=$(mktemp -d /tmp/paragon_perm_mutation.XXXXXX)
logs=$(mktemp -d /tmp/paragon_perm_mutation_logs.XXXXXX)
chmod 755 "$scratch"
tree=$scratch/tree
test_pid=""

# cleanup stops a suite still running (Ctrl-C) and removes the scratch copy;
# the checkout itself was never touched.
cleanup() {
	if [ -n "$test_pid" ] && kill -0 "$test_pid" 2>/dev/null; then
		# timeout passes the signal on to its whole process group, once:
		# a second one would cut short the suites' traps, which stop their
		# clusters with the scratch copy's pg_ctl; let every process of the
		# group finish before that copy is removed
		kill -TERM "$test_pid" 2>/dev/null
		wait "$test_pid" 2>/dev/null
		local i
		for i in $(seq 1 120); do
			kill -0 -- "-$test_pid" 2>/dev/null || break
			sleep 0.5
		done
	fi
	if [ "${MUTATION_KEEP:-0}" = 1 ]; then
		echo "mutation: scratch kept in $scratch"
	else
		rm -rf "$scratch"
	fi
}
trap cleanup EXIT
trap 'echo; echo "mutation: interrupted"; exit 130' INT TERM

echo "mutation: logs in $logs"
mkdir -p "$tree"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' p; do [ -e "$p" ] && printf '%s\0' "$p"; done |
		tar --null -T - -cf -) | tar -C "$tree" -xf -
else
	(cd "$top" && tar --exclude='*.o' --exclude='*.so' -cf - .) | tar -C "$tree" -xf -
fi

# A private copy of the PostgreSQL install: every directory the source
# pg_config names, at the same path under the scratch directory.  pg_config
# and pg_regress find their files relative to their own location, so the
# copy is a complete install that "make install" can write to.
pg_root=$scratch/pg
copied=()
for opt in --bindir --pkglibdir --sharedir --includedir --includedir-server --pkgincludedir; do
	d=$("$src_pg_config" "$opt") || { echo "mutation: $src_pg_config $opt failed" >&2; exit 2; }
	[ "$opt" = --bindir ] && d=$(dirname "$d")	# bin/ and its siblings (Debian: lib/)
	[ -d "$d" ] || continue
	skip=0
	for c in "${copied[@]}"; do
		case "$d/" in "$c"/*) skip=1 ;; esac
	done
	[ "$skip" -eq 1 ] && continue
	mkdir -p "$pg_root$(dirname "$d")"
	cp -a "$d" "$pg_root$(dirname "$d")/" || { echo "mutation: could not copy $d" >&2; exit 2; }
	copied+=("$d")
done
chmod -R a+rX "$pg_root"
export PG_CONFIG=$pg_root$("$src_pg_config" --bindir)/pg_config
if [ ! -x "$PG_CONFIG" ] || [ "$("$PG_CONFIG" --bindir)" != "$pg_root$("$src_pg_config" --bindir)" ]; then
	echo "mutation: the copy of the PostgreSQL install at $pg_root is not usable" >&2
	exit 2
fi
echo "mutation: private PostgreSQL install: $PG_CONFIG"

# run_tests LOG [SUITES [UNIT_MODE]]: scripts/test.sh of the scratch tree,
# in its own process group (so that Ctrl-C or the timeout stops all of it).
run_tests() {
	local log=$1 suites=${2:-} unit_mode=${3:-all}
	PP_SUITES=$suites PP_FAIL_FAST=1 SUITE_UNIT_ONLY=$unit_mode setsid timeout -k 30 "$timeout_s" \
		bash "$tree/scripts/test.sh" >"$log" 2>&1 </dev/null &
	test_pid=$!
	wait "$test_pid"
	local rc=$?
	test_pid=""
	return $rc
}

build() {
	make -C "$tree" -s -j2 PG_CONFIG="$PG_CONFIG" WERROR=1 >>"$1" 2>&1
}

start=$(date +%s)
if [ "${MUTATION_BASELINE:-1}" != 0 ]; then
	echo "mutation: baseline: the whole suite on the unmutated tree"
	if ! build "$logs/baseline.log" || ! run_tests "$logs/baseline.log" ""; then
		tail -n 30 "$logs/baseline.log"
		echo "mutation: the baseline fails (log: $logs/baseline.log): fix the suite first"
		exit 2
	fi
	echo "mutation: baseline passed ($(($(date +%s) - start)) s)"
else
	build "$logs/baseline.log" || { tail -n 30 "$logs/baseline.log"; echo "mutation: the unmutated tree does not build"; exit 2; }
fi

# ------------------------------------------------------------ the mutants
declare -A result killer
for id in "${selected[@]}"; do
	[ -n "${m_stale[$id]:-}" ] && { result[$id]=stale; continue; }
	f=${m_file[$id]}
	where="$f:${m_line[$id]}"
	log=$logs/$id.log
	suites=${m_suites[$id]:-${dir_suites[$(dir_of "$f")]:-regress cli}}
	t0=$(date +%s)

	# the scratch copy's own file, not the checkout's, which may change meanwhile
	cp -p "$tree/$f" "$scratch/original"
	MUT_FIND=${m_find[$id]} MUT_REPLACE=${m_replace[$id]} mutate apply "$scratch/original" >"$tree/$f"
	if cmp -s "$scratch/original" "$tree/$f"; then
		cp -p "$scratch/original" "$tree/$f"
		result[$id]=stale
		m_stale[$id]="the replacement changes nothing"
		nstale=$((nstale + 1))
		echo "STALE    $id $where: ${m_stale[$id]}"
		continue
	fi
	{ echo "mutant $id at $where: ${m_what[$id]}"; diff -u "$scratch/original" "$tree/$f"; } >"$log"

	if ! build "$log"; then
		result[$id]=compiler
		killer[$id]=compiler
	elif run_tests "$log" "$suites" "${MUTATION_UNIT_MODE:-plain}"; then
		result[$id]=survived
	else
		rc=$?
		result[$id]=killed
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			killer[$id]=timeout
		else
			killer[$id]=$(sed -n 's/^== pg_regress:.*/regress/p; s/^== test\/suite-\(.*\)\.sh$/\1/p' "$log" | tail -n 1)
		fi
	fi
	# put the file back, newer than the mutant's objects so that make rebuilds it
	cp "$scratch/original" "$tree/$f"
	touch "$tree/$f"

	secs=$(($(date +%s) - t0))
	case "${result[$id]}" in
		killed | compiler)
			word=KILLED
			[ -n "${m_equiv[$id]:-}" ] && word="KILLED(marked equivalent)"
			printf '%-8s %-8s %s  by %s (%d s)  %s\n' "$word" "$id" "$where" "${killer[$id]:-?}" "$secs" "${m_what[$id]}" ;;
		survived)
			if [ -n "${m_equiv[$id]:-}" ]; then
				result[$id]=equivalent
				printf 'EQUIV    %-8s %s  (%d s)  %s\n' "$id" "$where" "$secs" "${m_what[$id]}"
			else
				printf 'SURVIVED %-8s %s  (%d s)  %s\n' "$id" "$where" "$secs" "${m_what[$id]}"
			fi ;;
	esac
done

# ------------------------------------------------------------ the score
echo
echo "mutation: score ($(( ($(date +%s) - start) / 60 )) min; killed = by the suite + by the compiler)"
declare -A d_total d_killed d_comp d_surv d_equiv d_stale
dirs=()
for id in "${selected[@]}"; do
	d=$(dir_of "${m_file[$id]}")
	if [ -z "${d_total[$d]+set}" ]; then
		dirs+=("$d")
		d_total[$d]=0 d_killed[$d]=0 d_comp[$d]=0 d_surv[$d]=0 d_equiv[$d]=0 d_stale[$d]=0
	fi
	d_total[$d]=$((d_total[$d] + 1))
	case "${result[$id]:-stale}" in
		killed) d_killed[$d]=$((d_killed[$d] + 1)) ;;
		compiler) d_comp[$d]=$((d_comp[$d] + 1)) ;;
		survived) d_surv[$d]=$((d_surv[$d] + 1)) ;;
		equivalent) d_equiv[$d]=$((d_equiv[$d] + 1)) ;;
		*) d_stale[$d]=$((d_stale[$d] + 1)) ;;
	esac
done
# score_line NAME KILLED COMPILER SURVIVED EQUIVALENT STALE
score_line() {
	local judged=$(($2 + $3 + $4))
	local pct="-"
	[ "$judged" -gt 0 ] && pct=$(awk -v k=$(($2 + $3)) -v n=$judged 'BEGIN { printf "%.1f%%", 100 * k / n }')
	printf '  %-9s %3d/%-3d killed %6s  (suite %d, compiler %d)  survived %d  equivalent %d  stale %d\n' \
		"$1" $(($2 + $3)) "$judged" "$pct" "$2" "$3" "$4" "$5" "$6"
}
tk=0 tc=0 ts=0 te=0 tst=0
for d in $(printf '%s\n' "${dirs[@]}" | sort); do
	score_line "$d" "${d_killed[$d]}" "${d_comp[$d]}" "${d_surv[$d]}" "${d_equiv[$d]}" "${d_stale[$d]}"
	tk=$((tk + d_killed[$d])) tc=$((tc + d_comp[$d])) ts=$((ts + d_surv[$d]))
	te=$((te + d_equiv[$d])) tst=$((tst + d_stale[$d]))
done
score_line overall "$tk" "$tc" "$ts" "$te" "$tst"

if [ "$ts" -gt 0 ]; then
	echo
	echo "survivors:"
	for id in "${selected[@]}"; do
		[ "${result[$id]:-}" = survived ] &&
			printf '  %-8s %s:%s  %s  (log: %s)\n' "$id" "${m_file[$id]}" "${m_line[$id]}" "${m_what[$id]}" "$logs/$id.log"
	done
fi
if [ "$tst" -gt 0 ]; then
	echo
	echo "stale (fix their search text in $list):"
	for id in "${selected[@]}"; do
		[ -n "${m_stale[$id]:-}" ] && printf '  %-8s %s: %s\n' "$id" "${m_file[$id]}" "${m_stale[$id]}"
	done
fi
[ "$tst" -gt 0 ] && exit 2
[ "$ts" -gt 0 ] && exit 1
exit 0
