#!/usr/bin/env python3
"""Driver-binding gate client for the VM tests, on top of spdmnl.py.

  gatenl.py verdict DEV GEN allow|deny [--source agent|admin] [--reason TEXT]
                        send a verdict; prints "ok" or "error: ERRNO: extack";
                        verdict and source may be raw numbers (policy tests)
  gatenl.py agent --count N [--deny BDF...] [--deny-all] [--timeout S]
                        a minimal policy agent: for each auth-done-ntf of an
                        authenticated device, send allow (deny for the
                        listed devices, or all) as source agent; then wait until a
                        driver is bound to each allowed device. Prints one
                        JSON line per device with the milliseconds from the
                        notification to the verdict reply and to the bind.
"""
import argparse
import json
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../cma"))
import spdmnl  # noqa: E402
from spdmnl import U, nla, dev_attrs, decode, Genl, NlError  # noqa: E402


def enum_value(prefix, name):
    """A value of the uapi enum by name, or a raw number."""
    return int(name) if name.isdigit() else U[f"{prefix}_{name.upper()}"]


def verdict(g, dev, gen, what, source, reason):
    attrs = dev_attrs(dev) + \
        nla(U["SPDM_A_DEVICE_GENERATION"], struct.pack("I", gen)) + \
        nla(U["SPDM_A_DEVICE_VERDICT"], struct.pack("I", enum_value("SPDM_VERDICT", what)))
    if source:
        attrs += nla(U["SPDM_A_DEVICE_VERDICT_SOURCE"],
                     struct.pack("I", enum_value("SPDM_VERDICT_SOURCE", source)))
    if reason:
        attrs += nla(U["SPDM_A_DEVICE_REASON"], reason.encode() + b"\0")
    g.op("VERDICT", attrs)


def bound(bdf):
    return os.path.exists(f"/sys/bus/pci/devices/{bdf}/driver")


def agent(a):
    mon = Genl()
    mon.s.setsockopt(spdmnl.SOL_NETLINK, spdmnl.NETLINK_ADD_MEMBERSHIP,
                     mon.groups[U["SPDM_MCGRP_MONITOR"]])
    print("subscribed", flush=True)
    ctl = Genl()
    pending = {}
    done = 0
    deadline = time.monotonic() + a.timeout
    while done < a.count and time.monotonic() < deadline:
        mon.s.settimeout(0.002 if pending else max(0.01, deadline - time.monotonic()))
        try:
            data = mon.s.recv(spdmnl.RECV_SIZE)
        except socket.timeout:
            data = b""
        t_ntf = time.monotonic()
        off = 0
        while off + 16 <= len(data):
            ln = struct.unpack_from("I", data, off)[0]
            cmd = data[off + 16]
            ev = decode(data[off + 20:off + ln])
            off += (ln + 3) & ~3
            if cmd != U["SPDM_CMD_AUTH_DONE_NTF"] or ev.get("state-name") != "authenticated":
                continue
            what = "deny" if a.deny_all or ev["name"] in a.deny else "allow"
            try:
                verdict(ctl, ev["name"], ev["generation"], what, "agent", "test agent")
            except NlError as e:
                print(json.dumps({"name": ev["name"], "error": str(e)}), flush=True)
                done += 1
                continue
            t_reply = time.monotonic()
            if what == "deny":
                print(json.dumps({"name": ev["name"], "verdict": what}), flush=True)
                done += 1
            else:
                pending[ev["name"]] = (t_ntf, t_reply, ev["generation"])
        for name, (t0, t1, gen) in list(pending.items()):
            if bound(name):
                t2 = time.monotonic()
                print(json.dumps({"name": name, "verdict": "allow", "generation": gen,
                                  "verdict_ms": round((t1 - t0) * 1000, 3),
                                  "bound_ms": round((t2 - t0) * 1000, 3)}), flush=True)
                del pending[name]
                done += 1
    return 0 if done >= a.count else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("verdict")
    p.add_argument("dev")
    p.add_argument("gen", type=int)
    p.add_argument("verdict", help="allow, deny or a number")
    p.add_argument("--source", help="agent, admin, timeout or a number")
    p.add_argument("--reason")
    p = sub.add_parser("agent")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--deny", nargs="*", default=[])
    p.add_argument("--deny-all", action="store_true")
    p.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    try:
        if a.cmd == "verdict":
            verdict(Genl(), a.dev, a.gen, a.verdict, a.source, a.reason)
            print("ok")
            return 0
        return agent(a)
    except NlError as e:
        print(f"error: {e}")
        return 1
    except PermissionError as e:
        print(f"error: EPERM: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
