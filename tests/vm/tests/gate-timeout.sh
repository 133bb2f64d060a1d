# Driver-binding gate without an answer: the timeout applies the default
# verdict (deny: the device stays held), the trace and the notification say
# "timeout", and a late verdict for that generation is refused; with
# gate_timeout_verdict=allow the timeout releases the device instead, but never
# one that an administrator denied.
# vm-devices: 0
# vm-root-ports: 3
# vm-timeout: 200
# vm-serial: gate_timeout=2|3 runs in real time; a guest slowed by others checks too late
# Module only: it reloads spdm_cma with each gate_timeout_verdict in turn.
# vm-kernels: debian
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"

tap_check "modules load with gate_timeout=3" cma_load gate_timeout=3
tap_check "default timeout verdict is deny" \
	test "$(cat /sys/module/spdm_cma/parameters/gate_timeout_verdict)" = deny
modprobe nvme
gate_trace_on
a=$(vm_device_add ta)
tap_check "hot-added function is held" test "$(gate_sysfs "$a" state)" = held
tap_check "it authenticates (generation 1)" test "$(cma_wait "$a" 1)" = authenticated
tap_check "no verdict: the timeout denies it" gate_wait_state "$a" denied 20
tap_check "sysfs: deny by timeout for generation 1" test \
	"$(gate_sysfs "$a" verdict) $(gate_sysfs "$a" verdict_source) $(gate_sysfs "$a" verdict_generation)" = \
	"deny timeout 1"
tap_check "sysfs: the reason says why" test "$(gate_sysfs "$a" verdict_reason)" = "no verdict within 3 s"
gate_trace >"$T/trace"
tap_check "trace says timeout" \
	grep -q "spdm_verdict: dev=$a key=.* generation=1 verdict=deny source=timeout reason=no verdict within 3 s" \
	"$T/trace"
tap_check "the nvme driver never bound" test "$(gate_driver "$a")" = none
tap_match "a late allow for generation 1 is refused (EALREADY)" \
	"$(gate_nl verdict "$a" 1 allow --source agent)" "error: EALREADY: generation 1 already has a verdict (deny, timeout)"
tap_check "still unbound" test "$(gate_driver "$a") $(gate_sysfs "$a" state)" = "none denied"

tap_check "hot-remove the held function" vm_device_del ta
tap_check "spdm_cma unloads" rmmod spdm_cma
tap_check "spdm_cma loads with gate_timeout=2 gate_timeout_verdict=allow" \
	insmod "$CMA_KO" gate_timeout=2 gate_timeout_verdict=allow
gate_trace_on
b=$(vm_device_add tb)
tap_check "hot-added function is held" test "$(gate_sysfs "$b" state)" = held
tap_check "the timeout allows it" gate_wait_state "$b" allowed 30
tap_check "nvme binds" gate_wait_driver "$b"
tap_check "sysfs: allow by timeout" test "$(gate_sysfs "$b" verdict) $(gate_sysfs "$b" verdict_source)" = "allow timeout"
gate_trace >"$T/trace"
tap_check "trace says timeout" grep -q "spdm_verdict: dev=$b .* verdict=allow source=timeout" "$T/trace"
tap_check "re-authentication (generation 2) of the bound function" \
	sh -c "echo 1 >/sys/bus/pci/devices/$b/spdm/authenticated"
tap_check "... finishes" test "$(cma_wait "$b" 2)" = authenticated
tap_match "the administrator denies generation 2" "$(gate_nl verdict "$b" 2 deny --source admin)" ok
tap_check "... the driver is unbound" test "$(gate_driver "$b") $(gate_sysfs "$b" state)" = "none denied"
tap_check "re-authentication (generation 3) of the denied function" \
	sh -c "echo 1 >/sys/bus/pci/devices/$b/spdm/authenticated"
tap_check "... finishes" test "$(cma_wait "$b" 3)" = authenticated
sleep 5
tap_check "the timeout (allow) does not undo the deny: still denied for generation 2 after 5 s" \
	test "$(gate_driver "$b") $(gate_sysfs "$b" state) $(gate_sysfs "$b" verdict_generation)" = "none denied 2"
tap_check "bad gate parameters are refused at load" sh -c \
	"rmmod spdm_cma && ! insmod '$CMA_KO' gate_mode=some 2>/dev/null && ! insmod '$CMA_KO' gate_timeout_verdict=maybe 2>/dev/null"
tap_check "gate_mode=off loads" insmod "$CMA_KO" gate_mode=off
c=$(vm_device_add tc)
tap_check "gate_mode=off: a hot-added function is not held, nvme binds" gate_wait_driver "$c"
tap_check "... it has no spdm_gate/ group but is authenticated" \
	test "$(test -e "/sys/bus/pci/devices/$c/spdm_gate" && echo gated) $(cma_wait "$c" 1)" = " authenticated"
tap_match "... and a verdict is refused" "$(gate_nl verdict "$c" 1 deny)" \
	"error: EINVAL: device is not held by the driver-binding gate"
tap_check "spdm_cma unloads" rmmod spdm_cma
tap_check "spdm unloads" rmmod spdm
tap_done
