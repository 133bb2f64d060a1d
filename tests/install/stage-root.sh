#!/bin/bash
# Lay out what installing the packages gives, for the VM test of the installed
# system (tests/vm/tests/installed-system.sh): the .debs of build/deb/ (made
# when missing) unpacked into STAGE/root as dpkg would on a merged-/usr
# Debian, and the modules built by DKMS from the unpacked spdm-cma-dkms
# sources for the guest's kernel, installed into STAGE/root/usr/lib/modules/
# KVER/updates/dkms. DKMS runs on the host (private trees under STAGE): a
# module build under TCG in the guest would take minutes, and so would
# depmod over the 9p root: depmod runs here too, as DKMS runs it after an
# install, over the guest kernel's modules from the VM cache plus updates/dkms,
# and its modules.* indexes go into the staged root.
# Usage: stage-root.sh SRCDIR BUILD KDIR VM_CACHE
set -euo pipefail
SRCDIR=$1
BUILD=$2
KDIR=$3
VM_CACHE=$4
KVER=$(cat "$KDIR/include/config/kernel.release")
STAGE=$BUILD/installed
DEB=$BUILD/deb

say() { echo "  STAGE   $*"; }

ls "$DEB"/spdm-agent_*.deb "$DEB"/spdm-tools_*.deb "$DEB"/spdm-cma-dkms_*.deb >/dev/null 2>&1 ||
	make -C "$SRCDIR" deb >/dev/null

rm -rf "$STAGE" && mkdir -p "$STAGE/root/usr/lib" "$STAGE/root/usr/bin" "$STAGE/root/usr/sbin"
for d in bin sbin lib; do
	ln -s "usr/$d" "$STAGE/root/$d"
done
for f in "$DEB"/spdm-cma-dkms_*.deb "$DEB"/spdm-agent_*.deb "$DEB"/spdm-tools_*.deb; do
	say "unpack $(basename "$f")"
	dpkg-deb --fsys-tarfile "$f" | tar -x --keep-directory-symlink -C "$STAGE/root"
	mkdir -p "$STAGE/control/$(basename "$f" .deb)"
	dpkg-deb -e "$f" "$STAGE/control/$(basename "$f" .deb)"
done

src=$(cd "$STAGE/root/usr/src" && echo spdm-cma-*)
name=${src%-*}
version=${src##*-}
mkdir -p "$STAGE/root/usr/lib/modules/$KVER" "$STAGE/dkms"
dkms_args=(-k "$KVER" --kernelsourcedir "$KDIR" --dkmstree "$STAGE/dkms"
	--sourcetree "$STAGE/root/usr/src" --installtree "$STAGE/root/usr/lib/modules")
say "dkms build $name/$version for $KVER"
dkms build "$name/$version" "${dkms_args[@]}" >"$STAGE/dkms.log" 2>&1 ||
	{ tail -30 "$STAGE/dkms.log"; exit 1; }
dkms install "$name/$version" "${dkms_args[@]}" >>"$STAGE/dkms.log" 2>&1 ||
	{ tail -30 "$STAGE/dkms.log"; exit 1; }

kmods=$VM_CACHE/$KVER/root/lib/modules/$KVER
[ -d "$kmods/kernel" ] || { echo "stage: no guest kernel modules in $kmods" >&2; exit 1; }
say "depmod $KVER (guest kernel's modules and updates/dkms)"
d=$STAGE/depmod/lib/modules/$KVER
mkdir -p "$d"
cp -as "$(realpath "$kmods/kernel")" "$d/kernel"
cp "$kmods"/modules.order "$kmods"/modules.builtin "$kmods"/modules.builtin.modinfo "$d/"
cp -r "$STAGE/root/usr/lib/modules/$KVER/updates" "$d/"
depmod -b "$STAGE/depmod" "$KVER"
for f in "$d"/modules.*; do
	cmp -s "$f" "$kmods/${f##*/}" || cp "$f" "$STAGE/root/usr/lib/modules/$KVER/"
done
rm -rf "$STAGE/depmod"
ls "$STAGE/root/usr/lib/modules/$KVER/updates/dkms/"
