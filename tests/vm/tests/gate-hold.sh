# Driver-binding gate on hot-added NVMe functions: held at hot-add so the
# nvme driver does not bind; allow binds it and its namespace appears; deny
# keeps it away; one verdict per generation; stale generations, devices not
# held and non-root senders refused; verdict-ntf and the spdm_verdict
# tracepoint report each verdict; a deny unbinds a bound device.
# vm-devices: 0
# vm-root-ports: 3
# vm-timeout: 240
# vm-kernel-args: spdm_cma.gate_timeout=0
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"

tap_check "modules load (gate_timeout=0: no timeout)" cma_load gate_timeout=0
modprobe nvme
gate_trace_on
cma_nl monitor --timeout 200 >"$T/ntf" &
mon=$!
for i in $(seq 50); do grep -q subscribed "$T/ntf" && break; sleep 0.1; done

a=$(vm_device_add ga)
tap_check "hot-added function is held (spdm_gate/state)" test "$(gate_sysfs "$a" state)" = held
tap_check "held the kernel's way (module: driver_override; patched: the PCI core)" gate_held "$a"
if cma_builtin; then
	tap_check "patched kernel: driver_override untouched while held" test "$(gate_override "$a")" = "(null)"
fi
tap_check "it authenticates while held (generation 1)" test "$(cma_wait "$a" 1)" = authenticated
tap_check "modprobe'd nvme did not bind it" test "$(gate_driver "$a")" = none
tap_check "no /dev/nvme* while held" sh -c '! ls /dev/nvme* 2>/dev/null | grep -q .'
tap_check "a manual bind fails while held" sh -c "! echo '$a' 2>/dev/null >/sys/bus/pci/drivers/nvme/bind"
tap_check "... and binds nothing" test "$(gate_driver "$a")" = none

tap_match "verdict for a stale generation: ESTALE" "$(gate_nl verdict "$a" 0 allow)" \
	"error: ESTALE: stale generation 0: the device is at generation 1"
tap_match "non-root cannot send a verdict (EPERM)" \
	"$(nobody python3 "$SRCDIR/tests/vm/gate/gatenl.py" verdict "$a" 1 allow)" "error: EPERM*"
tap_check "... and the device is still held" test "$(gate_sysfs "$a" state) $(gate_driver "$a")" = "held none"
tap_match "source timeout cannot be sent" "$(gate_nl verdict "$a" 1 allow --source timeout)" \
	"error: EINVAL: source must be agent or admin"
root_port=$(basename "$(readlink -f "/sys/bus/pci/devices/$a/..")")
tap_match "verdict for a device the gate does not hold: EINVAL with extack" \
	"$(gate_nl verdict "$root_port" 0 allow)" "error: EINVAL: device is not held by the driver-binding gate"

t0=$(date +%s%N)
tap_check "allow (agent, with a reason)" test "$(gate_nl verdict "$a" 1 allow --source agent --reason "trusted vendor")" = ok
tap_check "allow binds the nvme driver" gate_wait_driver "$a"
tap_check "the driver is nvme" test "$(gate_driver "$a")" = nvme
tap_check "its namespace appears" sh -c 'for i in $(seq 300); do ls /dev/nvme*n1 >/dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1'
vm_log "allow to namespace: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
tap_check "driver_override cleared on release (none was set)" test "$(gate_override "$a")" = "(null)"
tap_check "sysfs: allowed, allow, agent, generation 1, reason" test \
	"$(for f in state verdict verdict_source verdict_generation verdict_reason; do gate_sysfs "$a" $f; done | tr '\n' ' ')" = \
	"allowed allow agent 1 trusted vendor "
tap_match "a second verdict for generation 1 is refused (EALREADY)" \
	"$(gate_nl verdict "$a" 1 deny)" "error: EALREADY: generation 1 already has a verdict (allow, agent)"
tap_check "... and the device stays bound" test "$(gate_driver "$a")" = nvme
d=$(cma_nl get "$a")
tap_check "device-get reports verdict, source and reason" test \
	"$(cma_json "$d" 'd["verdict"], d["verdict-source"], d["reason"]')" = "(1, 1, 'trusted vendor')"

