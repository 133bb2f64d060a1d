# Authentication succeeds for SPDM 1.0 and 1.1 with every signature algorithm the
# responder offers (ECDSA P-256/384/521, RSASSA 2048/3072/4096, RSASSA-PSS
# 2048/3072/4096, over SHA-256/384/512); a PSS signature the responder corrupts
# (fault sig-corrupt, CHALLENGE_AUTH or MEASUREMENTS) fails with -EKEYREJECTED. A
# device with no algorithm in common, refusing the offer with ERROR InvalidRequest
# (alg-refused) or selecting nothing (alg-none-common), fails with -EPROTONOSUPPORT
# and the kernel log names the offer.
# vm-devices: 22
# vm-root-ports: 0
# vm-timeout: 240
# vm-device-args-0: --versions 1.0 --asym ecp256 --hash sha256
# vm-device-args-1: --versions 1.0 --asym ecp384 --hash sha384
# vm-device-args-2: --versions 1.0 --asym ecp521 --hash sha512
# vm-device-args-3: --versions 1.0 --asym rsa2048 --hash sha256
# vm-device-args-4: --versions 1.0 --asym rsa3072 --hash sha384
# vm-device-args-5: --versions 1.0 --asym rsa4096 --hash sha512
# vm-device-args-6: --versions 1.1 --asym ecp256 --hash sha256
# vm-device-args-7: --versions 1.1 --asym ecp384 --hash sha384
# vm-device-args-8: --versions 1.1 --asym ecp521 --hash sha512
# vm-device-args-9: --versions 1.1 --asym rsa2048 --hash sha256
# vm-device-args-10: --versions 1.1 --asym rsa3072 --hash sha384
# vm-device-args-11: --versions 1.1 --asym rsa4096 --hash sha512
# vm-device-args-12: --versions 1.0 --asym rsapss2048 --hash sha256
# vm-device-args-13: --versions 1.0 --asym rsapss3072 --hash sha384
# vm-device-args-14: --versions 1.0 --asym rsapss4096 --hash sha512
# vm-device-args-15: --versions 1.1 --asym rsapss2048 --hash sha256
# vm-device-args-16: --versions 1.1 --asym rsapss3072 --hash sha384
# vm-device-args-17: --versions 1.1 --asym rsapss4096 --hash sha512
# vm-device-args-18: --versions 1.0 --asym rsapss3072 --hash sha256 --fault sig-corrupt
# vm-device-args-19: --versions 1.1 --asym rsapss2048 --hash sha384 --fault sig-corrupt:measurements
# vm-device-args-20: --versions 1.0 --asym rsapss4096 --hash sha256 --fault alg-refused
# vm-device-args-21: --versions 1.1 --asym ecp256 --hash sha256 --fault alg-none-common
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"

declare -A asym_name=([ecp256]=ecdsa-p256 [ecp384]=ecdsa-p384 [ecp521]=ecdsa-p521
	[rsa2048]=rsassa-2048 [rsa3072]=rsassa-3072 [rsa4096]=rsassa-4096
	[rsapss2048]=rsapss-2048 [rsapss3072]=rsapss-3072 [rsapss4096]=rsapss-4096)

# Device K is nvmeK on root port K: the K-th function in bus order.
mapfile -t bdfs <<<"$(cma_nvme)"
mapfile -t args <<<"$(sed -n 's/^# vm-device-args-[0-9]*: //p' "$0")"
tap_check "one NVMe function per device line of the header (22)" \
	test "${#bdfs[@]}" -eq 22 -a "${#args[@]}" -eq 22
cma_load
for k in "${!args[@]}"; do
	set -- ${args[$k]}
	v=$2 a=$4 h=$6 bdf=${bdfs[$k]}
	state=$(cma_wait "$bdf" 1 120)
	case ${8:-} in
	"")
		tap_match "SPDM $v $a $h: authenticated" \
			"$state $(cma_sysfs "$bdf" version) $(cma_sysfs "$bdf" algorithms)" \
			"authenticated $v asym=${asym_name[$a]} hash=$h meas=*" ;;
	sig-corrupt*)
		tap_match "SPDM $v $a $h, $8: failed with -EKEYREJECTED" \
			"$state $(cma_sysfs "$bdf" last_error)" "failed -$(python3 -c 'import errno; print(errno.EKEYREJECTED)')" ;;
	alg-*)
		tap_match "SPDM $v, $8: failed with -EPROTONOSUPPORT" \
			"$state $(cma_sysfs "$bdf" last_error)" "failed -$(python3 -c 'import errno; print(errno.EPROTONOSUPPORT)')"
		dmesg >"$T/dmesg"
		tap_check "SPDM $v, $8: the kernel log names the offer" \
			grep -q "$bdf: No common.*0x1ff (RSASSA_2048|RSAPSS_2048|RSASSA_3072|RSAPSS_3072|ECDSA_P256|RSASSA_4096|RSAPSS_4096|ECDSA_P384|ECDSA_P521)" \
			"$T/dmesg" ;;
	esac
done
tap_check "modules unload" cma_unload
tap_done
