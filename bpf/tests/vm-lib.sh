# Helpers of the BPF VM tests (tests/vm/tests/bpf-*.sh); source after
# tests/vm/lib/guest.sh.
#
#   bpf_modules_load              insmod spdm.ko and spdm_cma.ko
#   bpf_modules_unload            rmmod both, waiting for BPF programs to detach
#   bpf_nvme                      PCI addresses of the emulated NVMe functions
#   bpf_gen BDF                   the device's authentication generation
#   bpf_wait BDF GEN              until generation GEN finished; prints its state
#   bpf_reauth BDF N              N re-authentications, one after the other
#   bpf_wait_line FILE PATTERN [S [PID]]  until FILE has a line matching
#                                 PATTERN (default 60 s), or PID exits
#   bpf_stop PID...               SIGINT, then wait; fails unless all exit 0
#   trace_on / trace_off FILE     ftrace the spdm events (ground truth) into FILE

BPF_OUT=$BUILD/bpf
SPDM_KO=$SRCDIR/kernel/spdm/spdm.ko
CMA_KO=$SRCDIR/kernel/cma/spdm_cma.ko
TRACEFS=/sys/kernel/tracing

bpf_modules_load() {
	insmod "$SPDM_KO" && insmod "$CMA_KO"
}

# rmmod fails with EBUSY while a BPF program is still attached: a tool that
# just exited may not have released its links yet.
bpf_modules_unload() {
	local i
	for i in $(seq 1 100); do
		rmmod spdm_cma 2>/dev/null && break
		sleep 0.1
	done
	grep -q '^spdm_cma ' /proc/modules && { rmmod spdm_cma; return 1; }
	rmmod spdm
}

bpf_nvme() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1b36:0x0010 ] && echo "${d##*/}"
	done
	return 0
}

bpf_gen() {
	cat "/sys/bus/pci/devices/$1/spdm/generation"
}

bpf_wait() {
	local bdf=$1 gen=$2 i state
	for i in $(seq 1 600); do
		state=$(cat "/sys/bus/pci/devices/$bdf/spdm/state" 2>/dev/null)
		if [ "$(bpf_gen "$bdf" 2>/dev/null)" -ge "$gen" ] 2>/dev/null; then
			case $state in
			authenticated | failed) echo "$state"; return 0 ;;
			esac
		fi
		sleep 0.1
	done
	echo "timeout (state ${state:-none})"
	return 1
}

bpf_reauth() {
	local bdf=$1 n=$2 i gen
	for i in $(seq 1 "$n"); do
		gen=$(($(bpf_gen "$bdf") + 1))
		echo 1 >"/sys/bus/pci/devices/$bdf/spdm/authenticated" || return 1
		bpf_wait "$bdf" "$gen" >/dev/null || return 1
	done
}

bpf_wait_line() {
	local i
	for i in $(seq 1 $((${3:-60} * 10))); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		[ -n "$4" ] && ! kill -0 "$4" 2>/dev/null && break
		sleep 0.1
	done
	echo "no line matching '$2' in $1:" >&2
	cat "$1" >&2
	return 1
}

# Call it in the shell that started the PIDs (not in $(...)): only that one
# can wait for them.
bpf_stop() {
	local pid rc=0 st
	kill -INT "$@"
	for pid in "$@"; do
		wait "$pid"
		st=$?
		[ $st -eq 0 ] && continue
		echo "pid $pid exited with status $st"
		rc=1
	done
	return $rc
}

trace_on() {
	echo 0 >"$TRACEFS/tracing_on"
	echo >"$TRACEFS/trace"
	echo 1 >"$TRACEFS/events/spdm/enable"
	echo 1 >"$TRACEFS/tracing_on"
}

trace_off() {
	echo 0 >"$TRACEFS/events/spdm/enable"
	grep -E 'spdm_(exchange|auth|verdict):' "$TRACEFS/trace" >"$1"
}
