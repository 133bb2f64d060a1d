# What tracing costs an SPDM exchange: authentications of one device timed by
# the kernel itself (netlink duration-us, no tracing involved) with no tool,
# with spdmsnoop attached and with a bpftrace one-liner attached, baselines
# before, between and after, in the same boot. The ratios and the BPF
# programs' own run time per event (kernel.bpf_stats_enabled) are reported as
# TAP diagnostics; the subtests check only that every phase ran and that the
# tools saw every exchange, never a time.
# vm-devices: 1
# vm-mem: 2048
# vm-timeout: 420
# vm-serial: it compares authentication times with and without tracing (other guests skew them)
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/bpf/tests/vm-lib.sh"

check() { python3 "$SRCDIR/bpf/tests/check.py" "$@"; }
N=31
ONELINER='tracepoint:spdm:spdm_exchange { @[str(args->dev)] = count(); }'

tap_check "modules load" cma_load
dev=$(cma_nvme)
tap_check "device authenticated at load" test "$(cma_wait "$dev" 1)" = authenticated
cd "$T" || exit 1

phase() {
	tap_check "$1: $N authentications timed" \
		sh -c "python3 '$SRCDIR/bpf/tests/authtime.py' '$dev' $N >'$1.us'"
}

# Mean run time per event of the attached BPF programs of one type.
prog_ns() {
	bpftool prog show -j | python3 -c '
import json, sys
p = [x for x in json.load(sys.stdin) if x.get("type") == sys.argv[1] and x.get("run_cnt")]
print(sum(x["run_time_ns"] for x in p) // max(1, sum(x["run_cnt"] for x in p)))' "$1"
}

sysctl -qw kernel.bpf_stats_enabled=1
phase none1

"$BPF_OUT/spdmsnoop" >snoop.txt 2>snoop.err &
p=$!
tap_check "spdmsnoop attached" bpf_wait_line snoop.err '^Tracing' 60 $p
phase spdmsnoop
snoop_ns=$(prog_ns tracing)
if bpf_stop $p >stop.log 2>&1; then tap_ok "spdmsnoop exits 0"; else tap_fail "spdmsnoop exits 0" "$(cat stop.log)"; fi
seen=$(grep -c "^[0-9.]* *$dev " snoop.txt)
per_auth=$((seen / N))
tap_check "spdmsnoop saw a whole number of exchanges per authentication ($seen / $N)" \
	test $((per_auth * N)) -eq "$seen" -a "$per_auth" -gt 0

phase none2

bpftrace -e "BEGIN { printf(\"Tracing\n\"); } $ONELINER" >bt.txt 2>bt.err &
p=$!
tap_check "bpftrace one-liner attached" bpf_wait_line bt.txt '^Tracing' 240 $p
phase bpftrace
bt_ns=$(prog_ns tracepoint)
if bpf_stop $p >stop.log 2>&1; then tap_ok "bpftrace exits 0"; else tap_fail "bpftrace exits 0" "$(cat stop.log)"; fi
tap_check "bpftrace counted $seen exchanges too" grep -q "^@\[$dev\]: $seen$" bt.txt

phase none3
sysctl -qw kernel.bpf_stats_enabled=0
cma_check_unload "module unloads" bpf_modules_unload

check overhead "$per_auth" none1.us spdmsnoop.us none2.us bpftrace.us none3.us >summary.txt
echo "BPF program run time per event: spdmsnoop ${snoop_ns} ns, bpftrace ${bt_ns} ns" >>summary.txt
_tap_diag <summary.txt
head -n 8 snoop.txt | _tap_diag
[ -n "${VM_RUNDIR:-}" ] && cp summary.txt "$VM_RUNDIR/overhead.txt"
tap_done
