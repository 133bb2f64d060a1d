#!/bin/bash
# Build the patched kernel of the VM test bed: Debian's linux-source-6.12 with
# the series of `make patches` applied, configured from allnoconfig plus
# kernel/series/vm.config, and install it where the VM harness finds a
# kernel: VMCACHE/RELEASE/{vmlinuz,root/lib/modules/RELEASE}.
#
# usage: build-kernel.sh PATCHDIR VMCACHE
# Prints the kernel release (6.12.N-spdm-HASH) on its last line.
#
# The release names a hash of the series (commit ids and dates left out), the
# configuration fragment, this script and the source package's version, so
# unchanged inputs cost nothing. The source tree and the object tree persist
# in SPDM_KERNEL_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/spdm-kernel),
# outside the checkout: a changed series rebuilds only what it touches.
# SPDM_KERNEL_JOBS sets make's -j (default: the number of CPUs).
set -euo pipefail

patches=$(realpath "${1:?usage: build-kernel.sh PATCHDIR VMCACHE}")
vmcache=$(realpath -m "${2:?usage: build-kernel.sh PATCHDIR VMCACHE}")
here=$(cd "$(dirname "$0")/.." && pwd)
fragment=$here/kernel/series/vm.config
# shellcheck source=scripts/kernel-tree.sh
. "$here/scripts/kernel-tree.sh"

die() { echo "kernel: $*" >&2; exit 1; }
say() { echo "kernel: $*" >&2; }

# The patches, without the cover letter (0000-*).
mapfile -t series < <(ls "$patches"/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v '/0000-')
[ ${#series[@]} -gt 0 ] || die "no series in $patches; run 'make patches'"

hash=$( {
	echo "$version"
	for p in "${series[@]}"; do
		sed -e '1{/^From [0-9a-f]\{40\} /d}' -e '/^Date: /d' "$p"
	done
	cat "$fragment" "$0" "$here/scripts/kernel-tree.sh"
} | sha256sum | cut -c1-12)
# Debian's version is the upstream one, then "-" and the package revision.
upstream=${version%%-*}
release=$upstream-spdm-$hash
dest=$vmcache/$release

if [ -e "$dest/.complete" ]; then
	say "$release is cached in $dest"
	echo "$release"
	exit 0
fi

mkdir -p "$vmcache"
kernel_tree_lock
kernel_tree_reset
kernel_tree_apply "${series[@]}" ||
	die "the series does not apply to linux-source-6.12 $version"

# allnoconfig plus the fragment; every option of the fragment must survive
# (one whose dependencies are missing is dropped silently otherwise).
KCONFIG_ALLCONFIG=$fragment make -s -C "$srcdir" O="$obj" ARCH=x86_64 allnoconfig >/dev/null
missing=$(grep '^CONFIG_' "$fragment" | while read -r line; do
	grep -qxF "$line" "$obj/.config" || echo "$line"
done)
[ -z "$missing" ] || die "options of $fragment not set (missing dependencies?): $missing"

start=$(date +%s)
say "building $release (make -j$kjobs; log: $obj/build.log)"
if ! nice make -C "$srcdir" O="$obj" ARCH=x86_64 LOCALVERSION="-spdm-$hash" \
	-j"$kjobs" bzImage modules >"$obj/build.log" 2>&1; then
	tail -40 "$obj/build.log" >&2
	die "build failed"
fi
built=$(cat "$obj/include/config/kernel.release")
[ "$built" = "$release" ] || die "built $built, expected $release"

tmp=$(mktemp -d "$vmcache/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
make -s -C "$srcdir" O="$obj" ARCH=x86_64 LOCALVERSION="-spdm-$hash" \
	INSTALL_MOD_PATH="$tmp/root" modules_install >/dev/null
cp "$obj/arch/x86/boot/bzImage" "$tmp/vmlinuz"
cp "$obj/.config" "$tmp/config"
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
touch "$dest/.complete"
say "built $release in $(($(date +%s) - start)) s"
echo "$release"
