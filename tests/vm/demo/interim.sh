# Interim demo (until the SPDM authentication demo exists): boot a guest with
# one emulated NVMe device and show what the guest sees of it: the function,
# its DOE mailbox, and the CMA protocol the kernel finds on that mailbox.
# vm-devices: 1
. "$SRCDIR/tests/vm/lib/guest.sh" >/dev/null
. "$SRCDIR/tests/vm/lib/pci.sh"

# Subtest lines go to the run's TAP file only; the demo prints its own lines.
_tap_emit() {
	_tap_n=$((_tap_n + 1))
	echo "$1 $_tap_n - $2" >>"$VM_RUNDIR/subtests.tap"
	[ "$1" = ok ] || echo "  FAILED: $2"
}

cfg() { cat "/sys/bus/pci/devices/$bdf/$1"; }

echo "This is the INTERIM demo: the guest's view of one emulated SPDM-capable device."
echo "The full demo (authentication, policy, audit) replaces it when those parts land."
echo
echo "guest kernel: $(uname -r)"
bdf=$(pci_functions 1b36 0010)
if [ -n "$bdf" ]; then tap_ok "device seen"; else tap_fail "device seen"; fi
echo "device:       $bdf  vendor $(cfg vendor) device $(cfg device) class $(cfg class)" \
	"(NVMe), subsystem $(cfg subsystem_vendor):$(cfg subsystem_device)"
if off=$(pci_ecap_offset "$bdf" 002e); then tap_ok "DOE capability"; else tap_fail "DOE capability"; fi
echo "DOE mailbox:  extended capability 0x2E at config space offset ${off:-none}"
insmod "$SRCDIR/tests/vm/modules/doe_probe.ko"
line=$(dmesg | grep "$bdf: doe_probe:")
case $line in
*"CMA yes"*) tap_ok "CMA protocol" ;;
*) tap_fail "CMA protocol" ;;
esac
echo "protocols:    ${line#*DOE capability at *, } (PCI-SIG vendor 0x0001, types 1 and 2)"
rmmod doe_probe
modprobe nvme
if ctrl=$(nvme_ctrl_with_serial vm-nvme0); then tap_ok "nvme driver"; else tap_fail "nvme driver"; fi
echo "driver:       nvme bound as $ctrl, model '$(sed 's/ *$//' "/sys/class/nvme/$ctrl/model")'," \
	"serial $(sed 's/ *$//' "/sys/class/nvme/$ctrl/serial")"
echo "SPDM:         QEMU connected the device's mailbox to the responder named above;"
echo "              nothing in the guest talks SPDM to it yet."
