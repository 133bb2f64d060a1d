#!/usr/bin/env python3
"""Guest side of the VM benchmarks (runs in the guest, as root).

  guest-bench.py load KO BDF...     load module KO; guest ms until every BDF has
                                    finished its first authentication
  guest-bench.py reauth K BDF...    K rounds; each re-authenticates all BDFs at
                                    once. One line per round: guest ms from the
                                    first request to the last auth-done
                                    notification, and the mean of the kernel's
                                    own duration of each attempt (duration-us)
  guest-bench.py traced BDF...      one such round with the spdm tracepoints on;
                                    total ms, mean spdm_auth ms, mean
                                    spdm_exchange ms, exchanges per attempt
  guest-bench.py exchanges K BDF    K traced re-authentications: exchanges per
                                    attempt, mean exchange ms (each request's
                                    fastest)

Nothing polls: completions arrive as the spdm family's auth-done
notifications, so the only guest code running during an attempt is the
kernel's (a poller would share the one vCPU with the work it times). Times
are CLOCK_MONOTONIC in the guest; under QEMU -icount that is a count of
guest instructions, independent of the host's load.
"""
import ctypes
import os
import re
import socket
import sys
import time

SRCDIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "vm", "cma"))
from spdmnl import (CMDS, NETLINK_ADD_MEMBERSHIP, RECV_SIZE, SOL_NETLINK, U,  # noqa: E402
                    Genl, decode, dev_attrs)

LIMIT = 300.0
TRACING = "/sys/kernel/tracing"


class Monitor:
    """A netlink socket subscribed to the spdm family's notifications, and
    another for requests (notifications must not interleave with answers)."""

    def __init__(self):
        self.g = Genl()
        self.ntf = Genl()
        self.ntf.s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                              self.ntf.groups[U["SPDM_MCGRP_MONITOR"]])

    def get(self, bdf):
        return decode(self.g.op("DEVICE_GET", dev_attrs(bdf))[0][1])

    def wait(self, gens, t0, check=False):
        """Until every device has finished generation gens[name]; the time of
        the last completion. check: look for devices already done first (for
        attempts that began before the subscription)."""
        left = set(gens)
        if check:
            left = {b for b in left if not self.finished(self.get(b), gens[b])}
        t = time.monotonic()
        while left:
            self.ntf.s.settimeout(max(0.01, t0 + LIMIT - time.monotonic()))
            try:
                data = self.ntf.s.recv(RECV_SIZE)
            except socket.timeout:
                raise SystemExit(f"timeout waiting for {sorted(left)}")
            t = time.monotonic()
            off = 0
            while off + 16 <= len(data):
                ln = int.from_bytes(data[off:off + 4], sys.byteorder)
                if CMDS.get(data[off + 16]) == "auth-done-ntf":
                    ev = decode(data[off + 20:off + ln])
                    if ev.get("name") in left and self.finished(ev, gens[ev["name"]]):
                        left.discard(ev["name"])
                off += (ln + 3) & ~3
        return t - t0

    @staticmethod
    def finished(d, gen):
        if d.get("generation", 0) < gen or d.get("state-name") not in ("authenticated", "failed"):
            return False
        if d["state-name"] == "failed":
            raise SystemExit(f"{d['name']}: authentication failed ({d.get('error')})")
        return True

    def round(self, bdfs):
        """Re-authenticate all at once: (guest ms, mean kernel duration ms).
        Between the first request and the wait, as little Python as possible:
        it would share the vCPU with the attempts."""
        gens = {b: self.get(b)["generation"] + 1 for b in bdfs}
        fds = [os.open(f"/sys/bus/pci/devices/{b}/spdm/authenticated", os.O_WRONLY)
               for b in bdfs]
        t0 = time.monotonic()
        for fd in fds:
            os.write(fd, b"1")
        t = self.wait(gens, t0)
        for fd in fds:
            os.close(fd)
        us = [self.get(b)["duration-us"] for b in bdfs]
        return t * 1e3, sum(us) / len(us) / 1e3


def load(ko, bdfs):
    """init_module() on the module already in memory: reading it from the
    host's 9p share would put the host's I/O time into the figure."""
    with open(ko, "rb") as f:
        image = f.read()
    libc = ctypes.CDLL(None, use_errno=True)
    t0 = time.monotonic()
    if libc.init_module(image, ctypes.c_ulong(len(image)), b"") != 0:
        raise SystemExit(f"init_module {ko}: {os.strerror(ctypes.get_errno())}")
    t = Monitor().wait({b: 1 for b in bdfs}, t0, check=True)
    print(f"{t * 1e3:.3f}")


def reauth(k, bdfs):
    m = Monitor()
    for _ in range(k):
        print("%.3f %.3f" % m.round(bdfs), flush=True)


def traced_rounds(bdfs, k):
    """k rounds with the spdm tracepoints on: the round times and the traced
    events, as [(event, request code, duration ms)]."""
    m = Monitor()
    with open(f"{TRACING}/trace", "w"):
        pass
    with open(f"{TRACING}/events/spdm/enable", "w") as f:
        f.write("1")
    times = [m.round(bdfs)[0] for _ in range(k)]
    with open(f"{TRACING}/events/spdm/enable", "w") as f:
        f.write("0")
    events = []
    with open(f"{TRACING}/trace") as f:
        for line in f:
            r = re.search(r"(spdm_auth|spdm_exchange):.*? (?:req=(\S+) .*)?duration_ns=(\d+)",
                          line)
            if r:
                events.append((r.group(1), r.group(2), int(r.group(3)) / 1e6))
    if not any(e[0] == "spdm_auth" for e in events) or \
            not any(e[0] == "spdm_exchange" for e in events):
        raise SystemExit("no spdm_auth/spdm_exchange events traced")
    return times, events


def traced(bdfs):
    (t,), events = traced_rounds(bdfs, 1)
    auth = [d for e, _, d in events if e == "spdm_auth"]
    exch = [d for e, _, d in events if e == "spdm_exchange"]
    print(f"{t:.3f} {sum(auth) / len(auth):.3f} {sum(exch) / len(exch):.4f} "
          f"{len(exch) / len(auth):.1f}")


def exchanges(k, bdf):
    """Exchanges per attempt, and one attempt's exchanges' mean duration with
    each request's fastest of k attempts (interrupts only add time)."""
    _, events = traced_rounds([bdf], k)
    fastest = {}
    for e, req, d in events:
        if e == "spdm_exchange":
            fastest[req] = min(d, fastest.get(req, d))
    n = sum(e == "spdm_exchange" for e, _, _ in events) / k
    per_req = {req: sum(1 for e, r, _ in events if r == req) / k for req in fastest}
    print(f"{n:.1f} {sum(fastest[r] * per_req[r] for r in fastest) / n:.4f}")


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "load":
        load(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) > 3 and sys.argv[1] == "reauth":
        reauth(int(sys.argv[2]), sys.argv[3:])
    elif len(sys.argv) == 4 and sys.argv[1] == "exchanges":
        exchanges(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) > 2 and sys.argv[1] == "traced":
        traced(sys.argv[2:])
    else:
        raise SystemExit(__doc__)
