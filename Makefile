# SPDX-License-Identifier: GPL-2.0
#
# l2tp_ipsec top-level Makefile.
#
#   make            build kmod/l2tp_ipsec.ko (W=1, warnings are errors),
#                   agent/l2tp-ipsec and the kselftest programs in tests/netlink
#   make check      install what is missing, then run every test (scripts/check)
#   make check-debug the in-VM suite on a KASAN/lockdep/kmemleak kernel built
#                   from linux-source-6.1 (scripts/check-debug; cached build)
#   make fuzz       long run of the agent's fuzzers (tests/fuzz/run), FUZZ_TIME
#                   seconds per target (default 600)
#   make bench      build, boot one VM, run every benchmark (tests/bench/run):
#                   a table, and build/bench/results.json
#   make demo       install what is missing, build, run the demo in a VM
#   make install    the agent, its unit, man page, example config and bash
#                   completion, and the module (modules_install); DESTDIR,
#                   PREFIX; KMOD_INSTALL=dkms installs the module's DKMS
#                   source instead, KMOD_INSTALL=none nothing of the module
#   make uninstall  removes what make install installed (not a changed config)
#   make deb        l2tp-ipsec and l2tp-ipsec-dkms .debs into build/deb/
#   make clean      back to a fresh clone
#
# The kernel module is always built with W=1 and KCFLAGS=-Werror: a warning
# fails the build. Override with "make KMOD_WERROR=" for experiments.

SHELL := /bin/bash

