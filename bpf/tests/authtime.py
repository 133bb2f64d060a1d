#!/usr/bin/env python3
"""Re-authenticate one device N times, one after the other, and print the
kernel's own wall time of each attempt (the spdm family's duration-us),
one number per line. Polls over netlink, so no tracing is involved.

  authtime.py BDF N

Attribute numbers come from include/uapi/linux/spdm.h.
"""
import os
import re
import socket
import struct
import sys
import time

SRCDIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UAPI = os.path.join(SRCDIR, "include", "uapi", "linux", "spdm.h")

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLMSG_ERROR = 2


def uapi_enum(first):
    """Names and values of the uapi enum whose first entry is FIRST."""
    text = open(UAPI).read()
    m = re.search(r"enum\s*\w*\s*{\s*(%s\b[^}]*)}" % first, text)
    out, value = {}, -1
    for entry in m.group(1).split(","):
        name, _, init = entry.partition("=")
        name = name.strip()
        if not name or name.startswith("__") or not re.fullmatch(r"\w+", name):
            continue
        if not init.strip():
            value += 1
        elif re.fullmatch(r"\s*\d+\s*", init):
            value = int(init)
        else:
            continue  # FOO_MAX = (__FOO_MAX - 1)
        out[name] = value
    return out


def attrs(buf):
    out = {}
    while len(buf) >= 4:
        n, t = struct.unpack_from("=HH", buf)
        if n < 4:
            break
        out[t & 0x3fff] = buf[4:n]
        buf = buf[(n + 3) & ~3:]
    return out


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.bind((0, 0))
        self.seq = 0

    def request(self, family, cmd, version, payload):
        self.seq += 1
        msg = struct.pack("=BBH", cmd, version, 0) + payload
        self.s.send(struct.pack("=IHHII", 16 + len(msg), family, NLM_F_REQUEST, self.seq, 0) + msg)
        reply = self.s.recv(65536)
        n, typ = struct.unpack_from("=IH", reply)
        if typ == NLMSG_ERROR:
            err = struct.unpack_from("=i", reply, 16)[0]
            raise OSError(-err, os.strerror(-err))
        return attrs(reply[20:n])

    def family(self, name):
        a = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
                         attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        return struct.unpack("=H", a[CTRL_ATTR_FAMILY_ID][:2])[0]


def main():
    bdf, n = sys.argv[1], int(sys.argv[2])
    a = uapi_enum("SPDM_A_DEVICE_NAME")
    cmd = uapi_enum("SPDM_CMD_DEVICE_GET")
    state = uapi_enum("SPDM_AUTH_STATE_UNSUPPORTED")
    d, b, s, f = (int(x, 16) for x in re.split(r"[:.]", bdf))
    key = d << 16 | b << 8 | s << 3 | f
    nl = Genl()
    fam = nl.family("spdm")
    u32 = lambda v: struct.unpack("=I", v[:4])[0]

    def get():
        r = nl.request(fam, cmd["SPDM_CMD_DEVICE_GET"], 1,
                       attr(a["SPDM_A_DEVICE_KEY"], struct.pack("=I", key)))
        return (u32(r[a["SPDM_A_DEVICE_GENERATION"]]), u32(r[a["SPDM_A_DEVICE_STATE"]]),
                u32(r[a["SPDM_A_DEVICE_DURATION_US"]]))

    done = (state["SPDM_AUTH_STATE_AUTHENTICATED"], state["SPDM_AUTH_STATE_FAILED"])
    for _ in range(n):
        gen = get()[0] + 1
        with open(f"/sys/bus/pci/devices/{bdf}/spdm/authenticated", "w") as fd:
            fd.write("1")
        deadline = time.monotonic() + 60
        while True:
            g, st, us = get()
            if g >= gen and st in done:
                break
            if time.monotonic() > deadline:
                sys.exit(f"{bdf}: generation {gen} did not finish")
            time.sleep(0.005)
        print(us, flush=True)


if __name__ == "__main__":
    main()
