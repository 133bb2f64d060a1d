# Evidence for a remote verifier: `spdmctl evidence` exports what the kernel
# saw of a device as one file; the agent's decision on the device is
# recorded. The file, the policy and that record go to the run directory,
# and agent-evidence-verify.host appraises the file on the host, offline,
# with `spdmctl verify`: the same decision and validation as the agent's,
# and a changed byte or an untrusted root denies it, saying why.
# vm-devices: 0
# vm-root-ports: 1
# vm-timeout: 200
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

agent_verified_device "$T/verify.rules" remote
a=$AGENT_DEV

mkdir -m 700 "$T/export"
tap_check "spdmctl evidence writes one file" \
	"$SPDMCTL" evidence "$a" --out "$T/export/evidence.json"
tap_check "and nothing else" test "$(ls "$T/export")" = evidence.json
tap_check "the file names its format and holds the signed blobs" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(not (d["format"] == "spdm-evidence" and d["format_version"] == 1 and
	      d["device"]["address"] == sys.argv[2] and d["chains"] and
	      d["challenge"]["signature"] and d["measurements"]["transcript"] and
	      len(d["nonce"]) == 44))' "$T/export/evidence.json" "$a"
tap_check "the same to stdout" sh -c "'$SPDMCTL' evidence '$a' >'$T/stdout.json'"
tap_check "which the agent's evidence equals but for the time" sh -c \
	"diff '$T/export/evidence.json' '$T/stdout.json' | grep -v '\"time\"' | grep -q '^[<>]' && exit 1 || exit 0"

cp "$T/export/evidence.json" "$T/verify.rules" "$VM_RUNDIR/"
agent_decisions "$a" | tail -n 1 >"$VM_RUNDIR/agent-decision.json"
tap_check "the agent's record is kept for the host" test -s "$VM_RUNDIR/agent-decision.json"
tap_done