b=$(vm_device_add gb)
tap_check "a second hot-added function is held" test "$(gate_sysfs "$b" state)" = held
if cma_builtin; then
	# In tree driver_override is the administrator's: it neither releases a
	# held function nor is replaced while the gate holds it.
	echo nvme >"/sys/bus/pci/devices/$b/driver_override"
	echo "$b" >/sys/bus/pci/drivers_probe
	tap_check "patched kernel: the administrator's driver_override does not release a held function" \
		test "$(gate_driver "$b") $(gate_sysfs "$b" state) $(gate_override "$b")" = "none held nvme"
fi
tap_check "it authenticates (generation 1)" test "$(cma_wait "$b" 1)" = authenticated
tap_check "deny (admin by default)" test "$(gate_nl verdict "$b" 1 deny --reason "unknown root")" = ok
tap_check "sysfs: denied, deny, admin" test \
	"$(gate_sysfs "$b" state) $(gate_sysfs "$b" verdict) $(gate_sysfs "$b" verdict_source)" = "denied deny admin"
modprobe -r nvme
modprobe nvme
sleep 1
tap_check "denied function: nvme reloaded does not bind it" test "$(gate_driver "$b")" = none
tap_check "the allowed one is bound again after the reload" gate_wait_driver "$a"
tap_check "a denied function stays held" gate_held "$b"
if cma_builtin; then
	tap_check "patched kernel: ... with the administrator's driver_override" test "$(gate_override "$b")" = nvme
fi

echo 1 >"/sys/bus/pci/devices/$b/spdm/authenticated"
tap_check "re-authentication of the denied function (generation 2)" test "$(cma_wait "$b" 2)" = authenticated
tap_match "verdict for the previous generation is now stale" "$(gate_nl verdict "$b" 1 allow)" "error: ESTALE*"
tap_check "allow for generation 2 releases it" test "$(gate_nl verdict "$b" 2 allow)" = ok
tap_check "... and nvme binds" gate_wait_driver "$b"
if cma_builtin; then
	tap_check "patched kernel: the administrator's driver_override kept across hold and allow" \
		test "$(gate_override "$b")" = nvme
fi

# A deny for a bound device unbinds it (after its re-authentication).
echo 1 >"/sys/bus/pci/devices/$a/spdm/authenticated"
tap_check "re-authentication of the bound function (generation 2)" test "$(cma_wait "$a" 2)" = authenticated
tap_check "it stays bound while the new generation waits for a verdict" test "$(gate_driver "$a")" = nvme
d=$(cma_nl get "$a")
tap_check "device-get: generation 2 has no verdict yet" \
	test "$(cma_json "$d" 'd["generation"], d["verdict"], d["verdict-source"]')" = "(2, 0, 0)"
tap_check "deny for generation 2" test "$(gate_nl verdict "$a" 2 deny --source agent)" = ok
tap_check "deny unbinds the driver" test "$(gate_driver "$a")" = none
tap_check "... and holds the device again" test "$(gate_sysfs "$a" state)" = denied
tap_check "... the kernel's way" gate_held "$a"

# Root bypass: clear the override, probe by hand. The module cannot prevent
# it and reports it; the patched kernel's hold does not depend on the
# override, so nothing binds.
echo 1 >"/sys/bus/pci/devices/$a/spdm/authenticated"
cma_wait "$a" 3 >/dev/null
echo >"/sys/bus/pci/devices/$a/driver_override"
echo "$a" >/sys/bus/pci/drivers_probe
if cma_builtin; then
	verdicts=7
	sleep 1
	tap_check "patched kernel: no bypass, drivers_probe binds nothing" \
		test "$(gate_driver "$a") $(gate_sysfs "$a" state)" = "none denied"
	tap_check "the agent's deny for generation 3 takes effect" \
		test "$(gate_nl verdict "$a" 3 deny --source agent --reason bypass) $(gate_driver "$a")" = "ok none"
