# Helpers of the spdm_cma VM tests (tests/vm/tests/cma-*.sh); source after
# tests/vm/lib/guest.sh.
#
#   cma_load [PARAMS]           insmod spdm.ko and spdm_cma.ko; on the patched
#                               kernel: check that PARAMS are in force
#   cma_unload                  rmmod both (nothing on the patched kernel)
#   cma_builtin                 true on the patched kernel (VM_KERNEL=patched)
#   cma_check_unload NAME [CMD] subtest NAME: CMD (default cma_unload) succeeds;
#                               skipped on the patched kernel
#   cma_nvme                    PCI addresses of the emulated NVMe functions
#   cma_sysfs BDF FILE          a file of the device's spdm/ sysfs group
#   cma_wait BDF GEN [S]        until generation GEN finished (default 60 s);
#                               prints its state
#   cma_nl ARGS...              the netlink client (spdmnl.py)
#   cma_json JSON EXPR          evaluate a Python expression on JSON (as "d")
#   tap_match NAME STR PATTERN  ok when STR matches the glob PATTERN

CMA_KO=$SRCDIR/kernel/cma/spdm_cma.ko
SPDM_KO=$SRCDIR/kernel/spdm/spdm.ko

# On the patched kernel the code is built in: its parameters come from the
# kernel command line (the test's "# vm-kernel-args: spdm_cma.NAME=VALUE").
cma_builtin() {
	[ "${VM_KERNEL:-debian}" = patched ]
}

cma_load() {
	local p v
	if cma_builtin; then
		for p in "$@"; do
			v=$(cat "/sys/module/spdm_cma/parameters/${p%%=*}" 2>&1)
			[ "$v" = "${p#*=}" ] && continue
			echo "built-in spdm_cma has ${p%%=*}=$v, the test wants $p:" \
				"boot with spdm_cma.$p (# vm-kernel-args)"
			return 1
		done
		return 0
	fi
	{ grep -q '^spdm ' /proc/modules || insmod "$SPDM_KO"; } && insmod "$CMA_KO" "$@"
}

cma_unload() {
	cma_builtin && return 0
	rmmod spdm_cma && rmmod spdm
}

cma_check_unload() {
	if cma_builtin; then
		tap_skip "$1" "built into the patched kernel"
	else
		tap_check "$1" "${2:-cma_unload}"
	fi
}

cma_nvme() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1b36:0x0010 ] && echo "${d##*/}"
	done
	return 0
}

cma_sysfs() {
	cat "/sys/bus/pci/devices/$1/spdm/$2"
}

cma_wait() {
	local bdf=$1 gen=$2 secs=${3:-60} state
	for _ in $(seq 1 $((secs * 10))); do
		state=$(cma_sysfs "$bdf" state 2>/dev/null)
		if [ "$(cma_sysfs "$bdf" generation 2>/dev/null)" -ge "$gen" ] 2>/dev/null; then
			case $state in
			authenticated | failed) echo "$state"; return 0 ;;
			esac
		fi
		sleep 0.1
	done
	echo "timeout (state ${state:-none})"
	return 1
}

cma_nl() {
	python3 "$SRCDIR/tests/vm/cma/spdmnl.py" "$@"
}

cma_json() {
	python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}

# tap_match NAME STRING PATTERN: ok when STRING matches the glob PATTERN.
tap_match() {
	# shellcheck disable=SC2053
	if [[ $2 == $3 ]]; then
		tap_ok "$1"
	else
		tap_fail "$1" "got: $2" "expected: $3"
	fi
}
