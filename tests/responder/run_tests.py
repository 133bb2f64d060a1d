#!/usr/bin/env python3
"""The responder's tests, as TAP.

usage: run_tests.py TAPFILE      (BUILD in the environment: the build directory;
                                  ONLY=TEXT runs the tests whose name contains TEXT)

Three groups:
  self   the socket protocol, the fault catalogue and the test PKI, checked
         directly;
  ref    spdm_client.py, an independent strict requester, authenticates for
         every version x algorithm x hash and sees every fault as the errno
         the catalogue promises;
  auth   the project's requester CLI ($BUILD/lib/spdm-auth) does the same
         (skipped while it is not built).
"""
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import spdm_client as sc  # noqa: E402

BUILD = os.environ.get("BUILD", os.path.join(HERE, "..", "..", "build"))
RESPONDER = os.path.join(BUILD, "responder", "spdm-responder")
PKI = os.path.join(BUILD, "pki")
SPDM_AUTH = os.path.join(BUILD, "lib", "spdm-auth")
ALGS = ["ecp256", "ecp384", "ecp521", "rsa2048", "rsa3072", "rsa4096",
        "rsapss2048", "rsapss3072", "rsapss4096"]
PKI_ALGS = ALGS[:6]
HASHES = ["sha256", "sha384", "sha512"]
VERSIONS = ["1.0", "1.1", "1.2", "1.3"]
# The taxonomy of the project's requester (lib/README.md), as Linux numbers.
ERRNO = {"ECONNRESET": 104, "EPIPE": 32, "ETIMEDOUT": 110, "EBUSY": 16, "EIO": 5,
         "EMSGSIZE": 90, "EPROTO": 71, "EOPNOTSUPP": 95, "EPROTONOSUPPORT": 93,
         "ENOKEY": 126, "EBADMSG": 74, "EKEYREJECTED": 129,
         # the other ERROR codes, as the requester documents them (kernel/spdm/core.c)
         "EINVAL": 22, "EBADE": 52, "EREMOTEIO": 121, "EALREADY": 114, "EACCES": 13,
         "ENOTRECOVERABLE": 131, "E2BIG": 7, "ENOMSG": 42, "EAGAIN": 11, "ECANCELED": 125}


class Skip(Exception):
    pass


class Responder:
    """spdm-responder on a free port, stopped when the block ends."""

    def __init__(self, *args):
        self.args = [RESPONDER, "--port", "0", "--pki", PKI, *args]

    def __enter__(self):
        # A file, not a pipe: a chatty (-v) responder must never block on a full pipe.
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=self.log,
                                     text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("port "):
            self.proc.wait()
            raise RuntimeError(f"responder did not start: {self.stderr().strip()}")
        self.port = int(line.split()[1])
        return self

    def stderr(self):
        self.log.seek(0)
        return self.log.read()

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait()
        self.log.close()


def catalogue():
    out = subprocess.run([RESPONDER, "--list-faults"], capture_output=True, text=True,
                         check=True).stdout
    return [(l.split()[0], l.split()[1].lstrip("-")) for l in out.splitlines() if l.strip()]


# Only faults that should time out get a short timeout; a loaded host must not fail the rest.
SHORT_TIMEOUT_MS = 300
LONG_TIMEOUT_MS = 10000


# Faults legal in themselves whose catalogued errno needs the requester's
# deadline on the whole authentication: spdm-auth gets this --deadline-ms
# (1-byte portions of the 1.4 KB chain take 60-90 ms here, 3 times that and more),
# and is also run without it, when it must succeed, as must the reference
# requester, which has no deadline.
DEADLINE_FAULTS = {"cert-portion-1": 20}


def ref_auth(port, transport="doe", timeout=LONG_TIMEOUT_MS / 1000, **kw):
    """Authenticate with the reference requester: 0 or the errno name."""
    t = sc.Transport(port, transport, timeout)
    try:
        sc.Requester(t, **kw).authenticate()
        return "0"
    except sc.SpdmError as e:
        return e.errno
    finally:
        t.close()


