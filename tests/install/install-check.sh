#!/bin/bash
# make install DESTDIR=... into a scratch root, then check what landed: the
# file list, every program's --version (the one version of debian/changelog),
# man pages that render without a warning, the unit as systemd reads it with
# its real paths, completion files that source cleanly, and make uninstall.
# TAP on stdout. Usage: install-check.sh SRCDIR SCRATCH
set -u
SRCDIR=$1
T=$2
. "$(dirname "$0")/tap.sh"

rm -rf "$T" && mkdir -p "$T"
R=$T/root
P=/usr/local
VERSION=$(awk -F'[()]' 'NR == 1 { sub(/-[^-]*$/, "", $2); print $2; exit }' "$SRCDIR/debian/changelog")

if make -C "$SRCDIR" install DESTDIR="$R" >"$T/install.log" 2>&1; then
	ok "make install DESTDIR"
else
	not_ok "make install DESTDIR" "$(tail -20 "$T/install.log")"
	tap_done
fi

# What landed, against the list of what should (PREFIX=/usr/local, SYSCONFDIR=/etc).
(cd "$R" && find . \( -type f -o -type l -o -type d -empty \) | sed 's|^\.||' |
	sed "s|/spdm-cma-$VERSION/|/spdm-cma-VERSION/|" | sort) >"$T/landed"
check "installed files are exactly tests/install/installed-files" \
	diff -u "$SRCDIR/tests/install/installed-files" "$T/landed"

# Every program prints NAME VERSION.
for p in sbin/spdm-agent bin/spdmctl bin/spdm-auth sbin/spdmsnoop sbin/spdmlat sbin/spdmstat; do
	name=${p#*/}
	out=$("$R$P/$p" --version 2>&1)
	if [ "$out" = "$name $VERSION" ]; then
		ok "$name --version prints '$name $VERSION'"
	else
		not_ok "$name --version prints '$name $VERSION'" "got: $out"
	fi
done

# Man pages: man -l and groff -ww, no warning at all.
for m in "$R$P"/share/man/man*/*; do
	name=${m#"$R$P/share/man/"}
	# the .bt pages are .so links to spdm-bpftrace.8
	warn=$(cd "$R$P/share/man" && MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings=w -l "$m" 2>&1 >/dev/null;
		groff -ww -man -Tutf8 -z "$m" 2>&1)
	if [ -z "$warn" ] && [ -s "$m" ]; then
		ok "man page $name renders without warnings"
	else
		not_ok "man page $name renders without warnings" "$warn"
	fi
done

# The unit as installed names the installed programs and passes systemd's own
# check against this root (ExecStart= executables, Documentation= man pages).
unit=$R$P/lib/systemd/system/spdm-agent.service
check "unit ExecStart names $P/sbin/spdm-agent" \
	grep -q "^ExecStart=$P/sbin/spdm-agent " "$unit"
check "systemd-analyze verify of the installed unit" \
	env MANPATH="$R$P/share/man" systemd-analyze verify --root="$R" \
	"$P/lib/systemd/system/spdm-agent.service"
# systemd's exposure score of the unit (0 best, 10 worst), at most 2.0 ("OK").
score=$(systemd-analyze security --offline=true --root="$R" "$P/lib/systemd/system/spdm-agent.service" \
	2>/dev/null | sed -n 's/.*Overall exposure level for spdm-agent.service: \([0-9.]*\).*/\1/p')
check "systemd-analyze security: exposure ${score:-?} <= 2.0" \
	systemd-analyze security --offline=true --threshold=20 --root="$R" \
	"$P/lib/systemd/system/spdm-agent.service"
# sysusers.d syntax, as systemd-sysusers reads it (no user is created).
check "sysusers.d file parses (systemd-sysusers --dry-run)" \
	systemd-sysusers --dry-run --root="$T/sysusers-root" "$R$P/lib/sysusers.d/spdm-agent.conf"

# Completion files source cleanly and register their commands.
for c in spdmctl spdm-agent; do
	check "bash completion for $c sources and registers" bash -c "
		set -e; . /usr/share/bash-completion/bash_completion
		. '$R$P/share/bash-completion/completions/$c'
		complete -p $c >/dev/null"
done

# /etc/spdm: the example policy checks (its trust store is empty but present).
check "installed /etc/spdm/policy.rules passes --check-policy" \
	"$R$P/sbin/spdm-agent" --check-policy "$R/etc/spdm/policy.rules"

# uninstall leaves nothing behind (the unchanged configuration goes too).
if make -C "$SRCDIR" uninstall DESTDIR="$R" >"$T/uninstall.log" 2>&1; then
	left=$(cd "$R" && find . -type f -o -type l)
	if [ -z "$left" ]; then
		ok "make uninstall removes every file"
	else
		not_ok "make uninstall removes every file" "$left"
	fi
else
	not_ok "make uninstall removes every file" "$(tail -20 "$T/uninstall.log")"
fi
tap_done
