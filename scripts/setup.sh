#!/usr/bin/env bash
#
# scripts/setup.sh — install what building and testing paragon_perm needs,
# on Debian and its derivatives (apt), for the PostgreSQL the machine has.
#
#   bash scripts/setup.sh           what building needs (scripts/demo.sh)
#   bash scripts/setup.sh --test    that, and every tool the test suites
#                                   use (scripts/test.sh)
#   bash scripts/setup.sh PKG...    that, and these packages too
#
# The PostgreSQL built against is, in this order: the one PG_CONFIG names;
# the one an installed pg_config reports; the distribution's default
# (the major version its "postgresql" package depends on: 15 on Debian 12,
# 17 on Debian 13, 18 on unstable).  No major version is written here.
# For a server installed from source, or elsewhere than the distribution's
# packages, only the libraries and tools are installed.
#
# Safe to run again: packages already present are left alone, and the
# package lists are refreshed only when something is missing.  Needs root
# (apt-get); as another user it only reports what is missing.  Without
# apt (another distribution) it reports the commands that are missing and
# what they are for; README.md's Install section says what to run there.
set -euo pipefail

want_tests=0
extra=()
for a in "$@"; do
	case "$a" in
	--test) want_tests=1 ;;
	*) extra+=("$a") ;;
	esac
done

# pg_major PG_CONFIG prints the major version a pg_config reports.
pg_major() {
	"$1" --version | sed -n 's/^PostgreSQL \([0-9][0-9]*\).*/\1/p'
}

# ------------------------------------------------ without dpkg: report only
if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
	missing=()
	pgc=${PG_CONFIG:-$(command -v pg_config || true)}
	[ -n "$pgc" ] && [ -x "$pgc" ] || missing+=("pg_config (PostgreSQL 15 or later with its server headers; or set PG_CONFIG)")
	for c in make gcc pkg-config openssl; do command -v "$c" >/dev/null || missing+=("$c"); done
	if [ $want_tests -eq 1 ]; then
		for c in jq xxd clang valgrind pgbouncer; do command -v "$c" >/dev/null || missing+=("$c (tests)"); done
	fi
	if [ ${#missing[@]} -gt 0 ]; then
		echo "setup: no apt on this machine; install these yourself:" >&2
		printf '  %s\n' "${missing[@]}" >&2
		echo "setup: and the development files of jansson and OpenSSL 3 (found by pkg-config)" >&2
		exit 1
	fi
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
updated=0
# apt_update refreshes the package lists once per run.
apt_update() {
	if [ $updated -eq 0 ] && [ "$(id -u)" -eq 0 ]; then
		apt-get update -qq
		updated=1
	fi
}

# installed PKG tells whether a package is installed.
installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = 'install ok installed' ]
}

# available PKG tells whether apt knows a package of that name (with a
# version to install, so not merely a virtual name).  The output is read
# whole: grep -q would stop reading early, and apt-cache's SIGPIPE would
# fail the pipeline (pipefail) at random.
available() {
	local policy
	policy=$(apt-cache policy "$1" 2>/dev/null)
	[[ $policy == *"Candidate: "[0-9]* ]]
}

# ensure PKG... installs the packages not installed yet (refreshing the
# package lists first), or, not being root, names them and fails.
ensure() {
	local missing=() p
	for p in "$@"; do
		installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: missing packages: ${missing[*]} (run as root to install them)" >&2
		exit 1
	fi
	apt_update
	echo "setup: installing ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ------------------------------------------------------------ PostgreSQL
# The server, its headers and PGXS: nothing to install when the chosen
# pg_config has its PGXS and server; else the packages of its major
# version, or of the distribution's default.
pgc=${PG_CONFIG:-$(command -v pg_config || true)}
pg_packages=()
if [ -n "$pgc" ]; then
	[ -x "$pgc" ] || { echo "setup: PG_CONFIG=$pgc is not an executable pg_config" >&2; exit 1; }
	major=$(pg_major "$pgc")
	[ -n "$major" ] || { echo "setup: cannot read a version from $pgc --version" >&2; exit 1; }
	if [ ! -f "$("$pgc" --pgxs 2>/dev/null)" ] || [ ! -x "$("$pgc" --bindir)/postgres" ]; then
		# Debian's libpq-dev ships a pg_config without a server: add the
		# server of the same major version
		pg_packages=("postgresql-$major" "postgresql-server-dev-$major")
	fi
else
	# the major version the distribution's postgresql package depends on
	# (nothing when the package lists do not know it yet)
	default_major() {
		local deps
		deps=$(apt-cache depends postgresql 2>/dev/null || true)
		sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' <<<"$deps" | sed -n 1p
	}
	major=$(default_major)
	if [ -z "$major" ]; then
		apt_update
		major=$(default_major)
	fi
	if [ -z "$major" ]; then
		echo "setup: no PostgreSQL found: no pg_config, and apt knows no postgresql package" >&2
		echo "setup: install PostgreSQL 15 or later with its server headers, or set PG_CONFIG" >&2
		exit 1
	fi
	pg_packages=("postgresql-$major" "postgresql-server-dev-$major")
fi
if [ "$major" -lt 15 ]; then
	echo "setup: PostgreSQL $major found; paragon_perm needs 15 or later (set PG_CONFIG to another)" >&2
	exit 1
fi

packages=(
	"${pg_packages[@]}"
	libjansson-dev                    # JSON (claims as text, JOSE headers)
	libssl-dev                        # OpenSSL 3 EVP (signatures)
	pkg-config                        # finds the two libraries' flags
	openssl                           # keys and test tokens
	make
	gcc
)
if [ $want_tests -eq 1 ]; then
	packages+=(
		jq                            # test/suite-cli.sh compares JSON
		xxd                           # test/suite-cli.sh edits signatures byte-wise
		pgbouncer                     # the connection-pooling test
		clang                         # sanitizer builds (test/suite-unit.sh)
		valgrind                      # test/suite-unit.sh, test/leak.sh
	)
fi
packages+=("${extra[@]}")
ensure "${packages[@]}"

# The sanitizers' runtime matches the clang installed: libclang-rt-N-dev
# where the release ships it on its own (Debian 12 and later), else it
# comes with clang itself.
if [ $want_tests -eq 1 ] && command -v clang >/dev/null; then
	clang_major=$(clang -dumpversion | cut -d. -f1)
	rt="libclang-rt-$clang_major-dev"
	if ! installed "$rt"; then
		available "$rt" || apt_update
		if available "$rt"; then
			ensure "$rt"
		fi
	fi
fi
