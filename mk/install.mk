# make install / uninstall / dkms-install: the installed layout (included by
# the top-level Makefile; variables may be given on the command line).
#
#   make install DESTDIR=/tmp/root PREFIX=/usr
#
# Programs are built first (user space only: lib, agent, bpf). SYSCONFDIR
# stays /etc whatever PREFIX is: the unit and the man pages name /etc/spdm.
# The unit gets SBINDIR and SYSCONFDIR substituted; the DKMS source tree goes
# to DKMSSRCDIR/spdm-cma-VERSION.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/spdm
INCLUDEDIR ?= $(PREFIX)/include
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
COMPLETIONDIR ?= $(DATADIR)/bash-completion/completions
# where the kernel's YNL tools (tools/net/ynl, pyynl) look for specs by family name
YNLSPECDIR ?= $(DATADIR)/ynl/specs
# bpftrace's tools live beside the other admin commands on Debian
BPFTRACEDIR ?= $(SBINDIR)
DKMSSRCDIR ?= /usr/src
DKMS_NAME := spdm-cma
DKMS_TREE := $(DKMSSRCDIR)/$(DKMS_NAME)-$(VERSION)
DESTDIR ?=
INSTALL ?= install

D := $(DESTDIR)
BPF_TOOLS := spdmsnoop spdmlat spdmstat
BPFTRACE := $(notdir $(wildcard bpf/bpftrace/*.bt))
KSRC := $(shell cd kernel && find Kbuild spdm cma \( -name selftest -prune \) -o \
	\( -name '*.[ch]' ! -name '*.mod.c' -o -name Kbuild \) -print)

# Configuration files: installed path below SYSCONFDIR, then the source.
ETC_FILES := spdm/policy.rules:policy/policy.rules \
	modprobe.d/spdm-cma.conf:kernel/spdm-cma.modprobe.conf \
	modules-load.d/spdm-cma.conf:kernel/spdm-cma.modules-load.conf

INSTALLED_FILES := \
	$(SBINDIR)/spdm-agent $(BINDIR)/spdmctl $(BINDIR)/spdm-auth \
	$(addprefix $(SBINDIR)/,$(BPF_TOOLS)) $(addprefix $(BPFTRACEDIR)/,$(BPFTRACE)) \
	$(MANDIR)/man8/spdm-agent.8 $(MANDIR)/man8/spdmctl.8 $(MANDIR)/man5/spdm-policy.5 \
	$(MANDIR)/man1/spdm-auth.1 $(addprefix $(MANDIR)/man8/,$(addsuffix .8,$(BPF_TOOLS))) \
	$(MANDIR)/man8/spdm-bpftrace.8 $(addprefix $(MANDIR)/man8/,$(addsuffix .8,$(BPFTRACE))) \
	$(UNITDIR)/spdm-agent.service $(SYSUSERSDIR)/spdm-agent.conf \
	$(COMPLETIONDIR)/spdmctl $(COMPLETIONDIR)/spdm-agent \
	$(INCLUDEDIR)/linux/spdm.h $(YNLSPECDIR)/spdm.yaml \
	$(DOCDIR)/examples/demo.rules $(DOCDIR)/examples/50-lab.rules $(DOCDIR)/examples/strict.rules

.PHONY: userspace install uninstall install-dkms dkms-install

# What the packages ship, without the kernel modules and the test bed.
userspace:
	$(Q)for p in lib agent bpf; do $(MAKE) -C $$p all || exit 1; done

install: userspace install-dkms
	$(INSTALL) -d $(D)$(BINDIR) $(D)$(SBINDIR) $(D)$(BPFTRACEDIR) $(D)$(MANDIR)/man1 \
		$(D)$(MANDIR)/man5 $(D)$(MANDIR)/man8 $(D)$(UNITDIR) $(D)$(SYSUSERSDIR) \
		$(D)$(COMPLETIONDIR) $(D)$(INCLUDEDIR)/linux $(D)$(YNLSPECDIR) \
		$(D)$(DOCDIR)/examples
	$(INSTALL) -m 755 $(BUILD)/agent/spdm-agent $(D)$(SBINDIR)/
	$(INSTALL) -m 755 $(BUILD)/agent/spdmctl $(BUILD)/lib/spdm-auth $(D)$(BINDIR)/
	$(INSTALL) -m 755 $(addprefix $(BUILD)/bpf/,$(BPF_TOOLS)) $(D)$(SBINDIR)/
	$(INSTALL) -m 755 $(addprefix bpf/bpftrace/,$(BPFTRACE)) $(D)$(BPFTRACEDIR)/
	$(INSTALL) -m 644 agent/man/spdm-agent.8 agent/man/spdmctl.8 \
		$(addprefix bpf/man/,$(addsuffix .8,$(BPF_TOOLS) spdm-bpftrace)) $(D)$(MANDIR)/man8/
	for f in $(BPFTRACE); do echo '.so man8/spdm-bpftrace.8' >$(D)$(MANDIR)/man8/$$f.8; done
	$(INSTALL) -m 644 agent/man/spdm-policy.5 $(D)$(MANDIR)/man5/
	$(INSTALL) -m 644 lib/man/spdm-auth.1 $(D)$(MANDIR)/man1/
	sed -e 's|/usr/sbin/|$(SBINDIR)/|g' -e 's|/etc/spdm|$(SYSCONFDIR)/spdm|g' \
		agent/systemd/spdm-agent.service >$(D)$(UNITDIR)/spdm-agent.service
	chmod 644 $(D)$(UNITDIR)/spdm-agent.service
	$(INSTALL) -m 644 agent/systemd/spdm-agent.sysusers $(D)$(SYSUSERSDIR)/spdm-agent.conf
	$(INSTALL) -m 644 agent/completion/spdmctl agent/completion/spdm-agent $(D)$(COMPLETIONDIR)/
	$(INSTALL) -m 644 include/uapi/linux/spdm.h $(D)$(INCLUDEDIR)/linux/
	$(INSTALL) -m 644 include/spdm.yaml $(D)$(YNLSPECDIR)/
	$(INSTALL) -m 644 policy/demo.rules policy/strict.rules policy/policy.d/50-lab.rules \
		$(D)$(DOCDIR)/examples/
	$(INSTALL) -d -m 755 $(D)$(SYSCONFDIR)/spdm/policy.d $(D)$(SYSCONFDIR)/spdm/trust.d \
		$(D)$(SYSCONFDIR)/modprobe.d $(D)$(SYSCONFDIR)/modules-load.d
	for f in $(ETC_FILES); do \
		$(INSTALL) -m 644 $${f#*:} $(D)$(SYSCONFDIR)/$${f%%:*} || exit 1; done

# The module sources and dkms.conf, as DKMS (and the -dkms package) want them.
install-dkms:
	$(INSTALL) -d $(D)$(DKMS_TREE)/kernel $(D)$(DKMS_TREE)/include/uapi/linux
	cd kernel && for f in $(KSRC); do \
		$(INSTALL) -D -m 644 $$f $(D)$(DKMS_TREE)/kernel/$$f || exit 1; done
	$(INSTALL) -m 644 include/uapi/linux/spdm.h $(D)$(DKMS_TREE)/include/uapi/linux/
	sed 's/#MODULE_VERSION#/$(VERSION)/' kernel/dkms.conf >$(D)$(DKMS_TREE)/dkms.conf

# Build and install the modules for the running kernel (as root, no DESTDIR).
dkms-install: install-dkms
	dkms install $(DKMS_NAME)/$(VERSION)

# Configuration under /etc is left alone when it was changed (as dpkg does).
# Modules built by DKMS are removed only from the real root (no DESTDIR).
uninstall:
	[ -n "$(DESTDIR)" ] || ! command -v dkms >/dev/null || \
		dkms remove $(DKMS_NAME)/$(VERSION) --all || true
	rm -f $(addprefix $(D),$(INSTALLED_FILES))
	rm -rf $(D)$(DKMS_TREE) $(D)$(DOCDIR)
	for f in $(ETC_FILES); do \
		! cmp -s $${f#*:} $(D)$(SYSCONFDIR)/$${f%%:*} || rm -f $(D)$(SYSCONFDIR)/$${f%%:*}; done
	-rmdir $(D)$(SYSCONFDIR)/spdm/policy.d $(D)$(SYSCONFDIR)/spdm/trust.d $(D)$(SYSCONFDIR)/spdm \
		$(D)$(INCLUDEDIR)/linux $(D)$(YNLSPECDIR) 2>/dev/null

# Debian packages from a copy of the tree (tracked and new files, not build/),
# so dpkg-buildpackage's outputs and debian/ scratch stay under build/deb/.
DEB_OUT := $(BUILD)/deb
DEB_SRC := $(DEB_OUT)/spdm-$(VERSION)

.PHONY: deb
deb:
	$(Q)rm -rf $(DEB_OUT) && mkdir -p $(DEB_SRC)
	$(Q)if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -co --exclude-standard -z | xargs -0 tar -c --no-recursion --ignore-failed-read -f - 2>/dev/null; \
	else tar -c --exclude=./build -f - . ; fi | tar -x -C $(DEB_SRC)
	$(Q)cd $(DEB_SRC) && env -u BUILD -u Q -u V -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		dpkg-buildpackage -us -uc -b >$(DEB_OUT)/build.log 2>&1 || \
		{ tail -40 $(DEB_OUT)/build.log; exit 1; }
	$(Q)ls -s $(DEB_OUT)/*.deb
