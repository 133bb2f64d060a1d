# Authentication succeeds for SPDM 1.2 and 1.3 with every signature algorithm the
# responder offers (ECDSA P-256/384/521, RSASSA 2048/3072/4096, RSASSA-PSS
# 2048/3072/4096, over SHA-256/384/512); a PSS signature the responder corrupts
# (fault sig-corrupt, CHALLENGE_AUTH or MEASUREMENTS) fails with -EKEYREJECTED.
# vm-devices: 20
# vm-root-ports: 0
# vm-timeout: 240
# vm-device-args-0: --versions 1.2 --asym ecp256 --hash sha256
# vm-device-args-1: --versions 1.2 --asym ecp384 --hash sha384
# vm-device-args-2: --versions 1.2 --asym ecp521 --hash sha512
# vm-device-args-3: --versions 1.2 --asym rsa2048 --hash sha256
# vm-device-args-4: --versions 1.2 --asym rsa3072 --hash sha384
# vm-device-args-5: --versions 1.2 --asym rsa4096 --hash sha512
# vm-device-args-6: --versions 1.3 --asym ecp256 --hash sha256
# vm-device-args-7: --versions 1.3 --asym ecp384 --hash sha384
# vm-device-args-8: --versions 1.3 --asym ecp521 --hash sha512
# vm-device-args-9: --versions 1.3 --asym rsa2048 --hash sha256
# vm-device-args-10: --versions 1.3 --asym rsa3072 --hash sha384
# vm-device-args-11: --versions 1.3 --asym rsa4096 --hash sha512
# vm-device-args-12: --versions 1.2 --asym rsapss2048 --hash sha256
# vm-device-args-13: --versions 1.2 --asym rsapss3072 --hash sha384
# vm-device-args-14: --versions 1.2 --asym rsapss4096 --hash sha512
# vm-device-args-15: --versions 1.3 --asym rsapss2048 --hash sha256
# vm-device-args-16: --versions 1.3 --asym rsapss3072 --hash sha384
# vm-device-args-17: --versions 1.3 --asym rsapss4096 --hash sha512
# vm-device-args-18: --versions 1.2 --asym rsapss3072 --hash sha256 --fault sig-corrupt
# vm-device-args-19: --versions 1.3 --asym rsapss2048 --hash sha384 --fault sig-corrupt:measurements
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/tests/vm/cma/lib.sh"

declare -A asym_name=([ecp256]=ecdsa-p256 [ecp384]=ecdsa-p384 [ecp521]=ecdsa-p521
	[rsa2048]=rsassa-2048 [rsa3072]=rsassa-3072 [rsa4096]=rsassa-4096
	[rsapss2048]=rsapss-2048 [rsapss3072]=rsapss-3072 [rsapss4096]=rsapss-4096)

# Device K is nvmeK on root port K: the K-th function in bus order.
mapfile -t bdfs <<<"$(cma_nvme)"
mapfile -t args <<<"$(sed -n 's/^# vm-device-args-[0-9]*: //p' "$0")"
tap_check "one NVMe function per device line of the header (20)" \
	test "${#bdfs[@]}" -eq 20 -a "${#args[@]}" -eq 20
cma_load
for k in "${!args[@]}"; do
	set -- ${args[$k]}
	v=$2 a=$4 h=$6 bdf=${bdfs[$k]}
	state=$(cma_wait "$bdf" 1 120)
	if [ -z "${8:-}" ]; then
		tap_match "SPDM $v $a $h: authenticated" \
			"$state $(cma_sysfs "$bdf" version) $(cma_sysfs "$bdf" algorithms)" \
			"authenticated $v asym=${asym_name[$a]} hash=$h meas=*"
	else
		tap_match "SPDM $v $a $h, $8: failed with -EKEYREJECTED" \
			"$state $(cma_sysfs "$bdf" last_error)" "failed -$(python3 -c 'import errno; print(errno.EKEYREJECTED)')"
	fi
done
tap_check "modules unload" cma_unload
tap_done
