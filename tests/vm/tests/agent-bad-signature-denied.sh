# A device whose CHALLENGE_AUTH signature is corrupted fails authentication
# in the kernel; spdm-agent denies it by the rule for failed devices and it
# stays unbound.
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
a=$(vm_device_add forger --fault sig-corrupt)
tap_check "decided" agent_wait_decided "$a"
tap_match "the kernel's authentication failed: EKEYREJECTED" \
	"$(cma_sysfs "$a" state) $(agent_field "$a" 'd["kernel_result"]')" "failed -129"
tap_check "denied by the agent" test "$(gate_sysfs "$a" state) $(gate_sysfs "$a" verdict_source)" = "denied agent"
tap_match "audit: deny by the failed-device rule" \
	"$(agent_field "$a" 'd["verdict"], d["state"], d["rule"]["label"]')" \
	"('deny', 'failed', 'demo: the kernel could not authenticate it')"
sleep 1
tap_check "not bound" test "$(gate_driver "$a")" = none
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