def spdm_auth(port, *extra, timeout_ms=10000):
    """Run spdm-auth: "0" on success, else the errno name from its result line."""
    if not os.access(SPDM_AUTH, os.X_OK):
        raise Skip("spdm-auth not built")
    p = subprocess.run([SPDM_AUTH, "--port", str(port), "--timeout-ms", str(timeout_ms),
                        *extra], capture_output=True, text=True, timeout=60)
    if p.returncode == 0:
        return "0", p.stdout
    lines = p.stdout.strip().splitlines()   # the contract: stdout's last line
    m = re.match(r"result: -(\d+) \((\w+)\)", lines[-1] if lines else "")
    if p.returncode != 1 or not m:
        return f"exit {p.returncode}", p.stdout + p.stderr
    return m.group(2), p.stdout + p.stderr


def expect(got, want, diag=""):
    return got == want, f"got {got}, expected {want}" + (f"\n{diag}" if diag else "")


# ---------------------------------------------------------------- self checks

def raw_connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    return s


def raw_cmd(s, cmd, transport, payload):
    s.sendall(struct.pack(">III", cmd, transport, len(payload)) + payload)
    return raw_recv(s)


def raw_recv(s):
    hdr = b""
    while len(hdr) < 12:
        chunk = s.recv(12 - len(hdr))
        if not chunk:
            raise EOFError
        hdr += chunk
    rcmd, rtrans, size = struct.unpack(">III", hdr)
    data = b""
    while len(data) < size:
        data += s.recv(size - len(data))
    return rcmd, rtrans, data


def t_doe_get_version():
    with Responder("--versions", "1.1,1.2") as r:
        s = raw_connect(r.port)
        req = struct.pack("<HBBI", 1, 1, 0, 3) + bytes([0x10, 0x84, 0, 0])
        cmd, trans, rsp = raw_cmd(s, 1, 2, req)
        s.close()
    vendor, otype, _, dw = struct.unpack_from("<HBBI", rsp)
    spdm = rsp[8:]
    ok = (cmd == 1 and trans == 2 and vendor == 1 and otype == 1 and dw * 4 == len(rsp)
          and spdm[:6] == bytes([0x10, 0x04, 0, 0, 0, 2])
          and spdm[6:10] == bytes([0x00, 0x11, 0x00, 0x12]) and not any(spdm[10:]))
    return ok, f"response {rsp.hex()}"


def doe_discovery(s, index, dwords=3):
    req = struct.pack("<HBBI", 1, 0, 0, dwords) + bytes([index, 0, 0, 0])
    return raw_cmd(s, 1, 2, req)


def t_doe_discovery():
    """DOE Discovery walked from index 0 as a DOE requester does: types 0, 1, 2 of
    vendor 0x0001 (what QEMU's NVMe lists), then next index 0; an index past the
    last gives 0xffff/0xff; SPDM still works on the same connection afterwards."""
    walk, bad = [], []
    with Responder() as r:
        s = raw_connect(r.port)
        index = 0
        for _ in range(8):
            cmd, trans, rsp = doe_discovery(s, index)
            vendor, otype, _, dw = struct.unpack_from("<HBBI", rsp)
            if cmd != 1 or trans != 2 or vendor != 1 or otype != 0 or dw != 3 or len(rsp) != 12:
                bad.append(rsp.hex())
                break
            pvendor, ptype, index = struct.unpack_from("<HBB", rsp, 8)
            walk.append((pvendor, ptype))
            if index == 0:
                break
        _, _, past = doe_discovery(s, 9)
        _, _, short = raw_cmd(s, 1, 2, struct.pack("<HBBI", 1, 0, 0, 2))
        _, _, spdm = raw_cmd(s, 1, 2, struct.pack("<HBBI", 1, 1, 0, 3) + bytes([0x10, 0x84, 0, 0]))
        s.close()
    ok = (walk == [(1, 0), (1, 1), (1, 2)] and not bad
          and past == struct.pack("<HBBIHBB", 1, 0, 0, 3, 0xFFFF, 0xFF, 0)
          and short == b"" and spdm[8 + 1] == 0x04)
    return ok, f"walk {walk} bad {bad} past {past.hex()} short {short.hex()} spdm {spdm.hex()}"


