#!/usr/bin/env bash
#
# test/jwt/make-vectors.sh — writes test/jwt/vectors.json, the project's own
# JWS test vectors, run by test/jwt/jose_vectors.c (test/suite-jose.sh).
#
# Every token is made here with the openssl command line, with throwaway
# keys kept in test/jwt/keys/ (made once, committed on purpose: never use
# them for anything else).  The two RFC 7515 Appendix A examples are read
# from test/fixtures/rfc7515/, whose README names their source.
#
# The file has the layout of a Project Wycheproof JWS file (testGroups,
# each with a "public" key and "tests" with "jws" and "result"), so the
# same runner reads both, plus three members of our own: a group's "algs"
# (the caller's list of allowed algorithms; the key text is "public", a PEM
# string or a JWK / JWK Set object), and a test's "message" and "log":
# substrings the verifier's client message and its log-only detail must
# contain.  "log" is how a test sees a reason that reaches only the server
# log (errdetail_log) in the extension.
#
# The verifier checks only the signature layer here, so the times in the
# payloads do not matter.  ECDSA and PSS signatures differ on every run:
# regenerating rewrites the file; commit the result.
#
# Usage: bash test/jwt/make-vectors.sh        (needs openssl, jq, xxd)
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p keys

tmp=$(mktemp -d /tmp/paragon_vectors.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# b64url, b64url_str, unb64url, der_to_raw
. ../jose.sh
# sig_hex / hex_sig convert a base64url signature to hex and back
sig_hex() { printf '%s' "$1" | unb64url | xxd -p | tr -d '\n'; }
hex_sig() { printf '%s' "$1" | xxd -r -p | b64url; }

# --- keys (generated once) -------------------------------------------------
newkey() {	# NAME GENPKEY-ARGS...
	local name=$1
	shift
	[ -f "keys/$name-private.pem" ] || openssl genpkey "$@" -out "keys/$name-private.pem" 2>/dev/null
	openssl pkey -in "keys/$name-private.pem" -pubout -out "keys/$name-public.pem"
}
for k in a b; do
	newkey rsa-$k -algorithm RSA -pkeyopt rsa_keygen_bits:2048
	newkey ec256-$k -algorithm EC -pkeyopt ec_paramgen_curve:P-256
	newkey ec384-$k -algorithm EC -pkeyopt ec_paramgen_curve:P-384
	newkey ec521-$k -algorithm EC -pkeyopt ec_paramgen_curve:P-521
	newkey ed25519-$k -algorithm ED25519
done

# rsa_jwk KID NAME / ec256_jwk KID NAME print a public JWK
rsa_jwk() {
	local n
	n=$(openssl rsa -pubin -in "keys/$2-public.pem" -modulus -noout | sed 's/^Modulus=//' | xxd -r -p | b64url)
	printf '{"kty":"RSA","kid":"%s","n":"%s","e":"AQAB"}' "$1" "$n"
}
ec256_jwk() {
	local xy
	xy=$(openssl pkey -pubin -in "keys/$2-public.pem" -outform DER | tail -c 64 | xxd -p | tr -d '\n')
	printf '{"kty":"EC","kid":"%s","crv":"P-256","x":"%s","y":"%s"}' "$1" \
		"$(hex_sig "${xy:0:64}")" "$(hex_sig "${xy:64:64}")"
}

# --- signing ---------------------------------------------------------------
# sign ALG KEYNAME INPUT prints the base64url signature of INPUT;
# ALG "ES256-DER" is an ES256 signature left in DER, as JWS forbids.
sign() {
	local alg=$1 key=keys/$2-private.pem
	printf '%s' "$3" >"$tmp/input"
	case $alg in
		RS256) openssl dgst -sha256 -sign "$key" "$tmp/input" | b64url ;;
		PS256) openssl dgst -sha256 -sign "$key" -sigopt rsa_padding_mode:pss \
				-sigopt rsa_pss_saltlen:digest "$tmp/input" | b64url ;;
		ES256) openssl dgst -sha256 -sign "$key" "$tmp/input" | der_to_raw 32 | b64url ;;
		ES384) openssl dgst -sha384 -sign "$key" "$tmp/input" | der_to_raw 48 | b64url ;;
		ES512) openssl dgst -sha512 -sign "$key" "$tmp/input" | der_to_raw 66 | b64url ;;
		ES256-DER) openssl dgst -sha256 -sign "$key" "$tmp/input" | b64url ;;
		EdDSA) openssl pkeyutl -sign -rawin -inkey "$key" -in "$tmp/input" | b64url ;;
		*) echo "sign: unknown algorithm $alg" >&2; exit 1 ;;
	esac
}

