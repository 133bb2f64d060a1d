#!/bin/bash
# Generate the kernel patch series from the sources in kernel/, include/ and
# docs/ABI/: the same files, mapped to their place in a kernel tree (there is
# no second copy to keep in step), committed on top of Debian's
# linux-source-6.12 and written out with git format-patch and a cover letter.
#
# usage: mkseries.sh SRCDIR OUTDIR WORKDIR
#   SRCDIR   repository root
#   OUTDIR   where the series goes (emptied first)
#   WORKDIR  scratch git tree holding the kernel files the series modifies
# SRCTAR names the source tarball (default /usr/src/linux-source-6.12.tar.xz).
#
# The mapping (and the few rewrites it needs) is in this file; the commit
# messages, cover letter, new Kconfig files and the small changes to existing
# kernel files (NNNN-*.diff) are beside it.
set -euo pipefail

src=$(cd "${1:?usage: mkseries.sh SRCDIR OUTDIR WORKDIR}" && pwd)
out=$(realpath -m "${2:?}")
work=$(realpath -m "${3:?}")
tarball=${SRCTAR:-/usr/src/linux-source-6.12.tar.xz}
series=$src/kernel/series
top=linux-source-6.12

die() { echo "patches: $*" >&2; exit 1; }

[ -r "$tarball" ] || die "$tarball missing; run 'make deps'"
version=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) || version=unknown

# Existing kernel files the series changes (and the top Makefile, for the
# upstream version), from the tarball, committed as the base.
base_files="Makefile MAINTAINERS lib/Kconfig lib/Makefile drivers/pci/Kconfig drivers/pci/Makefile
	drivers/pci/pci.c drivers/pci/pci.h drivers/pci/pci-driver.c drivers/pci/probe.c drivers/pci/pcie/err.c"
