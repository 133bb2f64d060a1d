# Every fault of the responder's catalogue ends the authentication of a
# hot-added device in "failed" with the errno the catalogue documents (or in
# "authenticated" for the faults a correct requester recovers from), without
# a kernel warning. The catalogue is read from the responder itself.
# vm-devices: 0
# vm-root-ports: 1
# vm-timeout: 400
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"

# Faults of the transport itself reach the requester as the DOE transport's
# error, which it passes through (ERRNO.md): QEMU answers a closed connection
# and a response larger than its DOE mailbox with a mailbox error, and
# pci_doe() reports -EIO. The catalogue's errno for them is that of the
# socket transport.
declare -A over_doe=([close]=-EIO [oversize]=-EIO)

errno_of() {
	python3 -c 'import errno, sys; print(-getattr(errno, sys.argv[1].lstrip("-")))' "$1"
}

"$BUILD/responder/spdm-responder" --list-faults >"$T/faults"
tap_check "the responder lists its fault catalogue" test "$(wc -l <"$T/faults")" -gt 10
tap_check "modules load" cma_load
i=0
while read -r name err _; do
	i=$((i + 1))
	if [ "$name" = hang ]; then
		# QEMU 10.0 forwards a DOE request to the responder synchronously,
		# holding its global lock: a responder that never answers freezes
		# the whole guest, not just this device. cma-slow.sh covers a
		# device that keeps the requester waiting.
		tap_skip "fault $name" "a silent responder freezes every vCPU under QEMU's DOE emulation"
		continue
	fi
	if ! bdf=$(vm_device_add "f$i" --fault "$name" 2>"$T/err"); then
		tap_fail "fault $name: hot-add" "$(cat "$T/err")"
		continue
	fi
	state=$(cma_wait "$bdf" 1 60)
	err=${over_doe[$name]:-$err}
	if [ "$err" = 0 ]; then
		want="authenticated 0"
	else
		want="failed $(errno_of "$err")"
	fi
	tap_match "fault $name: $want ($err)" "$state $(cma_sysfs "$bdf" last_error)" "$want"
	vm_device_del "f$i" || tap_fail "fault $name: hot-remove"
done <"$T/faults"
tap_check "modules unload" cma_unload
tap_done