def t_mctp_get_version():
    with Responder("--versions", "1.0") as r:
        s = raw_connect(r.port)
        cmd, trans, rsp = raw_cmd(s, 1, 1, bytes([5, 0x10, 0x84, 0, 0]))
        s.close()
    return (trans == 1 and rsp == bytes([5, 0x10, 0x04, 0, 0, 0, 1, 0x00, 0x10]),
            f"response {rsp.hex()}")


def t_socket_test_command():
    with Responder() as r:
        s = raw_connect(r.port)
        cmd, _, data = raw_cmd(s, 0xDEAD, 2, b"Client Hello!\0")
        s.close()
    return cmd == 0xDEAD and data == b"Server Hello!\0", f"{cmd:#x} {data!r}"


def t_socket_unknown_command():
    with Responder() as r:
        s = raw_connect(r.port)
        cmd, _, data = raw_cmd(s, 0x1234, 2, b"")
        # the connection stays usable
        cmd2, _, rsp = raw_cmd(s, 1, 0, bytes([0x10, 0x84, 0, 0]))
        s.close()
    return cmd == 0xFFFF and not data and cmd2 == 1 and rsp[1] == 0x04, f"{cmd:#x} {cmd2:#x}"


def t_socket_shutdown():
    with Responder() as r:
        s = raw_connect(r.port)
        cmd, _, _ = raw_cmd(s, 0xFFFE, 2, b"")
        closed = s.recv(1) == b""
        s.close()
        after = ref_auth(r.port)
    return cmd == 0xFFFE and closed and after == "0", f"{cmd:#x} closed={closed} then {after}"


def t_many_connections():
    """One connection per device, peers that vanish mid-message, the rest unaffected."""
    with Responder() as r:
        idle = [raw_connect(r.port) for _ in range(4)]
        rude = raw_connect(r.port)
        rude.sendall(struct.pack(">III", 1, 2, 100) + b"\0" * 10)
        rude.close()
        results = [ref_auth(r.port) for _ in range(3)]
        cmd, _, rsp = raw_cmd(idle[0], 1, 0, bytes([0x10, 0x84, 0, 0]))
        for s in idle:
            s.close()
        results.append(ref_auth(r.port))
    return results == ["0"] * 4 and rsp[1] == 0x04, f"{results}"


def t_malformed_requests():
    """Hostile requests at every state: each one answered, the connection never dropped."""
    import random
    rnd = random.Random(4)
    codes = [0x84, 0xE1, 0xE3, 0x81, 0x82, 0x83, 0xE0, 0xFF, 0x00, 0xFE]
    prefixes = [b"", bytes([0x10, 0x84, 0, 0]),
                bytes([0x10, 0x84, 0, 0]) + bytes([0x12, 0xE1, 0, 0]) + bytes(16)]
    unanswered = []
    with Responder() as r:
        for i in range(60):
            s = raw_connect(r.port)
            for p in prefixes[:rnd.randrange(3) + 1]:
                if p:
                    raw_cmd(s, 1, 0, p)
            for _ in range(5):
                req = bytes([rnd.choice([0x10, 0x11, 0x12, 0x13, 0x99]), rnd.choice(codes)]) + \
                    bytes(rnd.randrange(256) for _ in range(rnd.randrange(60)))
                req = req[:rnd.randrange(len(req) + 1)]
                try:
                    cmd, _, rsp = raw_cmd(s, 1, 0, req)
                    if cmd != 1 or len(rsp) < 4:
                        unanswered.append(req.hex())
                except (EOFError, OSError):
                    unanswered.append(req.hex())
                    break
            s.close()
        after = ref_auth(r.port)
    return not unanswered and after == "0", f"unanswered: {unanswered[:5]}; then {after}"


def split_write_rtt(port, split):
    """Median GET_VERSION round trip, header and payload in one or two writes (no NODELAY)."""
    import statistics
    s = raw_connect(port)
    req = bytes([0x10, 0x84, 0, 0])
    hdr = struct.pack(">III", 1, 0, len(req))
    times = []
    for _ in range(30):
        t0 = time.perf_counter()
        if split:
            s.send(hdr)
            s.send(req)
        else:
            s.send(hdr + req)
        raw_recv(s)
        times.append(time.perf_counter() - t0)
    s.close()
    return statistics.median(times[10:])


