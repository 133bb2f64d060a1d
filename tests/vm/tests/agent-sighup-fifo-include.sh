# SIGHUP with a policy that includes a FIFO (nobody writes to it): the reload
# fails at once with "not a regular file" instead of blocking the agent in
# open(), the old policy stays in force, and the next device is decided.
# Regression for issue 13 item 9.
# vm-devices: 0
# vm-root-ports: 2
# vm-timeout: 200
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

P=$T/policy.rules
printf '%s\n' 'default deny' 'allow verified yes label "old policy"' >"$P"
mkfifo "$T/fifo.rules"
tap_check "modules load" cma_load gate_timeout=60
modprobe nvme
agent_start "$P" >"$T/start" || { cat "$T/start"; exit 1; }
printf '%s\n' 'default allow' 'include "fifo.rules"' >"$P"
kill -HUP "$AGENT_PID"
tap_check "the reload fails: the include is not a regular file" vm_wait 10 \
	grep -q "reload failed, keeping the old policy: .*policy.rules:2:9: cannot read include '.*fifo.rules': not a regular file" "$AGENT_LOG"
tap_check "the agent still runs" kill -0 "$AGENT_PID"
a=$(vm_device_add one)
tap_check "a new device is decided" agent_wait_decided "$a"
tap_match "by the old policy" "$(agent_field "$a" 'd["verdict"], d["rule"]["label"]')" \
	"('allow', 'old policy')"
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