tree=$work/tree
stamp="$version $(stat -c %s.%Y "$tarball") $base_files"
if [ "$(cat "$work/base.stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$work"
	mkdir -p "$tree"
	# shellcheck disable=SC2086
	tar -xJf "$tarball" -C "$tree" --strip-components=1 $(printf "$top/%s " $base_files) ||
		die "cannot unpack $tarball"
	git -C "$tree" init -q
	git -C "$tree" add -A
	git -C "$tree" -c user.name=base -c user.email=base@localhost \
		commit -q -m "linux-source-6.12 $version"
	git -C "$tree" tag base
	echo "$stamp" >"$work/base.stamp"
fi
upstream=$(sed -n 's/^\(VERSION\|PATCHLEVEL\|SUBLEVEL\) = //p' "$tree/Makefile" | paste -sd.)

git -C "$tree" reset -q --hard base
git -C "$tree" clean -qfdx

# Reproducible commits, so an unchanged series is byte-identical (the patched
# kernel's cache is keyed by it): author, and the date of the last change to
# the sources the series is made of.
date=$(git -C "$src" log -1 --format=%cI -- kernel include docs/ABI 2>/dev/null || true)
export GIT_AUTHOR_NAME="SPDM maintainers" GIT_AUTHOR_EMAIL="spdm-devel@lists.example.org"
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
export GIT_AUTHOR_DATE=${date:-1970-01-01T00:00:00Z} GIT_COMMITTER_DATE=${date:-1970-01-01T00:00:00Z}

# put SRC DEST: copy a source file to its place in the tree, rewriting what
# differs between the two builds: the includes of the public headers, and
# paths that name the repository's layout.
put() {
	mkdir -p "$tree/$(dirname "$2")"
	sed -e 's|#include "\(\.\./spdm/\)\{0,1\}spdm\.h"|#include <linux/spdm.h>|' \
	    -e 's|#include "uapi/linux/spdm\.h"|#include <uapi/linux/spdm.h>|' \
	    -e 's|kernel/spdm/linux/|lib/spdm/linux/|g; s|kernel/spdm/|lib/spdm/|g' \
	    -e 's|kernel/cma/|drivers/pci/cma/|g' \
	    -e 's|include/spdm\.yaml|Documentation/netlink/specs/spdm.yaml|g' \
	    "$src/$1" >"$tree/$2"
}

# sources DIR...: the C files and headers of the series in DIR, not what a
# module build left beside them (*.mod.c).
sources() {
	local d f
	for d in "$@"; do
		for f in "$src/$d"/*.[ch]; do
			case $f in *.mod.c) ;; *) [ -e "$f" ] && echo "$f" ;; esac
		done
	done
}

commit() {
	local msg=$1
	git -C "$tree" add -A
	git -C "$tree" commit -q -s -F "$series/$msg"
}

# Patch 1: the SPDM library.
for f in $(sources kernel/spdm kernel/spdm/linux); do
	rel=${f#"$src"/kernel/spdm/}
	case $rel in
	spdm.h) put "kernel/spdm/$rel" include/linux/spdm.h ;;
	*) put "kernel/spdm/$rel" "lib/spdm/$rel" ;;
	esac
done
# The public header stands on the kernel's types; the protocol files get the
# portable environment from spdm-internal.h.
sed -i 's|#include "spdm-types.h"|#include <linux/types.h>|' "$tree/include/linux/spdm.h"
# In a kernel tree each export follows its function: exports.c, which the
# module needs because the portable files cannot carry kernel markers, goes.
python3 - "$tree/lib/spdm" <<'EOF'
import glob, os, re, sys
lib = sys.argv[1]
exports = [l.strip() for l in open(os.path.join(lib, "linux/exports.c"))
           if re.match(r"EXPORT_SYMBOL\w*\(", l)]
os.remove(os.path.join(lib, "linux/exports.c"))
for e in exports:
    name = re.match(r"EXPORT_SYMBOL\w*\((\w+)", e).group(1)
    for path in sorted(glob.glob(os.path.join(lib, "*.c"))):
        lines = open(path).read().split("\n")
        start = next((i for i, l in enumerate(lines)
                      if re.match(r"[a-z].*\b%s\(" % name, l) and not l.endswith(";")), None)
        if start is None:
            continue
        end = next(i for i in range(start, len(lines)) if lines[i] == "}")
        lines.insert(end + 1, e)
        if "#include <linux/export.h>" not in lines:
            last = max(i for i, l in enumerate(lines) if l.startswith("#include"))
            lines.insert(last + 1, "#include <linux/export.h>")
        open(path, "w").write("\n".join(lines))
        break
    else:
        sys.exit(f"patches: no definition of exported {name} in {lib}")
EOF
cp "$series/lib-spdm.Kconfig" "$tree/lib/spdm/Kconfig"
{
	echo "# SPDX-License-Identifier: GPL-2.0"
	echo "#"
	echo "# SPDM requester library: the portable protocol files and their Linux"
	echo "# environment (linux/), which provides \"spdm-types.h\" and \"env-linux.h\";"
	echo "# the environment's files include \"spdm-env.h\" from here."
	echo
	echo "obj-\$(CONFIG_SPDM) += spdm.o"
	echo
	echo "ccflags-y += -I\$(src) -I\$(src)/linux"
	echo
	objs=$(cd "$tree/lib/spdm" && ls *.c linux/*.c | sed 's/\.c$/.o/')
	echo "spdm-y := $(echo "$objs" | head -1)"
	echo "$objs" | tail -n +2 | sed 's/^/spdm-y += /'
} >"$tree/lib/spdm/Makefile"
git -C "$tree" apply "$series/0001-lib.diff"
commit 0001-lib.msg

# cma_h PATCH: cma.h as of patch PATCH; the calls of the PCI core come one
# patch at a time (3: reset.c, 4: gate-core.c, 5: enumerate.c).
cma_h() {
	put kernel/cma/cma.h drivers/pci/cma/cma.h
	local h=$tree/drivers/pci/cma/cma.h
	[ "$1" -ge 5 ] || sed -i '/^\/\* enumerate\.c: /,+1d' "$h"
	[ "$1" -ge 4 ] || sed -i '/^\/\* gate-core\.c: /,+1d' "$h"
	# patch 3's calls and the device field only they use (reset_owed)
	[ "$1" -ge 3 ] || sed -i -e '/^\/\* The PCI core.s calls /,/^$/d' \
		-e '/^ \* @reset_owed:/,/^ \*\t/d' -e '/reset_owed;/d' "$h"
}

# Patch 2: PCI CMA, its uapi header, netlink spec and ABI documents.
# The files of the PCI core's calls into CMA come in patches 3 to 5 (the
# module has no such calls); patch 2 holds functions the module's way
# (gate-override.c), which patch 4 replaces.
for f in $(sources kernel/cma); do
	case ${f##*/} in reset.c | gate-core.c | enumerate.c) continue ;; esac
	put "kernel/cma/${f##*/}" "drivers/pci/cma/${f##*/}"
