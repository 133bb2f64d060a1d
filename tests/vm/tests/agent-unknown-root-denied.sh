# A device presenting a well-formed chain under a root that is not in the
# agent's trust store authenticates in the kernel (which holds no trust
# anchors) but spdm-agent denies it: the gate keeps it away from nvme,
# during the decision and after it.
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
# shellcheck disable=SC2046
a=$(vm_device_add stranger $(agent_bad_pki unknown-root))
bound=none
for _ in $(seq 600); do
	[ "$(gate_driver "$a")" = none ] || bound=$(gate_driver "$a")
	case $(gate_sysfs "$a" state) in allowed | denied) break ;; esac
	sleep 0.1
done
tap_check "the kernel authenticated it" test "$(cma_sysfs "$a" state)" = authenticated
tap_check "denied by the agent" test "$(gate_sysfs "$a" state) $(gate_sysfs "$a" verdict_source)" = "denied agent"
tap_check "never bound while waiting" test "$bound" = none
tap_match "audit: deny, not verified, chain error" \
	"$(agent_field "$a" 'd["verdict"], d["validation"]["verified"], d["validation"]["anchor"], d["validation"]["chain"] != "ok"')" \
	"('deny', False, None, True)"
tap_match "audit: the rule" "$(agent_field "$a" 'd["rule"]["label"]')" \
	"demo: evidence does not verify against the trust store"
echo "$a" >/sys/bus/pci/drivers/nvme/bind 2>/dev/null
echo "$a" >/sys/bus/pci/drivers_probe 2>/dev/null
sleep 1
tap_check "still not bound after bind and drivers_probe" test "$(gate_driver "$a")" = none
tap_check "no nvme controller for it" sh -c '! ls /sys/class/nvme/ 2>/dev/null | grep -q .'
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
