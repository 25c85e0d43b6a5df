#!/usr/bin/env bash
#
# test/mint-token.sh — signs a JWT for the suites that need tokens minted at
# test time (test/suite-expiry.sh, test/suite-pooling.sh).
#
#   bash test/mint-token.sh PAYLOAD_JSON
#
# prints a compact RS256 JWS over PAYLOAD_JSON, header {"alg":"RS256",
# "typ":"JWT","kid":"rsa-1"}, signed with the throwaway test key
# test/fixtures/keys/rsa2048-private.pem (its public half is
# test/fixtures/keys/rsa2048.jwk).  RS256 is deterministic: the same
# payload gives the same token.
set -euo pipefail
key="$(cd "$(dirname "$0")" && pwd)/fixtures/keys/rsa2048-private.pem"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
h=$(printf '%s' '{"alg":"RS256","typ":"JWT","kid":"rsa-1"}' | b64url)
p=$(printf '%s' "$1" | b64url)
s=$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -sign "$key" | b64url)
printf '%s.%s.%s\n' "$h" "$p" "$s"
