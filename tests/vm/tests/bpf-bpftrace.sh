# Every bpftrace script in bpf/bpftrace/ runs on Debian 12's bpftrace (0.17)
# and reports exactly the authentications fired: 7 on a good device and 3 on
# one whose responder corrupts its CHALLENGE_AUTH signature, two verdicts
# (the agent allows the first, the administrator denies the second), and what
# ftrace recorded of them (exchanges, bytes, latencies); each prints what it
# traces first, stays under 80 columns and exits 0 on SIGINT; the module
# unloads afterwards.
# vm-devices: 2
# vm-device-args-1: --fault sig-corrupt
# vm-mem: 2048
# vm-timeout: 600
# vm-kernel-args: spdm_cma.gate_present=hold spdm_cma.gate_timeout=0
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/bpf/tests/vm-lib.sh"

check() { python3 "$SRCDIR/bpf/tests/check.py" "$@"; }
bt_map() { check bt-map "$T/$1.out" "$2" "$3"; }
GOOD=7
BAD=3
SCRIPTS="exchanges reqlat bytes authfail verdicts slowest authlat"

# shellcheck disable=SC2086
tap_check "modules load, holding the devices for a verdict" cma_load $GATE
set -- $(cma_nvme)
dev0=$1 dev1=$2
tap_check "good device authenticated at load" test "$(cma_wait "$dev0" 1)" = authenticated
tap_check "faulty device failed at load" test "$(cma_wait "$dev1" 1)" = failed

cd "$T" || exit 1
pids=
declare -A pid
for s in $SCRIPTS; do
	bpftrace "$SRCDIR/bpf/bpftrace/spdm-$s.bt" >"$s.out" 2>"$s.err" &
	pid[$s]=$!
	pids="$pids $!"
done
# BEGIN runs once every probe is attached.
for s in $SCRIPTS; do
	if ! tap_check "spdm-$s.bt: BEGIN says what it traces" \
		bpf_wait_line "$s.out" '^Tracing' 240 "${pid[$s]}"; then
		_tap_diag <"$s.err"
	fi
done

trace_on
tap_check "$GOOD re-authentications of the good device" bpf_reauth "$dev0" $GOOD
tap_check "$BAD re-authentications of the faulty device" bpf_reauth "$dev1" $BAD
tap_check "verdicts: allow the good device (agent), deny the faulty one (admin)" \
	bpf_verdicts "$dev0" "$dev1"
trace_off trace.txt
# bpftrace reads its perf buffers on a timer: let the last lines arrive.
sleep 1

# shellcheck disable=SC2086
if bpf_stop $pids >stop.log 2>&1; then
	tap_ok "all scripts exit 0 on SIGINT"
else
	tap_fail "all scripts exit 0 on SIGINT"
fi
_tap_diag <stop.log
for s in $SCRIPTS; do
	_tap_diag <"$s.err"
	tap_check "spdm-$s.bt: output under 80 columns" \
		test "$(awk 'length > 79' "$s.out" | wc -l)" -eq 0
done

tap_check "ftrace saw $GOOD good and $BAD failed authentications" \
	test "$(check trace trace.txt spdm_auth dev="$dev0" result=0)" -eq $GOOD \
	-a "$(check trace trace.txt spdm_auth dev="$dev1" result=-129)" -eq $BAD

# exchanges per device
for d in "$dev0" "$dev1"; do
	n=$(check trace trace.txt spdm_exchange dev="$d")
	tap_check "spdm-exchanges.bt: $d made $n exchanges, as ftrace saw" \
		test "$(bt_map exchanges exchanges "$d")" = "$n" -a "$n" -gt 0
done

# latency per request
tap_check "spdm-reqlat.bt: $((GOOD + BAD)) GET_VERSION in the histogram" \
	test "$(check hist-sum reqlat.out '@usecs[GET_VERSION]:')" -eq $((GOOD + BAD))
tap_check "spdm-reqlat.bt: $((GOOD + BAD)) CHALLENGE in the histogram" \
	test "$(check hist-sum reqlat.out '@usecs[CHALLENGE]:')" -eq $((GOOD + BAD))
