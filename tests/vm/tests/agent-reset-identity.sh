# spdm-agent and a reset that brings another identity (patch 3 of the
# series): the agent allows a trusted device by policy; a function reset
# through sysfs re-authenticates it with the same identity, which the agent
# allows again, and it stays bound; after the next reset the device presents
# a chain under an unknown root (the responder switches after two
# authentications): the kernel unbinds and holds it, the agent audits an
# identity-changed record for that generation with both fingerprints and
# decides on the new device as on any other: deny, so it stays unbound.
# agent-identity-changed is the same with re-authentications asked for
# through netlink; the out-of-tree module cannot see resets, so this test
# runs on the patched kernel only.
# vm-devices: 0
# vm-root-ports: 1
# vm-timeout: 150
# vm-kernels: patched
# vm-kernel-args: spdm_cma.gate_timeout=60
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

# verdict_of BDF GEN: until the gate has a verdict for generation GEN.
verdict_of() {
	vm_wait 30 test "$(gate_sysfs "$1" verdict_generation)" = "$2"
}

tap_check "spdm_cma built in" cma_load gate_timeout=60
modprobe nvme
agent_start "$SRCDIR/policy/demo.rules" >"$T/start" || { cat "$T/start"; exit 1; }
a=$(vm_device_add rs --switch-identity "2:$BUILD/pki/bad/unknown-root")
tap_check "generation 1 allowed by the agent" agent_wait_decided "$a"
tap_check "nvme bound" gate_wait_driver "$a" 10
cma_nl dump --evidence --dev "$a" --out "$T/g1" >/dev/null
old=$(sha256sum <"$T/g1/$a/cert-chain-slot0.bin" | cut -d' ' -f1)

echo 1 >"/sys/bus/pci/devices/$a/reset"
tap_check "reset, same identity: generation 2 allowed by the agent" verdict_of "$a" 2
tap_check "reset, same identity: still allowed and bound" \
	test "$(gate_sysfs "$a" state) $(gate_driver "$a")" = "allowed nvme"

echo 1 >"/sys/bus/pci/devices/$a/reset"
tap_check "reset, other identity: the agent decides on generation 3" verdict_of "$a" 3
tap_check "reset, other identity: denied by the agent, unbound" test \
	"$(gate_sysfs "$a" state) $(gate_sysfs "$a" verdict_source) $(gate_driver "$a")" = "denied agent none"
cma_nl dump --evidence --dev "$a" --out "$T/g3" >/dev/null
new=$(sha256sum <"$T/g3/$a/cert-chain-slot0.bin" | cut -d' ' -f1)
tap_check "the new chain differs from the allowed one" test "$new" != "$old"
grep '"event":"identity-changed"' "$AUDIT" >"$T/changed"
tap_check "one identity-changed audit record" test "$(wc -l <"$T/changed")" = 1
tap_check "it names the device, generation 3 and both fingerprints" test \
	"$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["device"], d["generation"], d["identity"], d["allowed_identity"])' <"$T/changed")" = \
	"$a 3 $new $old"
tap_check "the agent's decisions: allow, allow after the reset, deny the new identity" test \
	"$(agent_decisions "$a" | python3 -c 'import json,sys; print([(d["generation"], d["verdict"]) for d in map(json.loads, sys.stdin)])')" = \
	"[(1, 'allow'), (2, 'allow'), (3, 'deny')]"
tap_match "the deny of generation 3: not verified, no anchor, a chain error" \
	"$(agent_field "$a" 'd["generation"], d["verdict"], d["validation"]["verified"], d["validation"]["anchor"], d["validation"]["chain"] != "ok"')" \
	"(3, 'deny', False, None, True)"
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
