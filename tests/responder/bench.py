#!/usr/bin/env python3
"""Per-message CPU cost of spdm-responder, per signature algorithm.

Runs N authentications (reference requester, one connection) against a
responder started with -v, takes the CPU time the responder logs for each
response, and prints the median per message type. The baseline, measured in
the same run, is a bare signature of a 100-byte message with the same key
(spdm-responder --sign-floor: same library, same code path): the ratio says
what the responder adds to the crypto floor.

usage: bench.py [N]          (BUILD in the environment: the build directory)
"""
import os
import re
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run_tests as rt  # noqa: E402
import spdm_client as sc  # noqa: E402

MSGS = ["VERSION", "CAPABILITIES", "ALGORITHMS", "DIGESTS", "CERTIFICATE",
        "CHALLENGE_AUTH", "MEASUREMENTS"]
HASH_OF = {"ecp256": "sha256", "ecp384": "sha384", "ecp521": "sha512", "rsa2048": "sha256",
           "rsa3072": "sha384", "rsa4096": "sha512", "rsapss3072": "sha384"}


def sign_floor_us(alg, n):
    out = subprocess.run([rt.RESPONDER, "--pki", rt.PKI, "--asym", alg, "--hash", HASH_OF[alg],
                          "--sign-floor", str(n)], capture_output=True, text=True, check=True)
    return float(out.stdout)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print(f"spdm-responder CPU per response (median of {n} authentications, us); "
          f"floor = one bare signature with the same key")
    print(f"{'algorithm':<11} {'hash':<7}" + "".join(f"{m[:12]:>13}" for m in MSGS) +
          f"{'floor':>9}{'CHAL/floor':>11}")
    for alg, hname in HASH_OF.items():
        with rt.Responder("-v", "--asym", alg, "--hash", hname) as r:
            t = sc.Transport(r.port, "doe", 5.0)
            for _ in range(n):
                sc.Requester(t).authenticate()
            t.close()
            time.sleep(0.1)
            log = r.stderr()
        cpu = {}
        for m in re.finditer(r"-> (\w+) \d+ bytes \(cpu (\d+) us\)", log):
            cpu.setdefault(m.group(1), []).append(int(m.group(2)))
        med = {k: statistics.median(v) for k, v in cpu.items()}
        floor = sign_floor_us(alg, n)
        print(f"{alg:<11} {hname:<7}" + "".join(f"{med.get(k, 0):>13.0f}" for k in MSGS) +
              f"{floor:>9.0f}{med.get('CHALLENGE_AUTH', 0) / floor:>11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
