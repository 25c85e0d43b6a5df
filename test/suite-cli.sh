#!/usr/bin/env bash
#
# test/suite-cli.sh — tests of the paragon-perm command-line tool.
#
# Runs every subcommand on the worked examples of the semantics (all 20 of
# section 8) and on bad input, and checks that the tool agrees with the
# extension: for every case the same question is put to paragon_allowed,
# paragon_visible, paragon_explain, paragon_claims_errors and
# paragon_verify_token on a throwaway cluster started here (as the
# postgres user, on a Unix socket in a temporary directory, no TCP),
# stopped and removed on exit.
#
# Run by scripts/test.sh as root after "make install"; it uses the
# installed tool ($(pg_config --bindir)/paragon-perm) unless PARAGON_PERM
# names another.  Needs openssl (to sign test tokens) and jq.
# Prints "cli: N passed, M failed" last; exits non-zero on any failure.
set -uo pipefail

# cd_root_runuser runs a command as postgres from /: postgres may not be
# able to enter this checkout (a clone under /root, say).
cd_root_runuser() { (cd / && runuser -u postgres -- "$@"); }

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
PG_CONFIG=${PG_CONFIG:-$(command -v pg_config)}
bindir=$("$PG_CONFIG" --bindir)
PP=${PARAGON_PERM:-$bindir/paragon-perm}
in=test/cli
C1=6f1c2a0e-8d4b-4c3e-9f2a-1b2c3d4e5f60
C2=0b7e4d1a-2c3f-4a5b-8c6d-7e8f9a0b1c2d

passed=0
failed=0

# pass and fail count a check; fail says which and why.
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

[ -x "$PP" ] || { echo "cli: $PP is not installed"; echo "cli: 0 passed, 1 failed"; exit 1; }

# ---------------------------------------------------------------- cluster
tmp=$(mktemp -d /tmp/paragon_perm_cli.XXXXXX)
chown postgres "$tmp"
cleanup() {
	if [ -f "$tmp/data/postmaster.pid" ]; then
		cd_root_runuser "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

if ! cd_root_runuser "$bindir/initdb" -D "$tmp/data" -A trust >"$tmp/initdb.log" 2>&1; then
	cat "$tmp/initdb.log"; echo "cli: 0 passed, 1 failed"; exit 1
fi
if ! cd_root_runuser "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
	-o "-c listen_addresses='' -c unix_socket_directories=$tmp" start >/dev/null; then
	cat "$tmp/server.log"; echo "cli: 0 passed, 1 failed"; exit 1
fi

# sql runs SQL read from standard input; tuples only, unaligned, stop on error.
sql() {
	cd_root_runuser "$bindir/psql" -h "$tmp" -d postgres -X -q -At \
		-v ON_ERROR_STOP=1 "$@"
}

if ! echo "CREATE EXTENSION paragon_perm;" | sql; then
	echo "cli: 0 passed, 1 failed"; exit 1
fi

# q quotes an argument as SQL: "-" is NULL, as on the tool's command line.
q() {
	if [ "$1" = "-" ]; then
		printf 'NULL::text'
	else
		printf "'%s'::text" "${1//\'/\'\'}"
	fi
}

# qclaims quotes a claims file as a jsonb literal.
qclaims() {
	local s
	s=$(cat "$in/$1")
	printf "'%s'::jsonb" "${s//\'/\'\'}"
}

# pad COMMAND N prints the NULLs that complete N arguments of the SQL
# function (the checks take every argument, with no defaults): trailing
# NULLs are what the tool's omitted arguments mean.
pad() {
	local n=$2 want=3
	[ "$1" = allowed ] && want=4
	while [ "$n" -lt "$want" ]; do printf ', NULL::text'; n=$((n + 1)); done
}

# ------------------------------------------------- allowed / visible / explain
# decide NAME EXPECT FILE COMMAND ARG... runs the tool and the SQL function
# on the same question; EXPECT is true, false or error.  For answers it also
# compares --explain with paragon_explain field by field.
decide() {
	local name=$1 expect=$2 file=$3 cmd=$4
	shift 4
	local out rc cli sqlargs="" a sqlout sqlerr perm
	out=$("$PP" "$cmd" "$@" <"$in/$file" 2>"$tmp/err")
	rc=$?
	case "$rc:$out" in
		0:true) cli=true ;;
		1:false) cli=false ;;
		2:) cli=error ;;
		*) cli="unexpected(rc=$rc, out=$out)" ;;
	esac
	for a in "$@"; do sqlargs="$sqlargs, $(q "$a")"; done
	sqlargs="$sqlargs$(pad "$cmd" $#)"
	sqlout=$(echo "SELECT paragon_$cmd($(qclaims "$file")$sqlargs)::text;" | sql 2>"$tmp/sqlerr")
	if [ $? -ne 0 ]; then sqlout=error; fi
	if [ "$cli" = "$expect" ] && [ "$sqlout" = "$expect" ]; then
		pass
	else
		fail "$name: $cmd $* < $file: expected $expect, tool $cli, SQL $sqlout"
		cat "$tmp/err" "$tmp/sqlerr"
		return
	fi
	if [ "$expect" = error ]; then
		# the tool's message is the extension's errmsg
		local msg
		msg=$(sed -n 's/^ERROR:  //p' "$tmp/sqlerr" | head -1)
		if [ -n "$msg" ] && grep -qF -- "$msg" "$tmp/err"; then
			pass
		else
			fail "$name: SQL said \"$msg\", the tool said: $(head -1 "$tmp/err")"
		fi
		return
	fi
	# explain: the same fields, in jsonb's spelling
	if [ "$cmd" = allowed ]; then perm=$1; shift; else perm=-; fi
	sqlargs=""
	for a in "$@"; do sqlargs="$sqlargs, $(q "$a")"; done
	sqlargs="$sqlargs$(pad visible $#)"
	local want got
	want=$(echo "SELECT concat_ws(' | ', e->>'allowed', e->>'visible', e->'value', e->'permissions', e->'rule', e->>'reason')
		FROM paragon_explain($(qclaims "$file"), $(q "$perm")$sqlargs) e;" | sql 2>&1)
	if [ "$cmd" = allowed ]; then set -- "$perm" "$@"; fi
	got=$("$PP" "$cmd" --explain "$@" <"$in/$file" 2>&1 |
		sed -n 's/^\(allowed\|visible\|value\|permissions\|rule\|reason\): //p' | paste -sd'|' | sed 's/|/ | /g')
	if [ "$want" = "$got" ]; then
		pass
	else
		fail "$name: --explain: tool \"$got\", paragon_explain \"$want\""
	fi
}