# token ALG KEYNAME HEADER PAYLOAD prints a compact JWS
token() {
	local input
	input="$(b64url_str "$3").$(b64url_str "$4")"
	printf '%s.%s' "$input" "$(sign "$1" "$2" "$input")"
}

P='{"sub":"user-1","iat":1767225600,"exp":1767229200}'
P_OTHER='{"sub":"admin","iat":1767225600,"exp":1767229200}'

# --- the file, group by group ----------------------------------------------
ngroups=0
tc=0

# group COMMENT KEY ALGS: KEY is a PEM file or, with a leading "{", a JWK
# (Set) as JSON text; ALGS a JSON array.  Later cases go to this group.
group() {
	ngroups=$((ngroups + 1))
	g=$tmp/group$ngroups
	if [ "${2:0:1}" = "{" ]; then
		jq -n --arg c "$1" --argjson k "$2" --argjson a "$3" '{comment: $c, public: $k, algs: $a}' >"$g.head"
	else
		jq -n --arg c "$1" --rawfile k "$2" --argjson a "$3" '{comment: $c, public: $k, algs: $a}' >"$g.head"
	fi
	: >"$g.tests"
}

# case COMMENT JWS RESULT [MESSAGE [LOG]]
case_() {
	tc=$((tc + 1))
	jq -nc --argjson id "$tc" --arg c "$1" --arg j "$2" --arg r "$3" \
		--arg m "${4:-}" --arg l "${5:-}" \
		'{tcId: $id, comment: $c, jws: $j, result: $r}
		 + (if $m != "" then {message: $m} else {} end)
		 + (if $l != "" then {log: $l} else {} end)' >>"$g.tests"
}

BAD_SIG='token signature is invalid'

