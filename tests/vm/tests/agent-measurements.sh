# A policy `measurement` rule matches only measurements the agent verified
# itself: the MEASUREMENTS signature over L1/L2 with the leaf key, and the
# record found inside the signed response. A device reporting the golden
# firmware digest is allowed (SPDM 1.3 and 1.1), one reporting another is
# not; a device whose MEASUREMENTS signature is corrupted fails in the
# kernel already, and the agent's own check says why in the audit record.
# vm-devices: 0
# vm-root-ports: 4
# vm-timeout: 300
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

# The responder's block 1 is the SHA-256 of its first --meas text (no
# spaces: the harness splits responder arguments on them).
golden=$(printf %s "golden-firmware-1.0" | sha256sum | cut -d' ' -f1)
cat >"$T/meas.rules" <<RULES
default deny
allow verified yes cma-identity match measurement 1 $golden label "golden firmware"
deny state failed label "the kernel could not authenticate it"
RULES

tap_check "modules load" cma_load gate_timeout=60
modprobe nvme
agent_start "$T/meas.rules" >"$T/start" || { cat "$T/start"; exit 1; }

a=$(vm_device_add golden13 --hash sha256 --meas "golden-firmware-1.0")
tap_check "golden (1.3): decided" agent_wait_decided "$a"
tap_check "golden (1.3): allowed by the agent" \
	test "$(gate_sysfs "$a" state) $(gate_sysfs "$a" verdict_source)" = "allowed agent"
tap_match "golden (1.3): audit: measurements verified, the rule matched" \
	"$(agent_field "$a" 'd["version"], d["validation"]["measurements"], d["rule"]["label"]')" \
	"('1.3', 'ok', 'golden firmware')"
tap_check "golden (1.3): nvme bound" gate_wait_driver "$a" 10
tap_check "spdmctl evidence writes L1/L2 and its signature" \
	"$SPDMCTL" evidence "$a" --out "$T/ev/evidence.json"
tap_check "the exported record lies inside the exported L1/L2" python3 -c '
import base64, json, sys
m = json.load(open(sys.argv[1]))["measurements"]
t, r, s = (base64.b64decode(m[k]) for k in ("transcript", "record", "signature"))
sys.exit(not (r and r in t and len(s) == 64))' "$T/ev/evidence.json"

b=$(vm_device_add golden11 --versions 1.0,1.1 --hash sha256 --meas "golden-firmware-1.0")
tap_check "golden (1.1): decided" agent_wait_decided "$b"
tap_match "golden (1.1): audit: allow by the rule, measurements verified over L1" \
	"$(agent_field "$b" 'd["version"], d["verdict"], d["validation"]["measurements"], d["rule"]["label"]')" \
	"('1.1', 'allow', 'ok', 'golden firmware')"

c=$(vm_device_add other --hash sha256 --meas "other-firmware-9.9")
tap_check "other firmware: decided" agent_wait_decided "$c"
tap_match "other firmware: verified, measurements verified, yet denied by default" \
	"$(agent_field "$c" 'd["verdict"], d["validation"]["verified"], d["validation"]["measurements"], d.get("rule")')" \
	"('deny', True, 'ok', 'default')"

d=$(vm_device_add forger --hash sha256 --meas "golden-firmware-1.0" --fault sig-corrupt:measurements)
tap_check "corrupt MEASUREMENTS signature: decided" agent_wait_decided "$d"
tap_match "corrupt MEASUREMENTS signature: the kernel fails it (EKEYREJECTED)" \
	"$(cma_sysfs "$d" state) $(agent_field "$d" 'd["kernel_result"]')" "failed -129"
tap_match "corrupt MEASUREMENTS signature: the agent's own check fails too" \
	"$(agent_field "$d" 'd["verdict"], d["validation"]["measurements"]')" \
	"('deny', 'signature does not verify with the leaf key (MEASUREMENTS) (Key was rejected by service)')"
sleep 1
tap_check "corrupt MEASUREMENTS signature: not bound" test "$(gate_driver "$d")" = none
if agent_stop >"$T/stop"; then tap_ok "agent stops"; else tap_fail "agent stops" "$(cat "$T/stop")"; fi
tap_done