echo "== semantics section 8, allowed and visible"
decide ex1 true ex01-unrestricted.json allowed proxy-api s
decide ex2 true ex02-allow-all.json allowed events -
decide ex3 false ex03-deny-all.json visible s
decide ex4 true ex04-one-credential.json allowed proxy-api s "$C1"
decide ex4-uuid-spelling true ex04-one-credential.json allowed proxy-api s "{${C1^^}}"
decide ex5 false ex04-one-credential.json allowed proxy-api s "$C2"
decide ex6 false ex04-one-credential.json allowed proxy-api s
decide ex7 true ex04-one-credential.json visible s
decide ex8 true ex08-new-credential.json allowed credential:write s '*'
decide ex9 false ex08-new-credential.json allowed credential:write s
decide ex10 true ex10-implied.json allowed settings:read s "$C1" 'Team A'
decide ex11 true ex11-configuration-wins.json allowed config:write s "$C1" x
decide ex12 false ex11-configuration-wins.json allowed proxy-api s "$C1"
decide ex13 true ex13-ancestor-tie.json visible s "$C1"
decide ex14 true ex14-one-configuration.json visible s "$C1"
decide ex15 false ex14-one-configuration.json allowed settings:read s "$C1"
decide ex16 true ex14-one-configuration.json allowed settings:read s "$C1" 'Team A'
decide ex17 error ex02-allow-all.json allowed bogus s
decide ex18 error ex18-nested-integration.json allowed events s
decide ex18-visible error ex18-nested-integration.json visible s
decide ex19 error ex19-scope-at-root.json allowed events -
decide ex20 true ex20-string-claim.json allowed events -

