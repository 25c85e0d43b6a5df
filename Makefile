# Makefile for paragon_perm (PGXS)
#
# make            builds the extension and the paragon-perm tool
# make install    installs both into the PostgreSQL found by PG_CONFIG
# bash scripts/test.sh   the whole test suite on a throwaway cluster

EXTENSION = paragon_perm
MODULE_big = paragon_perm
EXTVERSION = 1.0

CORE_OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/core/*.c)))
JSON_OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/json/*.c)))
JWT_OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/jwt/*.c)))
PG_OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/pg/*.c)))
OBJS = $(CORE_OBJS) $(JSON_OBJS) $(JWT_OBJS) $(PG_OBJS)

DATA = $(wildcard sql/paragon_perm--*.sql)
REGRESS = semantics errors functions rls token session upgrade
REGRESS_OPTS = --inputdir=. --load-extension=plpgsql

PG_CONFIG ?= pg_config
PKG_CONFIG ?= pkg-config

PG_CPPFLAGS = -Isrc/core -Isrc/json -Isrc/jwt -Isrc/pg \
	$(shell $(PKG_CONFIG) --cflags jansson openssl)
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
SHLIB_LINK = $(shell $(PKG_CONFIG) --libs jansson openssl)

EXTRA_CLEAN = test/unit/core_test
EXTRA_CLEAN += paragon-perm $(patsubst %.c,%.o,$(wildcard src/cli/*.c))

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

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
CLI_VERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)
CLI_CPPFLAGS = -Isrc/cli -Isrc/core -Isrc/json -Isrc/jwt \
	$(shell $(PKG_CONFIG) --cflags jansson openssl) -DPP_CLI_VERSION='"$(CLI_VERSION)"'
CLI_CFLAGS = -std=gnu99 -O2 -g -Wall -Wextra -Werror

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
