# spdmctl evidence --out FILE, run as root, never writes through a symbolic
# link planted at FILE nor over an existing file, refuses a directory that is
# a link or writable by others, and writes a new FILE (its directory created).
# Regression for issue 13 item 10 (O_CREAT|O_TRUNC followed the link).
# vm-devices: 0
# vm-root-ports: 2
# vm-timeout: 200
# vm-kernel-args: spdm_cma.gate_timeout=120
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"
. "$SRCDIR/tests/vm/demo/agent-lib.sh"

tap_check "modules load" cma_load gate_timeout=120
modprobe nvme
a=$(vm_device_add one)
tap_check "$a authenticated and held" agent_held_authenticated "$a"

echo precious >"$T/victim"
mkdir -m 700 "$T/planted"
ln -s "$T/victim" "$T/planted/ev.json"
if "$SPDMCTL" evidence "$a" --out "$T/planted/ev.json" >"$T/out" 2>&1; then
	tap_fail "a planted link makes the export fail" "$(cat "$T/out")"
else
	tap_ok "a planted link makes the export fail"
fi
_tap_diag <"$T/out"
tap_check "and says the name exists" grep -q "planted/ev.json: exists" "$T/out"
tap_match "the link's target is untouched" "$(cat "$T/victim")" "precious"

mkdir -m 1777 "$T/shared"
tap_check "a directory writable by others is refused" sh -c \
	"'$SPDMCTL' evidence '$a' --out '$T/shared/ev.json' 2>&1 | grep -q 'writable by others'"
tap_check "nothing was written there" test -z "$(ls -A "$T/shared")"
ln -s "$T/planted" "$T/linkdir"
tap_check "a directory that is a symbolic link is refused" sh -c \
	"'$SPDMCTL' evidence '$a' --out '$T/linkdir/ev.json' 2>&1 | grep -q 'symbolic link'"
tap_check "a new file in a fresh directory is written" \
	"$SPDMCTL" evidence "$a" --out "$T/fresh/ev.json"
tap_check "with the transcript" python3 -c '
import json, sys
sys.exit(not json.load(open(sys.argv[1]))["challenge"]["transcript"])' "$T/fresh/ev.json"
tap_check "an existing file is not replaced" sh -c \
	"'$SPDMCTL' evidence '$a' --out '$T/fresh/ev.json' 2>&1 | grep -q 'ev.json: exists'"
tap_done
