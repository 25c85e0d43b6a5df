#!/usr/bin/env bash
#
# scripts/setup.sh — install what building and testing paragon_perm needs.
#
# Safe to run again: packages already present are left alone, and the
# package lists are refreshed only when something is missing.  Needs root
# (apt-get); as another user it only reports what is missing.
set -euo pipefail

PG_MAJOR=${PG_MAJOR:-15}
packages=(
	"postgresql-$PG_MAJOR"            # the server and pg_regress's temp instance
	"postgresql-server-dev-$PG_MAJOR" # PGXS and server headers
	libjansson-dev                    # JSON (claims as text, JOSE headers)
	libssl-dev                        # OpenSSL EVP (signatures)
	pkg-config                        # finds the two libraries' flags
	openssl                           # test fixtures
	make
	gcc
)
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "setup: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
