# spdm-agent when its audit log cannot be written: it fails closed. On a
# full file system (a small tmpfs, filled) a trusted device is denied, not
# left to the gate's timeout (here gate_timeout_verdict=allow), and no torn
# line is left behind; with room again the next one is allowed and audited;
# a bound device re-authenticated while the disk is full is denied and
# unbound. An audit file the agent's user cannot open: the agent runs,
# denies, and allows again once it can write. Verdicts that took effect are
# audited, the agent's and an administrator's.
# vm-devices: 0
# vm-root-ports: 6
# vm-timeout: 300
# vm-kernel-args: spdm_cma.gate_timeout=60 spdm_cma.gate_timeout_verdict=allow
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

POLICY=$SRCDIR/policy/demo.rules

# Every line of the audit file is a whole JSON object and the file ends a line.
audit_whole() {
	python3 -c 'import json, sys
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\n"), "last line unterminated: %r" % data[-80:]
for n, line in enumerate(data.splitlines(), 1):
    try:
        json.loads(line)
    except ValueError:
        sys.exit("line %d torn: %r" % (n, line[:120]))' "$AUDIT"
}

# The last record of EVENT for device BDF, as "verdict source-or-error".
audit_record() {
	grep "\"event\":\"$2\"" "$AUDIT" | grep "\"device\":\"$1\"" | python3 -c 'import json, sys
d = [json.loads(l) for l in sys.stdin][-1]
print(d["verdict"], d.get("source", d.get("error")))'
}

# Fill the file system holding the audit file, leaving about 100 bytes in
# the audit file's last page: the next record is cut short (a partial write,
# then ENOSPC) rather than refused at once.
fill_up() {
	local size pad
	size=$(stat -c %s "$AUDIT")
	pad=$(((4096 - size % 4096 + 4096 - 100) % 4096))
	[ "$pad" -lt 40 ] && pad=$((pad + 4096))
	printf '{"event":"padding","detail":"%s"}\n' \
		"$(head -c $((pad - 32)) /dev/zero | tr '\0' x)" >>"$AUDIT"
	dd if=/dev/zero of="$FULL/fill" bs=4k 2>/dev/null
	true
}

linux_audit_check "kernel audit enabled" agent_linux_audit_on
tap_check "modules load" cma_load gate_timeout=60 gate_timeout_verdict=allow
modprobe nvme

FULL=$T/full
mkdir -p "$FULL"
mount -t tmpfs -o size=2m tmpfs "$FULL"
AUDIT=$FULL/audit.jsonl
agent_start "$POLICY" --linux-audit >"$T/start" || { cat "$T/start"; exit 1; }

# Full disk.
fill_up
before=$(grep -c 'audit log unwritable' "$AGENT_LOG")
a=$(vm_device_add good)
tap_check "full disk: decided by the agent" agent_wait_decided "$a"
tap_check "full disk: denied, not left to the timeout's allow" \
	test "$(gate_sysfs "$a" state) $(gate_sysfs "$a" verdict_reason) $(gate_driver "$a")" = "denied audit log unwritable none"
tap_check "full disk: the log says why" \
	test "$(grep -c 'audit log unwritable' "$AGENT_LOG")" -gt "$before"
linux_audit_check "full disk: so does Linux audit" \
	sh -c "dmesg | grep 'op=audit-unwritable' | grep -q 'res=failed'"
tap_check "full disk: no torn line in the audit file" audit_whole
tap_check "full disk: no decision record for it" test -z "$(agent_decisions "$a")"

rm -f "$FULL/fill"
b=$(vm_device_add good2)
tap_check "room again: decided by the agent" agent_wait_decided "$b"
tap_check "room again: allowed and bound" gate_wait_driver "$b" 10
tap_check "room again: its decision is audited" test "$(agent_decisions "$b" | wc -l)" = 1
tap_check "room again: the verdict that took effect is audited" \
	vm_wait 10 test "$(audit_record "$b" verdict)" = "allow agent"
tap_check "room again: every line whole" audit_whole

# A bound device re-authenticated while the disk is full is denied and unbound.
fill_up
echo 1 >"/sys/bus/pci/devices/$b/spdm/authenticated"
tap_check "re-authentication on a full disk: denied" gate_wait_state "$b" denied 60
tap_check "re-authentication on a full disk: unbound" test "$(gate_driver "$b")" = none
tap_check "re-authentication on a full disk: still no torn line" audit_whole
rm -f "$FULL/fill"
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi

# An administrator's verdict is audited: a dry-run agent leaves the device waiting.
"$AGENT" --policy "$POLICY" --trust-store "$T/trust" --audit-log "$AUDIT" --no-journal \
	--dry-run >>"$AGENT_LOG" 2>&1 </dev/null &
AGENT_PID=$!
tap_check "dry run: the agent starts" vm_wait 30 grep -q '"event":"start (dry run)"' "$AUDIT"
c=$(vm_device_add held)
tap_check "dry run: the device waits" agent_held_authenticated "$c"
tap_check "administrator allows it" "$SPDMCTL" allow "$c"
tap_check "the administrator's verdict is audited" \
	vm_wait 10 test "$(audit_record "$c" verdict)" = "allow admin"
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi

# An audit file its user cannot open: the agent runs and denies until it can.
uid=990
D=/tmp/unwritable
mkdir -p "$D" && chmod 755 "$D"
agent_trust_store "$D/trust" && chmod -R go+rX "$D/trust"
AUDIT=$D/audit.jsonl
: >"$AUDIT"
chmod 600 "$AUDIT"
chown "$uid:$uid" "$D"
setpriv --reuid=$uid --regid=$uid --clear-groups --inh-caps=-all,+sys_admin \
	--ambient-caps=-all,+sys_admin --bounding-set=-all,+sys_admin --no-new-privs \
	"$AGENT" --policy "$POLICY" --trust-store "$D/trust" --audit-log "$AUDIT" \
	--no-journal >>"$AGENT_LOG" 2>&1 </dev/null &
AGENT_PID=$!
tap_check "unwritable: the agent says so and runs" \
	vm_wait 30 grep -q "audit log $AUDIT: Permission denied: every device is denied" "$AGENT_LOG"
e=$(vm_device_add good3)
tap_check "unwritable: decided by the agent" agent_wait_decided "$e"
tap_check "unwritable: denied" \
	test "$(gate_sysfs "$e" state) $(gate_sysfs "$e" verdict_reason)" = "denied audit log unwritable"
chown "$uid:$uid" "$AUDIT"
f=$(vm_device_add good4)
tap_check "writable again: allowed and bound" gate_wait_driver "$f" 60
tap_check "writable again: audited" test "$(agent_decisions "$f" | wc -l)" = 1
tap_check "writable again: every line whole" audit_whole
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
umount "$FULL"
tap_done
