# Driver-binding gate with four functions hot-added at once and a minimal
# agent that answers each auth-done-ntf: each function is held and released
# (or denied) independently. The agent reports the time from the
# authentication-finished notification to the driver bound after its allow.
# vm-devices: 0
# vm-root-ports: 4
# vm-timeout: 300
# vm-kernel-args: spdm_cma.gate_timeout=120
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"

tap_check "modules load" cma_load gate_timeout=120
modprobe nvme
for id in m0 m1 m2 m3; do
	bdf[${#bdf[@]}]=$(vm_device_add $id)
done
tap_check "four functions hot-added" test "${#bdf[@]}" = 4
for x in "${bdf[@]}"; do
	tap_check "$x held" test "$(gate_sysfs "$x" state) $(gate_driver "$x")" = "held none"
done
for x in "${bdf[@]}"; do
	cma_wait "$x" 1 >/dev/null
done
# The agent answers re-authentications: allow 0 and 2, deny 1, and leave 3
# without a verdict.
gate_nl agent --count 3 --deny "${bdf[1]}" --timeout 120 >"$T/agent" &
ag=$!
for i in $(seq 50); do grep -q subscribed "$T/agent" && break; sleep 0.1; done
for x in "${bdf[0]}" "${bdf[1]}" "${bdf[2]}"; do
	echo 1 >"/sys/bus/pci/devices/$x/spdm/authenticated"
done
wait $ag
tap_check "the agent decided three devices" test "$(grep -c '"verdict"' "$T/agent")" = 3
tap_check "${bdf[0]} allowed and bound" test "$(gate_sysfs "${bdf[0]}" state) $(gate_driver "${bdf[0]}")" = "allowed nvme"
tap_check "${bdf[1]} denied and unbound" test "$(gate_sysfs "${bdf[1]}" state) $(gate_driver "${bdf[1]}")" = "denied none"
tap_check "${bdf[2]} allowed and bound" test "$(gate_sysfs "${bdf[2]}" state) $(gate_driver "${bdf[2]}")" = "allowed nvme"
tap_check "${bdf[3]} still held" test "$(gate_sysfs "${bdf[3]}" state) $(gate_driver "${bdf[3]}")" = "held none"
tap_check "verdicts by the agent for generation 2" test \
	"$(gate_sysfs "${bdf[0]}" verdict_source) $(gate_sysfs "${bdf[0]}" verdict_generation)" = "agent 2"
tap_check "two namespaces" sh -c 'for i in $(seq 300); do [ "$(ls /dev/nvme*n1 2>/dev/null | wc -l)" = 2 ] && exit 0; sleep 0.1; done; exit 1'
tap_check "allow ${bdf[3]} by hand" test "$(gate_nl verdict "${bdf[3]}" 1 allow)" = ok
tap_check "${bdf[3]} bound" gate_wait_driver "${bdf[3]}"
tap_check "${bdf[1]} still denied" test "$(gate_sysfs "${bdf[1]}" state) $(gate_driver "${bdf[1]}")" = "denied none"
# Time from authentication finished to driver bound after an allow, five
# times on one function: deny (unbinds), re-authenticate, the agent allows.
x=${bdf[0]}
for i in 1 2 3 4 5; do
	# Generations: 2 so far; each cycle adds two (deny, then allow).
	echo 1 >"/sys/bus/pci/devices/$x/spdm/authenticated"
	cma_wait "$x" $((2 * i + 1)) >/dev/null
	gate_nl verdict "$x" $((2 * i + 1)) deny >/dev/null
	[ "$(gate_driver "$x")" = none ] || tap_fail "cycle $i: deny unbinds"
	gate_nl agent --count 1 --timeout 60 >>"$T/agent" &
	ag=$!
	for j in $(seq 50); do [ "$(grep -c subscribed "$T/agent")" = $((i + 1)) ] && break; sleep 0.1; done
	echo 1 >"/sys/bus/pci/devices/$x/spdm/authenticated"
	wait $ag
done
tap_check "five deny/re-authenticate/allow cycles: bound each time" \
	test "$(gate_driver "$x") $(grep -c "\"name\": \"$x\", \"verdict\": \"allow\", \"generation\": [0-9]*, " "$T/agent")" = "nvme 6"
tap_check "... and the kernel logged each bind after an allow" \
	test "$(dmesg | grep -c "$x: SPDM: driver nvme bound .* us after the allow")" = 6
grep bound_ms "$T/agent" | while read -r l; do _tap_diag "agent: $l"; vm_log "gate timing: agent: $l"; done
dmesg | grep 'us after the allow' | while read -r l; do _tap_diag "kernel: $l"; done
for id in m0 m1 m2 m3; do
	tap_check "hot-remove $id" vm_device_del $id
done
tap_check "modules unload" cma_unload
tap_done
