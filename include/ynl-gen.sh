#!/bin/bash
# Generate from the YNL spec what the tree checks in: the uapi header, and
# the kernel's policies, split ops and family (kernel/cma/netlink-gen.[ch]),
# with ynl-gen-c.py of the kernel's tools/net/ynl.
# usage: ynl-gen.sh YNL_TREE SPEC OUT_DIR
# writes OUT_DIR/include/uapi/linux/spdm.h and OUT_DIR/kernel/cma/netlink-gen.[ch]
set -eu
ynl=$1 spec=$2 out=$3
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

# ynl-gen-c.py names the spec by its path below a tree holding MAINTAINERS
# (the header comment says "include/spdm.yaml") and validates it against
# genetlink.yaml two directories above it.
touch "$tree/MAINTAINERS"
mkdir -p "$tree/include" "$out/include/uapi/linux" "$out/kernel/cma"
cp "$ynl/Documentation/netlink/genetlink.yaml" "$tree/"
cp "$spec" "$tree/include/spdm.yaml"
gen() {
	python3 "$ynl/tools/net/ynl/ynl-gen-c.py" --spec "$tree/include/spdm.yaml" "$@"
}
gen --mode uapi --header -o "$out/include/uapi/linux/spdm.h"
gen --mode kernel --header -o "$out/kernel/cma/netlink-gen.h"
gen --mode kernel --source -o "$out/kernel/cma/netlink-gen.c"
