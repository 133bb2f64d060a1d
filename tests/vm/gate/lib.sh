# Helpers of the driver-binding gate VM tests (tests/vm/tests/gate-*.sh);
# source after tests/vm/lib/guest.sh and tests/vm/cma/lib.sh.
#
#   gate_sysfs BDF FILE          a file of the device's spdm_gate/ group
#   gate_nl ARGS...              the gate client (gatenl.py)
#   gate_driver BDF              name of the bound driver, "none" if unbound
#   gate_override BDF            the device's driver_override
#   gate_held BDF                the gate keeps drivers away, the way this kernel
#                                does: the module with its driver_override, the
#                                patched kernel in the PCI core, driver_override
#                                untouched; either way drivers_probe binds nothing
#   gate_wait_driver BDF [S]     until a driver is bound (default 30 s)
#   gate_wait_unbound BDF [S]    until no driver is bound (default 30 s)
#   gate_wait_state BDF STATE [S] until spdm_gate/state is STATE (default 30 s)
#   gate_trace_on / gate_trace   enable spdm:spdm_verdict; print its records
#   nobody CMD...                run CMD as user nobody without groups

gate_sysfs() {
	cat "/sys/bus/pci/devices/$1/spdm_gate/$2"
}

gate_nl() {
	python3 "$SRCDIR/tests/vm/gate/gatenl.py" "$@"
}

gate_driver() {
	local l=/sys/bus/pci/devices/$1/driver
	if [ -e "$l" ]; then
		basename "$(readlink "$l")"
	else
		echo none
	fi
}

gate_override() {
	cat "/sys/bus/pci/devices/$1/driver_override"
}

# The module's hold: a driver_override no driver has (kernel/cma/gate-override.c).
GATE_HOLD_OVERRIDE=spdm_gate_held

gate_held() {
	local state
	state=$(gate_sysfs "$1" state 2>&1)
	case $state in
	held | denied | changed) ;;
	*) echo "spdm_gate/state is $state"; return 1 ;;
	esac
	if cma_builtin; then
		[ "$(gate_override "$1")" != "$GATE_HOLD_OVERRIDE" ] ||
			{ echo "the patched kernel set driver_override"; return 1; }
	else
		[ "$(gate_override "$1")" = "$GATE_HOLD_OVERRIDE" ] ||
			{ echo "driver_override is $(gate_override "$1")"; return 1; }
	fi
	echo "$1" >/sys/bus/pci/drivers_probe 2>/dev/null
	[ "$(gate_driver "$1")" = none ] || { echo "drivers_probe bound $(gate_driver "$1")"; return 1; }
}

gate_wait_unbound() {
	local i
	for i in $(seq 1 $((${2:-30} * 10))); do
		[ -e "/sys/bus/pci/devices/$1/driver" ] || return 0
		sleep 0.1
	done
	echo "still bound to $(gate_driver "$1")"
	return 1
}

gate_wait_driver() {
	local i
	for i in $(seq 1 $((${2:-30} * 10))); do
		[ -e "/sys/bus/pci/devices/$1/driver" ] && return 0
		sleep 0.1
	done
	return 1
}

gate_wait_state() {
	local i
	for i in $(seq 1 $((${3:-30} * 10))); do
		[ "$(gate_sysfs "$1" state 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1
	done
	echo "state is $(gate_sysfs "$1" state 2>&1), expected $2"
	return 1
}

gate_trace_on() {
	echo 1 >/sys/kernel/tracing/events/spdm/spdm_verdict/enable
	echo >/sys/kernel/tracing/trace
}

gate_trace() {
	grep 'spdm_verdict:' /sys/kernel/tracing/trace
}

nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}
