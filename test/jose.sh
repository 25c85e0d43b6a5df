# test/jose.sh — base64url and JWS signing helpers for every script that
# makes or takes apart JWS tokens with the openssl command line (the
# fixture generators, test/mint-token.sh, the suites, scripts/demo.sh and
# bench/run.sh).  Sourced, not run.

# b64url: bytes on stdin -> base64url text (no padding) on stdout
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
# b64url_str TEXT prints TEXT in base64url
b64url_str() { printf '%s' "$1" | b64url; }
# unb64url: base64url text on stdin -> bytes on stdout
unb64url() {
	local s
	s=$(tr -- '-_' '+/')
	while [ $(( ${#s} % 4 )) -ne 0 ]; do s="$s="; done
	printf '%s' "$s" | openssl base64 -d -A
}

# der_to_raw SIZE: ECDSA DER signature on stdin -> raw r||s on stdout, each
# SIZE bytes, as JWS wants it (openssl writes DER)
der_to_raw() {
	local size=$1 hex
	openssl asn1parse -inform DER | sed -n 's/.*INTEGER *://p' | while read -r hex; do
		hex=$(printf '%*s' $((size * 2)) "$hex" | tr ' ' 0)
		printf '%s' "${hex: -$((size * 2))}" | xxd -r -p
	done
}

# rs256_jwt KEYFILE PAYLOAD [HEADER] prints a compact JWS of PAYLOAD signed
# RS256 with KEYFILE, header HEADER (default {"alg":"RS256","typ":"JWT"});
# RS256 is deterministic: the same arguments give the same token
rs256_jwt() {
	local header='{"alg":"RS256","typ":"JWT"}' h p
	[ $# -lt 3 ] || header=$3
	h=$(printf '%s' "$header" | b64url)
	p=$(printf '%s' "$2" | b64url)
	printf '%s.%s.%s\n' "$h" "$p" "$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -sign "$1" | b64url)"
}
