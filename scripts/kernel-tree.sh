# shellcheck shell=bash
# The kernel source and object trees shared by scripts/build-kernel.sh and
# kernel/series/check-series.sh, kept outside the checkout in
# SPDM_KERNEL_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/spdm-kernel):
#   linux-source-6.12/  Debian's source under git, tag "base" = as unpacked
#   obj/                the object tree (O=), reused so builds are incremental
# Source it; it sets tarball, version, cache, srcdir, obj and kjobs, and
# defines kernel_tree_lock and kernel_tree_reset.

tarball=${SRCTAR:-/usr/src/linux-source-6.12.tar.xz}
cache=${SPDM_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spdm-kernel}
kjobs=${SPDM_KERNEL_JOBS:-$(nproc)}
srcdir=$cache/linux-source-6.12
obj=$cache/obj

[ -r "$tarball" ] || { echo "kernel: $tarball missing; run 'make deps'" >&2; exit 1; }
version=$(dpkg-query -W -f='${Version}' linux-source-6.12)

# One user of the trees at a time (several checkouts may share the cache).
kernel_tree_lock() {
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	flock 9
}

# kernel_tree_reset: the pristine source (unpacked once per source version);
# only the files the series changed since the last build get new times.
kernel_tree_reset() {
	if [ "$(cat "$cache/source.version" 2>/dev/null)" != "$version" ]; then
		echo "kernel: unpacking linux-source-6.12 $version into $cache" >&2
		rm -rf "$srcdir" "$obj" "$cache/source.version"
		tar -xJf "$tarball" -C "$cache"
		git -C "$srcdir" init -q
		# no background gc of the ~90,000 objects while a build runs
		git -C "$srcdir" config gc.auto 0
		git -C "$srcdir" add -A -f
		git -C "$srcdir" -c user.name=base -c user.email=base@localhost \
			commit -q -m "linux-source-6.12 $version"
		git -C "$srcdir" tag -f base >/dev/null
		echo "$version" >"$cache/source.version"
	fi
	git -C "$srcdir" am --abort >/dev/null 2>&1 || true
	git -C "$srcdir" reset -q --hard base
	git -C "$srcdir" clean -qfdx
	mkdir -p "$obj"
}

# kernel_tree_apply PATCH...: git am onto the source tree.
kernel_tree_apply() {
	git -C "$srcdir" -c user.name=spdm -c user.email=spdm@localhost am -q "$@"
}
