# The configuration that resists a hostile device (issue 13 item 4):
# spdm_cma with gate_mode=all and the shipped policy/strict.rules. A function
# without a CMA mailbox is held and denied (it proves nothing, whatever IDs
# it shows); a device whose chain, identity and signature verify is allowed;
# one under an unknown root, and one that signs wrongly, are denied.
# --check-policy finds nothing to warn about in strict.rules.
# vm-devices: 0
# vm-root-ports: 4
# vm-timeout: 300
# Module only: built in, gate_mode=all holds every function from enumeration,
# the guest's own virtio shares too, before any agent could allow them.
# vm-kernels: debian
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

P=$SRCDIR/policy/strict.rules
tap_check "--check-policy: no warning" sh -c \
	"'$AGENT' --check-policy '$P' 2>&1 | grep -q ', 0 warnings\$'"

h=
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/driver" ] || { h=${d##*/}; break; }
done
tap_check "an unbound function without CMA mailbox exists ($h)" test -n "$h"
tap_check "modules load with gate_mode=all" \
	cma_load gate_mode=all gate_present=hold gate_timeout=120
modprobe nvme
tap_check "$h is held" test "$(gate_sysfs "$h" state)" = held
agent_start "$P" >"$T/start" || { cat "$T/start"; exit 1; }

tap_check "$h (no CMA mailbox) decided" agent_wait_decided "$h"
tap_match "$h denied: it cannot prove anything" \
	"$(agent_field "$h" 'd["verdict"], d["rule"]["label"]')" \
	"('deny', 'no CMA mailbox: cannot prove anything')"
tap_check "$h stays held" test "$(gate_sysfs "$h" state)" = denied

a=$(vm_device_add good)
tap_check "trusted device decided" agent_wait_decided "$a"
tap_match "trusted device allowed: it proved itself" \
	"$(agent_field "$a" 'd["verdict"], d["rule"]["label"]')" \
	"('allow', 'proved: chain to an anchor, identity and signature verified')"
tap_check "and bound" gate_wait_driver "$a" 10

# shellcheck disable=SC2046 # the option and its value, two words
b=$(vm_device_add stranger $(agent_bad_pki unknown-root))
tap_check "unknown root decided" agent_wait_decided "$b"
tap_match "unknown root denied" "$(agent_field "$b" 'd["verdict"]')" "deny"

c=$(vm_device_add forger --fault sig-corrupt)
tap_check "bad signature decided" agent_wait_decided "$c"
tap_match "bad signature denied" "$(agent_field "$c" 'd["verdict"]')" "deny"
for x in "$b" "$c"; do
	tap_check "$x has no driver" test "$(gate_driver "$x")" = none
done
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
