# Makefile for paragon_perm (PGXS)
#
# make            builds the extension and the paragon-perm tool
# make install    installs both into the PostgreSQL found by PG_CONFIG
# make installcheck   the regression tests against a running server
# make WERROR=1   the same, with warnings as errors (development and CI)
# bash scripts/test.sh   the whole test suite on a throwaway cluster

EXTENSION = paragon_perm
MODULE_big = paragon_perm
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

CORE_OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/core/*.c)))
JSON_OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/json/*.c)))
JWT_OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/jwt/*.c)))
PG_OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/pg/*.c)))
OBJS = $(CORE_OBJS) $(JSON_OBJS) $(JWT_OBJS) $(PG_OBJS)

# sql/ holds the install and upgrade scripts (DATA) and the regression
# tests: every other sql/NAME.sql is one, with its expected/NAME.out.
# Each file runs alone (make installcheck REGRESS=name).  The suite runs
# them in name order, but semantics first: its plain CREATE EXTENSION
# checks the install into a database that has none.
DATA = $(wildcard sql/paragon_perm--*.sql)
REGRESS_FIRST = semantics
REGRESS = $(REGRESS_FIRST) $(filter-out $(REGRESS_FIRST), \
	$(sort $(patsubst sql/%.sql,%,$(filter-out $(DATA),$(wildcard sql/*.sql)))))
REGRESS_OPTS = --inputdir=. --load-extension=plpgsql

PG_CONFIG ?= pg_config
PKG_CONFIG ?= pkg-config

# What the build needs, checked before anything is compiled, so a missing
# library reads as one clear line rather than a compiler error.  Goals that
# build nothing (clean, print-regress) do not need it.
NOBUILD_GOALS = clean distclean maintainer-clean print-regress uninstall uninstall-cli
ifneq ($(if $(MAKECMDGOALS),$(filter-out $(NOBUILD_GOALS),$(MAKECMDGOALS)),all),)
ifeq ($(shell command -v $(PKG_CONFIG)),)
$(error $(PKG_CONFIG) not found: install pkg-config (Debian: apt-get install pkg-config))
endif
ifneq ($(shell $(PKG_CONFIG) --exists jansson && echo yes),yes)
$(error jansson not found by $(PKG_CONFIG): install its development files (Debian: libjansson-dev))
endif
# the token code uses OpenSSL 3's EVP_PKEY_fromdata and OSSL_PARAM
ifneq ($(shell $(PKG_CONFIG) --atleast-version=3.0.0 openssl && echo yes),yes)
$(error OpenSSL 3.0 or later not found by $(PKG_CONFIG) (found: $(or $(shell $(PKG_CONFIG) --modversion openssl 2>/dev/null),none)): install its development files (Debian 12 or later: libssl-dev))
endif
endif

PG_CPPFLAGS = -Isrc/core -Isrc/json -Isrc/jwt -Isrc/pg \
	$(shell $(PKG_CONFIG) --cflags jansson openssl)
# Warnings are errors only on request (make WERROR=1; scripts/test.sh and
# CI ask for it): a user's newer compiler may warn where ours did not, and
# that must not stop their build.
WERROR_FLAG = $(if $(filter 1 yes on true,$(WERROR)),-Werror)
# PostgreSQL's own headers (fmgr.h, ilist.h, bufpage.h) trip -Wunused-parameter,
# as does every V1 function that ignores PG_FUNCTION_ARGS; pg_cron makes the same call.
PG_CFLAGS = -Wall -Wextra $(WERROR_FLAG) -Wno-unused-parameter
# The core's messages are printf formats checked at compile time
# (PP_PRINTF, src/core/pp_port.h); -Wformat=2 also refuses a format built
# at run time.  Only there: PostgreSQL's own headers do not pass it.
$(CORE_OBJS): override CFLAGS += -Wformat=2
# -Bsymbolic-functions (SYMBOLIC_FLAG, below): calls between the module's
# own files (the core's lookups on every row) go straight to their target,
# not through the PLT.
SHLIB_LINK = $(shell $(PKG_CONFIG) --libs jansson openssl) $(SYMBOLIC_FLAG)

EXTRA_CLEAN = test/unit/core_test
EXTRA_CLEAN += paragon-perm $(patsubst %.c,%.o,$(wildcard src/cli/*.c))

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# the linker flag is tried with the compiler PGXS chose: GNU ld and lld know
# it; a linker that does not (macOS's) links the module without it
SYMBOLIC_FLAG := $(shell echo 'int pp_probe;' | $(CC) -shared -fPIC -Wl,-Bsymbolic-functions \
	-x c -o /dev/null - >/dev/null 2>&1 && echo -Wl,-Bsymbolic-functions)

# the regression tests, for scripts/test.sh
print-regress:
	@echo $(REGRESS)
.PHONY: print-regress

# paragon-perm, the command-line tool (src/cli).  PROGRAM cannot be used
# next to MODULE_big, so it has rules of its own.  It links the same core,
# JSON and token objects as the extension (compiled with -fPIC, harmless
# in an executable), so its answers are the extension's by construction.
# Its own files are compiled without the server's include directories, so
# that none of them can include postgres.h by accident.
CLI_SRCS = $(sort $(wildcard src/cli/*.c))
CLI_OBJS = $(CLI_SRCS:.c=.o)
CLI_VERSION := $(EXTVERSION)
CLI_CPPFLAGS = -Isrc/cli -Isrc/core -Isrc/json -Isrc/jwt \
	$(shell $(PKG_CONFIG) --cflags jansson openssl) -DPP_CLI_VERSION='"$(CLI_VERSION)"'
CLI_CFLAGS = -std=gnu99 -O2 -g -Wall -Wextra $(WERROR_FLAG)

src/cli/%.o: src/cli/%.c src/cli/cli.h src/core/pp.h
	$(CC) $(CLI_CFLAGS) $(CLI_CPPFLAGS) -c -o $@ $<

paragon-perm: $(CLI_OBJS) $(CORE_OBJS) $(JSON_OBJS) $(JWT_OBJS)
	$(CC) $(CLI_CFLAGS) -o $@ $^ $(LDFLAGS) $(shell $(PKG_CONFIG) --libs jansson openssl) -lm

all: paragon-perm

install: install-cli
install-cli: paragon-perm
	$(MKDIR_P) '$(DESTDIR)$(bindir)'
	$(INSTALL_PROGRAM) paragon-perm '$(DESTDIR)$(bindir)/paragon-perm'

uninstall: uninstall-cli
uninstall-cli:
	rm -f '$(DESTDIR)$(bindir)/paragon-perm'

.PHONY: install-cli uninstall-cli

# --- fuzzing and sanitizers (issue 5) --------------------------------------
# make fuzz        builds fuzz/fuzz_claims and fuzz/fuzz_token with libFuzzer,
#                  ASan and UBSan (clang) and runs each for FUZZ_SECONDS
#                  (default 60), starting from fuzz/corpus/{claims,token};
#                  new inputs and crash files go to FUZZ_WORK, never into
#                  the committed corpus.  A longer run, e.g. an hour each
#                  on every core:
#                    make fuzz FUZZ_SECONDS=3600 FUZZ_JOBS=$(nproc)
#                  Replay one input: fuzz/fuzz_claims crash-<sha1>
# make sanitize    builds and runs the core unit tests under ASan/UBSan
#                  (the sanitizer step of test/suite-unit.sh).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
FUZZ_WORK ?= /tmp/paragon_perm_fuzz
# parallel jobs log to $(FUZZ_WORK)/fuzz-N.log; one job prints to the terminal
FUZZ_PAR = $(if $(filter-out 1,$(FUZZ_JOBS)),-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS))
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Wall -Wextra -Wno-unused-parameter \
	-Isrc/core -Isrc/json -Isrc/jwt $(shell $(PKG_CONFIG) --cflags jansson openssl)
FUZZ_LIBS = $(shell $(PKG_CONFIG) --libs jansson openssl)

fuzz/fuzz_claims: fuzz/fuzz_claims.c fuzz/fuzz_check.h $(wildcard src/core/*.c src/core/*.h) src/json/jansson_walk.c
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ fuzz/fuzz_claims.c $(sort $(wildcard src/core/*.c)) src/json/jansson_walk.c $(FUZZ_LIBS)

fuzz/fuzz_token: fuzz/fuzz_token.c fuzz/fuzz_check.h $(wildcard src/jwt/*.c src/jwt/*.h)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ fuzz/fuzz_token.c $(sort $(wildcard src/jwt/*.c)) $(FUZZ_LIBS)

fuzz-build: fuzz/fuzz_claims fuzz/fuzz_token

fuzz: fuzz-build
	@mkdir -p $(FUZZ_WORK)/claims $(FUZZ_WORK)/token
	cd $(FUZZ_WORK) && $(CURDIR)/fuzz/fuzz_claims -max_total_time=$(FUZZ_SECONDS) \
		-max_len=4096 $(FUZZ_PAR) -print_final_stats=1 \
		-dict=$(CURDIR)/fuzz/claims.dict $(FUZZ_WORK)/claims $(CURDIR)/fuzz/corpus/claims
	cd $(FUZZ_WORK) && $(CURDIR)/fuzz/fuzz_token -max_total_time=$(FUZZ_SECONDS) \
		-max_len=4096 $(FUZZ_PAR) -print_final_stats=1 \
		$(FUZZ_WORK)/token $(CURDIR)/fuzz/corpus/token

sanitize:
	SUITE_UNIT_ONLY=sanitize bash test/suite-unit.sh

EXTRA_CLEAN += fuzz/fuzz_claims fuzz/fuzz_token
.PHONY: fuzz fuzz-build sanitize

# PGXS tracks no header dependencies: rebuild every object when any header changes
$(OBJS) $(CLI_OBJS): $(wildcard src/*/*.h)

