# spdmsnoop, spdmlat and spdmstat see exactly the authentications fired: 7 on
# a good device and 3 on one whose responder corrupts its CHALLENGE_AUTH
# signature (primes, so a doubled or dropped event shows), with plausible
# fields, the same exchanges as ftrace records; tp_btf by default, the classic
# tracepoint with -T; "load the spdm module first" without the module; clean
# exit on SIGINT; the module unloads afterwards.
# vm-devices: 2
# vm-device-args-1: --fault sig-corrupt
# vm-timeout: 300
# vm-kernel-args: spdm_cma.gate_present=hold spdm_cma.gate_timeout=0
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/bpf/tests/vm-lib.sh"

check() { python3 "$SRCDIR/bpf/tests/check.py" "$@"; }
GOOD=7
BAD=3

for tool in spdmsnoop spdmlat spdmstat; do
	if cma_builtin; then
		tap_skip "$tool without the module says: load the spdm module first" \
			"the patched kernel has the spdm tracepoints built in"
		continue
	fi
	out=$("$BPF_OUT/$tool" 2>&1)
	rc=$?
	if [ $rc -eq 1 ] && [[ $out == *"load the spdm module first"* ]]; then
		tap_ok "$tool without the module says: load the spdm module first"
	else
		tap_fail "$tool without the module says: load the spdm module first" \
			"exit $rc: $out"
	fi
done

# shellcheck disable=SC2086
tap_check "modules load, holding the devices for a verdict" cma_load $GATE
set -- $(cma_nvme)
dev0=$1 dev1=$2
tap_check "good device authenticated at load" test "$(cma_wait "$dev0" 1)" = authenticated
tap_check "faulty device failed at load" test "$(cma_wait "$dev1" 1)" = failed

cd "$T" || exit 1
"$BPF_OUT/spdmsnoop" -j >snoop.json 2>snoop.err &
p_snoop=$!
"$BPF_OUT/spdmsnoop" -T -j >snoop-tp.json 2>snoop-tp.err &
p_snoop_tp=$!
"$BPF_OUT/spdmsnoop" -d "$dev1" -m CHALLENGE_AUTH >snoop-f.txt 2>snoop-f.err &
p_snoop_f=$!
"$BPF_OUT/spdmlat" >lat.txt 2>lat.err &
p_lat=$!
"$BPF_OUT/spdmlat" -T -a -M >lat-tp.txt 2>lat-tp.err &
p_lat_tp=$!
"$BPF_OUT/spdmstat" >stat.txt 2>stat.err &
p_stat=$!
for f in snoop snoop-tp snoop-f lat lat-tp stat; do
	tap_check "$f: attached" bpf_wait_line "$f.err" '^Tracing\|^Counting'
done
tap_check "spdmsnoop prefers tp_btf" grep -q '(tp_btf)' snoop.err
tap_check "spdmsnoop -T uses the classic tracepoint" grep -q '(tracepoint)' snoop-tp.err
tap_check "spdmlat prefers tp_btf" grep -q '(tp_btf)' lat.err
tap_check "spdmstat prefers tp_btf" grep -q '(tp_btf)' stat.err

trace_on
tap_check "$GOOD re-authentications of the good device" bpf_reauth "$dev0" $GOOD
tap_check "$BAD re-authentications of the faulty device" bpf_reauth "$dev1" $BAD
tap_check "verdicts: allow the good device (agent), deny the faulty one (admin)" \
	bpf_verdicts "$dev0" "$dev1"
trace_off trace.txt

if bpf_stop $p_snoop $p_snoop_tp $p_snoop_f $p_lat $p_lat_tp $p_stat >stop.log 2>&1; then
	tap_ok "all tools exit 0 on SIGINT"
else
	tap_fail "all tools exit 0 on SIGINT" "$(cat stop.log)"
fi
for f in snoop snoop-tp snoop-f lat lat-tp stat; do
	_tap_diag <"$f.err"
done

# ftrace is the ground truth for the exchanges.
tap_check "ftrace saw $GOOD authentications of the good device" \
	test "$(check trace trace.txt spdm_auth dev="$dev0" result=0)" -eq $GOOD
tap_check "ftrace saw $BAD failed (-EKEYREJECTED) authentications" \
	test "$(check trace trace.txt spdm_auth dev="$dev1" result=-129)" -eq $BAD

