#!/usr/bin/env python3
"""Re-authenticate one device N times, one after the other, and print the
kernel's own wall time of each attempt (the spdm family's duration-us),
one number per line. Polls over netlink, so no tracing is involved.

  authtime.py BDF N
"""
import os
import sys
import time

SRCDIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "vm", "cma"))
from spdmnl import Genl, decode, dev_attrs  # noqa: E402


def main():
    bdf, n = sys.argv[1], int(sys.argv[2])
    g = Genl()

    def get():
        return decode(g.op("DEVICE_GET", dev_attrs(bdf))[0][1])

    for _ in range(n):
        gen = get()["generation"] + 1
        with open(f"/sys/bus/pci/devices/{bdf}/spdm/authenticated", "w") as f:
            f.write("1")
        deadline = time.monotonic() + 60
        while True:
            d = get()
            if d["generation"] >= gen and d["state-name"] in ("authenticated", "failed"):
                break
            if time.monotonic() > deadline:
                sys.exit(f"{bdf}: generation {gen} did not finish")
            time.sleep(0.005)
        print(d["duration-us"], flush=True)


if __name__ == "__main__":
    main()
