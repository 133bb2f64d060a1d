# spdmctl allow run by an unprivileged user (nobody, no groups) fails with
# a permission error and the device stays held; root's spdmctl allow
# releases it.
# vm-devices: 0
# vm-root-ports: 1
# vm-timeout: 150
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

tap_check "modules load" cma_load gate_timeout=60
modprobe nvme
a=$(vm_device_add held)
tap_check "authenticated and held" agent_held_authenticated "$a"
out=$(nobody "$SPDMCTL" allow "$a" 2>&1)
rc=$?
tap_check "nobody's spdmctl allow fails" test "$rc" = 1
tap_match "with a permission error naming the capability" "$out" "spdmctl: *$a*: *CAP_SYS_ADMIN required*"
tap_check "the device is still held" test "$(gate_sysfs "$a" state) $(gate_driver "$a")" = "held none"
tap_check "nobody may still list it" sh -c "setpriv --reuid=65534 --regid=65534 --clear-groups '$SPDMCTL' list | grep -q '$a'"
tap_check "root's spdmctl allow succeeds" "$SPDMCTL" allow "$a"
tap_check "and nvme binds" gate_wait_driver "$a" 10
tap_check "verdict source admin" test "$(gate_sysfs "$a" verdict_source)" = admin
tap_done
