# SIGHUP with a policy that does not load: spdm-agent says why, audits the
# failed reload and keeps deciding by the old policy; a good policy is then
# taken on the next SIGHUP.
# vm-devices: 0
# vm-root-ports: 3
# vm-timeout: 200
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

P=$T/policy.rules
printf '%s\n' 'default deny' 'allow verified yes label "old policy"' >"$P"
tap_check "modules load" cma_load gate_timeout=60
modprobe nvme
agent_start "$P" >"$T/start" || { cat "$T/start"; exit 1; }
printf '%s\n' 'default allow' 'allow vendor zz label "broken"' >"$P"
kill -HUP "$AGENT_PID"
tap_check "the agent says the reload failed and why" vm_wait 10 \
	grep -q "reload failed, keeping the old policy: .*policy.rules:2:.*zz" "$AGENT_LOG"
tap_check "the failed reload is audited" vm_wait 5 sh -c \
	"grep '\"event\":\"policy-reload\"' '$AUDIT' | grep -q zz"
tap_check "the agent still runs" kill -0 "$AGENT_PID"
a=$(vm_device_add one)
tap_check "a new device is decided" agent_wait_decided "$a"
tap_match "by the old policy" "$(agent_field "$a" 'd["verdict"], d["rule"]["label"]')" \
	"('allow', 'old policy')"
tap_check "and bound" gate_wait_driver "$a" 10
printf '%s\n' 'default allow' 'deny verified yes label "new policy"' >"$P"
kill -HUP "$AGENT_PID"
tap_check "a good policy reloads" vm_wait 10 grep -q "reloaded .*policy.rules" "$AGENT_LOG"
b=$(vm_device_add two)
tap_check "the next device is decided" agent_wait_decided "$b"
tap_match "by the new policy" "$(agent_field "$b" 'd["verdict"], d["rule"]["label"]')" \
	"('deny', 'new policy')"
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
