#!/usr/bin/env bash
#
# test/suite-leak.sh — runs test/leak.sh (ten million checks with constant
# claims, one million with changing claims, a hundred thousand failing
# calls, all in one backend; backend memory must stay flat and every
# phase must count the answers its claims give) as part of
# scripts/test.sh.  About 30 seconds on 2 cores.  Needs the extension
# installed, which scripts/test.sh does before the suites.
set -euo pipefail
exec bash "$(dirname "$0")/leak.sh"