done
cma_h 2
put include/uapi/linux/spdm.h include/uapi/linux/spdm.h
put include/spdm.yaml Documentation/netlink/specs/spdm.yaml
for f in "$src"/docs/ABI/testing/*; do
	put "docs/ABI/testing/${f##*/}" "Documentation/ABI/testing/${f##*/}"
done
cp "$series/pci-cma.Kconfig" "$tree/drivers/pci/cma/Kconfig"
{
	echo "# SPDX-License-Identifier: GPL-2.0"
	# The module's Kbuild, less its include paths (in-tree the headers are
	# where <linux/...> finds them).
	sed -e 's/^obj-m += /obj-$(CONFIG_PCI_CMA) += /' -e '/^ccflags-y += -I/d' \
		"$src/kernel/cma/Kbuild"
} >"$tree/drivers/pci/cma/Makefile"
git -C "$tree" apply "$series/0002-pci.diff"
commit 0002-pci.msg

# Patch 3: re-authentication from pci_restore_state().
put kernel/cma/reset.c drivers/pci/cma/reset.c
cma_h 3
echo "spdm_cma-y += reset.o" >>"$tree/drivers/pci/cma/Makefile"
git -C "$tree" apply "$series/0003-reset.diff"
commit 0003-reset.msg

# Patch 4: the gate's hold as a check in pci_device_probe() instead of
# driver_override (and the override API probe of the module's Kbuild).
git -C "$tree" rm -q drivers/pci/cma/gate-override.c
put kernel/cma/gate-core.c drivers/pci/cma/gate-core.c
cma_h 4
sed -i -e 's/ gate-override\.o / gate-core.o /' \
	-e '/^# The driver_override API/,/DEVICE_DRIVER_OVERRIDE)$/d' "$tree/drivers/pci/cma/Makefile"
git -C "$tree" apply "$series/0004-gate.diff"
commit 0004-gate.msg

# Patch 5: tracking and holding from pci_device_add().
put kernel/cma/enumerate.c drivers/pci/cma/enumerate.c
cma_h 5
echo "spdm_cma-y += enumerate.o" >>"$tree/drivers/pci/cma/Makefile"
git -C "$tree" apply "$series/0005-enumerate.diff"
commit 0005-enumerate.msg

rm -rf "$out"
mkdir -p "$out"
git -C "$tree" format-patch -q --cover-letter --no-signature -o "$out" base..HEAD
cover=$(ls "$out"/0000-*.patch)
subject=$(head -1 "$series/cover-letter.txt")
body=$(tail -n +3 "$series/cover-letter.txt" | sed -e "s/@VERSION@/$version/" -e "s/@UPSTREAM@/$upstream/")
python3 - "$cover" "$subject" "$body" <<'EOF'
import sys
path, subject, body = sys.argv[1:]
text = open(path).read()
text = text.replace("*** SUBJECT HERE ***", subject).replace("*** BLURB HERE ***", body)
open(path, "w").write(text)
EOF
ls "$out"
