# Same-device check: a function re-authenticating with the identity the
# allow accepted stays bound (generation + 1); one presenting another
# identity (the responder switches its certificate chain and key after two
# authentications) is reported (identity-changed-ntf, the
# spdm_identity_changed tracepoint, the kernel log, spdm_gate/state
# "changed"), unbound and held until a verdict for the new generation; an
# allow for that generation binds it, and accepts the new identity.
# vm-devices: 0
# vm-root-ports: 1
# vm-timeout: 180
# vm-kernel-args: spdm_cma.gate_timeout=0
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"

tap_check "modules load (gate_timeout=0: no timeout)" cma_load gate_timeout=0
modprobe nvme
echo 1 >/sys/kernel/tracing/events/spdm/spdm_identity_changed/enable
echo >/sys/kernel/tracing/trace
cma_nl monitor --timeout 150 >"$T/ntf" &
mon=$!
for i in $(seq 50); do grep -q subscribed "$T/ntf" && break; sleep 0.1; done

# Slot 0 holds the good P-256 chain for two authentications, then a chain
# under another root with another key: another device behind the same function.
a=$(vm_device_add ia --switch-identity "2:$BUILD/pki/bad/unknown-root")
tap_check "held, authenticated (generation 1)" test "$(cma_wait "$a" 1) $(gate_sysfs "$a" state)" = "authenticated held"
cma_nl dump --evidence --dev "$a" --out "$T/g1" >/dev/null
old=$(sha256sum <"$T/g1/$a/cert-chain-slot0.bin" | cut -d' ' -f1)
tap_check "allow for generation 1" test "$(gate_nl verdict "$a" 1 allow)" = ok
tap_check "... binds nvme" gate_wait_driver "$a"

echo 1 >"/sys/bus/pci/devices/$a/spdm/authenticated"
tap_check "same identity: re-authenticated (generation 2)" test "$(cma_wait "$a" 2)" = authenticated
tap_check "same identity: still allowed, nvme still bound" test "$(gate_sysfs "$a" state) $(gate_driver "$a")" = "allowed nvme"

t0=$(date +%s%N)
echo 1 >"/sys/bus/pci/devices/$a/spdm/authenticated"
tap_check "other identity: authenticates (generation 3)" test "$(cma_wait "$a" 3)" = authenticated
tap_check "other identity: spdm_gate/state changed" gate_wait_state "$a" changed 10
tap_check "other identity: the driver is unbound" gate_wait_unbound "$a" 10
vm_log "identity change to unbind: $(( ($(date +%s%N) - t0) / 1000000 )) ms after the request"
tap_check "other identity: held by the gate" gate_held "$a"
echo "$a" >/sys/bus/pci/drivers/nvme/bind 2>/dev/null
tap_check "a manual bind is refused while changed" test "$(gate_driver "$a")" = none
cma_nl dump --evidence --dev "$a" --out "$T/g3" >/dev/null
new=$(sha256sum <"$T/g3/$a/cert-chain-slot0.bin" | cut -d' ' -f1)
tap_check "the two chains differ" test "$old" != "$new"
tap_check "kernel log names both identities" sh -c \
	"dmesg | grep -q '$a: SPDM: identity changed at generation 3: $new, allowed was $old; unbinding and holding until a verdict'"
tap_check "trace: spdm_identity_changed with both identities" grep -q \
	"spdm_identity_changed: dev=$a key=.* generation=3 identity=$new allowed=$old" /sys/kernel/tracing/trace
tap_match "a verdict for generation 2 is stale" "$(gate_nl verdict "$a" 2 allow)" "error: ESTALE*"

tap_check "allow for generation 3 (admin)" test "$(gate_nl verdict "$a" 3 allow --reason "new device")" = ok
tap_check "... binds nvme again" gate_wait_driver "$a"
tap_check "sysfs: allowed, admin, generation 3" test \
	"$(gate_sysfs "$a" state) $(gate_sysfs "$a" verdict_source) $(gate_sysfs "$a" verdict_generation)" = "allowed admin 3"
echo 1 >"/sys/bus/pci/devices/$a/spdm/authenticated"
tap_check "the new identity was accepted: generation 4 stays bound" test \
	"$(cma_wait "$a" 4) $(gate_sysfs "$a" state) $(gate_driver "$a")" = "authenticated allowed nvme"

kill $mon 2>/dev/null
wait $mon 2>/dev/null
grep '"identity-changed-ntf"' "$T/ntf" >"$T/intf"
tap_check "exactly one identity-changed-ntf" test "$(wc -l <"$T/intf")" = 1
tap_check "identity-changed-ntf: device, generation 3, new and allowed identity" test \
	"$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["name"], d["generation"], d["identity"], d["allowed-identity"])' <"$T/intf")" = \
	"$a 3 $new $old"
tap_check "exactly one spdm_identity_changed event" test "$(grep -c spdm_identity_changed: /sys/kernel/tracing/trace)" = 1
tap_check "hot-remove" vm_device_del ia
tap_check "modules unload" cma_unload
tap_done
