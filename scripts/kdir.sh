#!/bin/sh
# Print the build directory of the Debian 6.12 kernel headers we target.
# Not the running kernel: the running kernel is not our target.
for d in /usr/src/linux-headers-6.12.*-amd64; do
	[ -f "$d/Makefile" ] && k="$d"
done
[ -n "${k:-}" ] || { echo "kdir: no linux-headers-6.12.*-amd64 found; run 'make deps'" >&2; exit 1; }
echo "$k"