def t_quickack():
    """QEMU writes header and payload apart without TCP_NODELAY; without an immediate ACK
    each exchange waits ~40 ms for delayed ACK. Ratio against one-write exchanges."""
    with Responder() as r:
        single = split_write_rtt(r.port, False)
        split = split_write_rtt(r.port, True)
    return split < 10 * single + 0.002, f"split {split * 1e3:.2f} ms, single {single * 1e3:.2f} ms"


def t_catalogue():
    cat = catalogue()
    bad = [n for n, e in cat if e != "0" and e not in ERRNO]
    return len(cat) >= 25 and not bad, f"{len(cat)} faults, unknown errno in {bad}"


def openssl(*args):
    return subprocess.run(["openssl", *args], capture_output=True, text=True)


def t_pki(alg):
    d = os.path.join(PKI, alg)
    v = openssl("verify", "-CAfile", f"{d}/root.pem", "-untrusted", f"{d}/inter.pem",
                f"{d}/leaf.pem")
    text = openssl("x509", "-in", f"{d}/leaf.pem", "-noout", "-text").stdout
    want = ["X509v3 Basic Constraints: critical\n                CA:FALSE",
            "X509v3 Key Usage: critical\n                Digital Signature\n",
            "1.3.6.1.4.1.412.274.3",
            "othername: 2.23.147::Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"]
    missing = [w for w in want if w not in text]
    chain = open(f"{d}/chain.der", "rb").read()
    ders = b"".join(_der(f"{d}/{c}.pem") for c in ("root", "inter", "leaf"))
    return (v.returncode == 0 and not missing and chain == ders,
            f"verify: {v.stdout.strip()} {v.stderr.strip()}; missing {missing}; "
            f"chain.der matches: {chain == ders}")


def _der(pem):
    return subprocess.run(["openssl", "x509", "-in", pem, "-outform", "DER"],
                          capture_output=True, check=True).stdout


BAD = {  # variant: (openssl verify against the trust store succeeds?, text the leaf shows)
    "unknown-root": (False, "Unknown"),
    "expired": (False, "Not After : Jan  1 00:00:00 2021 GMT"),
    "not-yet-valid": (False, "Not Before: Jan  1 00:00:00 2090 GMT"),
    "wrong-identity": (True, "Vendor=8086:Device=0953"),
    "leaf-ca": (True, "CA:TRUE"),
    "no-digitalsignature": (True, "Key Encipherment"),
    "out-of-order": (True, "CA:FALSE"),
    "self-signed": (False, "CA:FALSE"),
    "issued-by-leaf": (False, "CA:FALSE"),
    "hw-identity": (True, "1.3.6.1.4.1.412.274.6"),
    "requester-eku": (True, "Extended Key Usage: \n                1.3.6.1.4.1.412.274.4\n"),
}


def t_pki_bad(variant):
    d = os.path.join(PKI, "bad", variant)
    ok_expected, shows = BAD[variant]
    args = ["verify", "-CApath", os.path.join(PKI, "trust")]
    if os.path.exists(f"{d}/inter.pem"):
        args += ["-untrusted", f"{d}/inter.pem"]
    v = openssl(*args, f"{d}/leaf.pem")
    text = openssl("x509", "-in", f"{d}/leaf.pem", "-noout", "-text").stdout
    ok = (v.returncode == 0) == ok_expected and shows in text
    if variant == "out-of-order":
        ok = ok and open(f"{d}/chain.der", "rb").read() == b"".join(
            _der(f"{d}/{c}.pem") for c in ("root", "leaf", "inter"))
    return ok, f"verify rc={v.returncode} {v.stderr.strip()[:200]}; shows {shows!r}: {shows in text}"


# ---------------------------------------------------------------- reference requester

def t_ref_matrix(alg):
    failures = []
    with Responder("--asym", alg) as r:
        for v in VERSIONS:
            for h in HASHES:
                got = ref_auth(r.port, versions=(0x10 | int(v[2]),),
                               asym=(sc.bit_of(sc.ASYM, alg),), hashes_=(sc.bit_of(sc.HASH, h),))
                if got != "0":
                    failures.append(f"{v}/{h}: {got}")
    return not failures, "; ".join(failures)


