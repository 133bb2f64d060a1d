# Hot-add and hot-remove of an NVMe device with a DOE mailbox through QMP,
# seen by the guest, and the nvme driver following it.
# vm-devices: 0
# vm-root-ports: 2
# vm-timeout: 180
# The built-in CMA must not hold the hot-added function: this test is about hot-plug.
# vm-kernel-args: spdm_cma.gate_mode=off
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/lib/pci.sh"

modprobe nvme
tap_check "no NVMe function before hot-add" test -z "$(pci_functions 1b36 0010)"
if bdf=$(vm_device_add hot0 2>"$T/add.err"); then
	tap_ok "hot-add hot0"
else
	tap_fail "hot-add hot0" "$(cat "$T/add.err")"
fi
tap_check "hot-added function is 1b36:0010" test "$(pci_functions 1b36 0010)" = "$bdf"
tap_check "vm_device_bdf hot0 names it" test "$(vm_device_bdf hot0)" = "$bdf"
tap_check "hot-added function has a DOE capability" pci_ecap_offset "$bdf" 002e
tap_check "nvme driver binds to hot0" nvme_ctrl_with_serial vm-hot0
tap_check "hot-remove hot0" vm_device_del hot0
tap_check "function gone after hot-remove" test ! -e "/sys/bus/pci/devices/$bdf"
if vm_device_bdf hot0 >/dev/null 2>&1; then
	tap_fail "vm_device_bdf forgets hot0"
else
	tap_ok "vm_device_bdf forgets hot0"
fi
tap_check "no controller left with serial vm-hot0" \
	sh -c '! grep -qs "^vm-hot0 *$" /sys/class/nvme/nvme*/serial'
if vm_device_del nosuch 2>/dev/null; then
	tap_fail "removing an unknown device is refused"
else
	tap_ok "removing an unknown device is refused"
fi
tap_done