# mutation testing (test/mutation/README.md): each mutant of
# test/mutation/mutants.txt applied to a scratch copy, built, installed into
# a private copy of PostgreSQL and judged by the suite; the score per
# directory last.  By hand only (12-15 minutes), never in CI.
#   make mutation                       every mutant
#   make mutation MUTANTS="core-01 jwt-03"   some of them
mutation:
	PG_CONFIG="$(PG_CONFIG)" bash test/mutation/run.sh $(MUTANTS)
.PHONY: mutation

# the benchmark on a throwaway cluster (bench/run.sh): writes
# bench/results.md and docs/bench.png; under 10 minutes on 2 cores; then
# the multi-tenant group (bench/tenants.sh, about 5 more minutes) and the
# token group (bench/tokens.sh, about 5 more), which write their own
# sections of bench/results.md
bench:
	bash bench/run.sh
	bash bench/tenants.sh
	bash bench/tokens.sh

# the multi-tenant group alone: the Connected User boundary's cost per request
bench-tenants:
	bash bench/tenants.sh

# the token group alone (bench/tokens.sh): the per-request path of a
# verified token against unverified claims, DO loops and pgbench; about
# 5 minutes; writes its section of bench/results.md
bench-tokens:
	bash bench/tokens.sh

# the core alone, without PostgreSQL: ns per decision by token size
bench/core_bench: bench/core_bench.c $(CORE_OBJS) src/json/jansson_walk.o
	$(CC) $(CLI_CFLAGS) -Isrc/core -Isrc/json $(shell $(PKG_CONFIG) --cflags jansson) \
		-o $@ $^ $(shell $(PKG_CONFIG) --libs jansson)

