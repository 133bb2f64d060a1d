# Harness self-test: a kernel WARNING during a test must be flagged by the
# console scan. The directive below inverts that one check, so this test passes
# only when the scan caught the warning that warn_on_load.ko emits.
# vm-expect-kernel-warning: yes
# vm-timeout: 60
# vm-kernels: debian
. "$SRCDIR/tests/vm/lib/guest.sh"

tap_check "warn_on_load loads" insmod "$SRCDIR/tests/vm/modules/warn_on_load.ko"
tap_check "warning is in the kernel log" sh -c 'dmesg | grep -q "WARNING:.*warn_on_load"'
tap_check "warn_on_load unloads" rmmod warn_on_load
tap_done