else
	verdicts=8
	tap_check "root bypass through drivers_probe binds nvme" gate_wait_driver "$a"
	tap_check "the bypass is reported in sysfs (bypassed, source bypass)" \
		test "$(gate_sysfs "$a" state) $(gate_sysfs "$a" verdict_source)" = "bypassed bypass"
	tap_check "... and in the kernel log" sh -c "dmesg | grep -q '$a: SPDM: driver nvme bound to a held device without a verdict'"
	tap_check "the agent may still deny generation 3: unbinds" \
		test "$(gate_nl verdict "$a" 3 deny --source agent --reason bypass) $(gate_driver "$a")" = "ok none"
fi

# A device that fails authentication, allowed by hand, then fails its
# re-authentication while bound: reported, and the agent's deny unbinds it.
c=$(vm_device_add gc --fault sig-corrupt)
tap_check "a device failing authentication is held" test "$(cma_wait "$c" 1) $(gate_sysfs "$c" state)" = "failed held"
tap_check "the admin allows it anyway" test "$(gate_nl verdict "$c" 1 allow --reason "lab device")" = ok
tap_check "... nvme binds" gate_wait_driver "$c"
echo 1 >"/sys/bus/pci/devices/$c/spdm/authenticated"
tap_check "its re-authentication fails (generation 2)" test "$(cma_wait "$c" 2)" = failed
tap_check "the failure of a bound device is reported" sh -c \
	"dmesg | grep -q '$c: SPDM: bound device failed authentication generation 2: -129; awaiting verdict'"
tap_check "the agent's deny unbinds it" \
	test "$(gate_nl verdict "$c" 2 deny --source agent) $(gate_driver "$c")" = "ok none"
tap_check "hot-remove it" vm_device_del gc

gate_trace >"$T/trace"
tap_check "trace: allow by the agent with its reason" \
	grep -q "spdm_verdict: dev=$a key=.* generation=1 verdict=allow source=agent reason=trusted vendor" "$T/trace"
tap_check "trace: deny by the admin" \
	grep -q "spdm_verdict: dev=$b key=.* generation=1 verdict=deny source=admin reason=unknown root" "$T/trace"
if ! cma_builtin; then
	tap_check "trace: the bypass as a bind without verdict" \
		grep -q "spdm_verdict: dev=$a key=.* generation=3 verdict=none source=bypass" "$T/trace"
fi
tap_check "trace: exactly the verdicts that took effect ($verdicts)" test "$(wc -l <"$T/trace")" = $verdicts
# TRACE_DEFINE_ENUM: the format file gives the uapi enumerators as numbers,
# so trace-cmd, perf and libtraceevent resolve verdict and source names too.
fmt=/sys/kernel/tracing/events/spdm/spdm_verdict/format
tap_check "format: verdict names with their values" \
	grep -q '{ 1, "allow" }, { 2, "deny" }' "$fmt"
tap_check "format: source names with their values" \
	grep -q '{ 3, "admin" }, { 4, "bypass" }' "$fmt"
tap_check "format: no enumerator left unresolved" sh -c "! grep -q SPDM_VERDICT '$fmt'"

kill $mon 2>/dev/null
wait $mon 2>/dev/null
grep '"verdict-ntf"' "$T/ntf" >"$T/vntf"
tap_check "verdict-ntf for each of them ($verdicts)" test "$(wc -l <"$T/vntf")" = $verdicts
tap_check "verdict-ntf: allow of $a, generation 1, agent, reason" test \
	"$(head -1 "$T/vntf" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["name"], d["generation"], d["verdict"], d["verdict-source"], d["reason"])')" = \
	"$a 1 1 1 trusted vendor"
if ! cma_builtin; then
	tap_check "verdict-ntf: the bypass (verdict none, source bypass)" \
		grep -q "\"name\": \"$a\", \"key\": [0-9]*, \"generation\": 3, \"verdict\": 0, \"verdict-source\": 4" "$T/vntf"
fi

tap_check "hot-remove of a held function" vm_device_del ga
tap_check "hot-remove of a bound function" vm_device_del gb
cma_check_unload "modules unload"
tap_done
