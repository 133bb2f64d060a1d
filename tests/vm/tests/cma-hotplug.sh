# Hot-added devices are authenticated; hot-removed ones disappear from sysfs
# and netlink, even while their authentication runs; the monitor group sees
# device-added, auth-done and device-removed in that order.
# vm-devices: 0
# vm-root-ports: 2
# vm-timeout: 180
# vm-kernel-args: spdm_cma.gate_mode=off
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"

# The driver-binding gate (gate-*.sh) is not what this test is about.
tap_check "modules load" cma_load gate_mode=off
cma_nl monitor --count 3 --timeout 60 >"$T/ntf" &
mon=$!
for _ in $(seq 50); do grep -q subscribed "$T/ntf" && break; sleep 0.1; done

bdf=$(vm_device_add hot0)
tap_check "hot-added device gets its spdm/ group" test -d "/sys/bus/pci/devices/$bdf/spdm"
tap_check "hot-added device authenticated" test "$(cma_wait "$bdf" 1)" = authenticated
key=$(cma_json "$(cma_nl get "$bdf")" 'd["key"]')
tap_check "hot-remove" vm_device_del hot0
wait $mon
tap_check "netlink: removed device unknown" test "$(cma_nl get "$bdf")" = "error: ENODEV: no such device"
tap_check "dump no longer lists it" \
	test "$(cma_json "$(cma_nl dump)" '[x for x in d["devices"] if x["name"] == "'"$bdf"'"]')" = "[]"
grep ntf "$T/ntf" >"$T/ntfs"
tap_check "notifications: added, auth-done, removed" test \
	"$(cma_json "[$(paste -sd, "$T/ntfs")]" '[(x["ntf"], x["name"], x["key"]) for x in d]')" = \
	"[('device-added-ntf', '$bdf', $key), ('auth-done-ntf', '$bdf', $key), ('device-removed-ntf', '$bdf', $key)]"
n=$(sed -n 1p "$T/ntfs")
tap_check "device-added-ntf carries identity and state pending" test \
	"$(cma_json "$n" '"%04x:%04x" % (d["vendor-id"], d["device-id"]), d["state-name"]')" = "('1b36:0010', 'pending')"
n=$(sed -n 2p "$T/ntfs")
tap_check "auth-done-ntf: generation 1 authenticated" \
	test "$(cma_json "$n" 'd["generation"], d["state-name"], d["error"]')" = "(1, 'authenticated', 0)"

# Remove a device right after queuing a re-authentication (shell builtins
# only, so the removal starts while the attempt is queued or running):
# removal waits for the exchange in flight, then frees everything; a rescan
# brings the device back.
bdf=$(vm_device_add busy --asym rsa4096 --hash sha512)
cma_wait "$bdf" 1 >/dev/null
for i in 1 2 3; do
	echo 1 >"/sys/bus/pci/devices/$bdf/spdm/authenticated"
	echo 1 >"/sys/bus/pci/devices/$bdf/remove"
	tap_check "removal right after queuing a re-authentication ($i)" \
		test ! -e "/sys/bus/pci/devices/$bdf"
	echo 1 >/sys/bus/pci/rescan
	tap_check "rescanned device authenticated again ($i)" test "$(cma_wait "$bdf" 1)" = authenticated
done
tap_check "hot-remove busy" vm_device_del busy
tap_check "no device left behind" \
	test "$(cma_json "$(cma_nl dump)" 'sum(x["state-name"] != "unsupported" for x in d["devices"])')" = 0
bdf=$(vm_device_add again)
tap_check "a device added afterwards is authenticated" test "$(cma_wait "$bdf" 1)" = authenticated
tap_check "modules unload" cma_unload
tap_check "device still present after unload" test -e "/sys/bus/pci/devices/$bdf"
tap_check "hot-remove after unload" vm_device_del again
tap_done
