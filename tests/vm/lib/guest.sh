# Functions for VM test scripts (tests/vm/tests/NAME.sh); source this file.
#
#   tap_ok NAME              a subtest passed
#   tap_fail NAME [WHY]      a subtest failed
#   tap_skip NAME WHY        a subtest was skipped
#   tap_check NAME CMD...    ok when CMD succeeds; its output is shown when it fails
#   tap_done                 print the plan (call once at the end)
#   vm_device_add ID [ARGS]  hot-add an NVMe device with a responder started with ARGS;
#                            prints the new function's PCI address once the guest sees it
#   vm_device_del ID         hot-remove device ID; returns once the guest no longer sees it
#   vm_device_bdf ID         print the PCI address of device ID (boot-time ones: nvme0, nvme1, ...)
#   vm_aer_inject ID ERROR   inject AER error ERROR (a QEMU name: MALF_TLP fatal, POISON_TLP
#                            non-fatal, BAD_TLP correctable) into the root port of device ID;
#                            prints the port's PCI address
#   vm_log MSG               write MSG to the kernel log (and so to the console log)
#   vm_wait SECS CMD...      retry CMD until it succeeds, at most SECS seconds
#   vm_suspend               suspend to idle; the host wakes the guest (vm-suspend: yes)
#
# Subtest results go to stdout and to $VM_RUNDIR/subtests.tap, which the host
# turns into lines of $(BUILD)/tap/vm.tap.

_tap_n=0

_tap_emit() {
	_tap_n=$((_tap_n + 1))
	echo "$1 $_tap_n - $2"
	[ -n "${VM_RUNDIR:-}" ] && echo "$1 $_tap_n - $2" >>"$VM_RUNDIR/subtests.tap"
	return 0
}

# Diagnostic lines (TAP "# ..."), from arguments or stdin.
_tap_diag() {
	local line
	if [ $# -gt 0 ]; then
		printf '%s\n' "$*"
	else
		cat
	fi | while IFS= read -r line; do
		echo "# $line"
		[ -n "${VM_RUNDIR:-}" ] && echo "# $line" >>"$VM_RUNDIR/subtests.tap"
	done
	return 0
}

tap_ok() {
	_tap_emit ok "$1"
}

tap_fail() {
	_tap_emit "not ok" "$1"
	[ $# -gt 1 ] && _tap_diag "${*:2}"
	return 0
}

tap_skip() {
	_tap_emit ok "$1 # SKIP ${*:2}"
}

tap_check() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		tap_ok "$name"
	else
		tap_fail "$name" "command failed (exit $rc): $*"
		[ -z "$out" ] || printf '%s\n' "$out" | tail -n 40 | _tap_diag
	fi
	return $rc
}

tap_done() {
	echo "1..$_tap_n"
}

vm_log() {
	echo "vm-test: $*" >/dev/kmsg
	echo "vm-test: $*"
}

# The control channel to the host harness: a virtio-serial port named vmctl.
_vm_ctl_port() {
	local f
	for f in /sys/class/virtio-ports/*/name; do
		[ "$(cat "$f" 2>/dev/null)" = vmctl ] || continue
		f=${f%/name}
		echo "/dev/${f##*/}"
		return 0
	done
	echo "vm: no vmctl virtio-serial port" >&2
	return 1
}

vm_ctl_send() {
	local port
	port=$(_vm_ctl_port) || return 1
	echo "$*" >"$port"
}

# Send one request and print the host's reply ("ok ..." or "error ...").
_vm_ctl_request() {
	local port fd reply
	port=$(_vm_ctl_port) || return 1
	exec {fd}<>"$port"
	echo "$*" >&$fd
	IFS= read -r reply <&$fd
	exec {fd}>&-
	echo "$reply"
}

# Retry CMD every 0.1 s until it succeeds, for at most SECS seconds.
vm_wait() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.1
	done
}

vm_device_add() {
	local id=$1 reply bdf
	[ -n "$id" ] || { echo "usage: vm_device_add ID [RESPONDER ARGS...]" >&2; return 2; }
	shift
	reply=$(_vm_ctl_request "add $id $*") || return 1
	case $reply in
	"ok "*) bdf=${reply#ok } ;;
	*) echo "vm_device_add $id: ${reply:-no reply}" >&2; return 1 ;;
	esac
	vm_wait 30 test -e "/sys/bus/pci/devices/$bdf" ||
		{ echo "vm_device_add $id: $bdf did not appear in the guest" >&2; return 1; }
	echo "$bdf"
}

vm_device_del() {
	local id=$1 reply bdf
	[ -n "$id" ] || { echo "usage: vm_device_del ID" >&2; return 2; }
	reply=$(_vm_ctl_request "del $id") || return 1
	case $reply in
	"ok "*) bdf=${reply#ok } ;;
	*) echo "vm_device_del $id: ${reply:-no reply}" >&2; return 1 ;;
	esac
	vm_wait 30 test ! -e "/sys/bus/pci/devices/$bdf" ||
		{ echo "vm_device_del $id: $bdf is still present in the guest" >&2; return 1; }
}

vm_device_bdf() {
	local reply
	[ -n "$1" ] || { echo "usage: vm_device_bdf ID" >&2; return 2; }
	reply=$(_vm_ctl_request "bdf $1") || return 1
	case $reply in
	"ok "*) echo "${reply#ok }" ;;
	*) echo "vm_device_bdf $1: ${reply:-no reply}" >&2; return 1 ;;
	esac
}

vm_aer_inject() {
	local reply
	[ -n "$1" ] && [ -n "$2" ] || { echo "usage: vm_aer_inject ID ERROR" >&2; return 2; }
	reply=$(_vm_ctl_request "aer $1 $2") || return 1
	case $reply in
	"ok "*) echo "${reply#ok }" ;;
	*) echo "vm_aer_inject $1 $2: ${reply:-no reply}" >&2; return 1 ;;
	esac
}

# Suspend to idle, woken by the host: it writes to the serial port, whose
# interrupt is armed for wakeup, every second until the guest speaks again.
# A byte that arrives while devices suspend aborts that suspend with EBUSY;
# then try again. Needs "# vm-suspend: yes" (tests/vm/README.md).
vm_suspend() {
	local try err reply
	echo enabled >/sys/class/tty/ttyS0/power/wakeup || return 1
	reply=$(_vm_ctl_request wake) || return 1
	[ "$reply" = ok ] || { echo "vm_suspend: ${reply:-no reply}" >&2; return 1; }
	for try in 1 2 3; do
		err=$( (echo freeze >/sys/power/state) 2>&1) && break
		echo "suspend attempt $try: $err" >&2
		case $err in
		*"busy"*) ;;
		*) break ;;
		esac
	done
	vm_ctl_send awake
	[ -z "$err" ]
}
