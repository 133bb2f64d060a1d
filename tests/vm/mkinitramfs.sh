#!/bin/bash
# Build the guest's tiny initramfs: busybox-static, our /init, and the modules
# needed to reach the host's root over virtio-9p, taken from the cached kernel.
#
# usage: mkinitramfs.sh KVER CACHEDIR INIT OUTPUT
set -euo pipefail

kver=${1:?usage: mkinitramfs.sh KVER CACHEDIR INIT OUTPUT}
cache=${2:?}
init=${3:?}
out=${4:?}
moddir=$cache/$kver/root/lib/modules/$kver

# Built-in ones are skipped; the virtio transports are listed in case a kernel has them modular.
WANTED="virtio_pci virtio_console virtio-rng netfs 9pnet 9pnet_virtio 9p"

die() { echo "vm: $*" >&2; exit 1; }

busybox=$(command -v busybox) || die "busybox not found (package busybox-static)"
file -L "$busybox" | grep -q 'statically linked' || die "$busybox is not static (install busybox-static)"
[ -f "$moddir/modules.dep" ] || die "no kernel cache at $moddir; run fetch-kernel.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,root,rundir,modules}
cp "$busybox" "$tmp/bin/busybox"
ln -s busybox "$tmp/bin/sh"
cp "$init" "$tmp/init"
chmod 755 "$tmp/init"

# Resolve dependencies from modules.dep (depth first, dependencies before users).
declare -A seen
order=()
add() {
	local name=$1 path deps d
	path=$(grep -E "(^|/)$name\.ko(\.xz)?:" "$moddir/modules.dep" | head -1 | cut -d: -f1) || true
	if [ -z "$path" ]; then
		grep -qE "(^|/)$name\.ko" "$moddir/modules.builtin" || die "module $name not in $kver"
		return 0
	fi
	[ -n "${seen[$path]:-}" ] && return 0
	seen[$path]=1
	deps=$(grep -E "^$path:" "$moddir/modules.dep" | cut -d: -f2)
	for d in $deps; do
		d=${d##*/}
		add "${d%%.ko*}"
	done
	order+=("$path")
}
for m in $WANTED; do
	add "$m"
done

n=0
for path in "${order[@]}"; do
	base=${path##*/}
	base=${base%.xz}
	dst=$(printf '%s/modules/%02d-%s' "$tmp" "$n" "$base")
	case $path in
	*.xz) xz -dc "$moddir/$path" >"$dst" ;;
	*) cp "$moddir/$path" "$dst" ;;
	esac
	n=$((n + 1))
done

mkdir -p "$(dirname "$out")"
(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
echo "vm: initramfs $out ($n modules)"
