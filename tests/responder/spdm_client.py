#!/usr/bin/env python3
"""A small, strict SPDM 1.0-1.3 requester over the spdm-emu socket protocol.

It is the responder's own reference check: a third, independent encoding of
DSP0274 that verifies every signature with the python `cryptography` package
and reports failures with the project's errno taxonomy (ERRNO names), so the
fault catalogue can be checked without the project's requester.
"""
import argparse
import hashlib
import os
import socket
import struct
import sys
import time

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding

CMD_NORMAL, CMD_SHUTDOWN, CMD_UNKNOWN, CMD_TEST = 0x0001, 0xFFFE, 0xFFFF, 0xDEAD
TRANSPORTS = {"none": 0, "mctp": 1, "doe": 2}
MAX_MSG = 0x1200            # largest SPDM message we accept

ASYM = {  # BaseAsymAlgo bit: (name, signature length, pss)
    0: ("rsa2048", 256, False), 1: ("rsapss2048", 256, True),
    2: ("rsa3072", 384, False), 3: ("rsapss3072", 384, True),
    4: ("ecp256", 64, False), 5: ("rsa4096", 512, False),
    6: ("rsapss4096", 512, True), 7: ("ecp384", 96, False), 8: ("ecp521", 132, False),
}
HASH = {0: ("sha256", 32, hashes.SHA256), 1: ("sha384", 48, hashes.SHA384),
        2: ("sha512", 64, hashes.SHA512)}


# The errno the project's requester documents for each ErrorCode (kernel/spdm/core.c).
ERROR_ERRNO = {0x01: "EINVAL", 0x04: "EBADE", 0x05: "EREMOTEIO", 0x07: "EOPNOTSUPP",
               0x08: "EALREADY", 0x0B: "EACCES", 0x0C: "ENOTRECOVERABLE", 0x0D: "EMSGSIZE",
               0x0E: "E2BIG", 0x10: "ENOMSG", 0x41: "EPROTONOSUPPORT", 0x44: "ECANCELED",
               0xFF: "EREMOTEIO"}


# CAPABILITIES flags each version defines (DSP0274 Table 11); the rest are reserved.
CAPS_DEFINED = {0x10: 0x3F, 0x11: 0x1FFFF, 0x12: 0x3FFFFF, 0x13: 0x3FFFFFFF}


def forbidden_caps(v, f):
    """The first flag rule of DSP0274 1.0-1.3 (Table 11 and notes) @f breaks, or None."""
    def bit(n):
        return f >> n & 1

    def field(n):
        return f >> n & 3
    cert, chal, meas, fresh = bit(1), bit(2), field(3), bit(5)
    encrypt, mac, mut, key_ex, psk = bit(6), bit(7), bit(8), bit(9), field(10)
    encap, hbeat, key_upd, clear, pub = bit(12), bit(13), bit(14), bit(15), bit(16)
    alias, set_cert, csr, reset = bit(18), bit(19), bit(20), bit(21)
    ep_info, event, multi, get_kpi, set_kpi = field(22), bit(25), field(26), bit(28), bit(29)
    rules = [
        (meas == 3, "MEAS_CAP 11b"),
        (fresh and not meas, "MEAS_FRESH_CAP without MEAS_CAP"),
    ]
    if v == 0x10:
        rules += [(meas != 2 and cert != chal, "CERT_CAP differs from CHAL_CAP"),
                  (meas == 2 and not cert, "signed MEAS_CAP without CERT_CAP")]
        return next((why for bad, why in rules if bad), None)
    session = key_ex or psk
    key = cert or pub
    rules += [
        (psk == 3, "PSK_CAP 11b"),
        (session and not (mac or encrypt), "session without MAC_CAP or ENCRYPT_CAP"),
        (not session and (mac or encrypt or hbeat or key_upd or clear or event),
         "session capability without KEY_EX_CAP or PSK_CAP"),
        (clear and not key_ex, "HANDSHAKE_IN_THE_CLEAR_CAP without KEY_EX_CAP"),
        (cert and pub, "CERT_CAP and PUB_KEY_ID_CAP"),
        (key and not (chal or key_ex or meas == 2 or ep_info == 2), "a key nothing signs with"),
        (not key and (chal or key_ex or mut or meas == 2 or ep_info == 2),
         "signing without CERT_CAP or PUB_KEY_ID_CAP"),
        (mut and not (chal or key_ex), "MUT_AUTH_CAP without CHAL_CAP or KEY_EX_CAP"),
        (v == 0x11 and mut and not encap, "1.1 MUT_AUTH_CAP without ENCAP_CAP"),
        (not cert and (alias or set_cert), "ALIAS_CERT_CAP or SET_CERT_CAP without CERT_CAP"),
        (csr and not set_cert, "CSR_CAP without SET_CERT_CAP"),
        (reset and not (csr or set_cert), "CERT_INSTALL_RESET_CAP without CSR or SET_CERT"),
        (ep_info == 3, "EP_INFO_CAP 11b"),
        (multi == 3, "MULTI_KEY_CAP 11b"),
        (multi and not get_kpi, "MULTI_KEY_CAP without GET_KEY_PAIR_INFO_CAP"),
        (pub and (multi or get_kpi or set_kpi), "PUB_KEY_ID_CAP with multi-key"),
    ]
    return next((why for bad, why in rules if bad), None)


