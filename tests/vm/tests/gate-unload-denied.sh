# Module unload keeps denied functions held: the gate's driver_override
# stays, so neither a later driver load nor drivers_probe binds them, and
# only an administrator who clears the override releases one (docs/gate.md).
# A function still waiting for its verdict gives way to the administrator's
# override, as before (gate-present).
# vm-devices: 2
# vm-timeout: 200
# vm-kernels: debian
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"

read -r a b <<<"$(cma_nvme | tr '\n' ' ')"
tap_check "load with gate_present=hold" cma_load gate_present=hold gate_timeout=0
tap_check "both functions held" test "$(gate_sysfs "$a" state) $(gate_sysfs "$b" state)" = "held held"
cma_wait "$a" 1 >/dev/null
tap_check "deny $a" test "$(gate_nl verdict "$a" 1 deny --source admin)" = ok
tap_check "unload with a denied and a held function" rmmod spdm_cma
tap_check "the denied function keeps the gate's override" test "$(gate_override "$a")" = "$GATE_HOLD_OVERRIDE"
tap_check "the undecided one gives way (override cleared)" test "$(gate_override "$b")" = "(null)"
modprobe nvme
echo "$a" >/sys/bus/pci/drivers_probe 2>/dev/null
sleep 1
tap_check "neither nvme's load nor drivers_probe binds the denied function" \
	test "$(gate_driver "$a")" = none
tap_check "reload with gate_present=keep leaves it held" \
	sh -c "insmod '$CMA_KO' gate_timeout=0 && echo '$a' >/sys/bus/pci/drivers_probe; test \"\$(cat /sys/bus/pci/devices/$a/driver_override)\" = spdm_gate_held"
tap_check "... and unbound" test "$(gate_driver "$a")" = none
tap_check "unload again" rmmod spdm_cma
tap_check "the administrator releases it: clear driver_override, drivers_probe" \
	sh -c "echo >/sys/bus/pci/devices/$a/driver_override && echo '$a' >/sys/bus/pci/drivers_probe"
tap_check "... nvme binds" gate_wait_driver "$a"
tap_check "spdm unloads" rmmod spdm
tap_done
