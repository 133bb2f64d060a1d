#!/bin/bash
# Check the series patch by patch, as a maintainer applying it would: after
# each patch the kernel builds without warnings, checkpatch.pl --strict
# passes on the patch, and kernel-doc finds nothing to complain about in the
# C files the patch adds.
#
# The configuration is the VM's fragment plus COMPILE_TEST and SPDM, so that
# patch 1 compiles the library before its first user exists, and CXL_BUS=m,
# which selects PCI_DOE as PCI_CMA does from patch 2 on: every step then
# has the same <linux/pci.h>, and a step recompiles only what its patch
# changed. The object tree (obj-check/ beside scripts/build-kernel.sh's) is
# seeded from the patched kernel's once, so even the first run is
# incremental when that kernel was built.
#
# usage: check-series.sh PATCHDIR TAPFILE
set -uo pipefail

patches=$(realpath "${1:?usage: check-series.sh PATCHDIR TAPFILE}")
tapfile=$(realpath -m "${2:?usage: check-series.sh PATCHDIR TAPFILE}")
here=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/kernel-tree.sh
. "$here/scripts/kernel-tree.sh"

# Checkpatch rules the generated files may break, and why (as in `make lint`,
# kernel/Makefile): trace.h lays out TRACE_EVENT() as the kernel's own trace
# headers do; a new file under lib/spdm/ or drivers/pci/cma/ needs no change
# to MAINTAINERS, whose SPDM entry (patches 1 and 2) covers both directories.
ALLOW="drivers/pci/cma/trace.h:OPEN_ENDED_LINE drivers/pci/cma/trace.h:PARENTHESIS_ALIGNMENT
	*:FILE_PATH_CHANGES"

objc=$cache/obj-check
config=$(mktemp)
log=$(mktemp)
trap 'rm -f "$config" "$log"' EXIT
{
	cat "$here/kernel/series/vm.config"
	printf '%s\n' CONFIG_COMPILE_TEST=y CONFIG_SPDM=y CONFIG_CXL_BUS=m
} >"$config"

n=0
fail=0
out=()
ok() { n=$((n + 1)); out+=("ok $n - $1"); echo "ok $n - $1"; }
notok() {
	n=$((n + 1)); fail=1
	out+=("not ok $n - $1")
	echo "not ok $n - $1"
	sed "s/^/# /" "$log" | tail -40
	mapfile -t diag < <(sed 's/^/# /' "$log" | tail -40)
	out+=("${diag[@]}")
}

kernel_tree_lock
kernel_tree_reset
if [ ! -d "$objc" ] && [ -f "$obj/.config" ]; then
	cp -a "$obj" "$objc.tmp" && mv "$objc.tmp" "$objc"
fi
mkdir -p "$objc"
for p in "$patches"/[0-9][0-9][0-9][0-9]-*.patch; do
	name=${p##*/}
	# the cover letter
	[ "${name#0000-}" = "$name" ] || continue
	start=$(date +%s)
	if ! kernel_tree_apply "$p" >"$log" 2>&1; then
		notok "$name: applies"
		break
	fi
	ok "$name: applies"

	KCONFIG_ALLCONFIG=$config make -s -C "$srcdir" O="$objc" ARCH=x86_64 allnoconfig >/dev/null 2>&1
	if nice make -C "$srcdir" O="$objc" ARCH=x86_64 -j"$kjobs" bzImage >"$log" 2>&1 &&
		! grep -E '(warning|error):' "$log" >/dev/null; then
		ok "$name: builds without warnings ($(($(date +%s) - start)) s)"
	else
		grep -E -B2 -A3 '(warning|error):' "$log" >"$log.w" 2>/dev/null || tail -40 "$log" >"$log.w"
		mv "$log.w" "$log"
		notok "$name: builds without warnings"
	fi

	"$srcdir/scripts/checkpatch.pl" --strict --show-types --no-tree -q "$p" >"$log" 2>&1
	python3 - "$log" $ALLOW <<'PY'
import re, sys
log, allow = sys.argv[1], set(sys.argv[2:])
text = open(log).read()
left = []
for block in re.split(r"\n\n", text):
    m = re.match(r"(?:WARNING|ERROR|CHECK):(\w+):", block)
    if not m:
        continue
    f = re.search(r"FILE: ([^:]+):", block)
    if f"*:{m.group(1)}" in allow or (f and f"{f.group(1)}:{m.group(1)}" in allow):
        continue
    left.append(block)
open(log, "w").write("\n\n".join(left) + ("\n" if left else ""))
sys.exit(1 if left else 0)
PY
	if [ $? -eq 0 ]; then
		ok "$name: checkpatch --strict"
	else
		notok "$name: checkpatch --strict"
	fi

	# the C files the patch creates: "+++ b/FILE" right after "--- /dev/null"
	added=$(awk '/^--- \/dev\/null$/ { new = 1; next }
		new && sub(/^\+\+\+ b\//, "") && /\.[ch]$/ { print } { new = 0 }' "$p")
	: >"$log"
	for f in $added; do
		"$srcdir/scripts/kernel-doc" -none -Wall "$srcdir/$f" >>"$log" 2>&1
	done
	if [ -s "$log" ]; then
		notok "$name: kernel-doc -Wall on the files it adds"
	else
		ok "$name: kernel-doc -Wall on the files it adds"
	fi
done
{ printf '%s\n' "${out[@]}"; echo "1..$n"; } >"$tapfile"
exit $fail
