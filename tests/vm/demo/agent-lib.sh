# Helpers to run spdm-agent in the guest, for the demo (demo/demo.sh) and
# the agent's VM tests (tests/vm/tests/agent-*.sh); source after
# tests/vm/lib/guest.sh, tests/vm/cma/lib.sh and tests/vm/gate/lib.sh.
#
#   agent_trust_store DIR        a trust store holding one anchor, "demo-vendor":
#                                the test PKI's P-256 root
#   agent_start POLICY [ARGS]    run spdm-agent on POLICY in the background,
#                                trust store $T/trust, audit file $T/audit.jsonl,
#                                output to $AGENT_LOG (the run's log directory);
#                                sets AGENT_PID; returns
#                                once the agent has audited its start (call it
#                                directly, not in $(...) or tap_check: it sets
#                                AGENT_PID and the agent outlives the call)
#   agent_stop                   SIGTERM and wait (call it directly, too)
#   agent_verified_device RULES ID  the start of a test on one verified device:
#                                policy RULES (default deny; allow verified yes
#                                cma-identity match label "verified device"),
#                                modules loaded, nvme, the agent started on it,
#                                device ID hot-added (SHA-256, measurement
#                                "firmware-1.0") and allowed by that rule, the
#                                agent stopped, each a TAP line; sets
#                                AGENT_DEV to its address (call it directly)
#   agent_wait_decided BDF [S]   until the gate allowed or denied BDF (default 60 s);
#                                fails unless the verdict came from the agent
#   agent_held_authenticated BDF  BDF finished generation 1 authenticated and
#                                the gate still holds it
#   agent_decisions BDF          the audit file's decision lines for BDF
#   agent_field BDF EXPR         EXPR (Python, on the record "d") of BDF's last
#                                decision line
#   agent_bad_pki VARIANT        argument that makes a responder present a bad
#                                chain of the test PKI (tests/pki/README.md)
#   agent_linux_audit_on         enable the kernel's audit (the guest has no
#                                auditd): records of --linux-audit then appear
#                                in the kernel log, none dropped by rate limits

AGENT=$BUILD/agent/spdm-agent
# shellcheck disable=SC2034 # the tests run it
SPDMCTL=$BUILD/agent/spdmctl
AUDIT=$T/audit.jsonl
AGENT_LOG=${VM_RUNDIR:-$T}/agent.log

agent_trust_store() {
	mkdir -p "$1" && cp "$BUILD/pki/ecp256/root.pem" "$1/demo-vendor.pem"
}

_agent_starts() {
	local n
	n=$(grep -c '"event":"start"' "$AUDIT" 2>/dev/null)
	echo "${n:-0}"
}

agent_start() {
	local policy=$1 n
	shift
	[ -d "$T/trust" ] || agent_trust_store "$T/trust"
	n=$(_agent_starts)
	"$AGENT" --policy "$policy" --trust-store "$T/trust" --audit-log "$AUDIT" \
		--no-journal "$@" >>"$AGENT_LOG" 2>&1 </dev/null &
	AGENT_PID=$!
	for _ in $(seq 100); do
		[ "$(_agent_starts)" -gt "$n" ] && return 0
		kill -0 "$AGENT_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "spdm-agent did not start:"
	cat "$AGENT_LOG"
	return 1
}

agent_stop() {
	local rc
	kill -TERM "$AGENT_PID" || return 1
	wait "$AGENT_PID"
	rc=$?
	[ $rc = 0 ] || echo "spdm-agent exited with status $rc"
	return $rc
}

agent_verified_device() {
	cat >"$1" <<'RULES'
default deny
allow verified yes cma-identity match label "verified device"
RULES
	tap_check "modules load" cma_load gate_timeout=60
	modprobe nvme
	agent_start "$1" >"$T/start" || { cat "$T/start"; exit 1; }
	AGENT_DEV=$(vm_device_add "$2" --hash sha256 --meas "firmware-1.0")
	tap_check "decided" agent_wait_decided "$AGENT_DEV"
	tap_match "the agent allows it" \
		"$(agent_field "$AGENT_DEV" 'd["verdict"], d["rule"]["label"]')" \
		"('allow', 'verified device')"
	if agent_stop >"$T/stop"; then
		tap_ok "agent stops"
	else
		tap_fail "agent stops" "$(cat "$T/stop")"
	fi
}

agent_wait_decided() {
	local s
	for _ in $(seq 1 $((${2:-60} * 10))); do
		s=$(gate_sysfs "$1" state 2>/dev/null)
		case $s in
		allowed | denied)
			s=$(gate_sysfs "$1" verdict_source)
			[ "$s" = agent ] && return 0
			echo "$1: decided by $s, not by the agent"
			return 1
			;;
		esac
		sleep 0.1
	done
	echo "$1: gate state ${s:-none}, no verdict"
	return 1
}

agent_held_authenticated() {
	local s
	s=$(cma_wait "$1" 1) && [ "$s" = authenticated ] && gate_wait_state "$1" held 1
}

agent_decisions() {
	grep '"event":"decision"' "$AUDIT" 2>/dev/null | grep "\"device\":\"$1\""
}

agent_field() {
	agent_decisions "$1" | python3 -c 'import json, sys
d = [json.loads(l) for l in sys.stdin][-1]
print(eval(sys.argv[1]))' "$2"
}

agent_bad_pki() {
	echo "--slot 0:$BUILD/pki/bad/$1"
}

# linux_audit_check NAME CMD...: tap_check of a Linux audit record, skipped
# on a kernel built without CONFIG_AUDIT (the patched kernel's vm.config),
# which has no /proc/self/loginuid.
linux_audit_check() {
	if [ -e /proc/self/loginuid ]; then
		tap_check "$@"
	else
		tap_skip "$1" "the kernel is built without CONFIG_AUDIT"
	fi
}

agent_linux_audit_on() {
	echo 0 >/proc/sys/kernel/printk_ratelimit || return 1
	python3 -c 'import socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 9)  # NETLINK_AUDIT
status = struct.pack("=8I", 1, 1, 0, 0, 0, 0, 0, 0)  # mask AUDIT_STATUS_ENABLED, enabled
s.sendto(struct.pack("=IHHII", 16 + len(status), 1001, 5, 1, 0) + status, (0, 0))
err = struct.unpack_from("=i", s.recv(4096), 16)[0]  # AUDIT_SET, then its ack
raise SystemExit(err)'
}
