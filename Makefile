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
REGRESS = semantics token
REGRESS_OPTS = --inputdir=. --load-extension=plpgsql

PG_CONFIG ?= pg_config
PKG_CONFIG ?= pkg-config

PG_CPPFLAGS = -Isrc/core -Isrc/json -Isrc/jwt -Isrc/pg \
	$(shell $(PKG_CONFIG) --cflags jansson openssl)
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
SHLIB_LINK = $(shell $(PKG_CONFIG) --libs jansson openssl)

EXTRA_CLEAN = test/unit/core_test

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# the regression tests, for scripts/test.sh
print-regress:
	@echo $(REGRESS)
.PHONY: print-regress
