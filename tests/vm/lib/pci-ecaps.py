#!/usr/bin/env python3
"""List a PCI function's extended capabilities from its sysfs config space.

usage: pci-ecaps.py BDF          e.g. 0000:01:00.0
Prints one line per capability: `ID OFFSET VERSION` in hex (e.g. `0x002e 0x160 1`).
Exits 1 when the extended configuration space cannot be read (no ECAM, or not root).
"""
import struct
import sys

PCI_CFG_SPACE_SIZE = 0x100      # PCIe r6.2 sec 7.6: extended capabilities start here
PCI_CFG_SPACE_EXP_SIZE = 0x1000


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip())
    with open(f"/sys/bus/pci/devices/{sys.argv[1]}/config", "rb") as f:
        cfg = f.read()
    if len(cfg) < PCI_CFG_SPACE_EXP_SIZE:
        print(f"only {len(cfg)} bytes of config space readable", file=sys.stderr)
        return 1
    pos, seen = PCI_CFG_SPACE_SIZE, set()
    # Header: ID in bits 15:0, version 19:16, next offset 31:20 (PCIe r6.2 sec 7.6.3).
    while pos and pos not in seen and pos + 4 <= len(cfg):
        seen.add(pos)
        (hdr,) = struct.unpack_from("<I", cfg, pos)
        if hdr in (0, 0xFFFFFFFF):
            break
        print(f"0x{hdr & 0xFFFF:04x} 0x{pos:03x} {(hdr >> 16) & 0xF}")
        pos = (hdr >> 20) & 0xFFC
    return 0


if __name__ == "__main__":
    sys.exit(main())
