# spdm-agent killed with SIGKILL while devices wait for verdicts: a restarted
# agent decides every device still waiting, and the audit file holds every
# decision exactly once (the restart recalls what was already decided).
# vm-devices: 0
# vm-root-ports: 3
# vm-timeout: 200
# vm-kernel-args: spdm_cma.gate_timeout=120
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

tap_check "modules load" cma_load gate_timeout=120
modprobe nvme
agent_start "$SRCDIR/policy/demo.rules" >"$T/start" || { cat "$T/start"; exit 1; }
a=$(vm_device_add first)
tap_check "first device decided by the first agent" agent_wait_decided "$a"
kill -KILL "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null
tap_check "agent killed" sh -c "! kill -0 $AGENT_PID 2>/dev/null"
# shellcheck disable=SC2046
b=$(vm_device_add second $(agent_bad_pki unknown-root))
c=$(vm_device_add third)
for x in "$b" "$c"; do
	tap_check "$x authenticated and still held" agent_held_authenticated "$x"
done
agent_start "$SRCDIR/policy/demo.rules" >"$T/start" || { cat "$T/start"; exit 1; }
tap_check "restarted agent decides $b" agent_wait_decided "$b"
tap_check "restarted agent decides $c" agent_wait_decided "$c"
tap_check "$a allowed and bound" test "$(gate_sysfs "$a" state) $(gate_driver "$a")" = "allowed nvme"
tap_check "$b (unknown root) denied" test "$(gate_sysfs "$b" state) $(gate_driver "$b")" = "denied none"
tap_check "$c allowed" test "$(gate_sysfs "$c" state)" = allowed
for x in "$a" "$b" "$c"; do
	tap_check "$x: one audit line" test "$(agent_decisions "$x" | wc -l)" = 1
done
dups=$(grep '"event":"decision"' "$AUDIT" |
	python3 -c 'import json, sys, collections
n = collections.Counter((d["device"], d["generation"]) for d in map(json.loads, sys.stdin))
print(" ".join(f"{k[0]}/{k[1]}x{v}" for k, v in n.items() if v > 1))')
tap_check "no (device, generation) decided twice in the audit file" test -z "$dups"
[ -z "$dups" ] || _tap_diag "twice: $dups"
tap_check "two agent starts audited" test "$(grep -c '"event":"start"' "$AUDIT")" = 2
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
