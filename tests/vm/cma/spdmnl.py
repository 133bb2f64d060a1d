#!/usr/bin/env python3
"""Minimal client of the "spdm" generic netlink family, for the VM tests.

It speaks raw netlink (no library of ours) and takes every number from the
uapi header, so it checks the kernel against the published ABI:

  spdmnl.py get DEV                      state of one device (name or key)
  spdmnl.py dump [--evidence] [--dev DEV] [--out DIR] [--between CMD]
                                         all devices (JSON); evidence blobs
                                         reassembled from their chunks and,
                                         with --out, written to DIR/<name>/;
                                         --between runs CMD after the first
                                         batch of messages (DUMP_INTR tests)
  spdmnl.py auth DEV [--nonce HEX]       queue an authentication
  spdmnl.py wait DEV GEN [--timeout S]   until generation GEN has finished
  spdmnl.py verdict DEV GEN allow|deny   send a verdict
  spdmnl.py monitor [--count N] [--timeout S]
                                         print notifications, one JSON a line

get and auth take --extra TYPE:HEX to append a raw attribute.
Errors print "error: <errno name>: <extack message>" and exit 1.
"""
import argparse
import errno
import json
import os
import re
import socket
import struct
import subprocess
import sys
import time

HDR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "../../../include/uapi/linux/spdm.h")

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLM_F_DUMP_INTR = 0x10
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLMSGERR_ATTR_MSG = 1
NETLINK_ADD_MEMBERSHIP, NETLINK_EXT_ACK, SOL_NETLINK = 1, 11, 270
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2


def load_uapi(path):
    """Every SPDM_* enumerator and define of the uapi header, by name."""
    text = open(path).read()
    c = {}
    for m in re.finditer(r"#define\s+(SPDM_\w+)\s+(\S+)", text):
        c[m.group(1)] = int(m.group(2)) if m.group(2).isdigit() else m.group(2).strip('"')
    for body in re.findall(r"enum\s*\w*\s*\{(.*?)\}", text, re.S):
        val = -1
        for ent in body.split(","):
            ent = ent.strip()
            m = re.match(r"(\w+)\s*(?:=\s*(.+))?$", ent)
            if not m or ent.startswith("__"):
                continue
            if m.group(2) is not None:
                if not m.group(2).strip().isdigit():
                    continue
                val = int(m.group(2))
            else:
                val += 1
            c[m.group(1)] = val
    return c


U = load_uapi(HDR)


def attr_names(prefix):
    return {v: k[len(prefix):].lower().replace("_", "-")
            for k, v in U.items() if k.startswith(prefix) and not k.endswith("_MAX")}


DEV_ATTRS = attr_names("SPDM_A_DEVICE_")
CHUNK_ATTRS = attr_names("SPDM_A_CHUNK_")
STATES = attr_names("SPDM_AUTH_STATE_")
KINDS = attr_names("SPDM_EVIDENCE_KIND_")
CMDS = attr_names("SPDM_CMD_")
U8 = {"revision", "version", "slot-mask", "slot"}
U16 = {"vendor-id", "device-id", "subsystem-vendor-id", "subsystem-id"}


# Small enough that a dump needs several messages (the kernel sizes dump
# buffers by the largest read seen), large enough for any one message.
RECV_SIZE = 8192


def errname(err):
    return "EOPNOTSUPP" if err == errno.EOPNOTSUPP else errno.errorcode.get(err, str(err))


class NlError(Exception):
    def __init__(self, err, msg):
        super().__init__(f"{errname(-err)}: {msg or os.strerror(-err)}")
        self.err = err


def nla(atype, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, atype) + payload + b"\0" * ((4 - n % 4) % 4)


