# A function reset re-authenticates from pci_restore_state() (patch 3 of the
# series): sysfs "reset" (an FLR on QEMU's NVMe function) brings generation
# + 1 with the same identity, and the allowed driver stays bound; when the
# device presents another identity after the next reset (the responder
# switches its certificate chain and key after two authentications), the
# same-device check catches it: identity-changed-ntf, spdm_gate/state
# "changed", the driver unbound and the function held for a new verdict.
# The out-of-tree module cannot see resets (kernel/cma/README.md: the reset
# gap), so the test runs on the patched kernel only.
# vm-devices: 0
# vm-root-ports: 1
# vm-timeout: 180
# vm-kernels: patched
# vm-kernel-args: spdm_cma.gate_timeout=0
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"

tap_check "spdm_cma built in, no gate timeout" cma_load gate_timeout=0
modprobe nvme
cma_nl monitor --timeout 150 >"$T/ntf" &
mon=$!
for i in $(seq 50); do grep -q subscribed "$T/ntf" && break; sleep 0.1; done

a=$(vm_device_add ra --switch-identity "2:$BUILD/pki/bad/unknown-root")
tap_check "held, authenticated (generation 1)" test "$(cma_wait "$a" 1) $(gate_sysfs "$a" state)" = "authenticated held"
tap_check "allow for generation 1" test "$(gate_nl verdict "$a" 1 allow)" = ok
tap_check "... binds nvme" gate_wait_driver "$a"
tap_check "the function has a reset method" test -w "/sys/bus/pci/devices/$a/reset"

echo 1 >"/sys/bus/pci/devices/$a/reset"
tap_check "reset: re-authenticated (generation 2)" test "$(cma_wait "$a" 2)" = authenticated
tap_check "reset: exactly one attempt (generation 2)" test "$(cma_sysfs "$a" generation)" = 2
tap_check "reset: same identity, still allowed, nvme still bound" \
	test "$(gate_sysfs "$a" state) $(gate_driver "$a")" = "allowed nvme"

echo 1 >"/sys/bus/pci/devices/$a/reset"
tap_check "reset, other identity: authenticates (generation 3)" test "$(cma_wait "$a" 3)" = authenticated
tap_check "reset, other identity: spdm_gate/state changed" gate_wait_state "$a" changed 10
tap_check "reset, other identity: the driver is unbound" gate_wait_unbound "$a" 10
tap_check "reset, other identity: held by the gate" gate_held "$a"
tap_check "kernel log reports the identity change" sh -c \
	"dmesg | grep -q '$a: SPDM: identity changed at generation 3'"

kill $mon 2>/dev/null
wait $mon 2>/dev/null
tap_check "one identity-changed-ntf, for generation 3" test "$(grep '"identity-changed-ntf"' "$T/ntf" |
	python3 -c 'import json, sys; print(" ".join(str(json.loads(l)["generation"]) for l in sys.stdin))')" = 3
tap_check "hot-remove" vm_device_del ra
tap_done
