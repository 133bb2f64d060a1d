#!/bin/bash
# Fetch the Debian kernel image matching the headers we build against and unpack
# vmlinuz and its modules into a cache shared by every run (and every checkout
# that points VM_CACHE at the same directory).
#
# usage: fetch-kernel.sh KVER CACHEDIR
# Result: CACHEDIR/KVER/vmlinuz and CACHEDIR/KVER/root/lib/modules/KVER (depmod'ed),
# complete when CACHEDIR/KVER/.complete exists.
set -euo pipefail

kver=${1:?usage: fetch-kernel.sh KVER CACHEDIR}
cache=${2:?usage: fetch-kernel.sh KVER CACHEDIR}
pkg=linux-image-$kver-unsigned
dest=$cache/$kver

die() { echo "vm: $*" >&2; exit 1; }

[ -e "$dest/.complete" ] && exit 0
mkdir -p "$cache"

# Several checkouts may share the cache: one fetches, the others wait.
exec 9>"$cache/.lock"
flock 9
[ -e "$dest/.complete" ] && exit 0

tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "vm: fetching $pkg into $dest"
# apt drops privileges to _apt for downloads; let it write the temporary directory.
chmod 755 "$tmp"
if ! (cd "$tmp" && apt-get download -q "$pkg" >download.log 2>&1); then
	cat "$tmp/download.log" >&2
	die "cannot fetch $pkg with apt-get download: the guest kernel must match the headers in" \
		"KDIR ($kver); enable bookworm-backports ('make deps') and check the network"
fi
deb=$(ls "$tmp"/*.deb)
dpkg-deb -x "$deb" "$tmp/root" || die "cannot unpack $deb"
[ -f "$tmp/root/boot/vmlinuz-$kver" ] || die "$pkg has no boot/vmlinuz-$kver"
[ -d "$tmp/root/lib/modules/$kver" ] || die "$pkg has no lib/modules/$kver"
rm -rf "$tmp/root/usr" "$deb"
depmod -b "$tmp/root" "$kver" || die "depmod failed for $kver"
mv "$tmp/root/boot/vmlinuz-$kver" "$tmp/vmlinuz"

rm -rf "$dest"
mkdir -p "$dest"
mv "$tmp/vmlinuz" "$tmp/root" "$dest/"
touch "$dest/.complete"
echo "vm: cached $kver ($(du -sh "$dest" | cut -f1))"
