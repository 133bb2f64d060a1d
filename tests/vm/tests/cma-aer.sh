# AER recovery re-authenticates (patch 3 of the series). The harness injects
# errors into the root port of a function (QEMU's NVMe function has no AER
# capability; its pcie-root-port has) with pcie_aer_inject_error. A fatal
# error makes the AER driver reset the link below the port (a secondary bus
# reset) and the drivers restore their functions: the function is
# authenticated again (generation + 1), once. With the same identity the
# allowed nvme driver stays bound; a function without a driver (held by the
# gate) is re-authenticated too although no driver restores it; a non-fatal
# error resets nothing and so authenticates nothing. When the device presents
# another identity after the recovery (the responder switches its chain and
# key after two authentications), the same-device check catches it:
# spdm_gate/state "changed", the driver unbound, the function held. The
# out-of-tree module cannot see resets, so the test runs on the patched
# kernel only.
#
# The root ports are 5 GT/s ones: QEMU's ports with ACPI hot-plug (q35's
# default) never set Data Link Layer Link Active, and after a secondary bus
# reset Linux waits for it on a port faster than 5 GT/s (PCIe r6.0 §6.6.1),
# so the link reset would fail; at 5 GT/s it polls the function instead.
# vm-devices: 0
# vm-root-ports: 2
# vm-timeout: 240
# vm-kernels: patched
# vm-kernel-args: spdm_cma.gate_timeout=0
# vm-qemu-args: -global pcie-root-port.x-speed=5
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/lib/pci.sh"

# The kernel log after the mark "vm-test: aer: MARK".
log_since() {
	dmesg | sed -n "/vm-test: aer: $1\$/,\$p"
}

# recovered MARK PORT WHAT: the AER driver reported "device recovery WHAT"
# for PORT after MARK; prints the milliseconds from the mark to that line.
recovered() {
	vm_wait 30 sh -c "dmesg | sed -n '/vm-test: aer: $1\$/,\$p' | grep -q '$2: AER: device recovery $3'" ||
		{ log_since "$1"; return 1; }
	log_since "$1" | grep -e "vm-test: aer: $1\$" -e "$2: AER: device recovery $3" | head -2 |
		tr -d '[]' | awk 'NR == 1 { t = $1 } NR == 2 { printf "%d\n", ($1 - t) * 1000 }'
}

no_ecap() {
	! pci_ecap_offset "$1" "$2" >/dev/null
}

# inject MARK ID ERROR: mark the kernel log, inject ERROR below device ID's
# port; prints the port's address.
inject() {
	vm_log "aer: $1" >/dev/null
	vm_aer_inject "$2" "$3"
}

tap_check "spdm_cma built in, no gate timeout" cma_load gate_timeout=0
modprobe nvme
cma_nl monitor --timeout 220 >"$T/ntf" &
mon=$!
for i in $(seq 50); do grep -q subscribed "$T/ntf" && break; sleep 0.1; done

a=$(vm_device_add ra --switch-identity "2:$BUILD/pki/bad/unknown-root")
tap_check "held, authenticated (generation 1)" test "$(cma_wait "$a" 1) $(gate_sysfs "$a" state)" = "authenticated held"
tap_check "allow for generation 1" test "$(gate_nl verdict "$a" 1 allow)" = ok
tap_check "... binds nvme" gate_wait_driver "$a"
# PCIe r6.0 §7.8.4 (AER, extended capability 0x0001), §7.9.14 (DPC, 0x001d).
tap_check "the NVMe function has no AER capability; the error goes to its port" \
	no_ecap "$a" 0001

t0=$EPOCHREALTIME
port=$(inject fatal1 ra MALF_TLP)
tap_check "fatal error injected at the port" test -n "$port"
ms=$(recovered fatal1 "$port" successful)
tap_check "fatal: the AER driver recovers the port (${ms:-?} ms)" test -n "$ms"
tap_check "fatal: re-authenticated (generation 2)" test "$(cma_wait "$a" 2)" = authenticated
t1=$EPOCHREALTIME
_tap_diag "fatal error to re-authenticated: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }') ms"
sleep 2
tap_check "fatal: exactly one attempt (generation 2)" test "$(cma_sysfs "$a" generation)" = 2
tap_check "fatal: same identity, still allowed, nvme still bound" \
	test "$(gate_sysfs "$a" state) $(gate_driver "$a")" = "allowed nvme"
tap_check "fatal: nvme restarted the controller after the slot reset" \
	sh -c "dmesg | sed -n '/vm-test: aer: fatal1\$/,\$p' | grep -q 'restart after slot reset'"

port=$(inject nonfatal ra POISON_TLP)
ms=$(recovered nonfatal "$port" successful)
tap_check "non-fatal: the AER driver recovers without a reset (${ms:-?} ms)" test -n "$ms"
sleep 2
tap_check "non-fatal: nothing reset, no re-authentication (generation 2)" \
	test "$(cma_sysfs "$a" generation) $(gate_sysfs "$a" state) $(gate_driver "$a")" = "2 allowed nvme"

b=$(vm_device_add rb)
tap_check "driver-less: held, authenticated (generation 1)" test "$(cma_wait "$b" 1) $(gate_sysfs "$b" state)" = "authenticated held"
port=$(inject held rb MALF_TLP)
ms=$(recovered held "$port" failed)
tap_check "driver-less: the AER driver resets the port; no driver, so recovery 'failed' (${ms:-?} ms)" test -n "$ms"
tap_check "driver-less: re-authenticated all the same (generation 2)" test "$(cma_wait "$b" 2 20)" = authenticated
sleep 2
tap_check "driver-less: exactly one attempt, still held" \
	test "$(cma_sysfs "$b" generation) $(gate_sysfs "$b" state)" = "2 held"

port=$(inject fatal2 ra MALF_TLP)
ms=$(recovered fatal2 "$port" successful)
tap_check "other identity: the AER driver recovers the port (${ms:-?} ms)" test -n "$ms"
tap_check "other identity: authenticates (generation 3)" test "$(cma_wait "$a" 3)" = authenticated
tap_check "other identity: spdm_gate/state changed" gate_wait_state "$a" changed 10
tap_check "other identity: the driver is unbound" sh -c \
	"for i in \$(seq 100); do [ -e /sys/bus/pci/devices/$a/driver ] || exit 0; sleep 0.1; done; exit 1"
tap_check "other identity: held by the gate" gate_held "$a"
tap_check "kernel log reports the identity change" sh -c \
	"dmesg | grep -q '$a: SPDM: identity changed at generation 3'"

kill $mon 2>/dev/null
wait $mon 2>/dev/null
tap_check "one identity-changed-ntf, for generation 3" test "$(grep '"identity-changed-ntf"' "$T/ntf" |
	python3 -c 'import json, sys; print(" ".join(str(json.loads(l)["generation"]) for l in sys.stdin))')" = 3
tap_check "the root port has an AER capability" pci_ecap_offset "$port" 0001
tap_check "the root port has no DPC capability (QEMU implements none)" no_ecap "$port" 001d
tap_check "hot-remove" vm_device_del ra
tap_check "hot-remove the driver-less one" vm_device_del rb
tap_done
