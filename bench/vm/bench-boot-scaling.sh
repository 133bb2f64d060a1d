# B4 boot scaling: N NVMe devices with CMA mailboxes (N = 1, 4, 8, 16), each
# with its own responder. For each N: guest time from insmod spdm_cma until
# all N have finished their first authentication (median of REPEAT loads),
# then REAUTH rounds re-authenticating all N at once, then one traced round
# (where the time goes). Devices are hot-added between sizes, outside the
# timing. The guest runs under QEMU -icount: its clock counts instructions and
# QEMU waits for the responder inside the DOE register access, so guest time
# is the guest's own work, repeatable on a loaded host. The ratio that this
# bed can measure is N devices at once vs N times one device: the cost of
# doing them concurrently (1.00 = none). It cannot show device latency
# overlapping, the premise of "16 devices <= 1.5x one" (bench/README.md).
# Run by bench/bench.py through tests/vm/vmtest.py; writes $VM_RUNDIR/bench.txt.
# vm-devices: 0
# vm-root-ports: 16
# vm-timeout: 900
# vm-qemu-args: -icount shift=0,sleep=off
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"

REPEAT=${BENCH_REPEAT:-3}
REAUTH=${BENCH_REAUTH:-3}
out=$VM_RUNDIR/bench.txt
bench=$SRCDIR/bench/vm/guest-bench.py

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# "mean min max" of column 1 and the mean of column 2 on stdin
stats() {
	awk 'NR == 1 { lo = hi = $1 } { s += $1; t += $2; if ($1 < lo) lo = $1; if ($1 > hi) hi = $1 }
	     END { printf "%.3f %.3f %.3f %.3f\n", s / NR, lo, hi, t / NR }'
}

tap_check "spdm.ko loads" insmod "$SPDM_KO"
bdfs=()
one_load=
one_re=
{
	echo "B4  boot scaling in the VM (QEMU TCG -icount shift=0, $(nproc) vCPU: guest time = instructions,"
	echo "    1 ns each; ECDSA P-256, SPDM 1.3; one responder per device)"
	echo "    load: init_module(spdm_cma) until all N authenticated (first authentication, chains fetched),"
	echo "    median of $REPEAT loads; reauth: all N re-authenticated at once, mean of $REAUTH rounds [min-max];"
	echo "    attempt: mean of the kernel's duration of each device's attempt; exch: mean spdm_exchange (traced round)"
	echo "    N x one = the time divided by N times one device's (1.00 = concurrency costs nothing)"
	echo "    +device = (load ms - one device's) / (N - 1): the cost of one more device at load"
	printf '    %-7s %9s %7s %8s %8s %22s %7s %8s %10s %9s\n' devices "load ms" "vs one" "N x one" \
		"+device" "reauth ms [min-max]" "vs one" "N x one" "attempt ms" "exch ms"
} >"$out"
for n in 1 4 8 16; do
	while [ ${#bdfs[@]} -lt "$n" ]; do
		i=${#bdfs[@]}
		if ! bdf=$(vm_device_add "b$i" 2>"$T/add.err"); then
			tap_fail "hot-add device $i" "$(cat "$T/add.err")"
			break 2
		fi
		bdfs+=("$bdf")
	done
	: >"$T/load"
	ok=1
	for r in $(seq "$REPEAT"); do
		python3 "$bench" load "$CMA_KO" "${bdfs[@]}" >>"$T/load" 2>"$T/err" || { ok=0; break; }
		[ "$r" = "$REPEAT" ] || rmmod spdm_cma || { ok=0; break; }
	done
	if [ $ok = 1 ]; then
		python3 "$bench" reauth "$REAUTH" "${bdfs[@]}" >"$T/reauth" 2>"$T/err" &&
			python3 "$bench" traced "${bdfs[@]}" >"$T/traced" 2>>"$T/err" || ok=0
	fi
	rmmod spdm_cma || ok=0
	if [ $ok = 0 ]; then
		tap_fail "$n devices" "$(cat "$T/err")"
		break
	fi
	tap_ok "$n devices: loads $(tr '\n' ' ' <"$T/load")ms; re-authentications $(awk '{ printf "%s ", $1 }' "$T/reauth")ms"
	load=$(median <"$T/load")
	read -r re lo hi att <<<"$(stats <"$T/reauth")"
	read -r _ _ exch _ <"$T/traced"
	[ -n "$one_load" ] || { one_load=$load; one_re=$re; }
	awk -v n="$n" -v l="$load" -v l1="$one_load" -v re="$re" -v lo="$lo" -v hi="$hi" \
		-v r1="$one_re" -v att="$att" -v ex="$exch" \
		'BEGIN { add = n > 1 ? sprintf("%.1f", (l - l1) / (n - 1)) : "-"
			 printf "    %-7d %9.1f %6.2fx %8.3f %8s %8.1f %13s %6.2fx %8.3f %10.1f %9.3f\n",
			 n, l, l / l1, l / (n * l1), add, re, sprintf("[%.1f-%.1f]", lo, hi),
			 re / r1, re / (n * r1), att, ex }' >>"$out"
done
echo "    target: 16 devices <= 1.5x one (needs device latency that overlaps; see bench/README.md)" >>"$out"
tap_check "spdm.ko unloads" rmmod spdm
tap_done
