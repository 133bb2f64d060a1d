# spdm_cma authenticates an NVMe function with a CMA mailbox at load, reports
# it in sysfs and over netlink, traces every exchange, re-authenticates on a
# sysfs write, and unloads cleanly.
# vm-devices: 1
# vm-timeout: 120
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"

bdf=$(cma_nvme)
tap_check "modules load" cma_load
tap_check "spdm/ group on the function with a CMA mailbox" test -d "/sys/bus/pci/devices/$bdf/spdm"
tap_check "no spdm/ group on functions without one" \
	test "$(ls -d /sys/bus/pci/devices/*/spdm | wc -l)" -eq 1
tap_check "authenticated at load" test "$(cma_wait "$bdf" 1)" = authenticated
tap_check "sysfs authenticated reads 1" test "$(cma_sysfs "$bdf" authenticated)" = 1
tap_check "sysfs generation is 1" test "$(cma_sysfs "$bdf" generation)" = 1
tap_check "sysfs last_error is 0" test "$(cma_sysfs "$bdf" last_error)" = 0
tap_check "sysfs version is the highest offered (1.3)" test "$(cma_sysfs "$bdf" version)" = 1.3
tap_check "sysfs algorithms are the responder's defaults" \
	test "$(cma_sysfs "$bdf" algorithms)" = "asym=ecdsa-p256 hash=sha256 meas=sha256"

d=$(cma_nl get "$bdf")
key=$(( (0x${bdf:5:2} << 8) | (0x${bdf:8:2} << 3) | ${bdf:11:1} ))
tap_check "netlink: identity of QEMU's NVMe function" test \
	"$(cma_json "$d" '"%04x:%04x %06x %02x %04x:%04x" % (d["vendor-id"], d["device-id"],
		d["class"], d["revision"], d["subsystem-vendor-id"], d["subsystem-id"])')" = \
	"1b36:0010 010802 02 1af4:1100"
tap_check "netlink: key is domain << 16 | bus << 8 | devfn" test "$(cma_json "$d" 'd["key"]')" = "$key"
tap_check "netlink: state and generation agree with sysfs" \
	test "$(cma_json "$d" 'd["state-name"], d["generation"], d["version"]')" = "('authenticated', 1, 19)"

tr=/sys/kernel/tracing
echo 1 >"$tr/events/spdm/enable"
echo >"$tr/trace"
echo 1 >"/sys/bus/pci/devices/$bdf/spdm/authenticated"
tap_check "write 1 to authenticated re-authenticates (generation 2)" \
	test "$(cma_wait "$bdf" 2)" = authenticated
tap_check "generation incremented once" test "$(cma_sysfs "$bdf" generation)" = 2
echo 0 >"$tr/events/spdm/enable"
grep spdm_ "$tr/trace" >"$T/trace"
for code in 0x84 0xe1 0xe3 0x81 0x83; do
	tap_check "spdm_exchange traced request $code with result 0" \
		grep -q "spdm_exchange: dev=$bdf key=$(printf '%#x' "$key") req=$code .* result=0" "$T/trace"
done
tap_check "spdm_exchange: no exchange failed" sh -c "! grep 'spdm_exchange' '$T/trace' | grep -v 'result=0$'"
tap_check "spdm_auth traced generation 2, version 1.3, result 0" \
	grep -q "spdm_auth: dev=$bdf key=$(printf '%#x' "$key") generation=2 version=0x13 asym=0x10 hash=0x1 slot=0 result=0" "$T/trace"
if echo 0 2>/dev/null >"/sys/bus/pci/devices/$bdf/spdm/authenticated"; then
	tap_fail "writing 0 to authenticated is refused"
else
	tap_ok "writing 0 to authenticated is refused"
fi

if cma_builtin; then
	tap_skip "unload and reload" "built into the patched kernel"
	tap_done
	exit 0
fi
tap_check "spdm_cma unloads" rmmod spdm_cma
tap_check "spdm/ group gone after unload" test ! -e "/sys/bus/pci/devices/$bdf/spdm"
tap_check "netlink family gone after unload" sh -c "cma_nl() { python3 '$SRCDIR/tests/vm/cma/spdmnl.py' \"\$@\"; }; cma_nl get '$bdf' | grep -q ENOENT"
tap_check "spdm_cma loads again" insmod "$CMA_KO"
tap_check "authenticated again after reload (generation 1)" test "$(cma_wait "$bdf" 1)" = authenticated
tap_check "both modules unload" cma_unload
tap_done
