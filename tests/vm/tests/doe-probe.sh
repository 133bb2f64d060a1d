# The guest sees an emulated NVMe function with a DOE mailbox, and the kernel
# finds the CMA data object type on it (pci_find_doe_mailbox, via doe_probe.ko).
# vm-devices: 1
# vm-timeout: 120
# vm-kernels: debian
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/lib/pci.sh"

mod=$SRCDIR/tests/vm/modules/doe_probe.ko
bdfs=$(pci_functions 1b36 0010)
bdf=${bdfs%%$'\n'*}

tap_check "one NVMe function 1b36:0010" test "$(echo "$bdfs" | grep -c .)" -eq 1
tap_check "vm_device_bdf nvme0 names it" test "$(vm_device_bdf nvme0)" = "$bdf"
tap_check "DOE extended capability (0x2E) in config space" pci_ecap_offset "$bdf" 002e
tap_check "doe_probe loads" insmod "$mod"
tap_check "kernel finds the CMA data object type on one function" \
	grep -qx 1 /sys/module/doe_probe/parameters/cma_functions
tap_check "CMA mailbox reported for $bdf" \
	sh -c "dmesg | grep -q '$bdf: doe_probe: DOE capability at .*, CMA yes'"
tap_check "doe_probe unloads" rmmod doe_probe
tap_check "modprobe nvme" modprobe nvme
tap_check "nvme driver binds to the device" nvme_ctrl_with_serial vm-nvme0
tap_done