DMTF_OID = "1.3.6.1.4.1.412.274."
HW_IDENTITY_DER = bytes.fromhex("060a2b0601040183 1c821202".replace(" ", ""))


def der_items(data):
    """The (tag, contents) of the DER TLVs laid end to end in @data."""
    out, off = [], 0
    while off < len(data):
        tag, n = data[off], data[off + 1]
        off += 2
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(data[off:off + k], "big")
            off += k
        out.append((tag, data[off:off + n]))
        off += n
    return out


def model_rule_broken(leaf, model):
    """The certificate-model rule (DSP0274 1.3.0 §10.7.1) @leaf breaks under @model, or None."""
    try:
        eku = {o.dotted_string for o in
               leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value}
    except x509.ExtensionNotFound:
        eku = set()
    if DMTF_OID + "4" in eku and DMTF_OID + "3" not in eku:
        return "EKU names only the requester"
    try:
        ext = leaf.extensions.get_extension_for_oid(
            x509.ObjectIdentifier(DMTF_OID + "6")).value.value
        ids = [der_items(item)[0][1] for _, item in der_items(der_items(ext)[0][1])]
    except x509.ExtensionNotFound:
        ids = []
    if model != "device" and HW_IDENTITY_DER[2:] in ids:
        return f"{model}-model leaf with the hardware-identity OID"
    return None


class Resynch(Exception):
    """ERROR RequestResynch: start again at GET_VERSION."""


class SpdmError(Exception):
    def __init__(self, errno_name, why):
        super().__init__(f"{errno_name}: {why}")
        self.errno = errno_name


def bit_of(table, name):
    return next(b for b, v in table.items() if v[0] == name)


def issued_by(child, parent):
    """Whether @parent's key signed @child (python3-cryptography 38 has no helper)."""
    if child.issuer != parent.subject:
        return False
    key = parent.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(child.signature, child.tbs_certificate_bytes,
                       ec.ECDSA(child.signature_hash_algorithm))
        else:
            key.verify(child.signature, child.tbs_certificate_bytes, padding.PKCS1v15(),
                       child.signature_hash_algorithm)
    except (InvalidSignature, TypeError, ValueError):
        return False
    return True


