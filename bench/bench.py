#!/usr/bin/env python3
"""Run the benchmarks of issue 9 and tabulate them as ratios to baselines
measured in the same run (this machine is shared and noisy: no figure here is
an absolute promise, and nothing here asserts a time).

B1  requester CPU per first authentication vs the crypto floor, per algorithm,
    with the certificate cache cold, holding the model's root and intermediate,
    or holding all; instructions (callgrind, requester process only) vs the floor's
B2  re-authentication with cached chains vs first authentication
B3  agent decisions per second (agent/bench/agent-bench)
B4  boot scaling in the VM (QEMU -icount): 1, 4, 8, 16 NVMe devices authenticated
    at load and re-authenticated at once, vs N times one device
B5  tracing overhead in the VM (QEMU -icount): per-exchange cost, tracepoints
    off / on / spdmsnoop / bpftrace

Environment: BUILD (build directory), BENCH_VM=0 skips B4 and B5,
BENCH_QUICK=1 shortens every run.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
BUILD = os.path.abspath(os.environ.get("BUILD", os.path.join(SRC, "build")))
OUT = os.path.join(BUILD, "bench")
QUICK = os.environ.get("BENCH_QUICK") == "1"
RESPONDER = os.path.join(BUILD, "responder", "spdm-responder")
SPDM_BENCH = os.path.join(OUT, "spdm-bench")

# (label, responder --asym, responder --hash)
ALGS = [("P-256", "ecp256", "sha256"), ("P-384", "ecp384", "sha384"),
        ("P-521", "ecp521", "sha512"), ("RSA-3072", "rsa3072", "sha384")]

lines = []      # the report, printed as it grows and written to results.txt
commands = []   # how to reproduce each figure


def say(text=""):
    print(text, flush=True)
    lines.append(text)


def rel(path):
    """A path as the reader would type it: relative to the repository."""
    return os.path.relpath(path, SRC)


class Responder:
    """spdm-responder on a free port, for the duration of a with block."""

    def __init__(self, *args):
        self.args = [RESPONDER, "--port", "0", *args]

    def __enter__(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, text=True)
        first = self.proc.stdout.readline().split()
        if len(first) != 2 or first[0] != "port":
            self.proc.kill()
            raise RuntimeError(f"{self.args}: no port announced ({first})")
        self.port = int(first[1])
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait()


def parse_kv(text):
    """spdm-bench output: {first-word: {key: value}}."""
    res = {}
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        if "=" in words[0]:
            res["info"] = dict(w.split("=", 1) for w in words)
        else:
            res[words[0]] = {k: float(v) for k, v in (w.split("=", 1) for w in words[1:])}
    return res


def callgrind_total(port, what, count, exe=SPDM_BENCH, *args):
    """Instructions callgrind counts in the process for count operations."""
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out",
                            exe, "--port", str(port), "--count", str(count),
                            "--what", what, *args], capture_output=True, text=True, check=True)
    m = re.search(r"refs:\s+([\d,]+)", r.stderr)
    return int(m.group(1).replace(",", ""))


def instructions(port, n):
    """Instructions per operation of each kind: callgrind's total for n operations
    minus its total for none (start-up, connection, one warm-up authentication and
    the floor's set-up are in both)."""
    base = callgrind_total(port, "first", 0)
    return {w: (callgrind_total(port, w, n) - base) / n
            for w in ("first", "first-model", "first-cold", "reauth", "floor", "floor-reauth",
                      "floor-parse")}


def b1_b2():
    rounds, ms = (3, 150) if QUICK else (7, 300)
    ncg = 2 if QUICK else 5
    res = {}
    for label, asym, hname in ALGS:
        with Responder("--asym", asym, "--hash", hname) as r:
            out = subprocess.run([SPDM_BENCH, "--port", str(r.port), "--rounds", str(rounds),
                                  "--ms", str(ms)], capture_output=True, text=True, check=True)
            d = parse_kv(out.stdout)
            d["ir"] = instructions(r.port, ncg)
        res[label] = d
        commands.append(f"B1/B2 {label}: {rel(RESPONDER)} --port 0 --asym {asym} --hash {hname} & "
                        f"{rel(SPDM_BENCH)} --port PORT --rounds {rounds} --ms {ms}")
    commands.append(f"B1 instructions: valgrind --tool=callgrind {rel(SPDM_BENCH)} --port PORT "
                    f"--count N --what first|first-model|first-cold|reauth|floor|floor-reauth|floor-parse "
                    f"(N={ncg} minus N=0, divided by N)")

    say(f"B1  requester cost of a first authentication (user-space core, loopback TCP, DOE "
        f"framing; median of {rounds} rounds; CPU = requester process only)")
    say(f"    floor = the same hashes and signature verifications done alone with OpenSSL "
        f"(chain digest, RootHash, {res[ALGS[0][0]]['info']['certs']} certificates' issuer "
        f"checks, CHALLENGE_AUTH and MEASUREMENTS signatures)")
    say("    the certificate cache (process-wide, parsed certificates by SHA-256 of the DER): "
        "cold = emptied before each authentication;")
    say("    model = root and intermediate cached, leaf new (a new device of a known model); "
        "seen = all three cached (a device seen before)")
    say(f"    {'algorithm':<9} {'auth/s':>7} {'CPU us':>7} {'usr us':>7} {'sys us':>6} "
        f"{'floor us':>8} {'CPU/fl':>6} | {'cold us':>7} {'CPU/fl':>6} |")
    for label, d in res.items():
        f, fc, fl = d["first"], d["first-cold"], d["floor"]
        cpu = f["usr_us"] + f["sys_us"]
        cpuc = fc["usr_us"] + fc["sys_us"]
        flc = fl["usr_us"] + fl["sys_us"]
        say(f"    {label:<9} {1e6 / f['wall_us']:>7.0f} {cpu:>7.0f} {f['usr_us']:>7.0f} "
            f"{f['sys_us']:>6.0f} {flc:>8.0f} {cpu / flc:>5.2f}x | {cpuc:>7.0f} "
            f"{cpuc / flc:>5.2f}x |")
    say("    instructions (M, callgrind) per first authentication, and ratio to the floor's:")
    say(f"    {'algorithm':<9} {'floor':>6} {'cold':>6} {'/fl':>6} {'model':>6} {'/fl':>6} "
        f"{'seen':>6} {'/fl':>6} {'fl+parse':>8} {'cold/(fl+p)':>11}")
    for label, d in res.items():
        ir = d["ir"]
        fl = ir["floor"]
        say(f"    {label:<9} {fl / 1e6:>6.2f} "
            + " ".join(f"{ir[w] / 1e6:>6.2f} {ir[w] / fl:>5.2f}x"
                       for w in ("first-cold", "first-model", "first"))
            + f" {ir['floor-parse'] / 1e6:>8.2f} {ir['first-cold'] / ir['floor-parse']:>10.2f}x")
    say("    certificate cache counters after the timed runs (spdm-bench's cert-cache line): "
        + "; ".join(f"{label} {int(d['cert-cache']['hits'])} hits, "
                    f"{int(d['cert-cache']['misses'])} misses, "
                    f"{int(d['cert-cache']['evictions'])} evictions, "
                    f"{int(d['cert-cache']['entries'])} entries" for label, d in res.items()))
    say("    target: <= 1.2x the crypto floor; auth/s and the first CPU columns: a device seen before")
    say("    auth/s is end to end (wall clock, the responder's signing included); "
        "sys us is the kernel's share (loopback TCP)")
    say()
    say("B2  re-authentication (spdm_authenticate() again on the same state: chains cached) "
        "vs first authentication of a device seen before (certificate cache warm: the "
        "smaller gap)")
    say(f"    {'algorithm':<9} {'bytes 1st':>9} {'bytes re':>8} {'ratio':>6} {'msgs 1st':>8} "
        f"{'msgs re':>7} {'CPU us 1st':>10} {'CPU us re':>9} {'faster':>6} {'Mi 1st':>7} "
        f"{'Mi re':>6} {'ratio':>6} {'re/floor':>8}")
    for label, d in res.items():
        f, re_, ir = d["first"], d["reauth"], d["ir"]
        c1 = f["usr_us"] + f["sys_us"]
        c2 = re_["usr_us"] + re_["sys_us"]
        say(f"    {label:<9} {f['bytes']:>9.0f} {re_['bytes']:>8.0f} "
            f"{f['bytes'] / re_['bytes']:>5.2f}x {2 * f['exchanges']:>8.0f} "
            f"{2 * re_['exchanges']:>7.0f} {c1:>10.0f} {c2:>9.0f} {c1 / c2:>5.2f}x "
            f"{ir['first'] / 1e6:>7.2f} {ir['reauth'] / 1e6:>6.2f} "
            f"{ir['first'] / ir['reauth']:>5.2f}x {ir['reauth'] / ir['floor-reauth']:>7.2f}x")
    say("    target: >= 2x fewer bytes and >= 1.5x faster; messages = requests + responses; "
        "re/floor = instructions vs the two signature checks alone")
    say()
    return res


def b3_profile(p256_verify):
    """Instructions per agent decision (bench/agent-decide under callgrind): a cached
    decision in steady state ((30 - 10) / 20 decisions on one validator) and a
    decision with a new validator (chain validated; certificates from the agent's
    certificate cache, or parsed: cache emptied), beside one P-256 transcript
    signature check (half of B1's P-256 floor-reauth)."""
    exe = os.path.join(OUT, "agent-decide")
    trust = ("--trust", os.path.join(BUILD, "pki", "trust"))
    with Responder("--asym", "ecp256", "--hash", "sha256") as r:
        cached = (callgrind_total(r.port, "cached", 30, exe, *trust) -
                  callgrind_total(r.port, "cached", 10, exe, *trust)) / 20
        fresh = (callgrind_total(r.port, "fresh", 5, exe, *trust) -
                 callgrind_total(r.port, "fresh", 0, exe, *trust)) / 5
        cold = (callgrind_total(r.port, "fresh-cold", 5, exe, *trust) -
                callgrind_total(r.port, "fresh-cold", 0, exe, *trust)) / 5
    commands.append(f"B3 instructions: valgrind --tool=callgrind {rel(exe)} --port PORT "
                    f"--trust {rel(BUILD)}/pki/trust --count N --what cached|fresh|fresh-cold "
                    f"(responder ecp256/sha256)")
    say(f"    instructions (callgrind, agent-decide on real P-256 evidence from the core): cached "
        f"decision {cached / 1e6:.2f} M = {cached / p256_verify:.2f}x one P-256 transcript "
        f"check ({p256_verify / 1e6:.2f} M); new validator {fresh / 1e6:.2f} M with the "
        f"certificates cached, {cold / 1e6:.2f} M parsing them")


def b3(p256_verify):
    r = subprocess.run(["make", "-s", "-C", os.path.join(SRC, "agent"), f"BUILD={BUILD}",
                        os.path.join(BUILD, "agent", "agent-bench")],
                       capture_output=True, text=True)
    exe = os.path.join(BUILD, "agent", "agent-bench")
    if r.returncode or not os.path.exists(exe):
        say("B3  agent: agent-bench did not build: " + (r.stderr.strip().splitlines() or ["?"])[-1])
        say()
        return
    out = subprocess.run([exe], capture_output=True, text=True)
    commands.append(f"B3: make -C agent bench  (runs {rel(exe)})")
    say("B3  agent decisions per second on replayed evidence (agent library API, no kernel; "
        "agent/bench/agent-bench.c)")
    if out.returncode:
        say("    agent-bench failed: " + out.stderr.strip())
    for line in out.stdout.splitlines():
        say("    " + line.strip())
    m_hit = re.search(r"cache hits\):\s+([\d.]+)", out.stdout)
    m_miss = re.search(r"misses\):\s+([\d.]+) decisions/s = ([\d.]+)x", out.stdout)
    m_hit_n = re.search(r"same chain, (\d+) workers?:\s+([\d.]+)", out.stdout)
    if m_hit and m_miss and m_hit_n:
        say(f"    => repeated chains: {float(m_hit.group(1)):.0f} decisions/s on one thread, "
            f"{float(m_hit_n.group(2)):.0f} on {m_hit_n.group(1)} (target >= 20000); "
            f"unique chains: agent time = {1 / float(m_miss.group(2)):.2f}x X509_verify_cert "
            f"(target <= 1.3x)")
    b3_profile(p256_verify)
    say()


def vm_bench():
    """B4 and B5: one boot each, through the VM harness (bench/vm/*.sh)."""
    tests = [("B4", "bench-boot-scaling"), ("B5", "bench-trace-overhead")]
    for tag, name in tests:
        script = os.path.join(HERE, "vm", name + ".sh")
        logdir = os.path.join(OUT, "vm")
        os.makedirs(logdir, exist_ok=True)
        t0 = time.time()
        r = subprocess.run([sys.executable, os.path.join(SRC, "tests", "vm", "vmtest.py"),
                            *os.environ["BENCH_VM_ARGS"].split(), "--logs", logdir, script],
                           capture_output=True, text=True)
        commands.append(f"{tag}: make -C bench vm-bench VM_BENCH={name}  (logs: "
                        f"{rel(logdir)}/{name}/)")
        res = os.path.join(logdir, name, "bench.txt")
        if os.path.exists(res):
            with open(res) as f:
                for line in f:
                    say(line.rstrip())
        else:
            say(f"{tag}  {name}: no result (harness exit {r.returncode}, {time.time() - t0:.0f} s); "
                f"logs in {rel(logdir)}/{name}/")
            for line in (r.stdout + r.stderr).strip().splitlines()[-8:]:
                say("    " + line)
        say()


def main():
    os.makedirs(OUT, exist_ok=True)
    t0 = time.time()
    say(f"spdm benchmarks, {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, "
        f"{os.uname().nodename} ({os.cpu_count()} CPUs), load {os.getloadavg()[0]:.1f}")
    say()
    res = b1_b2()
    b3(res["P-256"]["ir"]["floor-reauth"] / 2)
    if os.environ.get("BENCH_VM", "1") != "0" and os.environ.get("BENCH_VM_ARGS"):
        vm_bench()
    say("Reproduce (PORT: the port spdm-responder prints):")
    for c in commands:
        say("    " + c)
    say(f"(benchmarks took {time.time() - t0:.0f} s)")
    with open(os.path.join(OUT, "results.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"written to {os.path.join(OUT, 'results.txt')}")


if __name__ == "__main__":
    main()
