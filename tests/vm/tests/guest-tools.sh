# The guest runs the host's own tools from the read-only 9p root: bash, python3,
# bpftool and bpftrace (loading a BPF program), and modprobe finds the guest
# kernel's modules.
# vm-timeout: 120
. "$SRCDIR/tests/vm/lib/guest.sh"

tap_check "guest kernel is KVER" test "$(uname -r)" = "$KVER"
tap_check "python3 runs" python3 -c 'import json, ssl; print(json.dumps(ssl.OPENSSL_VERSION))'
tap_check "bpftool reads the kernel BTF" \
	sh -c 'bpftool btf dump file /sys/kernel/btf/vmlinux format raw | head -1 | grep -q "^\[1\] "'
tap_check "bpftrace loads and runs a program" \
	sh -c 'bpftrace -e "BEGIN { printf(\"bpftrace-%s\\n\", \"ok\"); exit(); }" | grep -qx bpftrace-ok'
tap_check "modprobe nvme" modprobe nvme
tap_check "scratch directory T is writable" touch "$T/x"
tap_check "root filesystem is read-only" sh -c '! touch /etc/vm-guest-write 2>/dev/null'
tap_done
