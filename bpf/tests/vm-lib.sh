# Helpers of the BPF VM tests (tests/vm/tests/bpf-*.sh); source after
# tests/vm/lib/guest.sh. They load, find and wait for devices with the cma
# tests' helpers (tests/vm/cma/lib.sh: cma_load, cma_nvme, cma_wait, ...).
#
#   bpf_modules_unload            rmmod both, waiting for BPF programs to detach
#   bpf_reauth BDF N              N re-authentications, one after the other
#   bpf_wait_line FILE PATTERN [S [PID]]  until FILE has a line matching
#                                 PATTERN (default 60 s), or PID exits
#   bpf_stop PID...               SIGINT (again while a process still holds all
#                                 its probes), then wait (BPF_STOP_SECS, default
#                                 60); fails unless all exit 0 in time
#   bpf_probe_fds PID             how many perf events and BPF programs PID holds
#   bpf_where PID                 a process's threads: state, kernel stack
#   bpf_verdicts                  hold the devices (load with GATE), then allow
#                                 the first as the agent and deny the second as
#                                 the administrator
#   trace_on / trace_off FILE     ftrace the spdm events (ground truth) into FILE

. "$SRCDIR/tests/vm/cma/lib.sh"

BPF_OUT=$BUILD/bpf
TRACEFS=/sys/kernel/tracing

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

# Module parameters that hold the devices present at load until a verdict.
GATE="gate_present=hold gate_timeout=0"

bpf_verdicts() {
	local gate=$SRCDIR/tests/vm/gate/gatenl.py
	python3 "$gate" verdict "$1" "$(cma_sysfs "$1" generation)" allow --source agent --reason "rule 3" &&
		python3 "$gate" verdict "$2" "$(cma_sysfs "$2" generation)" deny --source admin
}

bpf_reauth() {
	local bdf=$1 n=$2 i gen
	for i in $(seq 1 "$n"); do
		gen=$(($(cma_sysfs "$bdf" generation) + 1))
		echo 1 >"/sys/bus/pci/devices/$bdf/spdm/authenticated" || return 1
		cma_wait "$bdf" "$gen" >/dev/null || return 1
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
#
# bpftrace 0.17 notices SIGINT only when the signal interrupts its
# epoll_wait() or when a traced event arrives after it: a SIGINT delivered
# while it is between two epoll_wait() calls (likely on a busy single-vCPU
# guest, where a timed-out waiter can wait long for the CPU) sets its exit
# flag and is then never looked at again. Like a user pressing Ctrl-C a second
# time, SIGINT is sent again to a process that still holds every probe it
# held before the first one. Once it starts detaching (its END and final maps
# are on their way) it is left alone: a SIGINT then would cut short the read
# of END's output. A process still running BPF_STOP_SECS (default 60) after
# the first SIGINT fails the test; where its threads sleep is printed, then it
# is killed.
bpf_stop() {
	local pid rc=0 st i alive
	declare -A held
	for pid in "$@"; do
		held[$pid]=$(bpf_probe_fds "$pid")
	done
	kill -INT "$@"
	for i in $(seq 1 $((${BPF_STOP_SECS:-60} * 10))); do
		alive=
		for pid in "$@"; do
			kill -0 "$pid" 2>/dev/null || continue
			alive="$alive $pid"
			[ $((i % 10)) -eq 0 ] || continue
			[ "$(bpf_probe_fds "$pid")" = "${held[$pid]}" ] || continue
			echo "pid $pid: SIGINT again, it still holds all its probes"
			kill -INT "$pid"
		done
		[ -z "$alive" ] && break
		sleep 0.1
	done
	for pid in $alive; do
		echo "pid $pid still running ${BPF_STOP_SECS:-60} s after SIGINT:"
		bpf_where "$pid"
		kill -KILL "$pid"
	done
	for pid in "$@"; do
		wait "$pid"
		st=$?
		[ $st -eq 0 ] && continue
		echo "pid $pid exited with status $st"
		rc=1
	done
	return $rc
}

# How many perf events and BPF programs PID holds open (its probes).
bpf_probe_fds() {
	local f n=0
	for f in /proc/"$1"/fd/*; do
		case $(readlink "$f" 2>/dev/null) in
		*perf_event* | *bpf-prog* | *bpf_link*) n=$((n + 1)) ;;
		esac
	done
	echo "$n"
}

# Where the threads of PID are: command line, state, kernel stack.
bpf_where() {
	local t
	tr '\0' ' ' <"/proc/$1/cmdline"
	echo
	grep -E '^(State|SigIgn|SigCgt|SigPnd|ShdPnd):' "/proc/$1/status"
	for t in /proc/"$1"/task/*; do
		echo "thread ${t##*/} $(cat "$t/comm") $(grep '^State:' "$t/status") wchan=$(cat "$t/wchan")"
		cat "$t/stack" 2>/dev/null
	done
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