echo "== NULL and unspecified members"
decide null-before-config true ex14-one-configuration.json allowed - - "$C1" 'Team A'
decide null-cred-star false ex04-one-credential.json allowed proxy-api s '*'
# "-" is NULL, not the unspecified member "*": here the two answer differently
decide new-cred-star true ex08-new-credential.json allowed credential:write s '*'
decide new-cred-dash false ex08-new-credential.json allowed credential:write s -
decide member-new-slack-dash false member.json allowed credential:write slack -
decide point-visibility false ex04-one-credential.json allowed - s
decide member-events true member.json allowed events -
decide member-proxy true member.json allowed proxy-api salesforce "$C1"
decide member-other-cred false member.json allowed proxy-api salesforce "$C2"
decide member-new-slack true member.json allowed credential:write slack '*'
decide member-team-a true member.json allowed config:write slack "$C2" team-a
decide member-team-b false member.json allowed config:write slack "$C2" team-b
decide member-visible true member.json visible salesforce
decide bad-permission-in-claim error bad-unknown-permission.json allowed events -
decide bad-claims error bad-claims.json visible s
decide bad-not-object error bad-not-object.json visible s
decide bad-duplicate-uuid error bad-duplicate-uuid.json visible s

# ------------------------------------------------------------------- check
# check_same FILE compares "check" with paragon_claims_errors, row by row.
check_same() {
	local file=$1 out rc want
	"$PP" check --quiet "$in/$file" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(grep -v '^  hint: ' "$tmp/out")
	want=$(echo "SELECT paragon_claims_errors($(qclaims "$file"));" | sql 2>&1)
	local want_rc=1
	[ -z "$want" ] && want_rc=0
	if [ "$out" = "$want" ] && [ "$rc" = "$want_rc" ]; then
		pass
	else
		fail "check $file (rc $rc) differs from paragon_claims_errors:"
		diff <(echo "$want") <(echo "$out")
	fi
}

echo "== check against paragon_claims_errors"
for f in "$in"/ex*.json "$in"/member.json "$in"/bad-claims.json "$in"/bad-unknown-permission.json \
	"$in"/bad-not-object.json "$in"/bad-duplicate-uuid.json "$in"/bad-lookalike.json; do
	check_same "$(basename "$f")"
done

# expect NAME RC PATTERN COMMAND... runs the tool with stdin from /dev/null
# unless redirected by the caller, and checks the exit status and that
# PATTERN occurs in its output (stdout and stderr).
expect() {
	local name=$1 want=$2 pattern=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" = "$want" ] && grep -qF -- "$pattern" <<<"$out"; then
		pass
	else
		fail "$name: exit $rc (want $want), output lacks \"$pattern\":"
		printf '%s\n' "$out" | head -5
	fi
}

echo "== bad input"
expect unreadable 2 'could not open claims file' "$PP" check "$in/no-such-file.json"
expect directory 2 'could not read claims file' "$PP" check "$in"
expect syntax 1 'invalid JSON at line 4, column 44' "$PP" check "$in/bad-syntax.json"
expect duplicate-keys 1 'duplicate object key' "$PP" check "$in/bad-duplicate-keys.json"
expect duplicate-keys-allowed 2 'invalid JSON at line 4' "$PP" allowed events - --claims "$in/bad-duplicate-keys.json"
expect empty-stdin 2 'invalid JSON at line' "$PP" allowed events - </dev/null
expect invalid-claims 1 '."integration:s"."credential:ext:abc": credentials cannot be selected by External ID' "$PP" check "$in/bad-claims.json"
expect invalid-claims-hint 1 '  hint: Scope keys start with' "$PP" check "$in/bad-claims.json"
expect invalid-claims-allowed 2 'JSON path: $.' "$PP" allowed events - --claims "$in/bad-claims.json"
expect unknown-permission 2 'unrecognized permission "bogus"' "$PP" allowed bogus s --claims "$in/ex02-allow-all.json"
expect unknown-permission-claim 1 'unrecognized permission "bogus"' "$PP" check "$in/bad-unknown-permission.json"
# a look-alike of the permissions claim: check lists it (evaluation ignores it)
expect lookalike-claim 1 '$."urn:useparagon:connect:permission": claim "urn:useparagon:connect:permission" is ignored' "$PP" check "$in/bad-lookalike.json"
expect lookalike-claim-hint 1 '  hint: Evaluation reads only' "$PP" check "$in/bad-lookalike.json"
expect lookalike-evaluation 0 true "$PP" allowed proxy-api hubspot --claims "$in/bad-lookalike.json"
# a UUID credential with white space around it is refused, as in SQL
expect spaced-uuid 2 "has white space around a UUID" "$PP" allowed proxy-api salesforce " $C1" --claims "$in/member.json"
expect no-command 2 'missing command' "$PP"
expect bad-command 2 'unrecognized command "frobnicate"' "$PP" frobnicate
expect check-no-file 2 'missing claims file' "$PP" check
expect check-two-files 2 'too many arguments' "$PP" check a b
expect allowed-no-args 2 'missing permission and integration' "$PP" allowed
expect allowed-no-integration 2 'missing integration' "$PP" allowed events
expect allowed-too-many 2 'too many arguments' "$PP" allowed events a b c d
expect visible-no-args 2 'missing integration' "$PP" visible
expect visible-too-many 2 'too many arguments' "$PP" visible a b c d
expect bad-option 2 'Try "paragon-perm allowed --help"' "$PP" allowed --frob events -
expect matrix-args 2 'too many arguments' "$PP" matrix extra
expect matrix-format 2 'unrecognized format "xml"' "$PP" matrix --format=xml
expect verify-no-key 2 'missing --key' "$PP" verify tok
expect verify-no-token 2 'missing token' "$PP" verify --key k.pem
expect verify-bad-leeway 2 'leeway must not be negative' "$PP" verify --key k.pem --leeway=-1 tok
expect verify-no-keyfile 2 'could not open key file' "$PP" verify --key "$in/no-such-key.pem" tok
expect version 0 'paragon-perm (paragon_perm) ' "$PP" --version
expect help 0 'Usage:' "$PP" --help
for c in check allowed visible matrix verify; do
	expect "help-$c" 0 "Usage:" "$PP" "$c" --help
