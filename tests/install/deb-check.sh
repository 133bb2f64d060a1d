#!/bin/bash
# make deb, then check the packages: the three are built, each one's
# contents match tests/install/deb/PACKAGE.contents, lintian reports no error
# and no warning outside the explained list below, and every ELF program
# carries the hardening that dpkg-buildflags asks for. TAP on stdout.
# Usage: deb-check.sh SRCDIR BUILD
set -u
SRCDIR=$1
BUILD=$2
. "$(dirname "$0")/tap.sh"

# Lintian tags we accept, and why:
# - initial-upload-closes-no-bugs: there is no ITP bug; the packaging is a
#   starting point for a distribution maintainer, not an upload.
LINTIAN_ACCEPTED="initial-upload-closes-no-bugs"

DEB=$BUILD/deb
VERSION=$(awk -F'[()]' 'NR == 1 { print $2; exit }' "$SRCDIR/debian/changelog")

start=$(date +%s)
if make -C "$SRCDIR" deb >"$BUILD/deb-make.log" 2>&1; then
	ok "make deb ($(($(date +%s) - start)) s)"
else
	not_ok "make deb" "$(tail -30 "$BUILD/deb-make.log")"
	tap_done
fi

for pkg in spdm-cma-dkms spdm-agent spdm-tools; do
	f=$(ls "$DEB"/${pkg}_"$VERSION"_*.deb 2>/dev/null)
	if [ -z "$f" ]; then
		not_ok "$pkg $VERSION built"
		continue
	fi
	ok "$pkg $VERSION built ($(du -k "$f" | cut -f1) KiB)"
	# dpkg-deb -c: type and path only (no sizes, owners or dates)
	dpkg-deb -c "$f" | awk '{ t = substr($1, 1, 1); p = $6; sub(/^\./, "", p);
		if (t == "l") p = p " -> " $8; print t " " p }' |
		sed "s/$VERSION/VERSION/; s/${VERSION%-*}/UPSTREAM/" | sort >"$DEB/$pkg.contents"
	check "$pkg contents match tests/install/deb/$pkg.contents" \
		diff -u "$SRCDIR/tests/install/deb/$pkg.contents" "$DEB/$pkg.contents"
done

# Conffiles: everything the agent and the modules ship under /etc.
check "spdm-agent conffiles: /etc/spdm/policy.rules" \
	sh -c "dpkg-deb -I '$DEB'/spdm-agent_*.deb conffiles | grep -qx /etc/spdm/policy.rules"

lintian --no-tag-display-limit "$DEB"/*.changes >"$DEB/lintian.log" 2>&1
bad=$(grep -E '^[EW]: ' "$DEB/lintian.log" | grep -vwE "$(echo $LINTIAN_ACCEPTED | tr ' ' '|')")
if [ -z "$bad" ]; then
	ok "lintian: no error, no unexplained warning"
else
	not_ok "lintian: no error, no unexplained warning" "$bad"
fi

# Hardening of every ELF executable in the packages (bookworm's dpkg-buildflags
# gives no control-flow protection: not required).
x=$DEB/unpacked
rm -rf "$x" && mkdir -p "$x"
for f in "$DEB"/spdm-agent_*.deb "$DEB"/spdm-tools_*.deb; do
	dpkg-deb -x "$f" "$x"
done
for e in $(cd "$x" && find . -type f -perm -u+x | sort); do
	file -b "$x/$e" | grep -q '^ELF' || continue
	check "hardening-check ${e#.}" hardening-check --nocfprotection "$x/$e"
done
tap_done