bench-core: bench/core_bench
	bench/core_bench

EXTRA_CLEAN += bench/core_bench

# the token verifier alone, without PostgreSQL, against bare OpenSSL:
# 2,000 new RS256 and ES256 tokens signed by bench/sign_tokens.py with the
# fixtures' throwaway keys (python3 with the cryptography package)
bench/token_core: bench/token_core.c $(JWT_OBJS)
	$(CC) $(CLI_CFLAGS) -D_GNU_SOURCE -Isrc/jwt $(shell $(PKG_CONFIG) --cflags jansson openssl) \
		-o $@ $^ $(shell $(PKG_CONFIG) --libs jansson openssl) -lm

bench-token-core: bench/token_core
	python3 bench/sign_tokens.py test/fixtures/keys/rsa2048-private.pem RS256 2000 $$(date +%s) > bench/.rs.tsv
	python3 bench/sign_tokens.py test/fixtures/keys/ec256-private.pem ES256 2000 $$(date +%s) > bench/.es.tsv
	bench/token_core test/fixtures/keys/rsa2048-public.pem RS256 bench/.rs.tsv
	bench/token_core test/fixtures/keys/ec256-public.pem ES256 bench/.es.tsv
	rm -f bench/.rs.tsv bench/.es.tsv

EXTRA_CLEAN += bench/token_core bench/.rs.tsv bench/.es.tsv
.PHONY: bench bench-tenants bench-core bench-tokens bench-token-core