done

# ------------------------------------------------------------------ matrix
# matrix_same FILE recomputes every row of "matrix --format=csv" with the
# SQL functions and compares the two tables.
matrix_same() {
	local file=$1 csv body want perms p i c e line sqlq
	if ! csv=$("$PP" matrix --format=csv --claims "$in/$file" 2>&1); then
		fail "matrix $file: $csv"; return
	fi
	perms=$(head -1 <<<"$csv" | cut -d, -f5- | tr ',' ' ')
	body=$(tail -n +2 <<<"$csv")
	sqlq=""
	while IFS=, read -r i c e line; do
		local cl=$(qclaims "$file") ai ac ae
		ai=$(q "$i")
		if [ -n "$c" ]; then ac=$(q "$c"); else ac=NULL::text; fi
		if [ -n "$e" ]; then ae=$(q "$e"); else ae=NULL::text; fi
		sqlq+="SELECT concat_ws(',', $ai, coalesce($ac, ''), coalesce($ae, ''), paragon_visible($cl, $ai, $ac, $ae)::text"
		for p in $perms; do
			sqlq+=", paragon_allowed($cl, '$p', $ai, $ac, $ae)::text"
		done
		sqlq+=");"$'\n'
	done <<<"$body"
	want=$(printf '%s' "$sqlq" | sql 2>&1)
	if [ "$want" = "$body" ]; then
		pass
	else
		fail "matrix $file differs from paragon_visible/paragon_allowed:"
		diff <(echo "$want") <(echo "$body") | head -10
	fi
}

echo "== matrix against paragon_allowed and paragon_visible"
for f in "$in"/ex*.json "$in"/member.json; do
	case "$f" in *ex18-*|*ex19-*) continue ;; esac
	matrix_same "$(basename "$f")"
done
expect matrix-table 0 'visible  credential:write' "$PP" matrix --claims "$in/member.json"
expect matrix-invalid 2 'integration scope nested in integration scope' "$PP" matrix --claims "$in/ex18-nested-integration.json"
out=$("$PP" matrix --format=json --claims "$in/member.json")
if jq -e 'length > 0 and (.[0] | has("integration") and has("visible") and has("allowed"))' >/dev/null <<<"$out"; then
	pass
else
	fail "matrix --format=json is not the documented array"
fi

# ------------------------------------------------------------------ verify
echo "== verify against paragon_verify_token"
# b64url, unb64url, rs256_jwt
. test/jose.sh
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/key.pem" 2>/dev/null
openssl pkey -in "$tmp/key.pem" -pubout -out "$tmp/pub.pem"
chown postgres "$tmp/pub.pem"

# sign CLAIMS_JSON prints an RS256 token for the claims.
sign() { rs256_jwt "$tmp/key.pem" "$1"; }

