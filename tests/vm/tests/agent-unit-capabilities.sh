# spdm-agent run with exactly the credentials agent/systemd/spdm-agent.service
# gives it (User=, CapabilityBoundingSet=, AmbientCapabilities=,
# NoNewPrivileges=, read from the unit file and applied with setpriv; the
# user as a numeric uid, since the guest has no spdm-agent account): a
# trusted device binds, an untrusted one is denied and stays unbound, the
# audit file is written in its logs directory, sd_notify and Linux audit
# work. Without CAP_SYS_ADMIN the agent fails loudly: an audit record, a
# log line and a non-zero exit. A caller with CAP_NET_ADMIN only is refused.
# vm-devices: 0
# vm-root-ports: 3
# vm-timeout: 240
# vm-kernel-args: spdm_cma.gate_timeout=90
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

UNIT=$SRCDIR/agent/systemd/spdm-agent.service
# Stands for the uid systemd-sysusers gives spdm-agent: any unprivileged one.
AGENT_UID=990

# The last KEY= line of the unit's [Service] section.
unit_value() {
	sed -n '/^\[Service\]/,/^\[/p' "$UNIT" | sed -n "s/^$1=//p" | tail -1
}

# "CAP_SYS_ADMIN CAP_AUDIT_WRITE" -> "-all,+sys_admin,+audit_write"
setpriv_caps() {
	local c out=-all
	for c in $1; do
		c=${c#CAP_}
		out="$out,+${c,,}"
	done
	echo "$out"
}

user=$(unit_value User)
bounding=$(unit_value CapabilityBoundingSet)
ambient=$(unit_value AmbientCapabilities)
nnp=$(unit_value NoNewPrivileges)
tap_check "the unit runs the agent as its own user, not root" \
	test -n "$user" -a "$user" != root
tap_check "the unit keeps NoNewPrivileges" test "$nnp" = yes
tap_check "the unit's ambient set is its bounding set" test "$ambient" = "$bounding"

uid=$AGENT_UID
[ -n "$user" ] && [ "$user" != root ] || uid=0

# Where the unit's agent reads and writes: /etc/spdm (root's, readable),
# LogsDirectory= (the user's, 0700).
D=/tmp/unit
mkdir -p "$D/etc" && chmod 755 "$D" "$D/etc"
cp "$SRCDIR/policy/demo.rules" "$D/etc/policy.rules"
agent_trust_store "$D/etc/trust"
chmod -R go+rX "$D/etc"
mkdir -p "$D/log" && chmod 700 "$D/log"
chown "$uid:$uid" "$D/log"
AUDIT=$D/log/audit.jsonl

# The unit's ExecStart, on this test's paths.
exec_start() {
	local -a words
	read -r -a words <<<"$(unit_value ExecStart)"
	echo "${words[@]:1}" | sed "s|/etc/spdm/policy.rules|$D/etc/policy.rules|g"
}

# unit_creds BOUNDING AMBIENT: setpriv's options for the unit's credentials
# with these capability sets, into the array CREDS
unit_creds() {
	CREDS=(--reuid="$uid" --regid="$uid" --clear-groups
		--inh-caps="$(setpriv_caps "$2")" --ambient-caps="$(setpriv_caps "$2")"
		--bounding-set="$(setpriv_caps "$1")")
	[ "$nnp" = yes ] && CREDS+=(--no-new-privs)
}

run_as_unit() {
	unit_creds "$1" "$2"
	shift 2
	setpriv "${CREDS[@]}" "$@"
}

agent_started() {
	[ "$(_agent_starts)" -ge 1 ]
}

# A stand-in for systemd's notification socket: prints the first datagram.
notify_listen() {
	python3 -c 'import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
s.settimeout(90)
print(s.recv(4096).decode(), flush=True)' "$1"
}

linux_audit_check "kernel audit enabled" agent_linux_audit_on
tap_check "modules load" cma_load gate_timeout=90
modprobe nvme

rm -f "$D/notify"
notify_listen "$D/notify" >"$D/notified" 2>&1 &
vm_wait 10 test -S "$D/notify"
unit_creds "$bounding" "$ambient"
# shellcheck disable=SC2046 # the unit's arguments, word by word
NOTIFY_SOCKET=$D/notify setpriv "${CREDS[@]}" "$AGENT" $(exec_start) \
	--trust-store "$D/etc/trust" --audit-log "$AUDIT" --no-journal \
	>>"$AGENT_LOG" 2>&1 </dev/null &
AGENT_PID=$!
tap_check "the agent starts as the unit's user" vm_wait 20 agent_started
tap_check "it runs as uid $uid with CAP_SYS_ADMIN and CAP_AUDIT_WRITE only" \
	sh -c "grep -E '^(Uid|Cap)' /proc/$AGENT_PID/status; grep -qE '^Uid:[[:space:]]+$uid[[:space:]]' /proc/$AGENT_PID/status && grep -qE '^CapEff:[[:space:]]+0*20200000$' /proc/$AGENT_PID/status"
tap_check "sd_notify reaches the notification socket" vm_wait 20 grep -q READY=1 "$D/notified"

good=$(vm_device_add good)
bad=$(vm_device_add stranger $(agent_bad_pki unknown-root))
tap_check "trusted device: decided by the agent" agent_wait_decided "$good"
tap_check "trusted device: allowed" test "$(gate_sysfs "$good" state)" = allowed
tap_check "trusted device: nvme binds" gate_wait_driver "$good" 10
tap_check "untrusted device: decided by the agent" agent_wait_decided "$bad"
tap_check "untrusted device: denied, no driver" \
	test "$(gate_sysfs "$bad" state) $(gate_driver "$bad")" = "denied none"
tap_check "audit file: the user's, 0600" test "$(stat -c '%u %a' "$AUDIT")" = "$uid 600"
tap_check "audit file: both decisions" test "$(agent_decisions "$good" | wc -l) $(agent_decisions "$bad" | wc -l)" = "1 1"
tap_check "the unit asks for Linux audit records" grep -q -- --linux-audit <<<"$(exec_start)"
linux_audit_check "Linux audit: the decision is recorded, by the agent's uid" \
	sh -c "dmesg | grep 'op=spdm-allow device=\"$good\"' | grep -q ' uid=$uid '"
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi

# A caller with CAP_NET_ADMIN only (the genetlink admin-perm capability) is refused.
held=$(vm_device_add held)
tap_check "third device: authenticated and held" agent_held_authenticated "$held"
tap_match "CAP_NET_ADMIN only: verdict refused (EPERM)" \
	"$(run_as_unit CAP_NET_ADMIN CAP_NET_ADMIN python3 "$SRCDIR/tests/vm/gate/gatenl.py" verdict "$held" 1 allow)" \
	"error: EPERM: CAP_SYS_ADMIN required"
tap_match "CAP_NET_ADMIN only: authenticate refused (EPERM)" \
	"$(run_as_unit CAP_NET_ADMIN CAP_NET_ADMIN python3 "$SRCDIR/tests/vm/cma/spdmnl.py" auth "$held")" \
	"error: EPERM: CAP_SYS_ADMIN required"

# One capability fewer: the agent cannot work and says so, loudly.
without=${bounding//CAP_SYS_ADMIN/}
ambient_without=${ambient//CAP_SYS_ADMIN/}
before=$(wc -l <"$AGENT_LOG")
# shellcheck disable=SC2046
run_as_unit "$without" "$ambient_without" "$AGENT" $(exec_start) \
	--trust-store "$D/etc/trust" --audit-log "$AUDIT" --no-journal \
	>>"$AGENT_LOG" 2>&1 </dev/null
rc=$?
tap_check "without CAP_SYS_ADMIN: the agent exits with failure" test "$rc" != 0
tap_match "without CAP_SYS_ADMIN: a log line names the capability" \
	"$(tail -n +$((before + 1)) "$AGENT_LOG")" "*CAP_SYS_ADMIN*"
tap_match "without CAP_SYS_ADMIN: an audit record of the failed start" \
	"$(tail -1 "$AUDIT")" '*"event":"start"*CAP_SYS_ADMIN*"result":-1*'
linux_audit_check "without CAP_SYS_ADMIN: a Linux audit record of it" \
	sh -c "dmesg | grep 'op=start' | grep -q 'res=failed'"
tap_check "the held device is still held" test "$(gate_sysfs "$held" state) $(gate_driver "$held")" = "held none"
tap_done
