# Every fault of the responder's catalogue ends the authentication of a
# hot-added device in "failed" with the errno the catalogue documents (or in
# "authenticated" for the faults a correct requester recovers from), without
# a kernel warning. The catalogue is read from the responder itself. Faults
# that only a deadline on the whole authentication turns into an error run
# twice: under the default auth_timeout_ms (authenticated) and with a short one.
# vm-devices: 0
# vm-root-ports: 4
# vm-timeout: 900
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"

# Faults of the transport itself reach the requester as the DOE transport's
# error, which it passes through (lib/README.md): QEMU answers a closed connection
# and a response larger than its DOE mailbox with a mailbox error, and
# pci_doe() reports -EIO. The catalogue's errno for them is that of the
# socket transport.
declare -A over_doe=([close]=-EIO [oversize]=-EIO)
# Faults legal in themselves whose catalogued errno needs the deadline on the
# whole authentication: 1-byte CERTIFICATE portions are ~1400 DOE exchanges,
# about 1-3 s under TCG. Under the default auth_timeout_ms (30 s) the device
# authenticates; reloaded with this many ms it fails with the catalogue's
# errno.
declare -A deadline_ms=([cert-portion-1]=100)

errno_of() {
	python3 -c 'import errno, sys; print(-getattr(errno, sys.argv[1].lstrip("-")))' "$1"
}

"$BUILD/responder/spdm-responder" --list-faults >"$T/faults"
tap_check "the responder lists its fault catalogue" test "$(wc -l <"$T/faults")" -gt 10
tap_check "modules load" cma_load
# Hot-add the faulty devices four at a time (one per root port), then check
# each and remove them.
check() { # check NAME ERR BDF
	local name=$1 err=${over_doe[$1]:-$2} bdf=$3 state want
	state=$(cma_wait "$bdf" 1 60)
	if [ "$err" = 0 ]; then
		want="authenticated 0"
	else
		want="failed $(errno_of "$err")"
	fi
	tap_match "fault $name: $want ($err)" "$state $(cma_sysfs "$bdf" last_error)" "$want"
	# Regression: a dump of evidence without any blob ended a message it
	# had never started.
	tap_check "fault $name: evidence dump of the device" test \
		"$(cma_json "$(cma_nl dump --evidence --dev "$bdf")" '[x["state-name"] for x in d["devices"]]')" \
		= "['${want% *}']"
}

grep -v '^hang ' "$T/faults" >"$T/testable"
if grep -q '^hang ' "$T/faults"; then
	# QEMU 10.0 forwards a DOE request to the responder synchronously,
	# holding its global lock: a responder that never answers freezes the
	# whole guest, not just this device. cma-tools.sh covers a device that
	# never gets ready.
	tap_skip "fault hang" "a silent responder freezes every vCPU under QEMU's DOE emulation"
fi
i=0
while mapfile -t -n 4 batch && [ ${#batch[@]} -gt 0 ]; do
	ids=() names=() errs=() bdfs=()
	for line in "${batch[@]}"; do
		read -r name err _ <<<"$line"
		[ -n "${deadline_ms[$name]}" ] && err=0
		i=$((i + 1))
		if bdf=$(vm_device_add "f$i" --fault "$name" 2>"$T/err"); then
			ids+=("f$i") names+=("$name") errs+=("$err") bdfs+=("$bdf")
		else
			tap_fail "fault $name: hot-add" "$(cat "$T/err")"
		fi
	done
	for k in "${!ids[@]}"; do
		check "${names[$k]}" "${errs[$k]}" "${bdfs[$k]}"
	done
	for id in "${ids[@]}"; do
		vm_device_del "$id" || tap_fail "$id: hot-remove"
	done
done <"$T/testable"

for name in "${!deadline_ms[@]}"; do
	ms=${deadline_ms[$name]}
	if cma_builtin; then
		tap_skip "fault $name: deadline of $ms ms" "built in: auth_timeout_ms is set at boot, not by a reload"
		continue
	fi
	err=$(awk -v n="$name" '$1 == n { print $2 }' "$T/faults")
	tap_check "fault $name: modules reload with auth_timeout_ms=$ms" \
		sh -c "rmmod spdm_cma && insmod '$CMA_KO' auth_timeout_ms=$ms"
	tap_match "fault $name: the parameter reads back" \
		"$(cat /sys/module/spdm_cma/parameters/auth_timeout_ms)" "$ms"
	if bdf=$(vm_device_add "d-$name" --fault "$name" 2>"$T/err"); then
		check "$name" "$err" "$bdf"
		tap_check "fault $name: the kernel log names the deadline" sh -c \
			"dmesg | grep -q '$bdf: Authentication deadline of $ms ms passed after [0-9]* exchanges'"
		vm_device_del "d-$name" || tap_fail "d-$name: hot-remove"
	else
		tap_fail "fault $name: hot-add" "$(cat "$T/err")"
	fi
done
tap_check "modules unload" cma_unload
tap_done
