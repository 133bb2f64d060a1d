#!/bin/bash
# Runs in the guest, chrooted into the host's root: run one test script and
# leave its output, status and kernel log in the run directory for the host.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb
export SRCDIR BUILD KVER VM_RUNDIR
T=$(mktemp -d /tmp/vmtest.XXXXXX)
export T

. "$SRCDIR/tests/vm/lib/guest.sh"

vm_ctl_send booted
cd "$SRCDIR" || exit 1
echo "vm-run: starting $VM_TEST" >/dev/kmsg
# The host enforces its own, longer timeout for tests stuck in the kernel.
timeout -k 5 "$VM_TIMEOUT" bash "$VM_TEST" >"$VM_RUNDIR/output.log" 2>&1 </dev/null
rc=$?
echo "vm-run: test exited with status $rc" >/dev/kmsg
echo "$rc" >"$VM_RUNDIR/status"
dmesg >"$VM_RUNDIR/dmesg.log"
vm_ctl_send "exit $rc"