def t_ref_fault(name, want):
    timeout = (SHORT_TIMEOUT_MS if want == "ETIMEDOUT" else LONG_TIMEOUT_MS) / 1000
    with Responder("--fault", name) as r:
        got = ref_auth(r.port, timeout=timeout)
    return expect(got, want)


def t_ref_chunked_mctp():
    with Responder("--asym", "rsa4096", "--transfer-size", "64", "--cert-portion", "100") as r:
        return expect(ref_auth(r.port, transport="mctp"), "0")


def t_ref_slots():
    with Responder("--slot", "0:ecp256", "--slot", "3:" + os.path.join(PKI, "bad", "expired"),
                   "--slot", "7:" + os.path.join(PKI, "bad", "wrong-identity")) as r:
        t = sc.Transport(r.port, "doe", 1.0)
        res = sc.Requester(t).authenticate()
        t.close()
    return res["slots"] == 0x89 and sorted(res["chains"]) == [0, 3, 7], f"{res}"


def t_ref_out_of_order():
    with Responder("--slot", "0:" + os.path.join(PKI, "bad", "out-of-order")) as r:
        return expect(ref_auth(r.port), "EKEYREJECTED")


# Certificate models (DSP0274 1.3.0 §10.7.1): legal cases; the violations are faults.
MODEL_CASES = [
    ("AliasCert model (ALIAS_CERT_CAP) with a leaf of no hardware identity authenticates",
     ["--caps", "cert,chal,meas-sig,alias"], "0"),
    ("DeviceCert model leaf with the hardware-identity OID authenticates",
     ["--slot", "0:" + os.path.join(PKI, "bad", "hw-identity")], "0"),
    ("ALIAS_CERT_CAP is reserved in 1.1: hardware-identity leaf authenticates",
     ["--versions", "1.1", "--caps", "cert,chal,meas-sig,alias",
      "--slot", "0:" + os.path.join(PKI, "bad", "hw-identity")], "0"),
]


# SPDM 1.3 multi-key (--multi-key): (args, spdm-auth result, text its output must hold)
MULTI_KEY_CASES = [
    ("multi-key-only responder authenticates, key pair 1 of slot 0",
     ["--multi-key", "only"], "0", "multi_key: key pair 1 of 1, usage 0x0006"),
    ("negotiable multi-key responder authenticates in a multi-key connection",
     ["--multi-key", "neg"], "0", "multi_key: key pair 1 of 1"),
    ("challenge and measurements signed by the slots whose key usage allows it",
     ["--multi-key", "only", "--slot", "0:ecp256", "--slot", "1:ecp256",
      "--key-usage", "0:4", "--key-usage", "1:2"], "0",
     "slot: 1\ncert_model: device\nmulti_key: key pair 2 of 2, usage 0x0002, measurements slot 0"),
    ("no slot whose key may sign challenges gives -ENOKEY",
     ["--multi-key", "only", "--key-usage", "0:4"], "ENOKEY", ""),
    ("AliasCert model named by DIGESTS CertificateInfo",
     ["--multi-key", "only", "--cert-model", "0:alias"], "0", "cert_model: alias"),
    ("GenericCert-model leaf with the hardware-identity OID gives -EKEYREJECTED",
     ["--multi-key", "only", "--cert-model", "0:generic",
      "--slot", "0:" + os.path.join(PKI, "bad", "hw-identity")], "EKEYREJECTED", ""),
    ("multi-key only at 1.2: MULTI_KEY_CAP is reserved, plain connection",
     ["--multi-key", "only", "--versions", "1.2"], "0", "slot: 0\ncert_model: device\nchain"),
]


def t_multi_key(args, want, shows):
    with Responder(*args) as r:
        got, out = spdm_auth(r.port)
    ok, diag = expect(got, want, out)
    return ok and shows in out, diag + ("" if shows in out else f"\nmissing {shows!r}:\n{out}")


