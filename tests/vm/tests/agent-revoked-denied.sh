# Under `revocation enforce` a device whose leaf its intermediate's CRL lists
# is denied, and so is one under an intermediate its root's CRL lists: the
# kernel authenticates both (it holds no CRLs), the agent's own chain check
# fails and the audit record names the revoked certificate. A good device
# under the same trust store and CRLs is allowed (every CRL current, none
# lists it).
# vm-devices: 0
# vm-root-ports: 3
# vm-timeout: 200
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

# The test PKI's P-256 anchor with its root's CRL (PEM) and its
# intermediate's (DER).
mkdir -p "$T/trust"
cp "$BUILD/pki/ecp256/root.pem" "$T/trust/demo-vendor.pem"
cp "$BUILD/pki/ecp256/root.crl" "$T/trust/demo-vendor.crl"
cp "$BUILD/pki/ecp256/inter.crl.der" "$T/trust/demo-vendor.inter.crl"
cat >"$T/revocation.rules" <<RULES
default deny
revocation enforce
trust-store "trust"
allow verified yes cma-identity match revoked no label "verified, not revoked"
RULES

tap_check "modules load" cma_load gate_timeout=60
modprobe nvme
tap_match "the policy checks: enforce, one anchor, two CRLs" \
	"$("$AGENT" --check-policy "$T/revocation.rules" 2>&1 | grep -o 'revocation [a-z]*, [0-9]* trust anchors* and [0-9]* CRLs*')" \
	"revocation enforce, 1 trust anchor and 2 CRLs"
agent_start "$T/revocation.rules" >"$T/start" || { cat "$T/start"; exit 1; }

a=$(vm_device_add good --hash sha256)
tap_check "good: decided" agent_wait_decided "$a"
tap_match "good: allowed, not revoked, by the rule" \
	"$(agent_field "$a" 'd["verdict"], d["validation"]["revoked"], d["rule"]["label"]')" \
	"('allow', 'no', 'verified, not revoked')"

# shellcheck disable=SC2046
b=$(vm_device_add revokedleaf --hash sha256 $(agent_bad_pki revoked-leaf))
tap_check "revoked leaf: decided" agent_wait_decided "$b"
tap_check "revoked leaf: the kernel authenticated it" test "$(cma_sysfs "$b" state)" = authenticated
tap_check "revoked leaf: denied by the agent" \
	test "$(gate_sysfs "$b" state) $(gate_sysfs "$b" verdict_source)" = "denied agent"
tap_match "revoked leaf: audit: deny by default, not verified, revoked" \
	"$(agent_field "$b" 'd["verdict"], d["validation"]["verified"], d["validation"]["revoked"], d["rule"]')" \
	"('deny', False, 'yes', 'default')"
tap_match "revoked leaf: audit says which certificate" \
	"$(agent_field "$b" 'd["validation"]["revocation"]')" \
	"depth 0 (/CN=SPDM Test Device (revoked-leaf)): certificate revoked"
tap_match "revoked leaf: the chain step says why" \
	"$(agent_field "$b" 'd["validation"]["chain"]')" \
	"revocation enforce: depth 0 (/CN=SPDM Test Device (revoked-leaf)): certificate revoked (Key was rejected by service)"
sleep 1
tap_check "revoked leaf: not bound" test "$(gate_driver "$b")" = none

# shellcheck disable=SC2046
c=$(vm_device_add revokedinter --hash sha256 $(agent_bad_pki revoked-inter))
tap_check "revoked intermediate: decided" agent_wait_decided "$c"
tap_match "revoked intermediate: denied, audit names the intermediate" \
	"$(agent_field "$c" 'd["verdict"], d["validation"]["revoked"], d["validation"]["revocation"]')" \
	"('deny', 'yes', 'depth 1 (/CN=SPDM Test Intermediate CA (revoked)): certificate revoked')"
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
