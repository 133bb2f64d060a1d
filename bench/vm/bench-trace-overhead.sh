# B5 tracing overhead: the per-exchange cost of re-authenticating one device
# with the spdm tracepoints disabled, enabled (ftrace ring buffer), and with a
# BPF program attached to spdm:spdm_exchange (a bpftrace histogram). Disabled
# and enabled alternate per authentication, with an idle bpftrace running so
# that the guest runs the same processes in every mode; a block with the
# bpftrace histogram attached follows in each round. TCG on a shared host adds
# large positive noise, so besides the median the fastest quartile's mean of
# each mode is reported (noise only adds time), each as a ratio to
# "disabled". Run by bench/bench.py through tests/vm/vmtest.py; writes
# $VM_RUNDIR/bench.txt.
# vm-devices: 1
# vm-timeout: 900
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"

ROUNDS=${BENCH_ROUNDS:-6}
K=${BENCH_AUTHS:-8}
out=$VM_RUNDIR/bench.txt
bench=$SRCDIR/bench/vm/guest-bench.py
ONELINER='tracepoint:spdm:spdm_exchange { @ns[args->req_code] = hist(args->duration_ns); }'
IDLE='interval:s:3600 { exit(); }'

# bpf_start PROGRAM NAME: bpftrace in the background, once its probes are attached
bpf_start() {
	bpftrace -e "$1" >"$T/bpftrace-$2.out" 2>&1 &
	bt=$!
	for _ in $(seq 600); do
		grep -q Attaching "$T/bpftrace-$2.out" && break
		kill -0 "$bt" 2>/dev/null || return 1
		sleep 0.1
	done
	sleep 0.5
}

bpf_stop() {
	kill -INT "$bt"
	wait "$bt"
}

# "median fastest-quartile-mean" of the numbers on stdin
stats() {
	sort -n | awk '{ v[NR] = $1 } END {
		med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		q = int(NR / 4); if (q < 1) q = 1
		for (i = 1; i <= q; i++) s += v[i]
		print med, s / q }'
}

bdf=$(cma_nvme)
tap_check "modules load" cma_load
tap_check "authenticated at load" test "$(cma_wait "$bdf" 1)" = authenticated

# exchanges per authentication, from the trace
python3 "$bench" traced "$bdf" >"$T/traced" 2>"$T/err" || tap_fail "traced run" "$(cat "$T/err")"
read -r _ _ _ per_auth <"$T/traced"

: >"$T/off"; : >"$T/on"; : >"$T/bpf"
for _ in $(seq "$ROUNDS"); do
	# disabled and enabled alternate authentication by authentication, with
	# an idle bpftrace running (a probe that never fires during the run), so
	# that all three modes have the same processes in the guest
	bpf_start "$IDLE" idle || break
	python3 "$bench" alternate "$bdf" "$K" >"$T/alt" || break
	bpf_stop
	awk '$1 == "off" { print $2 }' "$T/alt" >>"$T/off"
	awk '$1 == "on" { print $2 }' "$T/alt" >>"$T/on"
	bpf_start "$ONELINER" tool || break
	python3 "$bench" reauth "$bdf" "$K" >>"$T/bpf"
	bpf_stop
done
tap_check "bpftrace attached and recorded exchanges" grep -q '@ns' "$T/bpftrace-tool.out"
tap_check "$((ROUNDS * K)) authentications in each mode" test "$(wc -l <"$T/bpf")" = $((ROUNDS * K))
read -r off_med off_q <<<"$(stats <"$T/off")"
{
	echo "B5  tracing overhead in the VM (QEMU TCG, one device, P-256, SPDM 1.3): wall time of one"
	echo "    re-authentication, $((ROUNDS * K)) per mode in $ROUNDS interleaved rounds; ${per_auth} exchanges per authentication"
	printf '    %-32s %9s %9s %13s %9s %9s\n' mode "median ms" overhead "fast-25% ms" overhead "ms/exch"
	for m in off on bpf; do
		case $m in
		off) name="tracepoints disabled" ;;
		on) name="tracepoints enabled (ftrace)" ;;
		bpf) name="bpftrace on spdm:spdm_exchange" ;;
		esac
		read -r med q <<<"$(stats <"$T/$m")"
		awk -v name="$name" -v med="$med" -v q="$q" -v om="$off_med" -v oq="$off_q" -v n="$per_auth" \
			'BEGIN { printf "    %-32s %9.1f %8.1f%% %13.1f %8.1f%% %9.2f\n", name, med,
				 (med / om - 1) * 100, q, (q / oq - 1) * 100, q / n }'
	done
	echo "    bpftrace -e '$ONELINER'"
	echo "    target: <= 5 % with a tool attached"
} >"$out"
tap_check "modules unload" cma_unload
tap_done