def t_ref_multi_key_only():
    """The reference requester never asks for MULTI_KEY_CONN: a multi-key-only
    responder refuses it (ERROR InvalidRequest to NEGOTIATE_ALGORITHMS, which
    it reports as nothing in common), a negotiable one does not."""
    with Responder("--multi-key", "only") as r:
        only = ref_auth(r.port)
    with Responder("--multi-key", "neg") as r:
        neg = ref_auth(r.port)
    return only == "EPROTONOSUPPORT" and neg == "0", f"only: {only}, neg: {neg}"


def t_model(who, args, want):
    if who == "auth":
        return t_auth(args, want)
    with Responder(*args) as r:
        return expect(ref_auth(r.port), want)


# ---------------------------------------------------------------- spdm-auth

def deadline_args(fault):
    return ["--deadline-ms", str(DEADLINE_FAULTS[fault])] if fault in DEADLINE_FAULTS else []


def t_auth(args, want, *extra):
    timeout_ms = SHORT_TIMEOUT_MS if want == "ETIMEDOUT" else LONG_TIMEOUT_MS
    with Responder(*args) as r:
        got, out = spdm_auth(r.port, *extra, timeout_ms=timeout_ms)
    return expect(got, want, out if got != want else "")


def t_auth_matrix(v, alg):
    failures = []
    for h in HASHES:
        with Responder("--versions", v, "--asym", alg, "--hash", h) as r:
            got, out = spdm_auth(r.port)
            if got != "0":
                failures.append(f"{h}: {got}: {out.strip()[-300:]}")
    return not failures, "\n".join(failures)


# The generic faults aimed at other messages than their default one.
RETARGETED = [
    ("truncate:version,7", "EIO"), ("truncate:certificate,6", "EIO"),
    ("wrong-code:challenge", "EPROTO"), ("wrong-version:version", "EPROTO"),
    ("sig-corrupt:measurements", "EKEYREJECTED"), ("sig-other-key:measurements", "EKEYREJECTED"),
    ("opaque-overflow:measurements", "EIO"), ("busy:challenge", "EBUSY"),
    ("not-ready-once:certificate", "0"), ("hang:measurements", "ETIMEDOUT"),
    ("close:version", "ECONNRESET"), ("garbage:algorithms", "EPROTO"),
    ("context-mismatch:measurements", "EPROTO"), ("error-unexpected-request:challenge", "EBADE"),
    ("busy-once:version", "0"), ("not-ready-once:version", "0"),
    ("busy-once:measurements", "0"), ("error-unspecified:version", "EREMOTEIO"),
]


