#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the test PKI's signed CoRIMs (reference values) and their malformed variants.

usage: gen-corim.py OUTDIR      (gen-pki.sh runs it with OUTDIR/rim, after making its keys)

Reads the manifest signers' keys gen-pki.sh made with openssl (signer.key: P-256,
signer384.key: P-384, other.key: P-256, not an anchor) and writes, with python3-cbor2 and
python3-cryptography:

  good/qemu-nvme.corim   ES256: QEMU's NVMe (vendor "1b36", model "0010"), measurement
                          index 1: the digests of golden-firmware-1.0 and -0.9 (the responder's
                          block 1 is the SHA-256 of its first --meas text)
  subject/test-device.corim  ES384: the leaf subject O="SPDM Test", CN="SPDM Test Device ecp256",
                          index 1: golden-firmware-1.0; index 2: two SHA-384 digests
  bad/NAME.corim         one malformed or unverifiable manifest per NAME (tests/pki/README.md)
  payloads/NAME.cbor     the unsigned payload of every manifest above (fuzzing seeds)

Names and byte layouts follow draft-ietf-rats-corim-11 and RFC 9052; see
docs/reference-values.md.
"""
import hashlib
import os
import sys

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

# RFC 9052 §4.2 and IANA COSE registries
COSE_SIGN1 = 18
ALG, CRIT, CONTENT_TYPE = 1, 2, 3
ES256, ES384, ES512 = -7, -35, -36
# draft-ietf-rats-corim-11 §4.2.1 (corim-meta), §11.2 (CBOR tags)
CORIM_META = 8
TAG_CORIM, TAG_COMID, TAG_COSWID, TAG_UUID = 501, 506, 505, 37
RIM_CBOR = "application/rim+cbor"
# RFC 6920 §9.4 Named Information hash algorithm ids
SHA256, SHA384 = 1, 7


def sha256(text):
    return hashlib.sha256(text.encode()).digest()


def sha384(text):
    return hashlib.sha384(text.encode()).digest()


def head(major, n):
    """A CBOR head: for hand-built items cbor2 would not produce (duplicates, huge counts)."""
    if n < 24:
        return bytes([major << 5 | n])
    for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | ai]) + n.to_bytes(size, "big")
    raise ValueError(n)


def raw(b):
    """Bytes to splice into an enc() encoding unchanged (a placeholder tag until then)."""
    return cbor2.CBORTag(0xFFFF_FFFF, b)


def enc(obj):
    """cbor2 encoding, with raw() splices substituted."""
    splices = []

    def walk(o):
        if isinstance(o, cbor2.CBORTag) and o.tag == 0xFFFF_FFFF:
            splices.append(o.value)
            return cbor2.CBORTag(0xFFFF_FFFE, len(splices) - 1)
        if isinstance(o, cbor2.CBORTag):
            return cbor2.CBORTag(o.tag, walk(o.value))
        if isinstance(o, list):
            return [walk(x) for x in o]
        if isinstance(o, dict):
            return {k: walk(v) for k, v in o.items()}
        return o
    out = cbor2.dumps(walk(obj))
    for i, s in enumerate(splices):
        out = out.replace(cbor2.dumps(cbor2.CBORTag(0xFFFF_FFFE, i)), s, 1)
    return out


def meas(index, *digests, extra=None):
    mval = {2: [list(d) for d in digests]}
    if extra:
        mval.update(extra)
    return {0: index, 1: mval}


def triple(vendor, model, *measurements, env=None):
    return [env if env is not None else {0: {1: vendor, 2: model}}, list(measurements)]


def comid(triples, tag_id="qemu-nvme-firmware"):
    return {1: {0: tag_id, 1: 0}, 4: {0: triples}}


def corim(comids, corim_id="spdm-test-corim"):
    return cbor2.CBORTag(TAG_CORIM, {0: corim_id,
                                     1: [cbor2.CBORTag(TAG_COMID, enc(c)) for c in comids]})


def protected(alg=ES256, extra=None):
    hdr = {ALG: alg, CONTENT_TYPE: RIM_CBOR, CORIM_META: enc({0: {0: "SPDM Test Vendor"}})}
    hdr.update(extra or {})
    return enc(hdr)


def sign1(key, payload, prot=None, alg=ES256, unprotected=None, tag=COSE_SIGN1, sig=None):
    """#6.18([protected, unprotected, payload, signature]); RFC 9052 §4.4 Sig_structure."""
    prot = protected(alg) if prot is None else prot
    if sig is None:
        md = {ES256: hashes.SHA256(), ES384: hashes.SHA384(), ES512: hashes.SHA512()}[alg]
        tbs = cbor2.dumps(["Signature1", prot, b"", payload])
        r, s = decode_dss_signature(key.sign(tbs, ec.ECDSA(md)))
        size = (key.curve.key_size + 7) // 8
        sig = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    body = [prot, {} if unprotected is None else unprotected, payload, sig]
    return cbor2.dumps(cbor2.CBORTag(tag, body)) if tag is not None else cbor2.dumps(body)


