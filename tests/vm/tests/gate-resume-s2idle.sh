# Re-authentication across a real suspend to idle: devices are suspended
# (the NVMe functions to D3hot) and resumed, and the guest is woken by the
# host (vm_suspend: a byte on its serial port, whose interrupt is armed for
# wakeup). Every tracked function authenticates again, exactly once
# (generation + 1): the one presenting the identity its allow accepted
# stays bound, the one whose responder switched to another identity is
# caught by the same-device check: unbound, held (spdm_gate/state changed),
# bound again by an allow for the new generation.
#
# Who re-authenticates differs: Debian's kernel with the modules does it
# from the PM notifier, once tasks are thawed; the patched kernel from
# pci_restore_state() at resume_noirq, before the driver's resume callback,
# and the PM notifier leaves alone a function the restore already covered.
# The kernel log says which (kernel/cma/README.md).
#
# vm-suspend puts the 9p shares behind PCIe ports with No_Soft_Reset, so
# the guest's root survives the cycle (tests/vm/README.md).
# vm-devices: 0
# vm-root-ports: 2
# vm-timeout: 240
# vm-suspend: yes
# vm-kernel-args: spdm_cma.gate_timeout=0
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"

tap_check "modules load (gate_timeout=0: no timeout)" cma_load gate_timeout=0
modprobe nvme
same=$(vm_device_add rs)
other=$(vm_device_add ro --switch-identity "1:$BUILD/pki/bad/unknown-root")
for d in "$same" "$other"; do
	tap_check "$d: authenticated (generation 1)" test "$(cma_wait "$d" 1)" = authenticated
	tap_check "$d: allowed" test "$(gate_nl verdict "$d" 1 allow)" = ok
	tap_check "$d: nvme binds" gate_wait_driver "$d"
done

# Every device's PM callbacks in the log (pm_print_times), and the
# suspend-to-idle loop's own lines (pm_debug_messages).
echo 1 >/sys/power/pm_print_times
echo 1 >/sys/power/pm_debug_messages
ok_before=$(cat /sys/power/suspend_stats/success)
vm_log "suspend cycle starts"
t0=$(date +%s%N)
tap_check "suspend to idle, woken by the host" vm_suspend
vm_log "suspend cycle took $(( ($(date +%s%N) - t0) / 1000000 )) ms"
echo 0 >/sys/power/pm_print_times
echo 0 >/sys/power/pm_debug_messages
# The kernel log of the cycle, from the marker on.
dmesg | sed -n '/vm-test: suspend cycle starts/,$p' >"$T/cycle"

tap_check "a complete suspend (suspend_stats/success + 1)" \
	test "$(cat /sys/power/suspend_stats/success)" = $((ok_before + 1))
tap_check "suspend to idle entered and left" sh -c \
	"grep -q 'PM: suspend entry (s2idle)' $T/cycle && grep -q 'PM: suspend-to-idle' $T/cycle &&
	 grep -q 'PM: resume from suspend-to-idle' $T/cycle"
tap_check "woken by the serial port's interrupt" grep -q 'PM: Triggering wakeup from IRQ 4' "$T/cycle"
for d in "$same" "$other"; do
	tap_check "$d: suspended and resumed (noirq callbacks)" sh -c \
		"grep -q 'nvme $d: PM: pci_pm_suspend_noirq returned 0' $T/cycle &&
		 grep -q 'nvme $d: PM: pci_pm_resume_noirq returned 0' $T/cycle"
done

tap_check "same identity: re-authenticated after resume (generation 2)" test "$(cma_wait "$same" 2)" = authenticated
tap_check "same identity: still allowed and bound" test "$(gate_sysfs "$same" state) $(gate_driver "$same")" = "allowed nvme"
tap_check "other identity: re-authenticated after resume (generation 2)" test "$(cma_wait "$other" 2)" = authenticated
tap_check "other identity: spdm_gate/state changed" gate_wait_state "$other" changed 10
tap_check "other identity: unbound" sh -c \
	"for i in \$(seq 100); do [ -e /sys/bus/pci/devices/$other/driver ] || exit 0; sleep 0.1; done; exit 1"
tap_check "other identity: held" gate_held "$other"
tap_check "the kernel log reports the change" sh -c \
	"dmesg | grep -q '$other: SPDM: identity changed at generation 2: '"

# Which path re-authenticated, and that it was the only one.
dmesg | sed -n '/vm-test: suspend cycle starts/,$p' >"$T/cycle"
for d in "$same" "$other"; do
	if cma_builtin; then
		tap_check "$d: re-authenticated by the restore at resume_noirq, before the driver resumed" sh -c \
			"sed -n '/nvme $d: PM: calling pci_pm_resume_noirq/,/nvme $d: PM: calling pci_pm_resume /p' $T/cycle |
			 grep -q '$d: SPDM: state restored: re-authenticating (generation 2)'"
		tap_check "$d: not again by the PM notifier" sh -c "! grep -q '$d: SPDM: re-authenticating after system resume' $T/cycle"
	else
		tap_check "$d: re-authenticated by the PM notifier" \
			grep -q "$d: SPDM: re-authenticating after system resume (generation 2)" "$T/cycle"
	fi
done
sleep 3
tap_check "exactly one re-authentication each (generation still 2)" \
	test "$(cma_sysfs "$same" generation) $(cma_sysfs "$other" generation)" = "2 2"

tap_check "allow for generation 2 binds the other again" test "$(gate_nl verdict "$other" 2 allow)" = ok
tap_check "... nvme binds" gate_wait_driver "$other"

tap_check "hot-remove the first" vm_device_del rs
tap_check "hot-remove the second" vm_device_del ro
cma_check_unload "modules unload"
tap_done
