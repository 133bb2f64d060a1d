# Tools outside this project read what the module offers: the kernel's own
# YNL CLI dumps our devices with our spec, bpftrace sees every exchange on the
# spdm_exchange tracepoint, and the openssl command verifies the CHALLENGE_AUTH
# signature over the transcript from netlink, independently of our code.
# A third device keeps answering ResponseNotReady: it fails on its own.
# vm-devices: 3
# vm-device-args-1: --versions 1.1 --asym rsa3072 --hash sha384
# vm-device-args-2: --fault not-ready
# vm-timeout: 300
. "$SRCDIR/tests/vm/lib/guest.sh"
. "$SRCDIR/bpf/tests/vm-lib.sh"

read -r b0 b1 b2 <<<"$(cma_nvme | tr '\n' ' ')"
cma_load
tap_check "both devices authenticated" \
	test "$(cma_wait "$b0" 1) $(cma_wait "$b1" 1)" = "authenticated authenticated"
# QEMU forwards DOE requests with its global lock held, so a responder that
# never answers would freeze the whole guest; one that never gets ready is
# the stuck device QEMU can emulate.
tap_check "a device that never gets ready fails alone with -ETIMEDOUT" \
	test "$(cma_wait "$b2" 1) $(cma_sysfs "$b2" last_error)" = "failed -110"

# The kernel's YNL CLI with our spec.
ynl=$BUILD/ynl/tools/net/ynl
if [ -x "$ynl/cli.py" ] || [ -f "$ynl/cli.py" ]; then
	out=$(python3 "$ynl/cli.py" --spec "$SRCDIR/include/spdm.yaml" \
		--schema "$BUILD/ynl/Documentation/netlink/genetlink.yaml" \
		--dump device-get --output-json 2>&1)
	tap_check "ynl cli.py: dump lists both devices authenticated" test \
		"$(cma_json "$out" 'sorted(x["name"] for x in d if x["state"] == "authenticated")')" = \
		"['$b0', '$b1']"
	out=$(python3 "$ynl/cli.py" --spec "$SRCDIR/include/spdm.yaml" --no-schema \
		--do device-get --json "{\"name\": \"$b1\"}" --output-json 2>&1)
	tap_check "ynl cli.py: do device-get decodes version and algorithms" test \
		"$(cma_json "$out" 'd["version"], d["base-asym-alg"], d["base-hash-alg"], d["vendor-id"]')" = \
		"(17, 4, 2, 6966)"
else
	tap_fail "ynl cli.py present in \$BUILD/ynl" "run make -C include"
fi

