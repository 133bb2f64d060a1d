# The gate's timeout never decides a generation that is still
# authenticating. A device that stretches its authentication past
# gate_timeout (1-byte CERTIFICATE portions of an RSA-4096 chain, legal) stays
# held without a verdict until its authentication ends, and then the agent's
# verdict applies, under both gate_timeout_verdict values. An authentication
# that does not finish in time is ended by auth_timeout_ms; only then does
# the timeout count, and it applies its verdict to the failed generation.
# vm-devices: 0
# vm-root-ports: 3
# vm-timeout: 600
# vm-serial: gate_timeout=1, auth_timeout_ms=800 race authentications seconds long by design
# Module only: it reloads spdm_cma with each gate_timeout_verdict in turn.
# vm-kernels: debian
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"
. "$SRCDIR/tests/vm/gate/lib.sh"

SLOW="--asym rsa4096 --hash sha512 --fault cert-portion-1"

trace_on() {
	echo 1 >/sys/kernel/tracing/events/spdm/spdm_auth/enable
	echo 1 >/sys/kernel/tracing/events/spdm/spdm_verdict/enable
	echo >/sys/kernel/tracing/trace
}

# The first authentication and verdict records: "auth DURATION_NS RESULT"
# and "verdict VERDICT SOURCE", in the order they happened.
trace_order() {
	grep -E 'spdm_(auth|verdict): .* generation=1 ' /sys/kernel/tracing/trace |
		sed -E -e 's/.*spdm_auth: .* result=(-?[0-9]+) duration_ns=([0-9]+).*/auth \2 \1/' \
			-e 's/.*spdm_verdict: .* verdict=([a-z]+) source=([a-z]+).*/verdict \1 \2/'
}

# start_agent [--deny-all]: the test agent, answering one auth-done-ntf.
start_agent() {
	gate_nl agent --count 1 --timeout 120 "$@" >"$T/agent" &
	agent=$!
	for _ in $(seq 100); do grep -q subscribed "$T/agent" && break; sleep 0.1; done
}

modprobe nvme
for default in deny allow; do
	tap_check "gate_timeout=1 gate_timeout_verdict=$default loads" \
		cma_load gate_timeout=1 gate_timeout_verdict=$default
	trace_on
	if [ $default = deny ]; then
		start_agent
		want="allowed nvme allow agent"
	else
		start_agent --deny-all
		want="denied none deny agent"
	fi
	d=$(vm_device_add "slow$default" $SLOW)
	tap_check "$default: generation 1 authenticated" test "$(cma_wait "$d" 1)" = authenticated
	wait $agent
	trace_order >"$T/order"
	read -r what ns rc <"$T/order"
	tap_check "$default: the authentication outlasted gate_timeout (${ns:-?} ns)" \
		test "$what" = auth -a "${ns:-0}" -gt 1000000000
	tap_check "$default: no verdict before the authentication ended" \
		test "$(sed -n 2p "$T/order")" = "verdict ${want#* * }"
	tap_check "$default: the agent's verdict was accepted" grep -q '"verdict"' "$T/agent"
	[ $default = allow ] || gate_wait_driver "$d"
	tap_check "$default: the agent's verdict applies" test \
		"$(gate_sysfs "$d" state) $(gate_driver "$d") $(gate_sysfs "$d" verdict) $(gate_sysfs "$d" verdict_source)" = \
		"$want"
	sleep 2
	tap_check "$default: the timeout changed nothing later" test \
		"$(gate_sysfs "$d" state) $(gate_driver "$d") $(wc -l <"$T/order") $(trace_order | wc -l)" = \
		"${want% * *} 2 2"
	tap_check "$default: hot-remove" vm_device_del "slow$default"
	tap_check "$default: spdm_cma unloads" rmmod spdm_cma
done

tap_check "auth_timeout_ms=800 gate_timeout=1 loads" \
	insmod "$CMA_KO" auth_timeout_ms=800 gate_timeout=1
trace_on
d=$(vm_device_add slowfail $SLOW)
tap_check "deadline: generation 1 failed with -ETIMEDOUT" \
	test "$(cma_wait "$d" 1) $(cma_sysfs "$d" last_error)" = "failed -110"
tap_check "deadline: then the timeout denies it" gate_wait_state "$d" denied 10
trace_order >"$T/order"
tap_check "deadline: the timeout's verdict came after the failure" \
	test "$(cut -d' ' -f1,3 "$T/order" | tr '\n' ' ')" = "auth -110 verdict timeout "
tap_check "deadline: deny by timeout for generation 1" test \
	"$(gate_sysfs "$d" verdict) $(gate_sysfs "$d" verdict_source) $(gate_sysfs "$d" verdict_generation) $(gate_driver "$d")" = \
	"deny timeout 1 none"
tap_check "deadline: hot-remove" vm_device_del slowfail
tap_check "spdm_cma unloads" rmmod spdm_cma
tap_check "spdm unloads" rmmod spdm
tap_done
