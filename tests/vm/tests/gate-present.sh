# Driver-binding gate and functions present at load: gate_present=keep
# leaves them alone; gate_present=hold holds the unbound ones and keeps the
# administrator's own driver_override, which the release restores; module
# unload with held functions leaves them unbound with the gate's override
# cleared (documented in docs/gate.md).
#
# On the patched kernel spdm_cma is built in and cannot be reloaded: the
# functions present at boot are enumerated before its initcall and found by
# its scan there, so with spdm_cma.gate_present=hold (given on the kernel
# command line, which the module loads below ignore) they are held before
# the built-in nvme driver registers; driver_override stays the
# administrator's through hold and allow.
# vm-devices: 2
# vm-timeout: 200
# vm-kernel-args: spdm_cma.gate_present=hold spdm_cma.gate_timeout=0
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"

read -r a b <<<"$(cma_nvme | tr '\n' ' ')"
tap_check "two NVMe functions, no driver yet" test "$(gate_driver "$a") $(gate_driver "$b")" = "none none"

if cma_builtin; then
	tap_check "built in with gate_present=hold" cma_load gate_present=hold gate_timeout=0
	tap_check "both functions present at boot are held" \
		test "$(gate_sysfs "$a" state) $(gate_sysfs "$b" state)" = "held held"
	tap_check "$a held the patched kernel's way" gate_held "$a"
	tap_check "driver_override untouched while held" \
		test "$(gate_override "$a") $(gate_override "$b")" = "(null) (null)"
	tap_check "no other PCI function is held (mode cma)" \
		test "$(ls -d /sys/bus/pci/devices/*/spdm_gate | wc -l)" = 2
	echo nvme >"/sys/bus/pci/devices/$a/driver_override"
	echo "$a" >/sys/bus/pci/drivers_probe
	tap_check "the administrator's driver_override does not release it" \
		test "$(gate_driver "$a") $(gate_sysfs "$a" state)" = "none held"
	cma_wait "$a" 1 >/dev/null
	tap_check "allow $a" test "$(gate_nl verdict "$a" 1 allow)" = ok
	tap_check "nvme binds it" gate_wait_driver "$a"
	tap_check "the administrator's driver_override is still in place" test "$(gate_override "$a")" = nvme
	tap_check "$b is still held" gate_held "$b"
	cma_wait "$b" 1 >/dev/null
	tap_check "allow $b" test "$(gate_nl verdict "$b" 1 allow)" = ok
	tap_check "nvme binds it" gate_wait_driver "$b"
	tap_check "its driver_override is still none" test "$(gate_override "$b")" = "(null)"
	tap_done
	exit 0
fi
tap_check "load with the default gate_present=keep" cma_load gate_timeout=0
tap_check "present functions are not held" test ! -e "/sys/bus/pci/devices/$a/spdm_gate"
tap_match "a verdict for them is refused" "$(gate_nl verdict "$a" 1 allow)" \
	"error: EINVAL: device is not held by the driver-binding gate"
tap_check "unload" rmmod spdm_cma

echo nvme >"/sys/bus/pci/devices/$a/driver_override"
tap_check "load with gate_present=hold" insmod "$CMA_KO" gate_present=hold gate_timeout=0
tap_check "both present unbound functions are held" test \
	"$(gate_sysfs "$a" state) $(gate_sysfs "$b" state)" = "held held"
tap_check "the administrator's override is replaced by the gate's while held" gate_held "$a"
tap_check "no other PCI function is held (mode cma)" test "$(ls -d /sys/bus/pci/devices/*/spdm_gate | wc -l)" = 2
modprobe nvme
tap_check "nvme does not bind held functions" test "$(gate_driver "$a") $(gate_driver "$b")" = "none none"
cma_wait "$a" 1 >/dev/null
tap_check "allow $a" test "$(gate_nl verdict "$a" 1 allow)" = ok
tap_check "the administrator's override is back after the release" test "$(gate_override "$a")" = nvme
tap_check "and nvme (the override's driver) binds" gate_wait_driver "$a"

# Unload with $b held.
tap_check "unload with a held function" rmmod spdm_cma
tap_check "the held function stays unbound" test "$(gate_driver "$b")" = none
tap_check "its gate override is cleared" test "$(gate_override "$b")" = "(null)"
tap_check "its spdm_gate/ group is gone" test ! -e "/sys/bus/pci/devices/$b/spdm_gate"
tap_check "the allowed function stays bound" test "$(gate_driver "$a")" = nvme
tap_check "... with the administrator's override" test "$(gate_override "$a")" = nvme
tap_check "reload with gate_present=hold holds it again" \
	sh -c "insmod '$CMA_KO' gate_present=hold gate_timeout=0 && test \"\$(cat /sys/bus/pci/devices/$b/spdm_gate/state)\" = held"
tap_check "a bound function is not held at load" test ! -e "/sys/bus/pci/devices/$a/spdm_gate"
cma_wait "$b" 1 >/dev/null
tap_check "allow after the reload binds it" \
	sh -c "test \"\$(python3 '$SRCDIR/tests/vm/gate/gatenl.py' verdict '$b' 1 allow)\" = ok"
tap_check "... nvme bound" gate_wait_driver "$b"
tap_check "modules unload" cma_unload
tap_check "bound functions stay bound after unload" test "$(gate_driver "$a") $(gate_driver "$b")" = "nvme nvme"

# gate_mode=all: functions without a CMA mailbox are held too, and need a
# verdict for generation 0 (they never authenticate).
h=
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/driver" ] || [ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1b36:0x0010 ] || { h=${d##*/}; break; }
done
tap_check "an unbound function without CMA mailbox exists ($h)" test -n "$h"
tap_check "load with gate_mode=all gate_present=hold" cma_load gate_mode=all gate_present=hold gate_timeout=0
tap_check "mode all holds $h" test "$(gate_sysfs "$h" state)" = held
d=$(cma_nl get "$h")
tap_check "... reported as unsupported, generation 0, no verdict yet" \
	test "$(cma_json "$d" 'd["state-name"], d["generation"], d["verdict-source"]')" = "('unsupported', 0, 0)"
tap_check "allow for generation 0 releases it" test "$(gate_nl verdict "$h" 0 allow)" = ok
tap_check "... state allowed" test "$(gate_sysfs "$h" state)" = allowed
tap_check "bound functions were not held" test ! -e "/sys/bus/pci/devices/$a/spdm_gate"
tap_check "modules unload again" cma_unload
tap_done