class Transport:
    def __init__(self, port, transport="doe", timeout=1.0):
        self.kind = TRANSPORTS[transport]
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)

    def _recv(self, n):
        data = b""
        while len(data) < n:
            try:
                chunk = self.sock.recv(n - len(data))
            except socket.timeout:
                raise SpdmError("ETIMEDOUT", "no response")
            except ConnectionResetError:
                raise SpdmError("ECONNRESET", "connection reset")
            if not chunk:
                raise SpdmError("ECONNRESET", "connection closed")
            data += chunk
        return data

    def command(self, cmd, payload=b""):
        self.sock.sendall(struct.pack(">III", cmd, self.kind, len(payload)) + payload)
        rcmd, _, size = struct.unpack(">III", self._recv(12))
        if size > MAX_MSG + 8:
            self._recv(size)
            raise SpdmError("EMSGSIZE", f"{size}-byte response")
        return rcmd, self._recv(size)

    def exchange(self, req):
        if self.kind == 2:
            total = (8 + len(req) + 3) & ~3
            payload = struct.pack("<HBBI", 1, 1, 0, total // 4) + req + bytes(total - 8 - len(req))
        elif self.kind == 1:
            payload = b"\x05" + req
        else:
            payload = req
        _, rsp = self.command(CMD_NORMAL, payload)
        if self.kind == 2:
            if len(rsp) < 8:
                raise SpdmError("EIO", "short DOE object")
            vendor, otype, _, dw = struct.unpack("<HBBI", rsp[:8])
            if vendor != 1 or otype != 1 or dw * 4 != len(rsp):
                raise SpdmError("EPROTO", "bad DOE header")
            return rsp[8:]
        if self.kind == 1:
            if not rsp or rsp[0] != 5:
                raise SpdmError("EPROTO", "bad MCTP type")
            return rsp[1:]
        return rsp

    def close(self):
        self.sock.close()


class Requester:
    VERSIONS = (0x10, 0x11, 0x12, 0x13)

    def __init__(self, transport, versions=VERSIONS, asym=tuple(ASYM), hashes_=tuple(HASH),
                 min_version=0x10):
        self.t = transport
        self.versions = versions
        self.asym_offer = sum(1 << b for b in asym)
        self.hash_offer = sum(1 << b for b in hashes_)
        self.min_version = min_version
        self.version = 0x10
        self.log = []   # (request code, response code)

    # One exchange with the ERROR handling of the taxonomy.
    def xfer(self, req, expect, minlen=4):
        busy = 0
        while True:
            rsp = self.t.exchange(req)
            if len(rsp) < 4:
                raise SpdmError("EIO", "response shorter than a header")
            if rsp[0] != (0x10 if req[1] == 0x84 else self.version):
                raise SpdmError("EPROTO", f"version byte 0x{rsp[0]:02x}")
            if rsp[1] == 0x7F:
                code = rsp[2]
                if code == 0x03 and busy < 3:
                    busy += 1
                    continue
                if code == 0x03:
                    raise SpdmError("EBUSY", "busy")
                if code == 0x42:
                    rsp = self.not_ready(req, rsp)
                elif code == 0x43:
                    raise Resynch()
                else:
                    raise SpdmError(ERROR_ERRNO.get(code, "EPROTO"), f"ERROR 0x{code:02x}")
            if rsp[1] != expect:
                raise SpdmError("EPROTO", f"response code 0x{rsp[1]:02x}")
            if len(rsp) < minlen:
                raise SpdmError("EIO", f"{len(rsp)}-byte response")
            self.log.append((req[1], rsp[1]))
            return rsp

    def not_ready(self, req, rsp):
        for _ in range(3):
            if len(rsp) < 8:
                raise SpdmError("EIO", "short ResponseNotReady")
            exponent, code, token = rsp[4], rsp[5], rsp[6]
            if exponent > 20 or code != req[1]:
                raise SpdmError("ETIMEDOUT", f"not ready for 2^{exponent} us")
            time.sleep((1 << exponent) / 1e6)
            rsp = self.t.exchange(bytes([self.version, 0xFF, code, token]))
            if len(rsp) < 4:
                raise SpdmError("EIO", "short response")
            if rsp[1] != 0x7F or rsp[2] != 0x42:
                return rsp
        raise SpdmError("ETIMEDOUT", "never ready")

    def authenticate(self, measurements=True):
        try:
            return self._authenticate(measurements)
        except Resynch:
            pass
        try:
            return self._authenticate(measurements)
        except Resynch:
            raise SpdmError("EAGAIN", "RequestResynch again after a restart")

    def _authenticate(self, measurements):
        v = self.version = 0x10
        req = bytes([0x10, 0x84, 0, 0])
        rsp = self.xfer(req, 0x04, 6)
        count = rsp[5]
        if count == 0:
            raise SpdmError("EPROTO", "no version entries")
        if 6 + 2 * count > len(rsp):
            raise SpdmError("EIO", "version entries past the end")
        offered = {struct.unpack_from("<H", rsp, 6 + 2 * i)[0] >> 8 for i in range(count)}
        common = [x for x in self.versions if x in offered and x >= self.min_version]
        if not common:
            raise SpdmError("EPROTONOSUPPORT", "no common version")
        vca = req + rsp[:6 + 2 * count]
        v = self.version = max(common)

        if v == 0x10:
            req = bytes([v, 0xE1, 0, 0])
        else:
            req = bytes([v, 0xE1, 0, 0, 0, 12, 0, 0]) + struct.pack("<I", 0x6)
            if v >= 0x12:
                req += struct.pack("<II", MAX_MSG, MAX_MSG)
        rsp = self.xfer(req, 0x61, 20 if v >= 0x12 else 12)
        caps = struct.unpack_from("<I", rsp, 8)[0] & CAPS_DEFINED[v]
        broken = forbidden_caps(v, caps)
        if broken:
            raise SpdmError("EPROTO", f"CAPABILITIES {caps:#x}: {broken}")
        if caps & 0x6 != 0x6:
            raise SpdmError("EPROTONOSUPPORT", "responder cannot be challenged")
        if v >= 0x12:
            dts, mx = struct.unpack_from("<II", rsp, 12)
            if dts < 42 or mx < dts:
                raise SpdmError("EPROTO", f"DataTransferSize {dts}, MaxSPDMmsgSize {mx}")
        vca += req + rsp[:20 if v >= 0x12 else 12]

        req = bytearray(32)
        req[0:4] = bytes([v, 0xE3, 0, 0])
        struct.pack_into("<HBBII", req, 4, 32, 1, 0x2 if v >= 0x12 else 0,
                         self.asym_offer, self.hash_offer)
        req = bytes(req)
        try:
            rsp = self.xfer(req, 0x63, 36)
        except SpdmError as e:
            # InvalidRequest to a well-formed offer: nothing in common
            if e.errno == "EINVAL":
                raise SpdmError("EPROTONOSUPPORT", "offer refused") from e
            raise
        length, _, _, meas_hash, asym, hsel = struct.unpack_from("<HBBIII", rsp, 4)
        if length > len(rsp):
            raise SpdmError("EIO", "ALGORITHMS length past the end")
        if caps & 0x18 and (meas_hash & (meas_hash - 1) or not meas_hash):
            raise SpdmError("EPROTO", f"MeasurementHashAlgo {meas_hash:#x}")
        if v >= 0x13 and rsp[31]:
            raise SpdmError("EPROTO", "MELspecificationSel never offered")
        for sel, offer in ((asym, self.asym_offer), (hsel, self.hash_offer)):
            if sel & (sel - 1):
                raise SpdmError("EPROTO", "several algorithms selected")
            if sel & ~offer:
                raise SpdmError("EPROTO", "algorithm never offered")
            if not sel:
                raise SpdmError("EPROTONOSUPPORT", "no common algorithm")
        vca += req + rsp[:length]
        self.asym = ASYM[asym.bit_length() - 1]
        hname, hlen, self.hcls = HASH[hsel.bit_length() - 1]
        self.hlen = hlen
        H = lambda d: hashlib.new(hname, d).digest()

        b = b""
        req = bytes([v, 0x81, 0, 0])
        rsp = self.xfer(req, 0x01)
        mask = rsp[3]
        if not mask:
            raise SpdmError("ENOKEY", "no provisioned slot")
        need = 4 + bin(mask).count("1") * hlen
        if len(rsp) < need:
            raise SpdmError("EIO", "digests past the end")
        if len(rsp) - need >= 4:
            raise SpdmError("EPROTO", "slot mask inconsistent with length")
        digests = {}
        for i, slot in enumerate(s for s in range(8) if mask & 1 << s):
            digests[slot] = rsp[4 + i * hlen:4 + (i + 1) * hlen]
        b += req + rsp[:need]

        self.chains = {}
        for slot in digests:
            chain, offset, prev = b"", 0, None
            while True:
                req = bytes([v, 0x82, slot, 0]) + struct.pack("<HH", offset, 0x400)
                rsp = self.xfer(req, 0x02, 8)
                portion, remainder = struct.unpack_from("<HH", rsp, 4)
                if rsp[2] & 0xF != slot:
                    raise SpdmError("EPROTO", "slot mismatch")
                if portion == 0:
                    raise SpdmError("EPROTO", "portion 0")
                if 8 + portion > len(rsp):
                    raise SpdmError("EIO", "portion past the end")
                if prev is not None and portion + remainder != prev:
                    raise SpdmError("EPROTO", "portion + remainder inconsistent")
                chain += rsp[8:8 + portion]
                b += req + rsp[:8 + portion]
                offset += portion
                prev = remainder
                if not remainder:
                    break
            if len(chain) < 4 + hlen or struct.unpack_from("<H", chain)[0] != len(chain):
                raise SpdmError("EPROTO", "chain length differs from its header")
            certs, off = [], 4 + hlen
            while off < len(chain):
                if chain[off] != 0x30 or off + 2 > len(chain):
                    raise SpdmError("EBADMSG", "not a certificate")
                n = chain[off + 1]
                hdr = 2
                if n & 0x80:
                    k = n & 0x7F
                    n = int.from_bytes(chain[off + 2:off + 2 + k], "big")
                    hdr = 2 + k
                der = chain[off:off + hdr + n]
                try:
                    certs.append(x509.load_der_x509_certificate(der))
                except ValueError:
                    raise SpdmError("EBADMSG", f"malformed certificate at {off}")
                off += hdr + n
            if H(chain) != digests[slot]:
                raise SpdmError("EKEYREJECTED", "DIGESTS mismatch")
            if H(certs[0].public_bytes(Encoding.DER)) != chain[4:4 + hlen]:
                raise SpdmError("EKEYREJECTED", "RootHash mismatch")
            for parent, child in zip(certs, certs[1:]):
                if not issued_by(child, parent):
                    raise SpdmError("EKEYREJECTED", "certificate not signed by predecessor")
            model = "alias" if v >= 0x12 and caps & 1 << 18 else "device"
            broken = model_rule_broken(certs[-1], model)
            if broken:
                raise SpdmError("EKEYREJECTED", broken)
            self.chains[slot] = (chain, certs[-1].public_key())

        slot = min(self.chains)
        chain, pub = self.chains[slot]
        nonce = os.urandom(32)
        req = bytes([v, 0x83, slot, 0xFF]) + nonce + (os.urandom(8) if v >= 0x13 else b"")
        rsp = self.xfer(req, 0x03, 4 + hlen + 32 + hlen + 2)
        off = 4 + hlen + 32 + hlen
        opaque = struct.unpack_from("<H", rsp, off)[0]
        off += 2 + opaque + (8 if v >= 0x13 else 0)
        if off + self.asym[1] > len(rsp):
            raise SpdmError("EIO", "CHALLENGE_AUTH fields past the end")
        if v >= 0x13 and rsp[off - 8:off] != req[36:44]:
            raise SpdmError("EPROTO", "RequesterContext differs")
        if rsp[2] & 0xF != slot:
            raise SpdmError("EPROTO", "CHALLENGE_AUTH slot mismatch")
        if rsp[4:4 + hlen] != H(chain):
            raise SpdmError("EKEYREJECTED", "CertChainHash mismatch")
        self.verify(pub, vca + b + req + rsp[:off], rsp[off:off + self.asym[1]],
                    "responder-challenge_auth signing")

        if measurements and caps & 0x10:
            req = bytes([v, 0xE0, 1, 0xFF]) + os.urandom(32)
            if v >= 0x11:
                req += bytes([slot])
            if v >= 0x13:
                req += os.urandom(8)
            rsp = self.xfer(req, 0x60, 8)
            nblocks = rsp[4]
            rec = int.from_bytes(rsp[5:8], "little")
            off = 8 + rec + 32
            if off + 2 > len(rsp):
                raise SpdmError("EIO", "measurement record past the end")
            if rsp[3] & 0xF != slot:
                raise SpdmError("EPROTO", "MEASUREMENTS slot mismatch")
            pos, count = 8, 0
            while pos < 8 + rec:
                if pos + 4 > 8 + rec:
                    raise SpdmError("EIO", "measurement block header truncated")
                size = struct.unpack_from("<H", rsp, pos + 2)[0]
                if pos + 4 + size > 8 + rec:
                    raise SpdmError("EIO", "measurement block past the record")
                if rsp[pos] in (0, 0xFF) or rsp[pos + 1] != 1 or size < 3 or \
                        struct.unpack_from("<H", rsp, pos + 5)[0] != size - 3:
                    raise SpdmError("EPROTO", "measurement block not in DMTF format")
                pos += 4 + size
                count += 1
            if count != nblocks:
                raise SpdmError("EPROTO", f"{nblocks} blocks announced, {count} present")
            opaque = struct.unpack_from("<H", rsp, off)[0]
            off += 2 + opaque + (8 if v >= 0x13 else 0)
            if off + self.asym[1] > len(rsp):
                raise SpdmError("EIO", "MEASUREMENTS fields past the end")
            if v >= 0x13 and rsp[off - 8:off] != req[-8:]:
                raise SpdmError("EPROTO", "RequesterContext differs")
            self.verify(pub, (vca if v >= 0x12 else b"") + req + rsp[:off],
                        rsp[off:off + self.asym[1]], "responder-measurements signing")
            self.nblocks = nblocks
        return {"version": v, "asym": self.asym[0], "hash": hname, "slots": mask,
                "chains": {s: len(c[0]) for s, c in self.chains.items()}}

    def verify(self, pub, transcript, sig, context):
        v = self.version
        if v >= 0x12:
            prefix = f"dmtf-spdm-v1.{v & 0xF}.*".encode() * 4
            msg = prefix + bytes(36 - len(context)) + context.encode() + \
                hashlib.new(self.hcls.name, transcript).digest()
        else:
            msg = transcript
        try:
            if isinstance(pub, ec.EllipticCurvePublicKey):
                half = len(sig) // 2
                der = encode_dss_signature(int.from_bytes(sig[:half], "big"),
                                           int.from_bytes(sig[half:], "big"))
                pub.verify(der, msg, ec.ECDSA(self.hcls()))
            elif self.asym[2]:
                pub.verify(sig, msg, padding.PSS(padding.MGF1(self.hcls()),
                                                 self.hcls.digest_size), self.hcls())
            else:
                pub.verify(sig, msg, padding.PKCS1v15(), self.hcls())
        except InvalidSignature:
            raise SpdmError("EKEYREJECTED", f"{context}: bad signature")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--transport", default="doe", choices=TRANSPORTS)
    ap.add_argument("--version", help="offer only this version, e.g. 1.2")
    ap.add_argument("--asym", help="offer only this signature algorithm, e.g. ecp384")
    ap.add_argument("--hash", help="offer only this hash, e.g. sha512")
    ap.add_argument("--timeout", type=float, default=1.0)
    a = ap.parse_args()
    kw = {}
    if a.version:
        kw["versions"] = (0x10 | int(a.version.split(".")[1]),)
    if a.asym:
        kw["asym"] = (bit_of(ASYM, a.asym),)
    if a.hash:
        kw["hashes_"] = (bit_of(HASH, a.hash),)
    t = Transport(a.port, a.transport, a.timeout)
    try:
        print(Requester(t, **kw).authenticate())
    except SpdmError as e:
        print(f"result: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
