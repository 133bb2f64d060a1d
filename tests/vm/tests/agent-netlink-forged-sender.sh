# A user-space process (root, so it may send to other netlink ports) forges
# device-added-ntf messages for a device that does not exist, unicast to each
# of spdm-agent's netlink sockets and multicast to the monitor group: the
# agent ignores them (only port 0, the kernel, is believed) and says so; it
# never acts on the forged device. A real device is still decided.
# Regression for issue 13 item 11.
# vm-devices: 0
# vm-root-ports: 2
# vm-timeout: 200
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

tap_check "modules load" cma_load gate_timeout=60
modprobe nvme
agent_start "$SRCDIR/policy/demo.rules" >"$T/start" || { cat "$T/start"; exit 1; }

forge() {
	python3 - "$AGENT_PID" "$SRCDIR" <<'PY'
import os, re, socket, struct, sys
sys.path.insert(0, os.path.join(sys.argv[2], "tests/vm/cma"))
from spdmnl import U, nla, Genl  # noqa: E402

pid = sys.argv[1]
inodes = set()
for fd in os.listdir(f"/proc/{pid}/fd"):
    m = re.fullmatch(r"socket:\[(\d+)\]", os.readlink(f"/proc/{pid}/fd/{fd}"))
    if m:
        inodes.add(m.group(1))
ports = []
with open("/proc/net/netlink") as f:
    next(f)
    for line in f:
        c = line.split()
        if c[1] == "16" and c[9] in inodes:
            ports.append(int(c[2]))
g = Genl()
attrs = nla(U["SPDM_A_DEVICE_NAME"], b"0000:66:00.0\0") + \
    nla(U["SPDM_A_DEVICE_KEY"], struct.pack("I", 0x6666)) + \
    nla(U["SPDM_A_DEVICE_GENERATION"], struct.pack("I", 1)) + \
    nla(U["SPDM_A_DEVICE_STATE"], struct.pack("I", U["SPDM_AUTH_STATE_AUTHENTICATED"]))
body = struct.pack("BBH", U["SPDM_CMD_DEVICE_ADDED_NTF"], 1, 0) + attrs
msg = struct.pack("IHHII", 16 + len(body), g.family, 0, 0, 0) + body
for port in ports:
    g.s.sendto(msg, (port, 0))
grp = g.groups["monitor"]
if grp <= 32:
    g.s.sendto(msg, (0, 1 << (grp - 1)))
print(f"sent to ports {ports}, group {grp}")
PY
}
tap_check "forged notifications sent to the agent's sockets" forge
tap_check "the agent says it ignored them" vm_wait 10 \
	grep -q "ignored [0-9]* netlink messages* not from the kernel" "$AGENT_LOG"
sleep 1
tap_check "and never acted on the forged device" sh -c "! grep -q '0000:66:00.0' '$AGENT_LOG' '$AUDIT'"
tap_check "the agent still runs" kill -0 "$AGENT_PID"
a=$(vm_device_add one)
tap_check "a real device is decided" agent_wait_decided "$a"
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
