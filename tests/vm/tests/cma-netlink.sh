# The spdm generic netlink family: device-get do and dump, evidence in
# ordered chunks across messages, NLM_F_DUMP_INTR, authenticate with a
# caller nonce, notifications, strict validation with extack messages, the
# initial network namespace only, and what an unprivileged user may do.
# vm-devices: 2
# vm-device-args-1: --asym rsa4096 --slot 0:rsa4096 --slot 1:rsa4096 --slot 2:rsa4096 --slot 3:rsa4096 --slot 4:rsa4096 --slot 5:rsa4096 --slot 6:rsa4096 --slot 7:rsa4096
# vm-timeout: 180
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"

nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

read -r b0 b1 <<<"$(cma_nvme | tr '\n' ' ')"
cma_load
tap_check "both devices authenticated" \
	test "$(cma_wait "$b0" 1) $(cma_wait "$b1" 1)" = "authenticated authenticated"

d=$(cma_nl dump)
tap_check "dump: every PCI function, in key order" test \
	"$(cma_json "$d" '" ".join(x["name"] for x in d["devices"])')" = \
	"$(ls /sys/bus/pci/devices | tr '\n' ' ' | sed 's/ $//')"
tap_check "dump: the NVMe functions authenticated, the rest unsupported" test \
	"$(cma_json "$d" 'sorted(set((x["name"] in ("'"$b0"'", "'"$b1"'"), x["state-name"]) for x in d["devices"]))')" = \
	"[(False, 'unsupported'), (True, 'authenticated')]"
key=$(cma_json "$(cma_nl get "$b1")" 'd["key"]')
tap_check "get by key is get by name" \
	test "$(cma_nl get "$key" | sed 's/"duration-us": [0-9]*//')" = "$(cma_nl get "$b1" | sed 's/"duration-us": [0-9]*//')"
tap_match "get of an unknown device: ENODEV with extack" \
	"$(cma_nl get 0000:7f:00.0)" "error: ENODEV: no such device"
