# spdm-agent and the same-device check: the agent allows a trusted device;
# its re-authentication with the same identity is allowed again and it
# stays bound; when the device presents another identity (a chain under an
# unknown root: the responder switches after two authentications), the
# kernel unbinds and holds it, the agent audits an identity-changed record
# with both fingerprints, and decides on the new device as on any other:
# deny, so it stays unbound.
# vm-devices: 0
# vm-root-ports: 1
# vm-timeout: 150
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

tap_check "modules load" cma_load gate_timeout=60
modprobe nvme
agent_start "$SRCDIR/policy/demo.rules" >"$T/start" || { cat "$T/start"; exit 1; }
a=$(vm_device_add ic --switch-identity "2:$BUILD/pki/bad/unknown-root")
tap_check "generation 1 allowed by the agent" agent_wait_decided "$a"
tap_check "nvme bound" gate_wait_driver "$a" 10
cma_nl dump --evidence --dev "$a" --out "$T/g1" >/dev/null
old=$(sha256sum <"$T/g1/$a/cert-chain-slot0.bin" | cut -d' ' -f1)

"$SPDMCTL" authenticate "$a" >/dev/null
tap_check "same identity: generation 2 allowed by the agent" sh -c \
	"for i in \$(seq 300); do [ \"\$(cat /sys/bus/pci/devices/$a/spdm_gate/verdict_generation)\" = 2 ] && exit 0; sleep 0.1; done; exit 1"
tap_check "same identity: still allowed and bound" test "$(gate_sysfs "$a" state) $(gate_driver "$a")" = "allowed nvme"

"$SPDMCTL" authenticate "$a" >/dev/null
tap_check "other identity: the agent denies generation 3" sh -c \
	"for i in \$(seq 300); do [ \"\$(cat /sys/bus/pci/devices/$a/spdm_gate/verdict_generation)\" = 3 ] && exit 0; sleep 0.1; done; exit 1"
tap_check "other identity: denied by the agent, unbound" test \
	"$(gate_sysfs "$a" state) $(gate_sysfs "$a" verdict_source) $(gate_driver "$a")" = "denied agent none"
cma_nl dump --evidence --dev "$a" --out "$T/g3" >/dev/null
new=$(sha256sum <"$T/g3/$a/cert-chain-slot0.bin" | cut -d' ' -f1)
grep '"event":"identity-changed"' "$AUDIT" >"$T/changed"
tap_check "one identity-changed audit record" test "$(wc -l <"$T/changed")" = 1
tap_check "it names the device, generation 3 and both fingerprints" test \
	"$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["device"], d["generation"], d["identity"], d["allowed_identity"])' <"$T/changed")" = \
	"$a 3 $new $old"
tap_check "the agent's decision on generation 3 is a deny" test \
	"$(agent_decisions "$a" | python3 -c 'import json,sys; print([(d["generation"], d["verdict"]) for d in map(json.loads, sys.stdin)])')" = \
	"[(1, 'allow'), (2, 'allow'), (3, 'deny')]"
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
