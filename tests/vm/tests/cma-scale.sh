# Eight devices: they authenticate in parallel at load, a dump returns all of
# them, re-authentication of 1, 4 and 8 at once, the kernel memory each
# device costs, and unloading while all eight authenticate. Times and memory
# are reported as TAP diagnostics, never asserted.
# vm-devices: 8
# vm-root-ports: 0
# vm-timeout: 300
# vm-serial: it reports how long 8 parallel authentications take (other guests skew that)
# Module only: it unloads spdm_cma while authentications are in flight.
# vm-kernels: debian
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"

note() {
	echo "# $*"
	[ -n "${VM_RUNDIR:-}" ] && echo "# $*" >>"$VM_RUNDIR/subtests.tap"
	return 0
}
now_ms() { date +%s%3N; }
# Kernel memory in KiB that module state can occupy.
kmem() { awk '/^(Slab|VmallocUsed|Percpu):/ { s += $2 } END { print s }' /proc/meminfo; }
wait_all() { # wait_all GEN BDF...: all reach GEN and finish; prints their states
	local gen=$1 b
	shift
	for b in "$@"; do cma_wait "$b" "$gen" 120; done | sort | uniq -c | sed 's/^ *//'
}

mapfile -t bdfs <<<"$(cma_nvme)"
tap_check "8 NVMe functions" test "${#bdfs[@]}" -eq 8
note "guest vCPUs: $(nproc) (authentications interleave on them)"
insmod "$SPDM_KO"
sync
echo 3 >/proc/sys/vm/drop_caches
m0=$(kmem)
t0=$(now_ms)
tap_check "spdm_cma loads" insmod "$CMA_KO"
tap_check "all 8 authenticated at load" test "$(wait_all 1 "${bdfs[@]}")" = "8 authenticated"
note "time to authenticate 8 devices at load: $(($(now_ms) - t0)) ms"

d=$(cma_nl dump)
tap_check "dump returns all 8 devices, authenticated" test \
	"$(cma_json "$d" 'sorted(x["name"] for x in d["devices"] if x["state-name"] == "authenticated")')" = \
	"$(printf "'%s', " "${bdfs[@]}" | sed 's/, $//; s/.*/[&]/')"
d=$(cma_nl dump --evidence)
tap_check "evidence dump returns all 8 devices' chains" \
	test "$(cma_json "$d" 'sum("cert-chain-slot0" in x["evidence-blobs"] for x in d["devices"])')" = 8

gen=1
for n in 1 4 8; do
	gen=$((gen + 1))
	set -- "${bdfs[@]:0:$n}"
	# The devices left out keep their generation: bring them level first.
	t0=$(now_ms)
	for b in "$@"; do echo 1 >"/sys/bus/pci/devices/$b/spdm/authenticated"; done
	tap_check "re-authenticate $n at once" test "$(wait_all "$gen" "$@")" = "$n authenticated"
	note "time to authenticate $n device(s) at once: $(($(now_ms) - t0)) ms"
	for b in "${bdfs[@]:$n}"; do echo 1 >"/sys/bus/pci/devices/$b/spdm/authenticated"; done
	wait_all "$gen" "${bdfs[@]:$n}" >/dev/null
done

sync
echo 3 >/proc/sys/vm/drop_caches
m1=$(kmem)
core=$(( $(cat /sys/module/spdm_cma/coresize) / 1024 ))
ev=$(cma_json "$(cma_nl dump --evidence)" \
	'sum(sum(x["evidence-blobs"].values()) for x in d["devices"]) // len([x for x in d["devices"] if x["evidence-blobs"]])')
for t in spdm_cma:cma_dev spdm:spdm_state; do
	sz=$(bpftool btf dump file "/sys/kernel/btf/${t%%:*}" 2>/dev/null |
		sed -n "s/^\[[0-9]*\] STRUCT '${t#*:}' size=\([0-9]*\).*/\1/p")
	note "sizeof(struct ${t#*:}) = ${sz:-?} bytes (BTF of ${t%%:*})"
done
tap_check "spdm_cma unloads" rmmod spdm_cma
sync
echo 3 >/proc/sys/vm/drop_caches
m2=$(kmem)
note "kernel memory (Slab+VmallocUsed+Percpu) with 8 authenticated devices: $((m1 - m0)) KiB over the baseline, $((m1 - m2)) KiB freed by unload ($core KiB module core)"
note "kernel memory per authenticated device: ~$(( (m1 - m2 - core) / 8 )) KiB, of which $ev bytes are the evidence copy"

t0=$(now_ms)
insmod "$CMA_KO"
tap_check "unload while 8 authentications are in flight" rmmod spdm_cma
note "rmmod with 8 authentications in flight: $(($(now_ms) - t0)) ms after insmod"
tap_check "no spdm/ group left" test -z "$(ls -d /sys/bus/pci/devices/*/spdm 2>/dev/null)"
tap_check "spdm_cma loads again" insmod "$CMA_KO"
tap_check "all 8 authenticated after reload" test "$(wait_all 1 "${bdfs[@]}")" = "8 authenticated"
tap_check "modules unload" cma_unload
tap_done
