#!/bin/bash
# Prove that the checked-in files generated from the spec (uapi header,
# kernel/cma/netlink-gen.[ch]) are what the spec generates, that the uapi
# header compiles on its own, that the kernel's YNL library accepts the spec,
# and that this check fails when spec and files disagree.
#
# usage: check-uapi.sh YNL_TREE TAP_FILE
#        check-uapi.sh --diff YNL_TREE SPEC   only regenerate from SPEC and
#                                             diff; exit 1 on any difference
set -u
cd "$(dirname "$0")" || exit 1
GENERATED="include/uapi/linux/spdm.h kernel/cma/netlink-gen.h kernel/cma/netlink-gen.c"

# diff_generated YNL_TREE SPEC: the checked-in files against SPEC's output.
diff_generated() {
	local out f rc=0

	out=$(mktemp -d) || return 2
	if ! ./ynl-gen.sh "$1" "$2" "$out" >&2; then
		rm -rf "$out"
		return 2
	fi
	for f in $GENERATED; do
		diff -u --label "$f" --label "$f (from $2)" "../$f" "$out/$f" >&2 || rc=1
	done
	rm -rf "$out"
	return $rc
}

if [ "${1-}" = --diff ]; then
	diff_generated "$2" "$3"
	exit
fi

ynl=$1 tap=$2
mkdir -p "$(dirname "$tap")"
n=0 fail=0
out=""
result() { # result NAME STATUS [why]
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		out+="ok $n - $1"$'\n'; echo "ok $n - $1"
	else
		fail=1; out+="not ok $n - $1${3:+ # $3}"$'\n'; echo "not ok $n - $1"
	fi
}

diff_generated "$ynl" spdm.yaml
result generated_files_match_spec $? "run make -C include regen"

# The check itself: a spec that disagrees with the checked-in files fails it,
# in the kernel policy alone (the uapi header is the same) and in the uapi.
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
mutate_fails() { # mutate_fails NAME SED_SCRIPT FILE_THAT_MUST_DIFFER
	sed "$2" spdm.yaml >"$tmp/spdm.yaml"
	if cmp -s spdm.yaml "$tmp/spdm.yaml"; then
		result "$1" 1 "the mutation changed nothing"
		return
	fi
	./check-uapi.sh --diff "$ynl" "$tmp/spdm.yaml" 2>"$tmp/diff"
	if [ $? = 1 ] && grep -q "^+++ $3 " "$tmp/diff"; then
		result "$1" 0
	else
		result "$1" 1 "no difference in $3"
	fi
}
mutate_fails check_fails_on_kernel_policy_drift \
	'/^        name: verdict$/,/min:/s/min: 1/min: 0/' kernel/cma/netlink-gen.c
mutate_fails check_fails_on_kernel_hook_drift \
	'/^      name: verdict$/,/pre:/s/pre: .*/pre: none/' kernel/cma/netlink-gen.h
mutate_fails check_fails_on_uapi_drift \
	'/^    name: reason-max-len$/,/value:/s/value: 255/value: 127/' \
	include/uapi/linux/spdm.h

echo '#include "uapi/linux/spdm.h"
int main(void) { return SPDM_CMD_MAX + SPDM_A_DEVICE_MAX + SPDM_A_CHUNK_MAX; }' |
	gcc -x c -Wall -Wextra -Werror -I. -o /dev/null -
result uapi_header_compiles_standalone $?

PYTHONPATH=$ynl/tools/net python3 - spdm.yaml "$ynl/Documentation/netlink/genetlink.yaml" <<'PY'
import sys
from ynl.lib import SpecFamily
f = SpecFamily(sys.argv[1], sys.argv[2])
assert f.name == "spdm"
assert set(f.msgs) >= {"device-get", "authenticate", "verdict", "device-added-ntf",
                       "auth-done-ntf", "verdict-ntf", "device-removed-ntf"}
assert "monitor" in [g["name"] for g in f.yaml["mcast-groups"]["list"]]
PY
result ynl_library_loads_spec $?

printf '1..%d\n%s' "$n" "$out" >"$tap"
exit $fail
