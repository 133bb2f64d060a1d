# What administrators and the agent hand the kernel: a verdict reaches
# pci_cma_gate_verdict() from netlink (the verdict operation) and from the
# gate's timeout (gate_timeout_verdict): each refuses a verdict that is
# neither allow nor deny before the gate sees it, and the function refuses
# one itself (-EINVAL) for any caller. Writing
# spdm/authenticated needs CAP_SYS_ADMIN, like the netlink authenticate
# operation (root without it gets EPERM); a verdict out of the spec's ranges
# is refused by the generated policy, a verdict or a monitor subscription
# without CAP_SYS_ADMIN (CAP_NET_ADMIN kept) with EPERM; control bytes in a verdict's
# reason (a policy label) are replaced by '?' before the reason reaches the
# kernel log, the world-readable sysfs file and the trace.
# vm-devices: 1
# vm-timeout: 150
# vm-kernel-args: spdm_cma.gate_present=hold spdm_cma.gate_timeout=0
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"

a=$(cma_nvme)
# The timeout's verdict is a module parameter: only deny or allow load.
for v in none 0 3 ''; do
	if cma_builtin; then
		tap_skip "gate_timeout_verdict=$v refused at load" "built in: parsed at boot"
		continue
	fi
	tap_check "gate_timeout_verdict=$v refused at load" \
		sh -c "insmod '$SPDM_KO' && ! insmod '$CMA_KO' gate_timeout_verdict='$v' 2>/dev/null; rc=\$?; rmmod spdm; exit \$rc"
done
tap_check "load with gate_present=hold" cma_load gate_present=hold gate_timeout=0
tap_check "generation 1 authenticated" test "$(cma_wait "$a" 1)" = authenticated
f=/sys/bus/pci/devices/$a/spdm/authenticated
tap_check "root without CAP_SYS_ADMIN cannot re-authenticate (EPERM)" \
	sh -c "! capsh --drop=cap_sys_admin -- -c 'echo 1 >$f' 2>$T/err && grep -q 'not permitted' $T/err"
tap_check "... and the generation did not move" test "$(cma_sysfs "$a" generation)" = 1
tap_check "root without CAP_SYS_ADMIN still reads it" \
	test "$(capsh --drop=cap_sys_admin -- -c "cat $f")" = 1
tap_check "root with CAP_SYS_ADMIN re-authenticates" sh -c "echo 1 >$f"
g=$(cma_sysfs "$a" generation)
tap_check "generation $g authenticated" test "$(cma_wait "$a" "$g")" = authenticated

# The verdict's policy, generated from include/spdm.yaml (checks: min, max):
# allow or deny, from the agent or an administrator; anything else is refused
# before the gate sees it. timeout is inside the range: the handler refuses it.
for v in 0 3; do
	tap_match "verdict $v refused by the policy" \
		"$(gate_nl verdict "$a" "$g" "$v")" "error: ERANGE: integer out of range"
done
for s in 0 4; do
	tap_match "verdict-source $s refused by the policy" \
		"$(gate_nl verdict "$a" "$g" deny --source "$s")" "error: ERANGE: integer out of range"
done
tap_match "verdict-source timeout refused by the handler" \
	"$(gate_nl verdict "$a" "$g" deny --source timeout)" "error: EINVAL: source must be agent or admin"
# CAP_SYS_ADMIN, not the CAP_NET_ADMIN of the spec's admin-perm: root
# without it keeps CAP_NET_ADMIN and is still refused.
tap_match "root without CAP_SYS_ADMIN cannot send a verdict (EPERM)" \
	"$(capsh --drop=cap_sys_admin -- -c "python3 '$SRCDIR/tests/vm/gate/gatenl.py' verdict $a $g deny")" \
	"error: EPERM: CAP_SYS_ADMIN required"
tap_match "... nor join the monitor group" \
	"$(capsh --drop=cap_sys_admin -- -c "python3 '$SRCDIR/tests/vm/cma/spdmnl.py' monitor --count 1 --timeout 1")" \
	"error: EPERM*"
tap_check "... and the device is still held" test "$(gate_sysfs "$a" state)" = held
tap_check "... with no verdict recorded" test "$(gate_sysfs "$a" verdict)" = none
tap_check "... and none reported in the kernel log" \
	sh -c "! dmesg | grep -q 'for generation $g ('"

gate_trace_on
reason=$'rule 7\n[fake] SPDM: allow\e[2J\x7f end'
tap_check "a verdict whose reason has control bytes is accepted" \
	test "$(gate_nl verdict "$a" "$g" deny --source agent --reason "$reason")" = ok
clean='rule 7?[fake] SPDM: allow?[2J? end'
tap_check "sysfs: control bytes replaced" test "$(gate_sysfs "$a" verdict_reason)" = "$clean"
dmesg >"$T/dmesg"
tap_check "kernel log: one line, control bytes replaced" \
	grep -qF "deny for generation $g (agent: $clean)" "$T/dmesg"
tap_check "kernel log: no line starts with the injected text" sh -c "! dmesg --notime | grep -q '^\[fake\]'"
gate_trace >"$T/trace"
tap_check "trace: control bytes replaced" grep -qF "reason=$clean" "$T/trace"
cma_check_unload "modules unload"
tap_done
