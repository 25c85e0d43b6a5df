# test/jose.sh — base64url and ECDSA signature helpers for the scripts that
# make JWS test tokens with the openssl command line
# (test/fixtures/make-tokens.sh, test/jwt/make-vectors.sh).  Sourced, not run.

# b64url: bytes on stdin -> base64url text (no padding) on stdout
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
# b64url_str TEXT prints TEXT in base64url
b64url_str() { printf '%s' "$1" | b64url; }

# der_to_raw SIZE: ECDSA DER signature on stdin -> raw r||s on stdout, each
# SIZE bytes, as JWS wants it (openssl writes DER)
der_to_raw() {
	local size=$1 hex
	openssl asn1parse -inform DER | sed -n 's/.*INTEGER *://p' | while read -r hex; do
		hex=$(printf '%*s' $((size * 2)) "$hex" | tr ' ' 0)
		printf '%s' "${hex: -$((size * 2))}" | xxd -r -p
	done
}