tap_match "name and key of different devices: EINVAL with extack" \
	"$(cma_nl get "$b0" --extra "2:$(printf '%08x' "$key" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')")" \
	"error: EINVAL: name and key are different devices"
tap_match "unknown attribute rejected (strict validation)" \
	"$(cma_nl get "$b0" --extra 200:00000000)" "error: EINVAL*"
tap_match "evidence flag in a do request rejected" "$(cma_nl get "$b0" --extra 18:)" "error: EINVAL*"
if unshare --net true 2>/dev/null; then
	tap_match "the family exists in the initial network namespace only" \
		"$(unshare --net python3 "$SRCDIR/tests/vm/cma/spdmnl.py" dump)" "error: ENOENT*"
else
	tap_skip "the family exists in the initial network namespace only" \
		"the kernel has no network namespaces (CONFIG_NET_NS)"
fi

# Evidence: eight RSA-4096 chains on $b1 do not fit one message.
d=$(cma_nl dump --evidence --dev "$b1" --out "$T/ev")
tap_check "evidence dump of one device spans several messages" \
	test "$(cma_json "$d" 'd["messages"] > 2 and len(d["devices"]) == 1')" = True
for s in 0 1 2 3 4 5 6 7; do
	# SPDM chain = 4-byte header, root hash (SHA-256), then the DER certificates.
	tail -c +37 "$T/ev/$b1/cert-chain-slot$s.bin" >"$T/certs" 2>&1
	tap_check "slot $s chain delivered whole (certificates as provisioned)" \
		cmp "$T/certs" "$BUILD/pki/rsa4096/chain.der"
done
tap_check "transcript, signature and measurements delivered" \
	test -s "$T/ev/$b1/transcript.bin" -a -s "$T/ev/$b1/signature.bin" -a -s "$T/ev/$b1/measurements.bin"
d=$(cma_nl dump --evidence --between "echo 1 >/sys/bus/pci/devices/$b1/spdm/authenticated; \
	python3 '$SRCDIR/tests/vm/cma/spdmnl.py' wait '$b1' 2 >/dev/null")
tap_check "a re-authentication during the dump sets NLM_F_DUMP_INTR" \
	test "$(cma_json "$d" 'd["interrupted"]')" = True
d=$(cma_nl dump --evidence)
tap_check "an undisturbed dump is not interrupted" test "$(cma_json "$d" 'd["interrupted"]')" = False

# Caller nonce.
nonce=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
r=$(cma_nl auth "$b0" --nonce "$nonce")
tap_check "authenticate returns the next generation" test "$(cma_json "$r" 'd["generation"]')" = 2
w=$(cma_nl wait "$b0" 2)
tap_check "authenticate with a nonce succeeds" test "$(cma_json "$w" 'd["state-name"]')" = authenticated
tap_check "device-get reports the caller's nonce" test "$(cma_json "$w" 'd["nonce"]')" = "$nonce"
cma_nl dump --evidence --dev "$b0" --out "$T/ev" >/dev/null
off=$(cma_json "$w" 'd["req-nonce-offset"]')
tap_check "the nonce is in the transcript at req-nonce-offset" \
	test "$(od -An -tx1 -j "$off" -N32 "$T/ev/$b0/transcript.bin" | tr -d ' \n')" = "$nonce"
tap_check "... inside the CHALLENGE request (code 0x83 four bytes before)" \
	test "$(od -An -tx1 -j $((off - 3)) -N1 "$T/ev/$b0/transcript.bin" | tr -d ' ')" = 83
tap_match "a nonce of 31 bytes is rejected" "$(cma_nl auth "$b0" --nonce "${nonce:2}")" "error: E*"

# Notifications.
cma_nl monitor --count 1 --timeout 30 >"$T/ntf" &
mon=$!
for _ in $(seq 50); do grep -q subscribed "$T/ntf" && break; sleep 0.1; done
cma_nl auth "$b0" >/dev/null
wait $mon
n=$(grep ntf "$T/ntf")
tap_check "auth-done-ntf with generation 3 and the outcome" test \
	"$(cma_json "$n" 'd["ntf"], d["name"], d["generation"], d["state-name"], d["error"]')" = \
	"('auth-done-ntf', '$b0', 3, 'authenticated', 0)"


# An unprivileged user.
d=$(nobody python3 "$SRCDIR/tests/vm/cma/spdmnl.py" dump)
tap_check "non-root: dump of state works" \
	test "$(cma_json "$d" '[x["state-name"] for x in d["devices"] if x["name"] == "'"$b0"'"]')" = "['authenticated']"
tap_match "non-root: evidence refused (EPERM)" \
	"$(nobody python3 "$SRCDIR/tests/vm/cma/spdmnl.py" dump --evidence)" "error: EPERM: CAP_SYS_ADMIN required"
tap_match "non-root: authenticate refused (EPERM)" \
	"$(nobody python3 "$SRCDIR/tests/vm/cma/spdmnl.py" auth "$b0")" "error: EPERM*"
tap_match "non-root: joining the monitor group refused" \
	"$(nobody python3 "$SRCDIR/tests/vm/cma/spdmnl.py" monitor --count 1 --timeout 1)" "error: EPERM*"
tap_check "non-root: sysfs state readable" \
	test "$(nobody cat "/sys/bus/pci/devices/$b0/spdm/state")" = authenticated
if nobody sh -c "echo 1 >/sys/bus/pci/devices/$b0/spdm/authenticated" 2>/dev/null; then
	tap_fail "non-root: sysfs re-authentication refused"
else
	tap_ok "non-root: sysfs re-authentication refused"
fi
tap_check "non-root requests changed nothing (generation 3)" test "$(cma_sysfs "$b0" generation)" = 3
tap_check "modules unload" cma_unload
tap_done