# bpftrace on the tracepoint, next to tracefs as the reference.
key=$(cma_json "$(cma_nl get "$b0")" 'd["key"]')
tr=/sys/kernel/tracing
echo "key == $key" >"$tr/events/spdm/spdm_exchange/filter"
echo 1 >"$tr/events/spdm/spdm_exchange/enable"
echo >"$tr/trace"
bpftrace -e "tracepoint:spdm:spdm_exchange /args->key == $key/ {
	printf(\"x %x %x %d %d\\n\", args->req_code, args->rsp_code, args->req_len, args->result); }" \
	>"$T/bt" 2>&1 &
bt=$!
bpf_wait_line "$T/bt" Attaching 120 "$bt"
cma_nl auth "$b0" >/dev/null
cma_nl wait "$b0" 2 >/dev/null
sleep 1
# bpf_stop: SIGINT again if bpftrace missed the first (bpf/tests/vm-lib.sh)
bpf_stop "$bt" >"$T/bt.stop" 2>&1
stopped=$?
echo 0 >"$tr/events/spdm/spdm_exchange/enable"
grep '^x ' "$T/bt" | awk '{ print $2 }' >"$T/bt.codes"
sed -n 's/.*spdm_exchange: .* req=0x\([0-9a-f]*\) .*/\1/p' "$tr/trace" >"$T/tr.codes"
tap_check "bpftrace stops on SIGINT" sh -c "[ $stopped = 0 ] || { cat $T/bt.stop; exit 1; }"
tap_check "bpftrace saw exchanges" test "$(wc -l <"$T/bt.codes")" -ge 5
tap_check "bpftrace saw each exchange tracefs recorded, in order" cmp "$T/bt.codes" "$T/tr.codes"
tap_check "bpftrace: GET_VERSION first, CHALLENGE among them, all results 0" sh -c \
	"head -1 '$T/bt.codes' | grep -qx 84 && grep -qx 83 '$T/bt.codes' && ! grep '^x ' '$T/bt' | awk '\$5 != 0' | grep -q ."

# openssl re-verifies the CHALLENGE_AUTH signature from the evidence.
verify() { # verify BDF: prints "Verified OK" on success
	local bdf=$1 dir=$T/ev/$1 d
	d=$(cma_nl get "$bdf")
	python3 - "$dir" "$(cma_json "$d" 'd["version"]')" "$(cma_json "$d" 'd["base-hash-alg"]')" \
		"$(cma_json "$d" 'd["base-asym-alg"]')" <<'PY' || return 1
import hashlib, subprocess, sys
d, ver, hash_alg, asym = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
hname = {1: "sha256", 2: "sha384", 4: "sha512"}[hash_alg]
hlen = hashlib.new(hname).digest_size
chain = open(f"{d}/cert-chain-slot0.bin", "rb").read()
# SPDM chain: Length(2) Reserved(2) RootHash(H), then DER certificates.
der, off = chain[4 + hlen:], 0
certs = []
while off < len(der):
    n = der[off + 1]
    hdr = 2
    if n & 0x80:
        k = n & 0x7f
        n, hdr = int.from_bytes(der[off + 2:off + 2 + k], "big"), 2 + k
    certs.append(der[off:off + hdr + n])
    off += hdr + n
open(f"{d}/leaf.der", "wb").write(certs[-1])
subprocess.run(["openssl", "x509", "-inform", "DER", "-in", f"{d}/leaf.der", "-noout",
                "-pubkey", "-out", f"{d}/leaf.pub"], check=True)
transcript = open(f"{d}/transcript.bin", "rb").read()
if ver >= 0x12:
    # DSP0274 1.2.1 §15: combined prefix = "dmtf-spdm-v1.N.*" x 4, zero pad,
    # context; the signed message is that prefix and the transcript hash.
    ctx = b"responder-challenge_auth signing"
    prefix = (f"dmtf-spdm-v{ver >> 4}.{ver & 15}.*".encode() * 4 +
              bytes(36 - len(ctx)) + ctx)
    msg = prefix + hashlib.new(hname, transcript).digest()
else:
    msg = transcript
open(f"{d}/signed.bin", "wb").write(msg)
sig = open(f"{d}/signature.bin", "rb").read()
if asym in (0x10, 0x80, 0x100):   # ECDSA: raw r||s to X9.62 DER
    def integer(b):
        b = b.lstrip(b"\0") or b"\0"
        if b[0] & 0x80:
            b = b"\0" + b
        return b"\x02" + bytes([len(b)]) + b
    half = len(sig) // 2
    body = integer(sig[:half]) + integer(sig[half:])
    ln = bytes([len(body)]) if len(body) < 128 else b"\x81" + bytes([len(body)])
    sig = b"\x30" + ln + body
open(f"{d}/signature.der", "wb").write(sig)
print(hname)
PY
}
cma_nl dump --evidence --out "$T/ev" >/dev/null
for bdf in "$b0" "$b1"; do
	h=$(verify "$bdf" | tail -1)
	tap_check "openssl verifies the CHALLENGE_AUTH signature of $bdf ($(cma_sysfs "$bdf" version))" \
		openssl dgst "-$h" -verify "$T/ev/$bdf/leaf.pub" -signature "$T/ev/$bdf/signature.der" \
		"$T/ev/$bdf/signed.bin"
	printf '\x00' | dd of="$T/ev/$bdf/signed.bin" bs=1 seek=120 conv=notrunc 2>/dev/null
	if openssl dgst "-$h" -verify "$T/ev/$bdf/leaf.pub" -signature "$T/ev/$bdf/signature.der" \
		"$T/ev/$bdf/signed.bin" >/dev/null 2>&1; then
		tap_fail "openssl rejects it once a byte of the signed message changes ($bdf)"
	else
		tap_ok "openssl rejects it once a byte of the signed message changes ($bdf)"
	fi
done
tap_check "modules unload" cma_unload
tap_done
