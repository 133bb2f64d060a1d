# spdm-agent allows a device whose chain leads to an anchor of its trust
# store: the gate releases it, nvme binds it, and the audit line names the
# rule (its label and file:line) that allowed it. SIGUSR1 then reports the
# certificate cache's and the chain results' counters.
# vm-devices: 0
# vm-root-ports: 1
# vm-timeout: 150
# vm-kernel-args: spdm_cma.gate_timeout=60
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

tap_check "modules load" cma_load gate_timeout=60
modprobe nvme
agent_start "$SRCDIR/policy/demo.rules" >"$T/start" || { cat "$T/start"; exit 1; }
a=$(vm_device_add good)
tap_check "decided" agent_wait_decided "$a"
tap_check "allowed by the agent" test "$(gate_sysfs "$a" state) $(gate_sysfs "$a" verdict_source)" = "allowed agent"
tap_check "nvme bound" gate_wait_driver "$a" 10
tap_check "its namespace appears" vm_wait 10 test -e "/dev/$(ls "/sys/bus/pci/devices/$a/nvme")n1"
tap_check "one audit line for it" test "$(agent_decisions "$a" | wc -l)" = 1
tap_match "audit: verdict allow, verified against the anchor" \
	"$(agent_field "$a" 'd["verdict"], d["validation"]["verified"], d["validation"]["anchor"]')" \
	"('allow', True, 'demo-vendor')"
tap_match "audit: the rule's label and place" \
	"$(agent_field "$a" 'd["rule"]["label"] + " @ " + d["rule"]["file"] + ":" + str(d["rule"]["line"])')" \
	"demo: chain, identity and signature verified @ */policy/demo.rules:8"
tap_match "the kernel keeps the label as the reason" "$(gate_sysfs "$a" verdict_reason)" \
	"demo: chain, identity and signature verified"
kill -USR1 "$AGENT_PID"
tap_check "SIGUSR1: certificates parsed and held, none evicted" vm_wait 10 grep -Eq \
	'^spdm-agent: certificate cache: [0-9]+ hits, [1-9][0-9]* misses, 0 evictions, [1-9][0-9]* entries; chain results: [0-9]+ hits, [1-9][0-9]* misses$' \
	"$AGENT_LOG"
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
