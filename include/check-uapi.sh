#!/bin/bash
# Prove that the committed uapi header is what the spec generates, that it
# compiles on its own, and that the kernel's YNL library accepts the spec.
# usage: check-uapi.sh GENERATED_HEADER YNL_TREE TAP_FILE
set -u
gen=$1 ynl=$2 tap=$3
cd "$(dirname "$0")" || exit 1
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

diff -u uapi/linux/spdm.h "$gen" >&2
result uapi_header_matches_spec $?

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
