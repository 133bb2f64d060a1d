# spdmctl generate-policy pins the devices present; installed, that policy
# allows them and nothing else: a device hot-added later, with a chain that
# verifies against the same trust store but another leaf, is denied.
# vm-devices: 0
# vm-root-ports: 3
# vm-timeout: 240
# vm-kernel-args: spdm_cma.gate_timeout=120
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

# Every good root of the test PKI: a later device verifies, but is not pinned.
mkdir -p "$T/trust"
cp "$BUILD"/pki/trust/*.pem "$T/trust/"
tap_check "modules load" cma_load gate_timeout=120
modprobe nvme
a=$(vm_device_add p256)
b=$(vm_device_add p384 --asym ecp384)
for x in "$a" "$b"; do
	tap_check "$x authenticated and held" agent_held_authenticated "$x"
done
tap_check "generate-policy" sh -c "'$SPDMCTL' generate-policy --trust-store '$T/trust' >'$T/gen.rules'"
_tap_diag <"$T/gen.rules"
tap_check "it passes --check-policy" "$AGENT" --check-policy "$T/gen.rules"
tap_check "which warns, at file:line:col, on each rule for a function without SPDM" sh -c \
	"'$AGENT' --check-policy '$T/gen.rules' 2>&1 | grep -q 'gen.rules:[0-9]*:1: warning: this allow rule matches devices that proved nothing'"
agent_start "$T/gen.rules" >"$T/start" || { cat "$T/start"; exit 1; }
for x in "$a" "$b"; do
	tap_check "$x decided" agent_wait_decided "$x"
	tap_check "$x allowed and bound" gate_wait_driver "$x" 10
	tap_match "$x by a generated rule" "$(agent_field "$x" 'd["verdict"], d["rule"] != "default"')" \
		"('allow', True)"
done
c=$(vm_device_add rsa --asym rsa2048)
tap_check "a later device is decided" agent_wait_decided "$c"
tap_match "its chain verifies" "$(agent_field "$c" 'd["validation"]["verified"]')" True
tap_check "but it is denied" test "$(gate_sysfs "$c" state) $(gate_driver "$c")" = "denied none"
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