def load_key(path):
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    key = load_key(os.path.join(out, "signer.key"))
    key384 = load_key(os.path.join(out, "signer384.key"))
    other = load_key(os.path.join(out, "other.key"))
    for sub in ("good", "subject", "bad", "payloads"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)

    def write(sub, name, data, payload=None):
        with open(os.path.join(out, sub, name + ".corim"), "wb") as f:
            f.write(data)
        if payload is not None:
            with open(os.path.join(out, "payloads", f"{sub}-{name}.cbor"), "wb") as f:
                f.write(payload)

    golden = [SHA256, sha256("golden-firmware-1.0")]
    previous = [SHA256, sha256("golden-firmware-0.9")]
    nvme = enc(corim([comid([triple("1b36", "0010", meas(1, golden, previous))])]))
    write("good", "qemu-nvme", sign1(key, nvme), nvme)
    subj = enc(corim([comid([triple("SPDM Test", "SPDM Test Device ecp256", meas(1, golden),
                                    meas(2, [SHA384, sha384("a")], [SHA384, sha384("b")]))],
                            tag_id="test-device")],
                     corim_id=cbor2.CBORTag(TAG_UUID, bytes(range(16)))))
    write("subject", "test-device", sign1(key384, subj, alg=ES384), subj)

    def bad_payload(name, payload):
        write("bad", name, sign1(key, payload), payload)

    def bad_comid(name, c):
        bad_payload(name, enc(cbor2.CBORTag(TAG_CORIM, {0: "x", 1: [cbor2.CBORTag(TAG_COMID, enc(c))]})))

    def bad_triple(name, t):
        bad_comid(name, comid([t]))

    def bad_meas(name, m):
        bad_triple(name, triple("1b36", "0010", m))

    good = sign1(key, nvme)
    # The envelope
    write("bad", "empty", b"")
    write("bad", "truncated", good[: len(good) // 2])
    write("bad", "trailing-bytes", good + b"\x00")
    write("bad", "untagged", sign1(key, nvme, tag=None))
    write("bad", "wrong-tag", sign1(key, nvme, tag=98))
    write("bad", "unsigned", nvme)
    write("bad", "sign1-three-items", cbor2.dumps(cbor2.CBORTag(COSE_SIGN1, [protected(), {}, nvme])))
    write("bad", "indefinite-array", bytes([0xd2, 0x9f]) + good[2:] + b"\xff")
    write("bad", "indefinite-payload", enc(cbor2.CBORTag(COSE_SIGN1, [
        protected(), {}, raw(b"\x5f" + head(2, len(nvme)) + nvme + b"\xff"), b"\x00" * 64])))
    write("bad", "huge-count", bytes([0xd2, 0x9b]) + (1 << 40).to_bytes(8, "big") + good[2:])
    write("bad", "huge-map", enc(cbor2.CBORTag(COSE_SIGN1, [protected(), raw(head(5, 1 << 31)), nvme, b""])))
    write("bad", "deep-nesting", enc(cbor2.CBORTag(COSE_SIGN1, [protected(), {1: raw(b"\x81" * 40 + b"\x00")},
                                                                nvme, b""])))
    write("bad", "protected-not-bstr", enc(cbor2.CBORTag(COSE_SIGN1, [{ALG: ES256}, {}, nvme, b""])))
    write("bad", "protected-not-map", sign1(key, nvme, prot=enc([ALG, ES256])))
    write("bad", "protected-duplicate-alg", sign1(key, nvme, prot=head(5, 3) + enc(ALG) + enc(ES256) +
                                                  enc(CONTENT_TYPE) + enc(RIM_CBOR) + enc(ALG) + enc(ES384)))
    write("bad", "no-alg", sign1(key, nvme, prot=enc({CONTENT_TYPE: RIM_CBOR})))
    write("bad", "alg-text", sign1(key, nvme, prot=enc({ALG: "ES256", CONTENT_TYPE: RIM_CBOR})))
    write("bad", "alg-unsupported", sign1(key, nvme, prot=protected(-8), sig=b"\x00" * 64))
    write("bad", "alg-wrong-for-key", sign1(key, nvme, prot=protected(ES512), sig=b"\x00" * 132))
    write("bad", "signature-wrong-length", sign1(key, nvme, sig=b"\x00" * 63))
    write("bad", "no-content-type", sign1(key, nvme, prot=enc({ALG: ES256})))
    write("bad", "wrong-content-type", sign1(key, nvme, prot=protected(extra={CONTENT_TYPE: "application/json"})))
    write("bad", "crit-unknown", sign1(key, nvme, prot=protected(extra={CRIT: [99], 99: 1})))
    write("bad", "crit-not-array", sign1(key, nvme, prot=protected(extra={CRIT: 3})))
    write("bad", "crit-absent", sign1(key, nvme, prot=enc({ALG: ES256, CONTENT_TYPE: RIM_CBOR,
                                                          CRIT: [CORIM_META]})))
    write("bad", "unprotected-not-map", enc(cbor2.CBORTag(COSE_SIGN1, [protected(), [], nvme, b"\x00" * 64])))
    write("bad", "detached-payload", enc(cbor2.CBORTag(COSE_SIGN1, [protected(), {}, None, b"\x00" * 64])))
    write("bad", "payload-not-bstr", enc(cbor2.CBORTag(COSE_SIGN1, [protected(), {}, 5, b"\x00" * 64])))
    flipped = bytearray(good)
    flipped[-1] ^= 1
    write("bad", "bad-signature", bytes(flipped))
    write("bad", "unknown-signer", sign1(other, nvme))
    # The payload (signed correctly: the parser's errors, not the signature's)
    bad_payload("payload-untagged", enc({0: "x", 1: [cbor2.CBORTag(TAG_COMID, enc(comid([])))]}))
    bad_payload("payload-garbage", b"\xff\xff")
    bad_payload("corim-not-map", enc(cbor2.CBORTag(TAG_CORIM, ["x"])))
    bad_payload("corim-no-id", enc(cbor2.CBORTag(TAG_CORIM, {1: [cbor2.CBORTag(TAG_COMID, b"")]})))
    bad_payload("corim-id-int", enc(cbor2.CBORTag(TAG_CORIM, {0: 7, 1: []})))
    bad_payload("corim-no-tags", enc(cbor2.CBORTag(TAG_CORIM, {0: "x"})))
    bad_payload("corim-tags-empty", enc(cbor2.CBORTag(TAG_CORIM, {0: "x", 1: []})))
    tags = [cbor2.CBORTag(TAG_COMID, enc(comid([triple("1b36", "0010", meas(1, golden))])))]
    bad_payload("corim-duplicate-key", enc(cbor2.CBORTag(TAG_CORIM, raw(
        head(5, 3) + enc(0) + enc("x") + enc(1) + enc(tags) + enc(1) + enc(tags)))))
    bad_payload("corim-string-keys", enc(cbor2.CBORTag(TAG_CORIM, {"0": "x", "1": tags})))
    bad_payload("tag-not-comid", enc(cbor2.CBORTag(TAG_CORIM, {0: "x", 1: [cbor2.CBORTag(999, b"")]})))
    bad_payload("comid-not-bstr", enc(cbor2.CBORTag(TAG_CORIM, {0: "x", 1: [cbor2.CBORTag(TAG_COMID, {})]})))
    bad_payload("comid-truncated", enc(cbor2.CBORTag(TAG_CORIM, {0: "x", 1: [
        cbor2.CBORTag(TAG_COMID, enc(comid([triple("1b36", "0010", meas(1, golden))]))[:-5])]})))
    bad_payload("only-coswid", enc(cbor2.CBORTag(TAG_CORIM, {0: "x", 1: [cbor2.CBORTag(TAG_COSWID, b"\xa0")]})))
    bad_comid("comid-no-tag-identity", {4: {0: [triple("1b36", "0010", meas(1, golden))]}})
    bad_comid("comid-no-triples", {1: {0: "t"}})
    bad_comid("comid-no-reference-triples", {1: {0: "t"}, 4: {1: []}})
    bad_comid("reference-triples-not-array", {1: {0: "t"}, 4: {0: {}}})
    bad_triple("triple-three-items", triple("1b36", "0010", meas(1, golden)) + [0])
    bad_triple("triple-no-measurements", triple("1b36", "0010"))
    bad_triple("env-no-class", triple("", "", meas(1, golden), env={}))
    bad_triple("env-instance", triple("", "", meas(1, golden), env={0: {1: "1b36", 2: "0010"}, 1: b"i"}))
    bad_triple("class-no-model", triple("", "", meas(1, golden), env={0: {1: "1b36"}}))
    bad_triple("class-vendor-int", triple("", "", meas(1, golden), env={0: {1: 0x1b36, 2: "0010"}}))
    bad_triple("class-id", triple("", "", meas(1, golden), env={0: {0: b"id", 1: "1b36", 2: "0010"}}))
    bad_triple("vendor-too-long", triple("v" * 200, "0010", meas(1, golden)))
    bad_meas("mkey-missing", {1: {2: [golden]}})
    bad_meas("mkey-text", {0: "firmware", 1: {2: [golden]}})
    bad_meas("mkey-zero", meas(0, golden))
    bad_meas("mkey-255", meas(255, golden))
    bad_meas("mkey-negative", {0: -1, 1: {2: [golden]}})
    bad_meas("mval-missing", {0: 1})
    bad_meas("mval-svn", meas(1, golden, extra={1: 3}))
    bad_meas("digests-missing", {0: 1, 1: {1: 3}})
    bad_meas("digests-empty", {0: 1, 1: {2: []}})
    bad_meas("digests-not-array", {0: 1, 1: {2: golden[1]}})
    bad_meas("digest-one-item", {0: 1, 1: {2: [[SHA256]]}})
    bad_meas("digest-short", meas(1, [SHA256, golden[1][:31]]))
    bad_meas("digest-long", meas(1, [SHA384, golden[1]]))
    bad_meas("digest-value-text", meas(1, [SHA256, "00" * 32]))
    bad_meas("digest-unknown-alg", meas(1, [99, golden[1]]))
    bad_meas("digest-unknown-alg-name", meas(1, ["md5", golden[1][:16]]))
    bad_meas("digest-alg-float", meas(1, [1.0, golden[1]]))
    bad_meas("authorized-by", {0: 1, 1: {2: [golden]}, 2: [b"key"]})
    # Too large: a valid manifest padded past 1 MiB inside the unprotected header.
    write("bad", "oversize", sign1(key, nvme, unprotected={"pad": b"\x00" * (1 << 20)}))


if __name__ == "__main__":
    main()
