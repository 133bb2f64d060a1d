#!/bin/bash
# Each public header compiles on its own, as the first include of a file, in
# both builds of the library: the kernel's (Kbuild against KDIR, the
# kernel's own "spdm-types.h") and user space's (cc, lib/spdm-types.h). One
# TAP line per header and build.
#
# usage: header-check.sh KDIR WORKDIR TAP_FILE HEADER...
set -u
kdir=$1 work=$2 tap=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cc=${CC:-cc}

rm -rf "$work" && mkdir -p "$work" && work=$(cd "$work" && pwd) || exit 2
n=0 fail=0 out=""
result() { # result OK NAME LOG
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		line="ok $n - $2"
	else
		fail=1
		line="not ok $n - $2"$'\n'$(sed 's/^/# /' "$3")
	fi
	out+="$line"$'\n'
	printf '%s\n' "$line"
}

for h; do
	dir=$(cd "$(dirname "$h")" && pwd) base=$(basename "$h" .h)
	obj=hdr-${base//[^a-zA-Z0-9]/_}
	kwork=$work/$obj
	mkdir -p "$kwork"
	printf '#include "%s"\n' "$(basename "$h")" >"$kwork/$obj.c"
	printf 'obj-m := %s.o\nccflags-y := -Werror -I%s -I%s/linux\n' \
		"$obj" "$dir" "$dir" >"$kwork/Kbuild"
	make -s -C "$kdir" M="$kwork" "$obj.o" >"$kwork/log" 2>&1
	result $? "$h: kernel build" "$kwork/log"

	"$cc" -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -I"$dir" -I"$root/lib" \
		"$kwork/$obj.c" >"$work/$obj.user.log" 2>&1
	result $? "$h: user-space build" "$work/$obj.user.log"
done

mkdir -p "$(dirname "$tap")"
printf '1..%d\n%s' "$n" "$out" >"$tap"
exit $fail
