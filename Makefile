# SPDM device authentication for Linux: top-level build.
#
#   make            build everything (kernel modules, user-space core, responder, agent, BPF tools);
#                   never installs packages (CC, CFLAGS, CPPFLAGS, LDFLAGS are honoured)
#   make deps       install the packages the build and the tests need (Debian 12, as root)
#   make check      deps, then lint, unit tests, fuzz smoke run and VM tests; ends with "N passed, N failed, N skipped"
#   make lint       checkpatch and kernel-doc over the kernel sources (parts that have a lint target)
#   make patches    the kernel patch series (against linux-source-6.12) into build/patches/
#   make patches-check  apply the series patch by patch, build each and run checkpatch --strict
#   make patches-lint   the same without the builds (seconds; part of make check)
#   make check-vm-patched [TESTS=...]  the VM tests on the patched kernel (kernel/series/README.md)
#   make demo       deps, then boot a VM with emulated SPDM devices and show what happens to them
#   make install    programs, man pages, unit, /etc/spdm, DKMS sources (DESTDIR, PREFIX,
#                   BINDIR, SBINDIR, MANDIR, SYSCONFDIR, UNITDIR: see mk/install.mk);
#                   make uninstall; make dkms-install builds the modules with DKMS
#   make deb        Debian packages into build/deb/
#   make V=1 ...    show the commands
#
# Every part lives in its own directory with a Makefile that provides the targets
# all, check-unit, fuzz-smoke, check-vm, bench and clean (empty where a part has none),
# and lint where it has something to lint.
# Test suites write TAP to $(BUILD)/tap/<suite>.tap; `check` sums them.

BUILD ?= $(CURDIR)/build
KDIR ?= $(shell $(CURDIR)/scripts/kdir.sh 2>/dev/null)
V ?= 0
export BUILD KDIR V

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif
export Q

include mk/common.mk
include mk/install.mk

# Build order matters: the user-space core before what links it, modules before BPF.
PARTS := include lib kernel tests/responder agent bpf tests/unit tests/fuzz tests/install tests/vm bench
PRESENT := $(patsubst %/Makefile,%,$(wildcard $(addsuffix /Makefile,$(PARTS))))
LINTED := $(filter $(patsubst %/Makefile,%,$(shell grep -l '^lint:' /dev/null $(addsuffix /Makefile,$(PRESENT)))),$(PRESENT))

TAPDIR := $(BUILD)/tap
# `make check` also builds the patched kernel and runs the core VM tests on
# it (kernel/series/README.md) when yes.
CHECK_PATCHED ?= yes

.PHONY: all deps check check-unit check-vm fuzz-smoke bench lint demo clean tap-reset summary \
	patches patches-check patches-lint check-vm-patched

all:
	$(Q)for p in $(PRESENT); do $(MAKE) -C $$p all || exit 1; done

deps:
	$(Q)$(CURDIR)/scripts/deps.sh

# Run one kind of test in every part; a failing part does not stop the others,
# the summary reports it.
define run_tests
	$(Q)mkdir -p $(TAPDIR)
	$(Q)rc=0; for p in $(PRESENT); do $(MAKE) -C $$p $(1) || rc=1; done; \
	[ -n "$(PRESENT)" ] || echo "$(1): no parts present yet"; exit $$rc
endef

check-unit: all
	$(call run_tests,check-unit)

fuzz-smoke: all
	$(call run_tests,fuzz-smoke)

check-vm: all
	$(call run_tests,check-vm)

bench: all
	$(call run_tests,bench)

# Lint needs no build: it reads the sources.
lint:
	$(Q)mkdir -p $(TAPDIR)
	$(Q)rc=0; for p in $(LINTED); do $(MAKE) -C $$p lint || rc=1; done; exit $$rc

# The kernel patch series, generated from kernel/, include/ and docs/ABI/.
patches:
	$(Q)$(CURDIR)/kernel/series/mkseries.sh $(CURDIR) $(BUILD)/patches $(BUILD)/patches-work

patches-check: patches
	$(Q)mkdir -p $(TAPDIR)
	$(Q)$(CURDIR)/kernel/series/check-series.sh $(BUILD)/patches $(TAPDIR)/patches.tap

# The same patch by patch, without the builds (part of `make check`).
patches-lint: patches
	$(Q)mkdir -p $(TAPDIR)
	$(Q)$(CURDIR)/kernel/series/check-series.sh --no-build $(BUILD)/patches $(TAPDIR)/patches-lint.tap

check-vm-patched: all
	$(Q)$(MAKE) -C tests/vm check-vm-patched

tap-reset:
	$(Q)rm -rf $(TAPDIR)

# check runs every kind even when one fails, then prints the one summary line.
check: deps
	$(Q)$(MAKE) tap-reset
	$(Q)$(MAKE) all
	$(Q)rc=0; \
	$(MAKE) lint || rc=1; \
	$(MAKE) check-unit || rc=1; \
	$(MAKE) fuzz-smoke || rc=1; \
	$(MAKE) check-vm || rc=1; \
	if [ "$(CHECK_PATCHED)" = yes ]; then \
		$(MAKE) -C tests/vm check-vm-patched-core || rc=1; \
		$(MAKE) patches-lint || rc=1; \
	fi; \
	$(CURDIR)/scripts/tap-summary.sh $(TAPDIR) || rc=1; \
	exit $$rc

summary:
	$(Q)$(CURDIR)/scripts/tap-summary.sh $(TAPDIR)

demo: deps
	$(Q)$(MAKE) all
	$(Q)$(MAKE) -C tests/vm demo

clean:
	$(Q)for p in $(PRESENT); do $(MAKE) -C $$p clean; done
	$(Q)rm -rf $(BUILD)
