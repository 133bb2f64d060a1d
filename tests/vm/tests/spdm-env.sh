# Kernel environment of the SPDM library: load spdm.ko and run the
# known-answer self-test module spdm_env_selftest.ko, one subtest per line it
# logs ("ok NAME" / "not ok NAME (ret)"), plus the log prefix check.
# vm-devices: 0
# vm-timeout: 120
# vm-kernels: debian
. "$SRCDIR/tests/vm/lib/guest.sh"

kdir=$SRCDIR/kernel/spdm
vec=$BUILD/kernel/spdm-env-vectors
if [ ! -e "$vec/done" ]; then
	# not made by the build (make -C kernel): make them here
	vec=$T/spdm-env-vectors
	"$kdir/linux/selftest/gen-vectors.sh" "$vec" >/dev/null
fi

vm_log "spdm-env start" >/dev/null
if ! insmod "$kdir/spdm.ko"; then
	tap_fail spdm-load "insmod spdm.ko failed"
	tap_done
	exit 0
fi
tap_ok spdm-load
# Loading fails when a check fails; the log lines say which.
insmod "$kdir/linux/selftest/spdm_env_selftest.ko" vectors="$vec"
rc=$?
rmmod spdm_env_selftest 2>/dev/null

dmesg | sed -n '/vm-test: spdm-env start/,$p' >"$T/dmesg"
sed -n 's/.*spdm_env_selftest: //p' "$T/dmesg" >"$T/results"
while read -r verdict name why; do
	case $verdict in
	ok) tap_ok "$name" ;;
	not) read -r name why <<<"$why"; tap_fail "$name" "returned $why" ;;
	esac
done <"$T/results"

if grep -q '^done: [0-9]* passed, 0 failed$' "$T/results" && [ $rc -eq 0 ]; then
	tap_ok selftest-complete
else
	tap_fail selftest-complete "insmod exit $rc; $(grep '^done:' "$T/results")"
fi
tap_check log-prefix grep -q 'spdm: spdm_env_selftest: log check 42$' "$T/dmesg"
tap_check log-prefix-newline grep -q 'spdm: spdm_env_selftest: log check newline$' "$T/dmesg"
# a format's own newline is not doubled into an empty record
tap_check log-no-empty-record bash -c "! grep -qE '^\[[ 0-9.]+\] *$' '$T/dmesg'"
tap_check spdm-unload rmmod spdm
tap_done