# spdmsnoop
n=$(check snoop snoop.json)
tap_check "spdmsnoop: as many exchanges as ftrace ($n)" \
	test "$n" -eq "$(check trace trace.txt spdm_exchange)" -a "$n" -gt $((GOOD + BAD))
tap_check "spdmsnoop: GET_VERSION $GOOD times on the good device" \
	test "$(check snoop snoop.json device="$dev0" request=GET_VERSION)" -eq $GOOD
tap_check "spdmsnoop: GET_VERSION $BAD times on the faulty device" \
	test "$(check snoop snoop.json device="$dev1" request=GET_VERSION)" -eq $BAD
tap_check "spdmsnoop: CHALLENGE -> CHALLENGE_AUTH $((GOOD + BAD)) times" \
	test "$(check snoop snoop.json request=CHALLENGE response=CHALLENGE_AUTH)" -eq $((GOOD + BAD))
tap_check "spdmsnoop: every line plausible" test -z "$(check snoop-implausible snoop.json "$dev0" "$dev1")"
check trace-exchanges trace.txt >x-trace
check snoop-exchanges snoop.json >x-snoop
check snoop-exchanges snoop-tp.json >x-snoop-tp
tap_check "spdmsnoop: the same exchanges, lengths, latencies and results as ftrace" \
	cmp x-trace x-snoop
tap_check "spdmsnoop -T: the same exchanges as with tp_btf" cmp x-snoop x-snoop-tp
tap_check "spdmsnoop -d -m: exactly $BAD lines, all CHALLENGE on the faulty device" \
	test "$(grep -c "$dev1 *CHALLENGE *-> CHALLENGE_AUTH" snoop-f.txt)" -eq $BAD \
	-a "$(grep -vc '^TIME' snoop-f.txt)" -eq $BAD

# spdmlat
tap_check "spdmlat: $GOOD in the good device's authentication histogram" \
	test "$(check hist-sum lat.txt "device $dev0, authentication")" -eq $GOOD
tap_check "spdmlat: $BAD in the faulty device's authentication histogram" \
	test "$(check hist-sum lat.txt "device $dev1, authentication")" -eq $BAD
tap_check "spdmlat: $GOOD in the good device's GET_VERSION histogram" \
	test "$(check hist-sum lat.txt "device $dev0, GET_VERSION")" -eq $GOOD
tap_check "spdmlat: $BAD in the faulty device's CHALLENGE histogram" \
	test "$(check hist-sum lat.txt "device $dev1, CHALLENGE")" -eq $BAD
tap_check "spdmlat: usecs : count distribution layout" \
	grep -q '^ *usecs *: count *distribution$' lat.txt
tap_check "spdmlat -T -a -M: $GOOD authentications in msecs, no exchange histograms" \
	test "$(check hist-sum lat-tp.txt "device $dev0, authentication")" -eq $GOOD \
	-a "$(grep -c '^device' lat-tp.txt)" -eq 2 -a "$(grep -c 'msecs' lat-tp.txt)" -eq 2

# spdmstat
tap_check "spdmstat: $GOOD successes, SPDM 1.3, ECDSA_P256, SHA_256" \
	test "$(check stat stat.txt "$dev0" 0 1.3 ECDSA_P256 SHA_256)" -eq $GOOD
tap_check "spdmstat: $BAD failures with -129 EKEYREJECTED" \
	test "$(check stat stat.txt "$dev1" -129 1.3 ECDSA_P256 SHA_256)" -eq $BAD
tap_check "spdmstat: nothing else counted" \
	test "$(awk 'NR > 1 && $1 ~ /^0000:/ { n++ } /^DEVICE *VERDICT/ { exit } END { print n }' stat.txt)" -eq 2
tap_check "spdmstat: the good device allowed once by the agent" \
	grep -Eq "^$dev0 +allow +agent +1$" stat.txt
tap_check "spdmstat: the faulty device denied once by the administrator" \
	grep -Eq "^$dev1 +deny +admin +1$" stat.txt
tap_check "spdmstat: verdicts as many as ftrace saw" \
	test "$(awk '/^DEVICE *VERDICT/ { v = 1; next } v && NF { s += $NF } END { print s + 0 }' stat.txt)" \
	-eq "$(check trace trace.txt spdm_verdict)"

cma_check_unload "modules unload after the tools exit" bpf_modules_unload
_tap_diag <snoop-f.txt
_tap_diag <lat.txt
_tap_diag <stat.txt
tap_done
