# Re-authentication after system resume by the PM notifier: after a
# suspend cycle every tracked function authenticates again (generation +
# 1); the one presenting the identity its allow accepted stays bound, the
# one whose responder switched to another identity is caught by the
# same-device check: unbound, held (spdm_gate/state changed), bound again
# by an allow.
#
# The cycle is a real suspend to idle stopped at pm_test "freezer": tasks
# are frozen and thawed and the PM notifiers run (PM_POST_SUSPEND), but no
# device is suspended, so no function's state is restored. On both kernels
# the notifier is then what re-authenticates: on the patched kernel it
# covers the functions the restore at resume_noirq did not (a function left
# in D0). gate-resume-s2idle suspends the devices too.
# vm-devices: 0
# vm-root-ports: 2
# vm-timeout: 180
# vm-kernel-args: spdm_cma.gate_timeout=0
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"

tap_check "modules load (gate_timeout=0: no timeout)" cma_load gate_timeout=0
modprobe nvme
same=$(vm_device_add rs)
other=$(vm_device_add ro --switch-identity "1:$BUILD/pki/bad/unknown-root")
for d in "$same" "$other"; do
	tap_check "$d: authenticated (generation 1)" test "$(cma_wait "$d" 1)" = authenticated
	tap_check "$d: allowed" test "$(gate_nl verdict "$d" 1 allow)" = ok
	tap_check "$d: nvme binds" gate_wait_driver "$d"
done

t0=$(date +%s%N)
tap_check "suspend cycle: pm_test freezer, then freeze" sh -c \
	"echo freezer >/sys/power/pm_test && echo freeze >/sys/power/state"
echo none >/sys/power/pm_test
vm_log "suspend cycle took $(( ($(date +%s%N) - t0) / 1000000 )) ms"
tap_check "the kernel logged the suspend cycle" sh -c "dmesg | grep -q 'PM: suspend exit'"

for d in "$same" "$other"; do
	tap_check "$d: re-authenticated by the PM notifier" sh -c \
		"dmesg | grep -q '$d: SPDM: re-authenticating after system resume (generation 2)'"
done
tap_check "same identity: re-authenticated after resume (generation 2)" test "$(cma_wait "$same" 2)" = authenticated
vm_log "re-authentication done $(( ($(date +%s%N) - t0) / 1000000 )) ms after suspend started"
tap_check "same identity: still allowed and bound" test "$(gate_sysfs "$same" state) $(gate_driver "$same")" = "allowed nvme"
tap_check "other identity: re-authenticated after resume (generation 2)" test "$(cma_wait "$other" 2)" = authenticated
tap_check "other identity: spdm_gate/state changed" gate_wait_state "$other" changed 10
tap_check "other identity: unbound" gate_wait_unbound "$other" 10
tap_check "other identity: held" gate_held "$other"
tap_check "the kernel log reports the change" sh -c \
	"dmesg | grep -q '$other: SPDM: identity changed at generation 2: '"
tap_check "allow for generation 2 binds it again" test "$(gate_nl verdict "$other" 2 allow)" = ok
tap_check "... nvme binds" gate_wait_driver "$other"

tap_check "hot-remove the first" vm_device_del rs
tap_check "hot-remove the second" vm_device_del ro
cma_check_unload "modules unload"
tap_done
