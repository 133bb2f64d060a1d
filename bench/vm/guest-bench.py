#!/usr/bin/env python3
"""Guest side of the VM benchmarks (runs in the guest, as root).

  guest-bench.py load KO BDF...     insmod KO, time until every BDF's spdm/state
                                    is "authenticated" (ms from insmod start)
  guest-bench.py reauth BDF K       K re-authentications in a row through
                                    spdm/authenticated; ms of each, one a line
  guest-bench.py alternate BDF K    2K re-authentications, spdm tracepoints
                                    disabled and enabled in turn; "off MS" and
                                    "on MS" lines
  guest-bench.py traced BDF...      re-authenticate all BDFs at once with the spdm
                                    tracepoints on; total ms, mean spdm_auth
                                    duration, mean exchange duration, exchanges

Times are wall clock (CLOCK_MONOTONIC) sampled by polling sysfs every 0.5 ms.
"""
import re
import subprocess
import sys
import time

POLL = 0.0005
LIMIT = 120.0


def attr(bdf, name):
    with open(f"/sys/bus/pci/devices/{bdf}/spdm/{name}") as f:
        return f.read().strip()


def done(bdf, gen):
    """True once generation gen (or later) finished; raises if it failed."""
    try:
        if int(attr(bdf, "generation")) < gen:
            return False
        state = attr(bdf, "state")
    except OSError:
        return False
    if state == "failed":
        raise SystemExit(f"{bdf}: authentication failed ({attr(bdf, 'last_error')})")
    return state == "authenticated"


def wait_all(bdfs, gens, t0):
    left = set(bdfs)
    while left:
        left = {b for b in left if not done(b, gens[b])}
        if time.monotonic() - t0 > LIMIT:
            raise SystemExit(f"timeout waiting for {sorted(left)}")
        if left:
            time.sleep(POLL)
    return time.monotonic() - t0


def load(ko, bdfs):
    t0 = time.monotonic()
    subprocess.run(["insmod", ko], check=True)
    t = wait_all(bdfs, {b: 1 for b in bdfs}, t0)
    print(f"{t * 1e3:.1f}")


def reauth_once(bdf):
    gen = int(attr(bdf, "generation")) + 1
    t0 = time.monotonic()
    with open(f"/sys/bus/pci/devices/{bdf}/spdm/authenticated", "w") as f:
        f.write("1")
    return wait_all([bdf], {bdf: gen}, t0) * 1e3


def reauth(bdf, k):
    for _ in range(k):
        print(f"{reauth_once(bdf):.2f}")


def trace_enable(on):
    with open("/sys/kernel/tracing/events/spdm/enable", "w") as f:
        f.write("1" if on else "0")


def alternate(bdf, k):
    for _ in range(k):
        for on in (False, True):
            trace_enable(on)
            print("on" if on else "off", f"{reauth_once(bdf):.2f}")
    trace_enable(False)


def traced(bdfs):
    tr = "/sys/kernel/tracing"
    with open(f"{tr}/trace", "w"):
        pass
    with open(f"{tr}/events/spdm/enable", "w") as f:
        f.write("1")
    gens = {b: int(attr(b, "generation")) + 1 for b in bdfs}
    t0 = time.monotonic()
    for b in bdfs:
        with open(f"/sys/bus/pci/devices/{b}/spdm/authenticated", "w") as f:
            f.write("1")
    t = wait_all(bdfs, gens, t0)
    with open(f"{tr}/events/spdm/enable", "w") as f:
        f.write("0")
    auth, exch = [], []
    with open(f"{tr}/trace") as f:
        for line in f:
            m = re.search(r"(spdm_auth|spdm_exchange):.* duration_ns=(\d+)", line)
            if m:
                (auth if m.group(1) == "spdm_auth" else exch).append(int(m.group(2)) / 1e6)
    if not auth or not exch:
        raise SystemExit("no spdm_auth/spdm_exchange events traced")
    print(f"{t * 1e3:.1f} {sum(auth) / len(auth):.1f} {sum(exch) / len(exch):.2f} "
          f"{len(exch) / len(auth):.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "load":
        load(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "reauth":
        reauth(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "alternate":
        alternate(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "traced":
        traced(sys.argv[2:])
    else:
        raise SystemExit(__doc__)
