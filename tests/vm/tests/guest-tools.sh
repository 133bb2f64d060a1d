# vm-devices: 1
. "$SRCDIR/tests/vm/lib/guest.sh"
tap_check "bash runs" true
tap_check "python3 runs" python3 -c 'print(1)'
tap_check "bpftool runs" bpftool version
tap_check "bpftrace runs" bpftrace --version
tap_check "modprobe nvme" modprobe nvme
ls /sys/bus/pci/devices; cat /sys/bus/pci/devices/*/vendor; mount | head -30
tap_done
