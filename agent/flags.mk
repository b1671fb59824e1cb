# SPDX-License-Identifier: GPL-2.0
#
# Compiler and linker flags of the agent, shared with tests/host/ so that the
# unit tests link objects built exactly like the ones in the program.
# CFLAGS is the user's (default -O2 -g); the flags the code needs are added.

AGENT_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
UAPI_DIR := $(AGENT_DIR)/../uapi

PKG_CONFIG ?= pkg-config
AGENT_PKGS := libmnl json-c inih
VERSION ?= 0.1

CFLAGS ?= -O2 -g
AGENT_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-I$(UAPI_DIR) -I$(AGENT_DIR) \
	$(shell $(PKG_CONFIG) --cflags $(AGENT_PKGS)) \
	-DAGENT_VERSION='"$(VERSION)"'
AGENT_LDLIBS := $(shell $(PKG_CONFIG) --libs $(AGENT_PKGS))