ifeq ($(origin KVER),undefined)
KVER := $(shell printf '%s\n' $(notdir $(patsubst %/build,%,$(wildcard /lib/modules/*/build))) | sort -V | tail -n 1)
endif
KDIR ?= /lib/modules/$(KVER)/build
export KVER

KMOD_WERROR ?= -Werror
KBUILD = $(MAKE) -C $(KDIR) M=$(CURDIR)/kmod W=1

# Files taken from Debian's linux-source-6.1 at build time, never committed.
LINUX_SRC_PKG  := linux-source-6.1
LINUX_SRC_TAR  ?= /usr/src/$(LINUX_SRC_PKG).tar.xz
LINUX_SRC      := build/linux-src
LINUX_SRC_VER  := $(shell dpkg-query -W -f='$${Version}' $(LINUX_SRC_PKG) 2>/dev/null)
LINUX_SRC_STAMP := $(LINUX_SRC)/.stamp-$(or $(LINUX_SRC_VER),unknown)
LINUX_SRC_FILES := \
	scripts/checkpatch.pl \
	scripts/spelling.txt \
	scripts/const_structs.checkpatch \
	tools/testing/selftests/kselftest_harness.h \
	tools/testing/selftests/kselftest.h \
	tools/testing/selftests/net/l2tp.sh

KSFT_INC := $(CURDIR)/$(LINUX_SRC)/tools/testing/selftests
UAPI_INC := $(CURDIR)/uapi
CHECKPATCH := $(LINUX_SRC)/scripts/checkpatch.pl
CHECKPATCH_FILES = $(filter-out %.mod.c,$(wildcard kmod/*.c kmod/*.h uapi/linux/*.h))

.PHONY: all kmod nlgen agent tests-netlink tests-bench linux-src check check-debug \
	demo clean checkpatch sparse vm-check harness-check fuzz bench \
	install install-agent install-kmod install-dkms uninstall deb lintian

all: kmod agent tests-netlink tests-bench

# The family's policies, ops table and genl_family are generated from the
# YAML spec (scripts/nlgen.py) and committed; they are regenerated when the
# spec or the generator is newer. tests/host/check-gen.py fails if the
# committed files are stale or edited by hand.
NLGEN_IN  := Documentation/netlink/specs/l2tp_ipsec.yaml scripts/nlgen.py
NLGEN_OUT := kmod/netlink-policy.c kmod/netlink-policy.h kmod/netlink-ops.c \
	kmod/netlink-ops.h

$(NLGEN_OUT) &: $(NLGEN_IN)
	python3 scripts/nlgen.py

nlgen: $(NLGEN_OUT)

kmod: $(NLGEN_OUT)
	$(KBUILD) KCFLAGS=$(KMOD_WERROR) modules

agent:
	$(MAKE) -C agent

tests-netlink: $(LINUX_SRC_STAMP)
	$(MAKE) -C tests/netlink KSFT_INC=$(KSFT_INC) UAPI_INC=$(UAPI_INC)

# The benchmark's programs and its test module (tests/bench/kmod, W=1 too).
tests-bench:
	$(MAKE) -C tests/bench KDIR=$(KDIR) KMOD_WERROR=$(KMOD_WERROR)

linux-src: $(LINUX_SRC_STAMP)

$(LINUX_SRC_STAMP): $(LINUX_SRC_TAR)
	rm -rf $(LINUX_SRC)
	mkdir -p $(LINUX_SRC)
	tar -xJf $(LINUX_SRC_TAR) -C $(LINUX_SRC) --strip-components=1 \
		$(addprefix $(LINUX_SRC_PKG)/,$(LINUX_SRC_FILES))
	touch $@

$(LINUX_SRC_TAR):
	@echo "$@ is missing: run scripts/install-deps (package $(LINUX_SRC_PKG))" >&2
	@false

check:
	scripts/install-deps
	scripts/check

check-debug:
	scripts/install-deps
	$(MAKE) -s linux-src
	scripts/check-debug

FUZZ_TIME ?= 600

# Prints one result line per target; a crash leaves its input in build/fuzz/.
fuzz:
	tests/fuzz/run --time $(FUZZ_TIME)

# The RFC 5619 Hub and Spokes softwire concentrator in one VM boot; the
# report on the terminal, the result lines and logs in build/demo/.
demo:
	scripts/install-deps
	$(MAKE) all
	scripts/vm-run --results build/demo -- scripts/demo-guest

# The targets below print result lines (tests/lib.sh protocol) and append them
# to $(L2TP_IPSEC_RESULTS) when it is set; scripts/check uses them.

# checkpatch --strict on every kernel source and UAPI header; any ERROR,
# WARNING or CHECK fails the file.
checkpatch: $(LINUX_SRC_STAMP)
	@. tests/lib.sh; t_suite checkpatch; rc=0; \
	[ -n "$(CHECKPATCH_FILES)" ] || { t_fail "files to check" "no kmod/*.[ch] or uapi/linux/*.h"; exit 1; }; \
	for f in $(CHECKPATCH_FILES); do \
		if out=$$(perl $(CHECKPATCH) --strict --no-tree --show-types --color=never -q -f "$$f" 2>&1) && \
		   ! printf '%s\n' "$$out" | grep -qE '^(ERROR|WARNING|CHECK)'; then \
			t_pass "$$f"; \
		else \
			printf '%s\n' "$$out"; t_fail "$$f"; rc=1; \
		fi; \
	done; exit $$rc

# sparse (C=2 checks every file) with W=1; any sparse diagnostic about our
# files fails.
sparse: $(NLGEN_OUT)
	@. tests/lib.sh; t_suite sparse; \
	out=$$($(KBUILD) C=2 KCFLAGS=$(KMOD_WERROR) modules 2>&1); rc=$$?; \
	printf '%s\n' "$$out"; \
	if [ $$rc -ne 0 ]; then t_fail "kmod C=2 W=1" "build failed"; exit 1; fi; \
	if printf '%s\n' "$$out" | grep -E '(^|/)kmod/[^:]+:[0-9]+:[0-9]+: (warning|error):'; then \
		t_fail "kmod C=2 W=1" "sparse diagnostics above"; exit 1; \
	fi; \
	t_pass "kmod C=2 W=1"

# One VM boot that runs tests/vm/run-all; then one line for the kernel log,
# and a FAIL if the guest wrote no result line, or run-all failed without a
# FAIL line. slub_nomerge: the bindings' slab cache is its own, so that
# faults.test.sh counts its objects exactly (else the cache shares the
# slabs of the other accounted 128-byte caches); it costs no extra boot.
# The whole in-VM suite takes about 20 minutes alone under TCG, and more
# than 30 on a loaded machine: vm-run's default limit of 1800 s is too short.
VM_CHECK_ARGS ?= --append slub_nomerge --timeout 3600
vm-check:
	@. tests/lib.sh; t_suite vm; rc=0; res=build/vm-results/results.txt; \
	scripts/vm-run $(VM_CHECK_ARGS) -- tests/vm/run-all || rc=$$?; \
	if [ -n "$${L2TP_IPSEC_RESULTS:-}" ] && [ -f $$res ]; then \
		cat $$res >> "$$L2TP_IPSEC_RESULTS"; \
	fi; \
	lines=$$(grep -csE '^(PASS|FAIL|SKIP) [^:]+: ' $$res); \
	if [ "$${lines:-0}" -eq 0 ]; then \
		t_fail "result lines" "no result line in $$res (vm-run status $$rc)"; \
		[ "$$rc" -ne 0 ] || rc=1; \
	elif [ "$$rc" -eq 1 ] && ! grep -q '^FAIL ' $$res; then \
		t_fail "run-all status" "status $$rc without a FAIL line in $$res"; \
	fi; \
	case $$rc in \
	0|1) t_pass "kernel log clean" ;; \
	3) t_fail "kernel log clean" "vm-run found a kernel splat" ;; \
	124) t_fail "kernel log clean" "the guest timed out" ;; \
	*) t_fail "kernel log clean" "vm-run exited with status $$rc (guest died?)" ;; \
	esac; exit $$rc

harness-check:
	tests/harness/test-splat-detect

# Every benchmark in one VM boot (see Documentation/performance.rst); the
# guest gets more memory for 100,000 bindings and 10,000 nft rules, and
# slub_nomerge so that the binding cache's slab figures are its own. Never
# fails on slowness: only a part that did not run fails it.
BENCH_VM_ARGS ?= --mem 2048 --timeout 3600
bench: all
	scripts/vm-run --results build/bench-vm $(BENCH_VM_ARGS) --append slub_nomerge \
		-- tests/bench/run --out $(CURDIR)/build/bench
	@echo; python3 tests/bench/report.py --table build/bench/results.json

# Installation. Debian 12's layout: units in /lib/systemd/system (bookworm's
# dh_installsystemd puts them there), the configuration in /etc whatever
# PREFIX is. A present /etc/l2tp-ipsec/l2tp-ipsec.conf is never overwritten;
# the example always goes to the doc directory too. The configuration may
# hold PSKs and EAP secrets: mode 0600.
VERSION     ?= 0.1
PREFIX      ?= /usr
SBINDIR     ?= $(PREFIX)/sbin
MANDIR      ?= $(PREFIX)/share/man
DOCDIR      ?= $(PREFIX)/share/doc/l2tp-ipsec
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSCONFDIR  ?= /etc
UNITDIR     ?= /lib/systemd/system
DKMSDIR     ?= $(PREFIX)/src/l2tp-ipsec-$(VERSION)
# modules_install puts the module in /lib/modules/$(KVER)/$(INSTALL_MOD_DIR).
INSTALL_MOD_DIR ?= updates
# module (modules_install), dkms (the DKMS source tree) or none.
KMOD_INSTALL ?= module
INSTALL ?= install

CONF      := $(SYSCONFDIR)/l2tp-ipsec/l2tp-ipsec.conf
CONF_EX   := agent/l2tp-ipsec.conf.example
# The module's DKMS source: its sources (the generated netlink files are
# committed, so DKMS needs no Python), the UAPI header, dkms.conf.
DKMS_SRC   = kmod/Kbuild $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h) \
	$(wildcard uapi/linux/*.h)

install: install-agent install-$(if $(filter dkms,$(KMOD_INSTALL)),dkms,$(if $(filter none,$(KMOD_INSTALL)),none,kmod))

install-none:

install-agent: agent
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 0755 agent/l2tp-ipsec $(DESTDIR)$(SBINDIR)/l2tp-ipsec
	$(INSTALL) -m 0644 Documentation/l2tp-ipsec.8 $(DESTDIR)$(MANDIR)/man8/l2tp-ipsec.8
	$(INSTALL) -m 0644 agent/l2tp-ipsec.service $(DESTDIR)$(UNITDIR)/l2tp-ipsec.service
	$(INSTALL) -m 0644 $(CONF_EX) $(DESTDIR)$(DOCDIR)/examples/l2tp-ipsec.conf
	$(INSTALL) -m 0644 agent/l2tp-ipsec.bash-completion $(DESTDIR)$(BASHCOMPDIR)/l2tp-ipsec
	$(INSTALL) -d -m 0755 $(DESTDIR)$(dir $(CONF))
	@if [ -e $(DESTDIR)$(CONF) ]; then \
		echo "install: $(DESTDIR)$(CONF) exists, left as it is"; \
	else \
		echo "$(INSTALL) -m 0600 $(CONF_EX) $(DESTDIR)$(CONF)"; \
		$(INSTALL) -m 0600 $(CONF_EX) $(DESTDIR)$(CONF); \
	fi

# Unsigned: Debian's headers hold no signing key (CONFIG_MODULE_SIG_ALL
# would only print sign-file's error); DKMS signs with its MOK key.
install-kmod: kmod
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) CONFIG_MODULE_SIG_ALL= modules_install
	@# Debian's headers hold no System.map, so modules_install runs no depmod.
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)

install-dkms:
	$(INSTALL) -d $(DESTDIR)$(DKMSDIR)/kmod $(DESTDIR)$(DKMSDIR)/uapi/linux
	$(INSTALL) -m 0644 $(filter kmod/%,$(DKMS_SRC)) $(DESTDIR)$(DKMSDIR)/kmod/
	$(INSTALL) -m 0644 $(filter uapi/%,$(DKMS_SRC)) $(DESTDIR)$(DKMSDIR)/uapi/linux/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf > $(DESTDIR)$(DKMSDIR)/dkms.conf
	chmod 0644 $(DESTDIR)$(DKMSDIR)/dkms.conf

# The configuration goes only if it is still the example (else it is the
# operator's); directories only if empty.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/l2tp-ipsec $(DESTDIR)$(MANDIR)/man8/l2tp-ipsec.8 \
		$(DESTDIR)$(UNITDIR)/l2tp-ipsec.service \
		$(DESTDIR)$(DOCDIR)/examples/l2tp-ipsec.conf \
		$(DESTDIR)$(BASHCOMPDIR)/l2tp-ipsec \
		$(DESTDIR)/lib/modules/$(KVER)/$(INSTALL_MOD_DIR)/l2tp_ipsec.ko
	rm -rf $(DESTDIR)$(DKMSDIR)
	if cmp -s $(CONF_EX) $(DESTDIR)$(CONF); then rm -f $(DESTDIR)$(CONF); \
	elif [ -e $(DESTDIR)$(CONF) ]; then echo "uninstall: $(DESTDIR)$(CONF) changed, left"; fi
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) $(DESTDIR)$(dir $(CONF)) 2>/dev/null
	[ -n "$(DESTDIR)" ] || [ ! -d /lib/modules/$(KVER) ] || depmod -a $(KVER)

# Both binary packages, built by dpkg-buildpackage in a copy of the tree
# (the tracked files and the untracked ones git does not ignore), so that
# the tree stays clean; the .debs land in build/deb/.
DEB_DIR := build/deb
deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/l2tp-ipsec-$(VERSION)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard; \
	else \
		find . -path ./build -prune -o \( -type f -o -type l \) -print0; \
	fi | cpio -0 -pdm --quiet $(DEB_DIR)/l2tp-ipsec-$(VERSION)
	cd $(DEB_DIR)/l2tp-ipsec-$(VERSION) && dpkg-buildpackage -us -uc -b
	@ls -l $(DEB_DIR)/*.deb

lintian:
	lintian --info --display-info --pedantic $(DEB_DIR)/*.changes

clean:
	-[ ! -d $(KDIR) ] || $(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean
	-$(MAKE) -C agent clean
	-$(MAKE) -C tests/netlink clean
	-$(MAKE) -C tests/bench KDIR=$(KDIR) clean
	-$(MAKE) -C tests/host clean
	-[ ! -d $(KDIR) ] || $(MAKE) -C $(KDIR) M=$(CURDIR)/tests/harness clean
	rm -rf build