def parse_attrs(data):
    out = []
    off = 0
    while off + 4 <= len(data):
        n, t = struct.unpack_from("HH", data, off)
        if n < 4:
            break
        out.append((t & 0x3fff, data[off + 4:off + n]))
        off += (n + 3) & ~3
    return out


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = int(time.time()) & 0xffff
        fam = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0,
                           nla(CTRL_ATTR_FAMILY_NAME, b"spdm\0"))[0][1]
        self.family, self.groups = None, {}
        for t, v in parse_attrs(fam):
            if t == CTRL_ATTR_FAMILY_ID:
                self.family = struct.unpack("H", v[:2])[0]
            elif t == CTRL_ATTR_MCAST_GROUPS:
                for _, g in parse_attrs(v):
                    ga = dict(parse_attrs(g))
                    self.groups[ga[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
                        struct.unpack("I", ga[CTRL_ATTR_MCAST_GRP_ID])[0]

    def request(self, ftype, cmd, flags, payload, between=None):
        """Send one request; return [(nlmsg flags, attribute bytes)] of the
        answer. between() runs after the first batch received."""
        self.seq += 1
        body = struct.pack("BBH", cmd, 1, 0) + payload
        self.s.send(struct.pack("IHHII", 16 + len(body), ftype,
                                NLM_F_REQUEST | NLM_F_ACK | flags, self.seq, 0) + body)
        msgs = []
        while True:
            data = self.s.recv(RECV_SIZE)
            if between:
                between()
                between = None
            off = 0
            while off + 16 <= len(data):
                n, t, f, seq, _ = struct.unpack_from("IHHII", data, off)
                raw = data[off + 16:off + n]
                off += (n + 3) & ~3
                if seq != self.seq:
                    continue
                if t in (NLMSG_ERROR, NLMSG_DONE):
                    err = struct.unpack_from("i", raw)[0]
                    msg = ""
                    if f & 0x200:  # NLM_F_ACK_TLVS
                        if t == NLMSG_DONE:
                            skip = 4
                        elif f & 0x100:  # NLM_F_CAPPED: error and request header
                            skip = 20
                        else:
                            skip = 4 + struct.unpack_from("I", raw, 4)[0]
                        for at, av in parse_attrs(raw[skip:]):
                            if at == NLMSGERR_ATTR_MSG:
                                msg = av.rstrip(b"\0").decode()
                    if err:
                        raise NlError(err, msg)
                    return msgs
                msgs.append((f, raw[4:]))

    def op(self, cmd, attrs, flags=0, between=None):
        return self.request(self.family, U[f"SPDM_CMD_{cmd}"], flags, attrs, between)


def decode(raw):
    d = {}
    for t, v in parse_attrs(raw):
        name = DEV_ATTRS.get(t, f"attr-{t}")
        if name == "chunk":
            c = {}
            for ct, cv in parse_attrs(v):
                cn = CHUNK_ATTRS.get(ct, f"attr-{ct}")
                c[cn] = cv if cn == "data" else (cv[0] if cn == "slot" else
                                                 struct.unpack("I", cv)[0])
            d.setdefault("chunk", []).append(c)
        elif name in ("name", "reason"):
            d[name] = v.rstrip(b"\0").decode()
        elif name in ("nonce", "identity", "allowed-identity"):
            d[name] = v.hex()
        elif name == "evidence":
            d[name] = True
        elif name in U8:
            d[name] = v[0]
        elif name in U16:
            d[name] = struct.unpack("H", v[:2])[0]
        elif name == "error":
            d[name] = struct.unpack("i", v)[0]
        else:
            d[name] = struct.unpack("I", v[:4])[0]
    if "state" in d:
        d["state-name"] = STATES.get(d["state"], "?")
    return d


def dev_attrs(dev):
    if dev.isdigit() or dev.startswith("0x"):
        return nla(U["SPDM_A_DEVICE_KEY"], struct.pack("I", int(dev, 0)))
    return nla(U["SPDM_A_DEVICE_NAME"], dev.encode() + b"\0")


def blob_name(kind, slot):
    k = KINDS[kind]
    return f"{k}-slot{slot}" if k == "cert-chain" else k


def extra_attr(spec):
    if not spec:
        return b""
    t, h = spec.split(":", 1)
    return nla(int(t, 0), bytes.fromhex(h))


def do_dump(g, evidence, dev, outdir, between):
    attrs = (nla(U["SPDM_A_DEVICE_EVIDENCE"], b"") if evidence else b"") + \
        (dev_attrs(dev) if dev else b"")
    run = (lambda: subprocess.run(between, shell=True, check=True)) if between else None
    msgs = g.op("DEVICE_GET", attrs, NLM_F_DUMP, run)
    devices, interrupted, messages = {}, False, 0
    for f, raw in msgs:
        messages += 1
        interrupted |= bool(f & NLM_F_DUMP_INTR)
        m = decode(raw)
        d = devices.setdefault(m["name"], {"blobs": {}})
        for c in m.pop("chunk", []):
            name = blob_name(c["kind"], c.get("slot", 0))
            b = d["blobs"].setdefault(name, bytearray())
            if c["offset"] != len(b):
                raise SystemExit(f"error: {name} of {m['name']}: chunk at {c['offset']}, "
                                 f"expected {len(b)}")
            b += c["data"]
            d.setdefault("total", {})[name] = c["total-len"]
        d.update({k: v for k, v in m.items()})
    out = []
    for name, d in devices.items():
        blobs = d.pop("blobs")
        total = d.pop("total", {})
        for b, data in blobs.items():
            # An interrupted dump may stop a blob short: the caller retries.
            if len(data) != total[b] and not interrupted:
                raise SystemExit(f"error: {b} of {name}: {len(data)} of {total[b]} bytes")
        d["evidence-blobs"] = {b: len(v) for b, v in blobs.items()}
        if outdir and blobs:
            os.makedirs(os.path.join(outdir, name), exist_ok=True)
            for b, data in blobs.items():
                with open(os.path.join(outdir, name, b + ".bin"), "wb") as f:
                    f.write(data)
        out.append(d)
    return {"devices": out, "interrupted": interrupted, "messages": messages}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("get")
    p.add_argument("dev")
    p.add_argument("--extra")
    p = sub.add_parser("dump")
    p.add_argument("--evidence", action="store_true")
    p.add_argument("--dev")
    p.add_argument("--out")
    p.add_argument("--between")
    p = sub.add_parser("auth")
    p.add_argument("dev")
    p.add_argument("--nonce")
    p.add_argument("--extra")
    p = sub.add_parser("wait")
    p.add_argument("dev")
    p.add_argument("gen", type=int)
    p.add_argument("--timeout", type=float, default=60)
    p = sub.add_parser("verdict")
    p.add_argument("dev")
    p.add_argument("gen", type=int)
    p.add_argument("verdict", choices=["allow", "deny"])
    p.add_argument("--reason")
    p = sub.add_parser("monitor")
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--timeout", type=float, default=30)
    a = ap.parse_args()

    try:
        g = Genl()
        if a.cmd == "get":
            print(json.dumps(decode(g.op("DEVICE_GET", dev_attrs(a.dev) + extra_attr(a.extra))[0][1])))
        elif a.cmd == "dump":
            print(json.dumps(do_dump(g, a.evidence, a.dev, a.out, a.between)))
        elif a.cmd == "auth":
            attrs = dev_attrs(a.dev) + extra_attr(a.extra)
            if a.nonce:
                attrs += nla(U["SPDM_A_DEVICE_NONCE"], bytes.fromhex(a.nonce))
            print(json.dumps(decode(g.op("AUTHENTICATE", attrs)[0][1])))
        elif a.cmd == "wait":
            deadline = time.monotonic() + a.timeout
            while True:
                d = decode(g.op("DEVICE_GET", dev_attrs(a.dev))[0][1])
                if d["generation"] >= a.gen and d["state-name"] in ("authenticated", "failed"):
                    print(json.dumps(d))
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(f"error: timeout: {json.dumps(d)}")
                time.sleep(0.05)
        elif a.cmd == "verdict":
            attrs = dev_attrs(a.dev) + \
                nla(U["SPDM_A_DEVICE_GENERATION"], struct.pack("I", a.gen)) + \
                nla(U["SPDM_A_DEVICE_VERDICT"],
                    struct.pack("I", U[f"SPDM_VERDICT_{a.verdict.upper()}"]))
            if a.reason:
                attrs += nla(U["SPDM_A_DEVICE_REASON"], a.reason.encode() + b"\0")
            g.op("VERDICT", attrs)
        elif a.cmd == "monitor":
            g.s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                           g.groups[U["SPDM_MCGRP_MONITOR"]])
            print("subscribed", flush=True)
            n, deadline = 0, time.monotonic() + a.timeout
            while not a.count or n < a.count:
                g.s.settimeout(max(0.01, deadline - time.monotonic()))
                try:
                    data = g.s.recv(RECV_SIZE)
                except socket.timeout:
                    break
                off = 0
                while off + 16 <= len(data):
                    ln = struct.unpack_from("I", data, off)[0]
                    cmd = data[off + 16]
                    ev = decode(data[off + 20:off + ln])
                    ev["ntf"] = CMDS.get(cmd, str(cmd))
                    print(json.dumps(ev), flush=True)
                    n += 1
                    off += (ln + 3) & ~3
    except NlError as e:
        print(f"error: {e}")
        return 1
    except PermissionError as e:
        print(f"error: EPERM: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
