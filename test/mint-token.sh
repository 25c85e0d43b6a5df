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
here=$(cd "$(dirname "$0")" && pwd)
# rs256_jwt
. "$here/jose.sh"
rs256_jwt "$here/fixtures/keys/rsa2048-private.pem" "$1" '{"alg":"RS256","typ":"JWT","kid":"rsa-1"}'