# a fixed instant, 2026-01-01 00:00:00Z: tokens expire an hour later and are
# judged a minute after it (--at, "at"), never at the machine's clock
now=1767225600
vat=$((now + 60))
have_sql_verify=$(echo "SELECT to_regproc('paragon_verify_token') IS NOT NULL;" | sql)
for f in "$in"/ex*.json "$in"/member.json; do
	name=$(basename "$f")
	claims=$(jq -c --argjson exp $((now + 3600)) '. + {exp: $exp}' "$f")
	tok=$(sign "$claims")
	out=$("$PP" verify --key "$tmp/pub.pem" --at "$vat" "$tok" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || [ "$(jq -cS . <<<"$out")" != "$(jq -cS . <<<"$claims")" ]; then
		fail "verify $name: exit $rc: $out"; continue
	fi
	pass
	if [ "$have_sql_verify" = t ]; then
		want=$(echo "SELECT paragon_verify_token('$tok', pg_read_file('$tmp/pub.pem'), at => to_timestamp($vat));" | sql 2>&1)
		if [ "$(jq -cS . <<<"$want" 2>&1)" = "$(jq -cS . <<<"$out")" ]; then
			pass
		else
			fail "verify $name differs from paragon_verify_token: $want"
		fi
	fi
	# piped into check: the same verdict as on the file itself
	"$PP" check -q "$f" >/dev/null 2>&1
	want=$?
	"$PP" verify --key "$tmp/pub.pem" --at "$vat" "$tok" 2>/dev/null | "$PP" check -q - >/dev/null 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then pass; else fail "verify $name | check: exit $rc, want $want"; fi
done

tok=$(sign "$(jq -c --argjson exp $((now + 3600)) '. + {exp: $exp}' "$in/member.json")")
got=$("$PP" verify --key "$tmp/pub.pem" --at "$vat" "$tok" | "$PP" allowed proxy-api salesforce "$C1")
if [ "$got" = true ]; then pass; else fail "verify | allowed: $got"; fi
expect verify-stdin 0 '"sub": "user-42"' bash -c "printf '%s\n' '$tok' | '$PP' verify --key '$tmp/pub.pem' --at $vat -"
expect verify-expired 1 'token expired at' "$PP" verify --key "$tmp/pub.pem" --at $((now + 7200)) "$tok"
expect verify-leeway 0 '"sub"' "$PP" verify --key "$tmp/pub.pem" --at $((now + 3610)) --leeway 60 "$tok"
expect verify-audience 1 'aud' "$PP" verify --key "$tmp/pub.pem" --at "$vat" --aud someone-else "$tok"
# the signature of one payload on another
other=$(sign '{"sub":"user-43"}')
expect verify-tampered 1 'signature' "$PP" verify --key "$tmp/pub.pem" --at "$vat" "${tok%%.*}.$(cut -d. -f2 <<<"$other").${tok##*.}"
expect verify-alg 1 'RS256' "$PP" verify --key "$tmp/pub.pem" --at "$vat" --alg ES256 "$tok"
expect verify-no-exp 1 'Pass --no-require-exp' "$PP" verify --key "$tmp/pub.pem" --at "$vat" "$(sign '{"sub":"user-42"}')"
expect verify-no-exp-ok 0 '"sub": "user-42"' "$PP" verify --key "$tmp/pub.pem" --at "$vat" --no-require-exp "$(sign '{"sub":"user-42"}')"
expect verify-private-key 2 'private' "$PP" verify --key "$tmp/key.pem" --at "$vat" "$tok"
# a JWK with a private member is refused like a PEM private key, alone or in a set
jq -c '. + {d: "AQAB"}' test/fixtures/keys/rsa2048.jwk >"$tmp/private.jwk"
expect verify-private-jwk 2 'key is a private key' "$PP" verify --key "$tmp/private.jwk" --at "$vat" "$tok"
jq -c '{keys: [., {kty: "EC", crv: "P-256", x: "LrmdlW_vvNluUojrUrOHGWYnbWZ6eP-zCl3oIbaCm38", y: "dbiQoJEzXra0WraLy60a47JrwmjwyJKUqO3faKVMuBE", d: "AQAB"}]}' \
	test/fixtures/keys/rsa2048.jwk >"$tmp/private-set.jwk"
expect verify-private-jwk-set 2 'key is a private key' "$PP" verify --key "$tmp/private-set.jwk" --at "$vat" "$tok"
out=$("$PP" verify --key "$tmp/pub.pem" --at $((now + 7200)) "$tok" 2>/dev/null)
if [ -z "$out" ]; then pass; else fail "a refused token printed claims"; fi
# a time claim before 1970 is out of range, not a date long past: an nbf of
# -1 must not make the token valid, an exp of -1 is not "expired"
expect verify-nbf-negative 1 'token claim "nbf" is out of range' \
	"$PP" verify --key "$tmp/pub.pem" --at "$vat" "$(sign "{\"sub\":\"user-42\",\"exp\":$((now + 3600)),\"nbf\":-1}")"
expect verify-exp-negative 1 'token claim "exp" is out of range' \
	"$PP" verify --key "$tmp/pub.pem" --at "$vat" "$(sign '{"sub":"user-42","exp":-1}')"
# the size limit is 65536 bytes: a token of exactly that size is read (and
# refused for its padded signature), one byte more is too large
big=$(printf '%s%*s' "$tok" $((65536 - ${#tok})) '' | tr ' ' A)
out=$("$PP" verify --key "$tmp/pub.pem" --at "$vat" "$big" 2>&1)
rc=$?
if [ ${#big} -eq 65536 ] && [ $rc -eq 1 ] && ! grep -q 'too large' <<<"$out"; then
	pass
else
	fail "verify of a token of ${#big} bytes (the limit): exit $rc: $(head -1 <<<"$out")"
fi
expect verify-too-large 1 'token is too large' "$PP" verify --key "$tmp/pub.pem" --at "$vat" "${big}A"

# ------------------------------------------- verify at fixed instants
# The committed test tokens (test/fixtures/tokens, made by make-tokens.sh):
# iat 2026-01-01 00:00:00Z = 1767225600, exp one hour later = 1767229200;
# nbf.token is valid from 1767232800.  --at fixes the instant, so these
# never depend on the clock; no --leeway, so they test the 30 s default.
echo "== verify: the default leeway of 30 seconds"
fx=test/fixtures
rsapub=$fx/keys/rsa2048-public.pem
ecpub=$fx/keys/ec256-public.pem
rs=$(tr -d '\n' <"$fx/tokens/rs256.token")
es=$(tr -d '\n' <"$fx/tokens/es256.token")
nbf=$(tr -d '\n' <"$fx/tokens/nbf.token")
expect leeway-exp-inside 0 '"sub": "user-1"' "$PP" verify --key "$rsapub" --at 1767229229 "$rs"
expect leeway-exp-outside 1 'token expired at 2026-01-01 01:00:00+00' "$PP" verify --key "$rsapub" --at 1767229231 "$rs"
expect leeway-nbf-inside 0 '"sub": "user-1"' "$PP" verify --key "$rsapub" --at 1767232771 "$nbf"
expect leeway-nbf-outside 1 'token is not valid until 2026-01-01 02:00:00+00' "$PP" verify --key "$rsapub" --at 1767232769 "$nbf"
expect leeway-iat-inside 0 '"sub": "user-1"' "$PP" verify --key "$rsapub" --at 1767225571 "$rs"
expect leeway-iat-outside 1 'token issue time 2026-01-01 00:00:00+00 is in the future' "$PP" verify --key "$rsapub" --at 1767225569 "$rs"
expect leeway-zero 1 'token expired at' "$PP" verify --key "$rsapub" --at 1767229201 --leeway 0 "$rs"

# ------------------------------------- verify --verbose: the log-only reason
# A refusal's precise reason is what the extension writes to the server log
# only (errdetail_log); --verbose prints it.  The signatures are cut short or
# lengthened by one byte; a valid ES256 signature with one more byte must be
# refused too.  Each run is under valgrind when it is installed: a short
# ES256 signature that reached OpenSSL would be an invalid read.
echo "== verify --verbose: signature lengths, under valgrind"
# resig TOKEN HEX_EDIT prints TOKEN with its signature's hex passed through
# sed expression HEX_EDIT
resig() {
	local hex
	hex=$(printf '%s' "${1##*.}" | unb64url | xxd -p | tr -d '\n' | sed "$2")
	printf '%s.%s' "${1%.*}" "$(printf '%s' "$hex" | xxd -r -p | b64url)"
}
vg=()
if command -v valgrind >/dev/null; then
	vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)
else
	fail "valgrind is not installed (bash scripts/setup.sh valgrind)"
fi
at=1767226000
expect verbose-es256-valid 0 '"sub": "user-1"' "${vg[@]}" "$PP" verify --verbose --alg ES256 --key "$ecpub" --at $at "$es"
expect verbose-es256-short 1 'DETAIL (log):  The ES256 signature has 63 bytes; exactly 64 are required.' \
	"${vg[@]}" "$PP" verify --verbose --alg ES256 --key "$ecpub" --at $at "$(resig "$es" 's/..$//')"
expect verbose-es256-half 1 'DETAIL (log):  The ES256 signature has 32 bytes; exactly 64 are required.' \
	"${vg[@]}" "$PP" verify --verbose --alg ES256 --key "$ecpub" --at $at "$(resig "$es" 's/^\(.\{64\}\).*/\1/')"
expect verbose-es256-long 1 'DETAIL (log):  The ES256 signature has 65 bytes; exactly 64 are required.' \
	"${vg[@]}" "$PP" verify --verbose --alg ES256 --key "$ecpub" --at $at "$(resig "$es" 's/$/00/')"
# an EC JWK whose point is off the curve (y changed) is not a key
jq -c '.y |= (if startswith("A") then "B" + .[1:] else "A" + .[1:] end)' \
	"$fx/keys/ec256.jwk" >"$tmp/offcurve.jwk"
expect verify-ec-off-curve 2 'invalid JWK' \
	"${vg[@]}" "$PP" verify --alg ES256 --key "$tmp/offcurve.jwk" --at $at "$es"
expect verbose-rs256-valid 0 '"sub": "user-1"' "${vg[@]}" "$PP" verify --verbose --key "$rsapub" --at $at "$rs"
expect verbose-rs256-short 1 'DETAIL (log):  The RS256 signature has 255 bytes; exactly 256 are required.' \
	"${vg[@]}" "$PP" verify --verbose --key "$rsapub" --at $at "$(resig "$rs" 's/..$//')"
expect verbose-rs256-long 1 'DETAIL (log):  The RS256 signature has 257 bytes; exactly 256 are required.' \
	"${vg[@]}" "$PP" verify --verbose --key "$rsapub" --at $at "$(resig "$rs" 's/$/00/')"
expect verbose-rs256-bad 1 'DETAIL (log):  The RS256 signature does not verify' \
	"${vg[@]}" "$PP" verify --verbose --key "$rsapub" --at $at "${rs%%.*}.$(printf '{"sub":"admin","exp":1767229200}' | b64url).${rs##*.}"
# the extension: the same reasons reach the server log (errdetail_log), never
# the client
if [ "$have_sql_verify" = t ]; then
	# log_reason NAME TOKEN KEYFILE ALG REASON
	log_reason() {
		local name=$1 tok=$2 key alg=$4 reason=$5 err
		key=$(cat "$3")
		err=$(echo "SELECT paragon_verify_token('$tok', '$key', '{$alg}', at => to_timestamp($at));" | sql 2>&1 >/dev/null)
		if ! grep -qF 'token signature is invalid' <<<"$err"; then
			fail "$name: paragon_verify_token did not refuse the token: $err"
		elif grep -qF -- "$reason" <<<"$err"; then
			fail "$name: the client was told the log-only reason: $err"
		elif ! grep -qF -- "DETAIL:  $reason" "$tmp/server.log"; then
			fail "$name: the server log lacks \"DETAIL:  $reason\""
		else
			pass
		fi
	}
	log_reason log-es256-short "$(resig "$es" 's/..$//')" "$ecpub" ES256 \
		'The ES256 signature has 63 bytes; exactly 64 are required.'
	log_reason log-es256-long "$(resig "$es" 's/$/0000/')" "$ecpub" ES256 \
		'The ES256 signature has 66 bytes; exactly 64 are required.'
	log_reason log-rs256-short "$(resig "$rs" 's/....$//')" "$rsapub" RS256 \
		'The RS256 signature has 254 bytes; exactly 256 are required.'
	log_reason log-rs256-long "$(resig "$rs" 's/$/000000/')" "$rsapub" RS256 \
		'The RS256 signature has 259 bytes; exactly 256 are required.'
fi
# without --verbose the reason stays out of standard error
out=$("$PP" verify --alg ES256 --key "$ecpub" --at $at "$(resig "$es" 's/..$//')" 2>&1)
if [ $? -eq 1 ] && grep -qF 'token signature is invalid' <<<"$out" && ! grep -q 'DETAIL (log)' <<<"$out"; then
	pass
else
	fail "verify without --verbose: $out"
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