def build_tests():
    tests = [
        ("self: GET_VERSION over PCI DOE framing (header, dword length, padding)",
         t_doe_get_version),
        ("self: DOE Discovery lists types 0, 1, 2 (as QEMU's NVMe), then index 0",
         t_doe_discovery),
        ("self: GET_VERSION over MCTP framing", t_mctp_get_version),
        ("self: socket TEST command answers Server Hello", t_socket_test_command),
        ("self: unknown socket command answered UNKNOWN, connection kept",
         t_socket_unknown_command),
        ("self: socket SHUTDOWN acknowledged, connection closed, server lives",
         t_socket_shutdown),
        ("self: many connections, a peer vanishing mid-message hurts no one",
         t_many_connections),
        ("self: a request written in two parts (as QEMU does) is ACKed at once, no stall",
         t_quickack),
        ("self: 300 malformed requests on 60 connections all answered, then a clean authentication",
         t_malformed_requests),
        ("self: fault catalogue lists >= 25 faults, each with a taxonomy errno", t_catalogue),
    ]
    tests += [(f"self: pki {a} chain verifies, leaf has SPDM extensions and CMA identity",
               lambda a=a: t_pki(a)) for a in PKI_ALGS]
    tests += [(f"self: pki bad/{b} is broken as documented", lambda b=b: t_pki_bad(b))
              for b in BAD]
    tests += [(f"ref: authenticates with {a} for every version and hash",
               lambda a=a: t_ref_matrix(a)) for a in ALGS]
    tests += [("ref: chunked certificate over MCTP with transfer size 64", t_ref_chunked_mctp),
              ("ref: slots 0, 3 and 7 provisioned and fetched", t_ref_slots),
              ("ref: chain out of order is rejected (EKEYREJECTED)", t_ref_out_of_order)]
    tests += [(f"{who}: {what}", lambda who=who, args=args, want=want: t_model(who, args, want))
              for who in ("ref", "auth") for what, args, want in MODEL_CASES]
    tests += [("ref: multi-key-only responder refuses a requester not asking for it (EPROTONOSUPPORT)",
               t_ref_multi_key_only)]
    tests += [(f"auth: {what}", lambda a=args, w=want, s=shows: t_multi_key(a, w, s))
              for what, args, want, shows in MULTI_KEY_CASES]
    cat = catalogue()
    ref_cat = [(n, "0" if n in DEADLINE_FAULTS else e) for n, e in cat]
    tests += [(f"ref: fault {n} gives {'success' if e == '0' else e}",
               lambda n=n, e=e: t_ref_fault(n, e)) for n, e in ref_cat + RETARGETED]
    tests += [(f"auth: spdm-auth authenticates SPDM {v} with {a} (sha256, sha384, sha512)",
               lambda v=v, a=a: t_auth_matrix(v, a)) for v in VERSIONS for a in ALGS]
    tests += [(f"auth: fault {n} gives {'success' if e == '0' else '-' + e}"
               + (f" with --deadline-ms {DEADLINE_FAULTS[n]}" if n in DEADLINE_FAULTS else ""),
               lambda n=n, e=e: t_auth(["--fault", n], e, *deadline_args(n)))
              for n, e in cat + RETARGETED]
    tests += [(f"auth: fault {n} succeeds under the default deadline",
               lambda n=n: t_auth(["--fault", n], "0")) for n in DEADLINE_FAULTS]
    tests += [
        ("auth: MCTP transport", lambda: t_auth([], "0", "--transport", "mctp")),
        ("auth: chunked certificate (transfer size 64)",
         lambda: t_auth(["--asym", "rsa3072", "--transfer-size", "64", "--cert-portion", "100"],
                        "0")),
        ("auth: slots 0, 3 and 7 provisioned",
         lambda: t_auth(["--slot", "0:ecp256", "--slot", "3:" + os.path.join(PKI, "bad", "expired"),
                         "--slot", "7:" + os.path.join(PKI, "bad", "wrong-identity")], "0")),
        ("auth: responder without CHAL_CAP gives -EPROTONOSUPPORT",
         lambda: t_auth(["--caps", "cert,meas-sig"], "EPROTONOSUPPORT")),
        ("auth: responder without MEAS_CAP authenticates", lambda: t_auth(["--caps", "cert,chal"], "0")),
        ("auth: no common version above the minimum gives -EPROTONOSUPPORT",
         lambda: t_auth(["--versions", "1.0,1.1"], "EPROTONOSUPPORT", "--min-version", "1.2")),
    ]
    tests += [(f"auth: chain bad/{b} gives -EKEYREJECTED",
               lambda b=b: t_auth(["--slot", "0:" + os.path.join(PKI, "bad", b)], "EKEYREJECTED"))
              for b in ("out-of-order", "leaf-ca", "no-digitalsignature", "issued-by-leaf")]
    return tests


def main():
    tap_path = sys.argv[1]
    tests = build_tests()
    only = os.environ.get("ONLY")   # a substring of test names, to run a few
    if only:
        tests = [t for t in tests if only in t[0]]
    lines = [f"1..{len(tests)}"]
    failed = 0
    start = time.monotonic()
    print(lines[0], flush=True)
    for i, (name, fn) in enumerate(tests, 1):
        try:
            ok, diag = fn()
            line = f"{'ok' if ok else 'not ok'} {i} - {name}"
            if not ok:
                failed += 1
                line += "\n" + "\n".join("# " + d for d in diag.splitlines())
        except Skip as e:
            line = f"ok {i} - {name} # SKIP {e}"
        except Exception as e:  # a crash is a failure of that test, not of the run
            failed += 1
            line = f"not ok {i} - {name}\n# {type(e).__name__}: {e}"
        print(line, flush=True)
        lines.append(line)
    with open(tap_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"# responder: {len(tests) - failed}/{len(tests)} passed "
          f"in {time.monotonic() - start:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