# alg_group ALG KEYSTEM OTHER_ALG: the cases every algorithm gets, under
# key KEYSTEM-a (KEYSTEM-b is the wrong key); OTHER_ALG is a recognized
# algorithm the group does not allow.
alg_group() {
	local alg=$1 a=$2-a b=$2-b other=$3 hdr tok h p s hex n mid flipped
	hdr="{\"alg\":\"$alg\",\"typ\":\"JWT\"}"
	group "$alg, its own PEM public key, only $alg allowed" "keys/$a-public.pem" "[\"$alg\"]"
	tok=$(token "$alg" "$a" "$hdr" "$P")
	h=${tok%%.*}
	p=${tok#*.}
	p=${p%%.*}
	s=${tok##*.}
	hex=$(sig_hex "$s")
	n=$(( ${#hex} / 2 ))
	mid=$(( n / 2 ))
	flipped=${hex:0:$((mid * 2))}$(printf '%02x' $(( 0x${hex:$((mid * 2)):2} ^ 0x01 )))${hex:$((mid * 2 + 2))}

	case_ "$alg valid" "$tok" valid
	case_ "$alg tampered payload" "$h.$(b64url_str "$P_OTHER").$s" invalid "$BAD_SIG" "$alg signature does not verify"
	case_ "$alg tampered signature (one bit of byte $mid)" "$h.$p.$(hex_sig "$flipped")" invalid "$BAD_SIG" "$alg signature does not verify"
	case_ "$alg signed by another key" "$(token "$alg" "$b" "$hdr" "$P")" invalid "$BAD_SIG" "$alg signature does not verify"
	case_ "$alg signature under a header naming $other" "$(b64url_str "{\"alg\":\"$other\",\"typ\":\"JWT\"}").$p.$s" invalid \
		"algorithm \"$other\" is not allowed"
	case_ "$alg payload with alg none" "$(b64url_str '{"alg":"none","typ":"JWT"}').$p." invalid 'algorithm "none" is not allowed'
	case_ "$alg signature one byte short" "$h.$p.$(hex_sig "${hex:0:$(( (n - 1) * 2 ))}")" invalid "$BAD_SIG" \
		"The $alg signature has $((n - 1)) bytes; exactly $n are required."
	case_ "$alg valid signature and one byte more" "$h.$p.$(hex_sig "${hex}00")" invalid "$BAD_SIG" \
		"The $alg signature has $((n + 1)) bytes; exactly $n are required."
	case_ "$alg signature of half the length" "$h.$p.$(hex_sig "${hex:0:$n}")" invalid "$BAD_SIG" \
		"The $alg signature has $((n / 2)) bytes; exactly $n are required."
	case_ "$alg signature of twice the length" "$h.$p.$(hex_sig "$hex$hex")" invalid "$BAD_SIG" \
		"The $alg signature has $((n * 2)) bytes; exactly $n are required."
	case_ "$alg empty signature" "$h.$p." invalid "$BAD_SIG" "The $alg signature has 0 bytes; exactly $n are required."
}

alg_group RS256 rsa PS256
alg_group PS256 rsa RS256
alg_group ES256 ec256 ES384
alg_group ES384 ec384 ES256
alg_group ES512 ec521 ES256
alg_group EdDSA ed25519 RS256

# an ES256 signature in DER, as OpenSSL makes it: refused by its length
group "ES256 signatures in DER form" keys/ec256-a-public.pem '["ES256"]'
for i in 1 2 3; do
	input="$(b64url_str '{"alg":"ES256"}').$(b64url_str "$P")"
	s=$(sign ES256-DER ec256-a "$input")
	len=$(( $(sig_hex "$s" | wc -c) / 2 ))
	case_ "ES256 DER signature ($len bytes)" "$input.$s" invalid "$BAD_SIG" \
		"The ES256 signature has $len bytes; exactly 64 are required."
done

# the algorithm must suit the key, whatever the list allows
group "RSA key, RS256, ES256 and EdDSA allowed" keys/rsa-a-public.pem '["RS256","ES256","EdDSA"]'
case_ "RS256 valid" "$(token RS256 rsa-a '{"alg":"RS256"}' "$P")" valid
case_ "ES256 token for an RSA key" "$(token ES256 ec256-a '{"alg":"ES256"}' "$P")" invalid 'algorithm "ES256" is not allowed for'
case_ "EdDSA token for an RSA key" "$(token EdDSA ed25519-a '{"alg":"EdDSA"}' "$P")" invalid 'algorithm "EdDSA" is not allowed for'
input="$(b64url_str '{"alg":"HS256"}').$(b64url_str "$P")"
case_ "HS256 token keyed with the RSA public key's PEM" \
	"$input.$(printf '%s' "$input" | openssl dgst -sha256 -mac HMAC -macopt key:"$(cat keys/rsa-a-public.pem)" -binary | b64url)" \
	invalid 'algorithm "HS256" is not allowed'
case_ "unrecognized algorithm" "$(b64url_str '{"alg":"RS257"}').$(b64url_str "$P").AAAA" invalid 'unrecognized token algorithm "RS257"'

# kid selection in a JWK Set: exact, case-sensitive match (RFC 7517 4.5)
set_main="{\"keys\":[$(rsa_jwk rsa-A rsa-a),$(rsa_jwk rsa-b rsa-b),$(ec256_jwk ec-1 ec256-a)]}"
group "JWK Set: RSA kid rsa-A and rsa-b, EC kid ec-1" "$set_main" '["RS256","ES256"]'
case_ "kid rsa-A, signed by its key" "$(token RS256 rsa-a '{"alg":"RS256","kid":"rsa-A"}' "$P")" valid
case_ "kid rsa-b, signed by its key" "$(token RS256 rsa-b '{"alg":"RS256","kid":"rsa-b"}' "$P")" valid
case_ "kid ec-1, signed by its key" "$(token ES256 ec256-a '{"alg":"ES256","kid":"ec-1"}' "$P")" valid
case_ "kid rsa-b, signed by the key of rsa-A" "$(token RS256 rsa-a '{"alg":"RS256","kid":"rsa-b"}' "$P")" invalid \
	"$BAD_SIG" "RS256 signature does not verify"
case_ "kid RSA-A (rsa-A in another case), signed by the key of rsa-A" \
	"$(token RS256 rsa-a '{"alg":"RS256","kid":"RSA-A"}' "$P")" invalid 'no key with kid "RSA-A" in the JWK Set'
case_ "kid rsa-a (rsa-A in another case), signed by the key of rsa-A" \
	"$(token RS256 rsa-a '{"alg":"RS256","kid":"rsa-a"}' "$P")" invalid 'no key with kid "rsa-a" in the JWK Set'
case_ "kid RSA-B (rsa-b in another case), signed by the key of rsa-b" \
	"$(token RS256 rsa-b '{"alg":"RS256","kid":"RSA-B"}' "$P")" invalid 'no key with kid "RSA-B" in the JWK Set'
case_ "kid EC-1 (ec-1 in another case)" \
	"$(token ES256 ec256-a '{"alg":"ES256","kid":"EC-1"}' "$P")" invalid 'no key with kid "EC-1" in the JWK Set'
case_ "kid rsa-A with a trailing space" \
	"$(token RS256 rsa-a '{"alg":"RS256","kid":"rsa-A "}' "$P")" invalid 'no key with kid "rsa-A " in the JWK Set'
case_ "kid rsa-, a prefix of two kids" \
	"$(token RS256 rsa-a '{"alg":"RS256","kid":"rsa-"}' "$P")" invalid 'no key with kid "rsa-" in the JWK Set'
case_ "no kid, RS256: two RSA keys" "$(token RS256 rsa-a '{"alg":"RS256"}' "$P")" invalid \
	'token has no kid and the JWK Set holds several usable keys'
case_ "no kid, ES256: the one EC key" "$(token ES256 ec256-a '{"alg":"ES256"}' "$P")" valid
case_ "kid ec-1 with RS256" "$(token RS256 rsa-a '{"alg":"RS256","kid":"ec-1"}' "$P")" invalid \
	'algorithm "RS256" is not allowed for'

set_twins="{\"keys\":[$(rsa_jwk k rsa-a),$(rsa_jwk K rsa-b)]}"
group "JWK Set: kids k and K, which differ only in case" "$set_twins" '["RS256"]'
case_ "kid k, signed by its key" "$(token RS256 rsa-a '{"alg":"RS256","kid":"k"}' "$P")" valid
case_ "kid K, signed by its key" "$(token RS256 rsa-b '{"alg":"RS256","kid":"K"}' "$P")" valid
case_ "kid K, signed by the key of k" "$(token RS256 rsa-a '{"alg":"RS256","kid":"K"}' "$P")" invalid \
	"$BAD_SIG" "RS256 signature does not verify"

group "lone JWK with kid Key-1" "$(rsa_jwk Key-1 rsa-a)" '["RS256"]'
case_ "kid Key-1" "$(token RS256 rsa-a '{"alg":"RS256","kid":"Key-1"}' "$P")" valid
case_ "kid key-1" "$(token RS256 rsa-a '{"alg":"RS256","kid":"key-1"}' "$P")" invalid 'key does not have kid "key-1"'
case_ "no kid" "$(token RS256 rsa-a '{"alg":"RS256"}' "$P")" valid

# the published examples of RFC 7515 Appendix A (see test/fixtures/README.md)
rfc=../fixtures/rfc7515
group "RFC 7515 A.2, its RSA public key" "$rfc/A2-rs256-public.pem" '["RS256"]'
case_ "RFC 7515 A.2 (RS256)" "$(tr -d '\n' <"$rfc/A2-rs256.token")" valid
group "RFC 7515 A.3, its P-256 public key" "$rfc/A3-es256-public.pem" '["ES256"]'
case_ "RFC 7515 A.3 (ES256)" "$(tr -d '\n' <"$rfc/A3-es256.token")" valid
case_ "RFC 7515 A.2 under the A.3 key" "$(tr -d '\n' <"$rfc/A2-rs256.token")" invalid 'algorithm "RS256" is not allowed'

for i in $(seq 1 "$ngroups"); do
	jq --slurpfile t "$tmp/group$i.tests" '. + {tests: $t}' "$tmp/group$i.head"
done | jq -s '{
	algorithm: "JWS",
	source: "paragon_perm test/jwt/make-vectors.sh (keys in test/jwt/keys, throwaway)",
	numberOfTests: ([.[].tests | length] | add),
	testGroups: .
}' >vectors.json
echo "make-vectors: $tc cases in $ngroups groups written to test/jwt/vectors.json"
