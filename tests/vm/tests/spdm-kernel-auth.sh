# The kernel library (spdm.ko, through spdm_cma.ko over DOE) authenticates
# with every algorithm its environment offers and every SPDM version, and
# refuses what the environment must refuse: bad signatures (RSASSA-PSS
# included, which the environment verifies itself on 6.12) and chains that
# break the certificate rules. Device k sits on bus k+1.
# vm-devices: 13
# vm-timeout: 300
# vm-root-ports: 14
# vm-device-args-0: --asym ecp256 --hash sha256
# vm-device-args-1: --asym ecp384 --hash sha384
# vm-device-args-2: --asym ecp521 --hash sha512
# vm-device-args-3: --asym rsa2048 --hash sha256
# vm-device-args-4: --asym rsa3072 --hash sha384
# vm-device-args-5: --asym rsa4096 --hash sha512
# vm-device-args-6: --versions 1.0 --asym ecp384 --hash sha384
# vm-device-args-7: --versions 1.1 --asym rsa3072 --hash sha256
# vm-device-args-8: --versions 1.2 --asym ecp521 --hash sha512
# vm-device-args-9: --asym rsa2048 --hash sha384 --fault sig-corrupt
# vm-device-args-10: --asym ecp521 --hash sha512 --fault sig-other-key
# vm-device-args-11: --asym rsapss3072 --hash sha384
# vm-device-args-12: --asym rsapss4096 --hash sha256 --fault sig-corrupt
# Module only: it loads the modules built against Debian's headers.
# vm-kernels: debian
. "$SRCDIR/tests/vm/lib/guest.sh"

# name, expected state, last_error, version, algorithms prefix
expect=(
	"ecdsa-p256 authenticated 0 1.3 asym=ecdsa-p256 hash=sha256"
	"ecdsa-p384 authenticated 0 1.3 asym=ecdsa-p384 hash=sha384"
	"ecdsa-p521 authenticated 0 1.3 asym=ecdsa-p521 hash=sha512"
	"rsassa-2048 authenticated 0 1.3 asym=rsassa-2048 hash=sha256"
	"rsassa-3072 authenticated 0 1.3 asym=rsassa-3072 hash=sha384"
	"rsassa-4096 authenticated 0 1.3 asym=rsassa-4096 hash=sha512"
	"version-1.0 authenticated 0 1.0 asym=ecdsa-p384 hash=sha384"
	"version-1.1 authenticated 0 1.1 asym=rsassa-3072 hash=sha256"
	"version-1.2 authenticated 0 1.2 asym=ecdsa-p521 hash=sha512"
	"rsa-corrupt-signature failed -129 1.3 asym=rsassa-2048 hash=sha384"
	"ecdsa-other-key-signature failed -129 1.3 asym=ecdsa-p521 hash=sha512"
	"rsapss-3072 authenticated 0 1.3 asym=rsapss-3072 hash=sha384"
	"rsapss-corrupt-signature failed -129 1.3 asym=rsapss-4096 hash=sha256"
)

