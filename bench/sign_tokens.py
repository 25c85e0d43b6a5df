#!/usr/bin/env python3
# bench/sign_tokens.py — signs the benchmark's distinct tokens (bench/tokens.sh).
#
# Usage: sign_tokens.py PRIVATE_KEY_PEM ALG COUNT NOW > tokens.tsv
# Prints "n<TAB>token<TAB>claims" for n = 1..COUNT: user-n's claims (about
# ten rules over four integrations, two of its own credentials), issued a
# minute before NOW and expiring a day after, signed with ALG (RS256 or
# ES256; the raw r||s form of RFC 7518 section 3.4).  Needs python3 with
# the cryptography package.
import base64
import json
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def cred(n, k):
    return "%08x-0000-4000-8000-%012x" % (n, k)


def claims(n, now):
    return {
        "sub": "user-%d" % n,
        "aud": "useparagon.com/bench",
        "iat": now - 60,
        "exp": now + 86400,
        "urn:useparagon:connect:permissions": {
            "integration:salesforce": {
                "credential:" + cred(n, 1): ["proxy-api", "events"],
                "credential:" + cred(n, 3): ["events"],
            },
            "integration:hubspot": {"credential:" + cred(n, 2): True},
            "integration:slack": ["proxy-api", "events"],
            "integration:gmail": ["events"],
        },
    }


def main():
    keyfile, alg, count, now = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(keyfile, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    for n in range(1, count + 1):
        text = json.dumps(claims(n, now), separators=(",", ":"))
        signing_input = (header + "." + b64url(text.encode())).encode()
        if alg == "RS256":
            sig = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        elif alg == "ES256":
            r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
            sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        else:
            sys.exit("unsupported algorithm " + alg)
        print("%d\t%s.%s\t%s" % (n, signing_input.decode(), b64url(sig), text))


if __name__ == "__main__":
    main()