tap_check "spdm-reqlat.bt: no request without a name" \
	test "$(bt_map reqlat usecs other)" = absent -a "$(grep -c '^@usecs\[other\]' reqlat.out)" -eq 0

# bytes per message type
for req in 0x84:GET_VERSION 0x81:GET_DIGESTS 0x83:CHALLENGE; do
	code=${req%%:*} name=${req#*:}
	want_req=$(check trace-sum trace.txt spdm_exchange req_len req="$code")
	want_rsp=$(check trace-sum trace.txt spdm_exchange rsp_len req="$code")
	tap_check "spdm-bytes.bt: $name request bytes ($want_req) as ftrace saw" \
		test "$(bt_map bytes req_bytes "$name")" = "$want_req"
	tap_check "spdm-bytes.bt: $name response bytes ($want_rsp) as ftrace saw" \
		test "$(bt_map bytes rsp_bytes "$name")" = "$want_rsp" -a "$want_rsp" -gt 0
done

# failed authentications
tap_check "spdm-authfail.bt: $BAD lines, faulty device, errno 129 EKEYREJECTED" \
	test "$(check bt-lines authfail.out "^[0-9:]{8} $dev1 +[0-9]+ +129 EKEYREJECTED$")" -eq $BAD \
	-a "$(check bt-lines authfail.out '^[0-9:]{8} ')" -eq $BAD
tap_check "spdm-authfail.bt: count $BAD for the faulty device and EKEYREJECTED" \
	test "$(bt_map authfail failed "$dev1, EKEYREJECTED")" = $BAD
tap_check "spdm-authfail.bt: generations are those ftrace saw fail" \
	test "$(grep -E '^[0-9:]{8} ' authfail.out | awk '{ print $3 }' | sort -n | tr '\n' ' ')" = \
	"$(sed -n "s/.*spdm_auth: dev=$dev1 .*generation=\([0-9]*\) .*/\1/p" trace.txt | sort -n | tr '\n' ' ')"

# verdicts
n=$(check trace trace.txt spdm_verdict)
tap_check "spdm-verdicts.bt: $n verdicts, as ftrace saw" grep -qx "verdicts: $n" verdicts.out
tap_check "spdm-verdicts.bt: allow by the agent with its reason" \
	grep -Eq "^$dev0 +$((GOOD + 1)) allow +agent +rule 3$" verdicts.out
tap_check "spdm-verdicts.bt: deny by the administrator" \
	grep -Eq "^$dev1 +$((BAD + 1)) deny +admin *$" verdicts.out
tap_check "spdm-verdicts.bt: one verdict per source" test \
	"$(bt_map verdicts verdicts "agent, allow") $(bt_map verdicts verdicts "admin, deny")" = "1 1"

# slowest device
tap_check "spdm-slowest.bt: $GOOD authentications of the good device" \
	test "$(bt_map slowest auths "$dev0")" = $GOOD
tap_check "spdm-slowest.bt: $BAD authentications of the faulty device" \
	test "$(bt_map slowest auths "$dev1")" = $BAD
read -r want_dev want_ns <<<"$(check trace-max trace.txt spdm_auth duration_ns)"
tap_check "spdm-slowest.bt: last line names $want_dev, $((want_ns / 1000)) us, as ftrace saw" \
	test "$(grep '^slowest:' slowest.out | tail -n 1 | awk '{ print $2, $3 }')" = \
	"$want_dev $((want_ns / 1000))"

# whole authentication latency
tap_check "spdm-authlat.bt: $GOOD successes of the good device in the histogram" \
	test "$(check hist-sum authlat.out "@msecs[$dev0, 0]:")" -eq $GOOD
tap_check "spdm-authlat.bt: $BAD failures (-129) of the faulty device" \
	test "$(check hist-sum authlat.out "@msecs[$dev1, -129]:")" -eq $BAD

cma_check_unload "modules unload after the scripts exit" bpf_modules_unload
for s in $SCRIPTS; do
	_tap_diag <"$s.out"
done
tap_done