# Wait until authentication of every listed device has finished.
settle() {
	local d busy tries=600
	while [ $((tries--)) -gt 0 ]; do
		busy=0
		for d in "$@"; do
			case $(cat "/sys/bus/pci/devices/$d/spdm/state" 2>/dev/null) in
			authenticated | failed | unsupported) ;;
			*) busy=1 ;;
			esac
		done
		[ $busy = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# check NAME BDF STATE ERRNO VERSION ALGORITHMS... ; a failure must also
# have been logged for the reason in $why
check() {
	local name=$1 d=/sys/bus/pci/devices/$2/spdm got want
	want="$3 $4 $5 ${*:6}"
	got="$(cat "$d/state" "$d/last_error" "$d/version" 2>&1 | tr '\n' ' ')"
	got="$got$(cut -d' ' -f1,2 "$d/algorithms" 2>&1)"
	if [ "$got" != "$want" ]; then
		tap_fail "$name" "$2: got '$got', want '$want'"
	elif [ "$3" = failed ] && ! dmesg | grep -q "spdm: $2: .*$why"; then
		tap_fail "$name" "$2: no log line saying '$why'"
	else
		tap_ok "$name"
	fi
}

tap_check spdm-load insmod "$SRCDIR/kernel/spdm/spdm.ko"
tap_check cma-load insmod "$SRCDIR/kernel/cma/spdm_cma.ko"

bdfs=()
for k in "${!expect[@]}"; do
	bdfs+=("$(printf '0000:%02x:00.0' $((k + 1)))")
done
settle "${bdfs[@]}" || vm_log "spdm-kernel-auth: devices still authenticating"
for k in "${!expect[@]}"; do
	why="signature does not verify"
	# shellcheck disable=SC2086 # the fields are meant to split
	check ${expect[k]%% *} "${bdfs[k]}" ${expect[k]#* }
done

# Chains that break the rules the kernel environment enforces (hot-added:
# their directories are only known here).
n=0
for bad in "leaf-ca:violates SPDM rules" "no-digitalsignature:violates SPDM rules" \
	   "out-of-order:not issued by its predecessor" \
	   "issued-by-leaf:not issued by its predecessor"; do
	name=${bad%%:*} why=${bad#*:} n=$((n + 1))
	if ! bdf=$(vm_device_add "bad$n" --asym ecp256 --hash sha256 \
			--slot "0:$BUILD/pki/bad/$name"); then
		tap_fail "chain-$name" "hot-add failed"
		continue
	fi
	settle "$bdf"
	check "chain-$name" "$bdf" failed -129 1.3 asym=ecdsa-p256 hash=sha256
done

# Certificate models (DSP0274 1.3.0 §10.7.1): what spdm/cert_model reports
# and the leaf rule of each model; then SPDM 1.3 multi-key responders (the
# kernel asks for MULTI_KEY_CONN, picks the slot by key usage) and what
# spdm/key_pair reports. NAME|responder args|state errno|model|log|key_pair
same() { # same NAME GOT WANT
	if [ "$2" = "$3" ]; then tap_ok "$1"; else tap_fail "$1" "got '$2', want '$3'"; fi
}
same "cert-model of a default device" \
	"$(cat "/sys/bus/pci/devices/${bdfs[0]}/spdm/cert_model")" device
for m in "alias-model|--caps cert,chal,meas-sig,alias|authenticated 0|alias|" \
	 "device-model-hw-identity|--slot 0:$BUILD/pki/bad/hw-identity|authenticated 0|device|" \
	 "alias-model-hw-identity|--fault cert-alias-hw-identity|failed -129|alias|alias-model leaf carries the hardware-identity OID" \
	 "requester-eku|--fault cert-requester-eku|failed -129|device|extended key usage names only the requester" \
	 "multi-key-only|--multi-key only|authenticated 0|device||1 0x0006" \
	 "multi-key-negotiable|--multi-key neg|authenticated 0|device||1 0x0006" \
	 "multi-key-challenge-slot|--multi-key only --slot 0:ecp256 --slot 1:ecp256 --key-usage 0:4 --key-usage 1:2|authenticated 0|device||2 0x0002" \
	 "multi-key-no-challenge-key|--multi-key only --key-usage 0:4|failed -126|device|No slot's key may sign challenges|0 0x0000" \
	 "multi-key-generic-hw-identity|--multi-key only --cert-model 0:generic --slot 0:$BUILD/pki/bad/hw-identity|failed -129|generic|generic-model leaf carries the hardware-identity OID|0 0x0000"; do
	IFS='|' read -r name args result model why key_pair <<<"$m"
	n=$((n + 1))
	# shellcheck disable=SC2086 # the responder's arguments are meant to split
	if ! bdf=$(vm_device_add "model$n" --asym ecp256 --hash sha256 $args); then
		tap_fail "cert-model-$name" "hot-add failed"
		continue
	fi
	settle "$bdf"
	# shellcheck disable=SC2086
	check "cert-model-$name" "$bdf" $result 1.3 asym=ecdsa-p256 hash=sha256
	same "cert-model-$name: spdm/cert_model" \
		"$(cat "/sys/bus/pci/devices/$bdf/spdm/cert_model")" "$model"
	[ -z "$key_pair" ] && continue
	same "cert-model-$name: spdm/key_pair" \
		"$(cat "/sys/bus/pci/devices/$bdf/spdm/key_pair")" "$key_pair"
done
tap_done
