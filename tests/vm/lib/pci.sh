# PCI helpers for VM test scripts; source after guest.sh.

# Print the addresses of the PCI functions with vendor $1 and device $2 (hex, no 0x).
pci_functions() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = "0x$1" ] && [ "$(cat "$d/device")" = "0x$2" ] &&
			echo "${d##*/}"
	done
	return 0
}

# Print the config space offset of extended capability $2 (hex, e.g. 002e) of function $1.
pci_ecap_offset() {
	python3 "$SRCDIR/tests/vm/lib/pci-ecaps.py" "$1" | awk -v id="0x$2" '$1 == id { print $2; f = 1 } END { exit !f }'
}

# Print the NVMe controller (nvmeN) whose serial number is $1, now.
nvme_ctrl_now() {
	local c
	for c in /sys/class/nvme/nvme*; do
		[ -e "$c/serial" ] || continue
		if [ "$(sed 's/ *$//' "$c/serial")" = "$1" ]; then
			echo "${c##*/}"
			return 0
		fi
	done
	return 1
}

# Print the NVMe controller whose serial number is $1, waiting up to 30 s for it.
nvme_ctrl_with_serial() {
	vm_wait 30 nvme_ctrl_now "$1"
}
