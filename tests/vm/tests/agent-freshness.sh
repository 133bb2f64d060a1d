# The nonce the kernel used for an attempt is part of the evidence (its own
# copy, netlink attribute nonce) and the agent checks that CHALLENGE and the
# signed GET_MEASUREMENTS carry it. A caller that chose the nonce
# (spdmctl authenticate --nonce) gets the evidence only if the attempt used
# and signed that nonce: `spdmctl evidence --nonce` with another one fails.
# vm-devices: 0
# vm-root-ports: 1
# vm-timeout: 200
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

agent_verified_device "$T/fresh.rules" fresh
a=$AGENT_DEV
tap_match "audit: the signed messages carry the kernel's nonce" \
	"$(agent_field "$a" 'd["validation"]["freshness"]')" ok

mine=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
other=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
tap_check "authenticate with the caller's nonce" "$SPDMCTL" authenticate "$a" --nonce "$mine"
tap_match "the attempt authenticates" "$(cma_wait "$a" 2)" authenticated
tap_check "evidence --nonce with the caller's nonce" \
	"$SPDMCTL" evidence "$a" --out "$T/ev/evidence.json" --nonce "$mine"
tap_match "the file's nonce is the caller's nonce" "$(python3 -c '
import base64, json, sys
print(base64.b64decode(json.load(open(sys.argv[1]))["nonce"]).hex())' "$T/ev/evidence.json")" "$mine"
tap_check "the CHALLENGE in the transcript carries it" python3 -c '
import base64, json, sys
d = json.load(open(sys.argv[1]))
t = base64.b64decode(d["challenge"]["transcript"])
o = d["challenge"]["requester_nonce_offset"]
sys.exit(t[o:o + 32] != bytes.fromhex(sys.argv[2]))' "$T/ev/evidence.json" "$mine"
tap_check "the signed GET_MEASUREMENTS in L1/L2 carries it" python3 -c '
import base64, json, sys
d = json.load(open(sys.argv[1]))
t = base64.b64decode(d["measurements"]["transcript"])
sys.exit(bytes.fromhex(sys.argv[2]) not in t)' "$T/ev/evidence.json" "$mine"
"$SPDMCTL" evidence "$a" --out "$T/ev2/evidence.json" --nonce "$other" >"$T/other.out" 2>&1
tap_match "evidence --nonce with another nonce fails" "$?" 1
tap_match "and says why" "$(cat "$T/other.out")" \
	"spdmctl: $a: evidence not fresh: the attempt used another nonce than the caller's"
tap_check "and writes nothing" test ! -e "$T/ev2"
tap_done
