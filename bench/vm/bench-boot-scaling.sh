# B4 boot scaling: N NVMe devices with CMA mailboxes (N = 1, 4, 8, 16) exist
# before spdm_cma loads; time from insmod until all N are authenticated,
# median of REPEAT loads, as a ratio to one device. Devices are hot-added
# between sizes (outside the timing); each gets its own responder process.
# Run by bench/bench.py through tests/vm/vmtest.py; writes $VM_RUNDIR/bench.txt.
# vm-devices: 0
# vm-root-ports: 16
# vm-timeout: 900
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"

REPEAT=${BENCH_REPEAT:-3}
out=$VM_RUNDIR/bench.txt
bench=$SRCDIR/bench/vm/guest-bench.py

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

tap_check "spdm.ko loads" insmod "$SPDM_KO"
bdfs=()
one=
{
	echo "B4  boot scaling in the VM (QEMU TCG, $(nproc) vCPU): N NVMe devices present, spdm_cma loaded,"
	echo "    ms from insmod until all N authenticated (median of $REPEAT loads; ECDSA P-256, SPDM 1.3)"
	echo "    then all N re-authenticated at once, traced: total, mean spdm_auth and spdm_exchange durations"
	printf '    %-8s %10s %10s %14s %10s %12s %10s %10s\n' devices "total ms" "vs one" \
		"ms per device" "reauth ms" "auth mean ms" "exch ms" "exch/auth"
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
	: >"$T/times"
	ok=1
	for r in $(seq "$REPEAT"); do
		if ! python3 "$bench" load "$CMA_KO" "${bdfs[@]}" >>"$T/times" 2>"$T/err"; then
			ok=0
			break
		fi
		[ "$r" = "$REPEAT" ] || rmmod spdm_cma || { ok=0; break; }
	done
	[ $ok = 1 ] && { python3 "$bench" traced "${bdfs[@]}" >"$T/traced" 2>"$T/err" || ok=0; }
	rmmod spdm_cma || ok=0
	if [ $ok = 0 ]; then
		tap_fail "$n devices authenticated at load" "$(cat "$T/err")"
		break
	fi
	tap_ok "$n devices authenticated at load ($(tr '\n' ' ' <"$T/times")ms)"
	ms=$(median <"$T/times")
	[ -n "$one" ] || one=$ms
	read -r rt ra re rn <"$T/traced"
	awk -v n="$n" -v ms="$ms" -v one="$one" -v rt="$rt" -v ra="$ra" -v re="$re" -v rn="$rn" \
		'BEGIN { printf "    %-8d %10.0f %9.2fx %14.1f %10.0f %12.1f %10.2f %10.1f\n",
			 n, ms, ms / one, ms / n, rt, ra, re, rn }' >>"$out"
done
echo "    target: 16 devices <= 1.5x one" >>"$out"
tap_check "spdm.ko unloads" rmmod spdm
tap_done
