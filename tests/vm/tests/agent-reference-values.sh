# Reference values: a `reference-values match` rule allows a device whose
# signed measurement 1 is one of the digests the vendor's signed CoRIM lists
# for QEMU's NVMe (the current firmware, or the previous one still
# tolerated), and the default denies one running unlisted firmware, with the
# audit record naming the index and the manifest. A manifest signed by a key
# that is not in rim.d makes the policy fail to load (the agent keeps none).
# The evidence of the allowed and the denied device goes to the run
# directory, and agent-reference-values.host appraises it on the host with
# `spdmctl verify --policy` and the same manifests: the same two verdicts.
# vm-devices: 0
# vm-root-ports: 3
# vm-timeout: 300
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

# The test PKI's generated manifest (tests/pki/gen-corim.py) and its signer.
mkdir -p "$T/rims" "$T/rim.d"
cp "$BUILD/pki/rim/good/qemu-nvme.corim" "$T/rims/"
cp "$BUILD/pki/rim/rim.d/test-vendor.pem" "$T/rim.d/"
cat >"$T/refval.rules" <<RULES
default deny
trust-store "trust"
reference-values "rims"
allow verified yes cma-identity match reference-values match label "firmware the vendor published"
RULES

tap_check "modules load" cma_load gate_timeout=60
modprobe nvme
agent_trust_store "$T/trust"
tap_match "the policy checks: one manifest, two digests, one anchor" \
	"$("$AGENT" --check-policy "$T/refval.rules" 2>&1 |
	   grep -o '[0-9]* reference digests* in [0-9]* manifests* ([0-9]* anchors*)')" \
	"2 reference digests in 1 manifest (1 anchor)"

mkdir -p "$T/bad/rims" "$T/bad/rim.d"
cp "$BUILD/pki/rim/bad/unknown-signer.corim" "$T/bad/rims/"
cp "$T/rim.d/test-vendor.pem" "$T/bad/rim.d/"
sed "s|\"trust\"|\"$T/trust\"|" "$T/refval.rules" >"$T/bad/refval.rules"
tap_match "a manifest no rim.d key signed fails the policy, naming the file" \
	"$("$AGENT" --check-policy "$T/bad/refval.rules" 2>&1 |
	   grep -o 'unknown-signer.corim: ES256 signature verifies with no key of the manifest anchors')" \
	"unknown-signer.corim: ES256 signature verifies with no key of the manifest anchors"

agent_start "$T/refval.rules" >"$T/start" || { cat "$T/start"; exit 1; }

a=$(vm_device_add current --hash sha256 --meas "golden-firmware-1.0")
tap_check "current firmware: decided" agent_wait_decided "$a"
tap_match "current firmware: allowed by the reference-values rule" \
	"$(agent_field "$a" 'd["verdict"], d["validation"]["measurements"], d["validation"]["reference_values"], d["rule"]["label"]')" \
	"('allow', 'ok', 'match', 'firmware the vendor published')"
tap_match "current firmware: the audit names the manifest and its signer" \
	"$(agent_field "$a" 'd["validation"]["reference_values_reason"]')" \
	"measurement 1 as qemu-nvme.corim (id spdm-test-corim, signed by test-vendor) lists"
tap_check "current firmware: nvme bound" gate_wait_driver "$a" 10

b=$(vm_device_add previous --hash sha256 --meas "golden-firmware-0.9")
tap_check "previous firmware: decided" agent_wait_decided "$b"
tap_match "previous firmware: still tolerated by the manifest" \
	"$(agent_field "$b" 'd["verdict"], d["validation"]["reference_values"]')" "('allow', 'match')"

other=$(printf %s "other-firmware-9.9" | sha256sum | cut -c1-16)
c=$(vm_device_add unlisted --hash sha256 --meas "other-firmware-9.9")
tap_check "unlisted firmware: decided" agent_wait_decided "$c"
tap_match "unlisted firmware: denied by default, the audit says which index of which manifest" \
	"$(agent_field "$c" 'd["verdict"], d["validation"]["verified"], d["validation"]["reference_values"], d["validation"]["reference_values_reason"], d.get("rule")')" \
	"('deny', True, 'mismatch', 'measurement 1 ($other...) is none of the 2 digests qemu-nvme.corim lists', 'default')"
sleep 1
tap_check "unlisted firmware: not bound" test "$(gate_driver "$c")" = none
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi

mkdir -m 700 "$T/export"
tap_check "spdmctl evidence of the allowed device" \
	"$SPDMCTL" evidence "$a" --out "$T/export/match.json"
tap_check "spdmctl evidence of the denied device" \
	"$SPDMCTL" evidence "$c" --out "$T/export/mismatch.json"
cp "$T/export/match.json" "$T/export/mismatch.json" "$T/refval.rules" "$VM_RUNDIR/"
tap_done
