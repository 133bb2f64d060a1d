#!/usr/bin/env python3
"""Host-side checks of the VM harness that need no VM: directive parsing, the
kernel log patterns, the listening probe, the responder choice, the choice of
accelerator (against a fake QEMU), the responder port pool, and the scheduler
of tests run side by side (whole harness runs against a fake QEMU that runs
the test script on the host). TAP on stdout.

usage: harness-selftest.py
"""
import contextlib
import importlib.util
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("vmtest", os.path.join(HERE, "vmtest.py"))
vmtest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vmtest)

results = []


def check(name, cond):
    results.append((bool(cond), name))


# One real-looking console line per pattern the contract names.
BAD_LINES = {
    "BUG": "[   12.1] BUG: kernel NULL pointer dereference, address: 0000000000000008",
    "WARNING": "[   12.6] WARNING: CPU: 0 PID: 168 at drivers/pci/doe.c:42 f+0x1c/0x40",
    "Oops": "[   12.7] Oops: 0002 [#1] PREEMPT SMP NOPTI",
    "general protection fault": "[ 3.1] general protection fault, probably for non-canonical address",
    "hung_task": "[  200.0] INFO: task kworker/0:1:12 blocked for more than 30 seconds.",
    "hung_task_timeout_secs": '[ 200.0] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables',
    "refcount_t": "[   13.0] refcount_t: underflow; use-after-free.",
    "list_del corruption": "[ 13.0] list_del corruption, ffff8880.next is LIST_POISON1 (dead000000000100)",
    "UBSAN": "[   13.0] UBSAN: array-index-out-of-bounds in lib/spdm/core.c:99:10",
    "KASAN": "[   13.0] KASAN: slab-out-of-bounds in spdm_parse+0x30/0x90",
    "panic": "[    3.9] Kernel panic - not syncing: sysrq triggered crash",
}
CLEAN_LINES = [
    "[    2.9] 9p: Installing v9fs 9p2000 file system support",
    "[    4.4] nvme nvme0: pci function 0000:01:00.0",
    "[    1.0] Kernel command line: console=ttyS0 panic=-1 rdinit=/init",
    "[    9.2] vm-run: starting /src/tests/vm/tests/doe-probe.sh",
    "[    0.5] Spectre V2 : Mitigation: Retpolines",
]
for what, line in BAD_LINES.items():
    check(f"log scan flags {what}", vmtest.KERNEL_BAD.search(line))
for line in CLEAN_LINES:
    check(f"log scan passes '{line.split('] ', 1)[1][:40]}'", not vmtest.KERNEL_BAD.search(line))

with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as f:
    f.write("# vm-devices: 2\n# vm-responder-args: --fault x:y --versions 1.2\n"
            "#vm-device-args-1: --slot 0:ecp384\n# vm-qemu-args: -icount shift=0,sleep=off\n"
            "echo '# vm-smp: 4' # not a header line\n")
d = vmtest.directives(f.name)
os.unlink(f.name)
check("directive vm-devices", d["devices"] == "2")
check("directive vm-responder-args keeps its words", d["responder-args"] == "--fault x:y --versions 1.2")
check("directive vm-device-args-K", d["device-args-1"] == "--slot 0:ecp384")
check("directive defaults", d["timeout"] == "120" and d["root-ports"] == "4" and d["smp"] == "1")
check("directive vm-qemu-args", d["qemu-args"] == "-icount shift=0,sleep=off")
check("directive vm-qemu-args defaults to none", vmtest.DEFAULTS["qemu-args"] == "")
check("directive vm-kernels defaults to both kernels", d["kernels"].split() == list(vmtest.KERNELS))
check("directive vm-kernel-args defaults to none", d["kernel-args"] == "")
check("directive vm-suspend defaults to no", d["suspend"] == "no")
plain = vmtest.share_args("/run/x")
check("9p shares: on the root complex by default",
      plain == ["-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on",
                "-virtfs", "local,path=/run/x,mount_tag=rundir,security_model=none"])
sus = " ".join(vmtest.share_args("/run/x", 6))
check("9p shares for vm-suspend: behind root ports after the test's, No_Soft_Reset",
      "pcie-root-port,id=rp-hostroot,chassis=7,slot=7,addr=0x10.6" in sus
      and "pcie-root-port,id=rp-rundir,chassis=8,slot=8,addr=0x10.7" in sus
      and "virtio-9p-pci,fsdev=fs-hostroot,mount_tag=hostroot,bus=rp-hostroot,x-pcie-pm-no-soft-reset=on" in sus
      and "local,id=fs-hostroot,path=/,security_model=none,readonly=on" in sus
      and "virtio-9p-pci,fsdev=fs-rundir,mount_tag=rundir,bus=rp-rundir,x-pcie-pm-no-soft-reset=on" in sus)
cmd = vmtest.qemu_boot_cmd([], "k", "i", "/c.log", console_input="/in")
check("serial console with input for vm-suspend",
      "file,id=console,path=/c.log,input-path=/in" in cmd and "chardev:console" in cmd
      and "file:/c.log" not in cmd)
check("vm-kernel-args reach the guest's command line",
      "spdm_cma.gate_timeout=0" in vmtest.qemu_boot_cmd([], "k", "i", "c", extra_append="spdm_cma.gate_timeout=0")[-1])

# A test for the other kernel is skipped, with a reason, and boots nothing.
with tempfile.TemporaryDirectory() as tmp:
    test = os.path.join(tmp, "only-debian.sh")
    with open(test, "w") as f:
        f.write("# vm-kernels: debian\nexit 1\n")
    tap = os.path.join(tmp, "vm.tap")
    r = subprocess.run([sys.executable, os.path.join(HERE, "vmtest.py"), "--kver", "none",
                        "--cache", tmp, "--initramfs", "none", "--srcdir", tmp, "--build", tmp,
                        "--logs", tmp, "--tap", tap, "--kernel", "patched", test],
                       env={**os.environ, "VM_ACCEL": "tcg", "PATH": "/nonexistent"},
                       capture_output=True, text=True)
    check("a debian-only test on the patched kernel: skipped with its reason",
          r.returncode == 0 and os.path.exists(tap) and open(tap).read() ==
          "ok 1 - only-debian: # SKIP runs on the debian kernel only\n1..1\n")

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    check("listening probe: bound but not listening", not vmtest.listening(port))
    s.listen(1)
    check("listening probe: listening", vmtest.listening(port))

with tempfile.TemporaryDirectory() as build:
    os.environ.pop("SPDM_RESPONDER", None)
    tmpl, source = vmtest.responder_template(build)
    check("responder: built-in listener without a build", "null-responder.py" in tmpl
          and "accepts the connection only" in source)
    os.makedirs(os.path.join(build, "responder"))
    ours = os.path.join(build, "responder", "spdm-responder")
    with open(ours, "w") as f:
        f.write("#!/bin/sh\n")
    os.chmod(ours, 0o755)
    tmpl, source = vmtest.responder_template(build)
    check("responder: the project's when built", tmpl == f"{ours} --port {{port}}")
    os.environ["SPDM_RESPONDER"] = "vendor-resp -p {port}"
    tmpl, source = vmtest.responder_template(build)
    check("responder: SPDM_RESPONDER wins", tmpl == "vendor-resp -p {port}" and
          source == "SPDM_RESPONDER")
    r = vmtest.Responder(tmpl, "nvme0", "--fault 'a b'", build)
    check("responder: port substituted and args appended",
          r.cmd == ["vendor-resp", "-p", str(r.port), "--fault", "a b"])

# A fake qemu-system-x86_64 early in PATH, behaving as FAKE_QEMU says, under
# -accel kvm only: "dies" at once (a CPU model KVM cannot run), "crashes"
# part-way through the guest's boot, "hangs" without booting, "boots" to the
# probe marker. It appends its arguments (one JSON list a line) to FAKE_QEMU_LOG.
FAKE_QEMU = r"""#!/usr/bin/env python3
import json, os, sys, time
args = sys.argv[1:]
with open(os.environ["FAKE_QEMU_LOG"], "a") as f:
    f.write(json.dumps(args) + "\n")
console = next(a[5:] for a in args if a.startswith("file:"))
mode = os.environ["FAKE_QEMU"] if "kvm" in args else "boots"
if mode == "dies":
    sys.exit("qemu-system-x86_64: error: failed to set MSR 0x10a to 0x0")
with open(console, "w") as f:
    f.write("[    0.000000] Linux version 6.12.0\n")
    f.flush()
    if mode == "crashes":
        f.write("[    1.2] traps: init[1] general protection fault\n")
        sys.exit(1)
    if mode == "hangs":
        time.sleep(60)
    if "vmtest.probe=1" in args[args.index("-append") + 1]:
        f.write("[    1.5] vm-init: probe ok\n")
"""

with tempfile.TemporaryDirectory() as fake:
    qemu = os.path.join(fake, "qemu-system-x86_64")
    with open(qemu, "w") as f:
        f.write(FAKE_QEMU)
    os.chmod(qemu, 0o755)
    os.environ["PATH"] = fake + os.pathsep + os.environ["PATH"]
    os.environ["FAKE_QEMU_LOG"] = calls_log = os.path.join(fake, "calls")
    os.environ.pop("VM_ACCEL", None)
    vmtest.PROBE_TIMEOUT = 3

    def choose(mode, kvm=True, kernel="vmlinuz-a", initrd="initrd-a", twice=False):
        """The accelerator chosen, the probe's QEMU command lines and the harness output."""
        os.environ["FAKE_QEMU"] = mode
        open(calls_log, "w").close()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            chosen = vmtest.accel(kernel, initrd, kvm_opens_fn=lambda: kvm)
            if twice:
                chosen = vmtest.accel(kernel, initrd, kvm_opens_fn=lambda: kvm)
        import json
        calls = [json.loads(line) for line in open(calls_log)]
        return chosen, calls, out.getvalue().splitlines()

    def runs(cmd, args):
        return any(cmd[i:i + len(args)] == args for i in range(len(cmd)))

    chosen, calls, out = choose("boots", twice=True)
    check("accel: KVM when the guest boots under it", chosen == vmtest.KVM_ACCEL)
    check("accel: the probe runs the accelerator and CPU model the tests run",
          len(calls) == 1 and runs(calls[0], chosen))
    check("accel: the probe boots the real kernel and initramfs",
          calls and runs(calls[0], ["-kernel", "vmlinuz-a", "-initrd", "initrd-a"]))
    check("accel: one probe per harness run", len(calls) == 1)
    check("accel: nothing printed when KVM works", out == [])
    for n, mode in enumerate(("dies", "crashes", "hangs")):
        chosen, calls, out = choose(mode, kernel=f"vmlinuz-{mode}", twice=True)
        check(f"accel: TCG when QEMU under KVM {mode}", chosen == vmtest.TCG_ACCEL)
        check(f"accel: {mode}: probed once with -accel kvm -cpu host",
              len(calls) == 1 and runs(calls[0], vmtest.KVM_ACCEL))
        check(f"accel: {mode}: one line says so",
              len(out) == 1 and "KVM" in out[0] and "TCG" in out[0])
    chosen, calls, out = choose("boots", kvm=False, kernel="vmlinuz-nokvm")
    check("accel: TCG without a usable /dev/kvm, no probe", chosen == vmtest.TCG_ACCEL
          and calls == [])
    os.environ["VM_ACCEL"] = "kvm"
    chosen, calls, out = choose("dies", kernel="vmlinuz-forced")
    check("accel: VM_ACCEL=kvm is taken as it is", chosen == vmtest.KVM_ACCEL and calls == [])
    os.environ.pop("VM_ACCEL")

# The responder port pool: never one port twice, never one bound elsewhere.
pool = vmtest.Ports()
got = []
workers = [threading.Thread(target=lambda: got.extend(pool.get() for _ in range(50)))
           for _ in range(8)]
for w in workers:
    w.start()
for w in workers:
    w.join()
check("ports: 400 taken from 8 threads at once are all different", len(set(got)) == len(got) == 400)
lo, hi = vmtest.ephemeral_range()
check("ports: none from the ephemeral range", not any(lo <= p <= hi for p in got))
with socket.socket() as foreign:
    foreign.bind(("127.0.0.1", 0))
    foreign.listen(1)
    fp = foreign.getsockname()[1]
    pool = vmtest.Ports([(fp, fp + 2)])
    first = pool.get()
    check("ports: one bound by another program is skipped", first == fp + 1)
    with contextlib.suppress(RuntimeError):
        pool.get()
        first = None
    check("ports: one handed out is not handed out again", first == fp + 1)
    pool.put(fp + 1)
    check("ports: one given back is handed out again", pool.get() == fp + 1)

# A responder that writes its pid where FAKE_RESP_DIR says and sends its --id
# to whoever connects; it listens like ours (SO_REUSEADDR, 127.0.0.1).
FAKE_RESPONDER = r"""#!PYTHON -S
import os, socket, sys
args = sys.argv[1:]
port = int(args[args.index("--port") + 1])
ident = [args[i + 1] for i, a in enumerate(args) if a == "--id"][-1:] or ["?"]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(8)
with open(os.path.join(os.environ["FAKE_RESP_DIR"], ident[0] + ".pid"), "w") as f:
    f.write(str(os.getpid()))
while True:
    c, _ = s.accept()
    c.sendall(ident[0].encode() + b"\n")
    c.close()
"""

# A QEMU that serves QMP and vmctl as the real one does, asks each device's
# responder who it is, runs the test script on the host with VM_RUNDIR set,
# then sends the vmctl requests the script left in VM_RUNDIR/ctl-requests as
# the guest would, and appends what it saw (with the replies and the HMP
# commands it ran), one JSON line per run, to FAKE_QEMU_RUNS. HMP answers as
# QEMU's does: pcie_aer_inject_error succeeds on a root port (rpN) only.
FAKE_RUN_QEMU = r"""#!PYTHON -S
import json, os, re, shlex, socket, subprocess, sys, threading, time
args = sys.argv[1:]
def opts(flag):
    return [args[i + 1] for i, a in enumerate(args[:-1]) if a == flag]
qmp_path = re.search(r"unix:([^,]+)", opts("-qmp")[0]).group(1)
ctl_path = next(re.search(r"path=([^,]+)", c).group(1) for c in opts("-chardev") if "id=vmctl" in c)
rundir = next(re.search(r"path=([^,]+)", v).group(1) for v in opts("-virtfs") + opts("-fsdev")
              if "tag=rundir" in v or "id=fs-rundir" in v)
console = next((c for c in opts("-chardev") if "id=console" in c), None)
inpath = re.search(r"input-path=([^,]+)", console).group(1) if console else None
console = re.search(r"path=([^,]+)", console).group(1) if console else opts("-serial")[0][5:]
ports = [int(m.group(1)) for d in opts("-device") for m in [re.search(r"spdm_port=(\d+)", d)] if m]
with open(os.path.join(rundir, "qemu.pid"), "w") as f:
    f.write(str(os.getpid()))
def server(path):
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.listen(1)
    return s
qmp, ctl = server(qmp_path), server(ctl_path)
hmp = []
def serve_qmp():
    c, _ = qmp.accept()
    f = c.makefile("rw")
    f.write('{"QMP": {"version": {}, "capabilities": []}}\n')
    f.flush()
    for line in f:
        req = json.loads(line)
        ret = {}
        if req["execute"] == "human-monitor-command":
            cmd = req["arguments"]["command-line"]
            hmp.append(cmd)
            m = re.fullmatch(r"pcie_aer_inject_error (\S+) (\S+)", cmd)
            if not m or not re.fullmatch(r"rp\d+", m.group(1)):
                ret = "id or pci device path is invalid or device has no AER capability\r\n"
            elif m.group(2) not in ("MALF_TLP", "POISON_TLP", "BAD_TLP"):
                ret = f'invalid error status value. "{m.group(2)}"\r\n'
            else:
                ret = f"OK id: {m.group(1)} root bus: pcie.0, bus: 0 devfn: 10.0\r\n"
        f.write(json.dumps({"return": ret}) + "\n")
        f.flush()
threading.Thread(target=serve_qmp, daemon=True).start()
seen = []
for p in ports:
    with socket.create_connection(("127.0.0.1", p), 5) as s:
        seen.append(s.makefile().readline().strip())
env = dict(shlex.split(line)[1].split("=", 1) for line in open(os.path.join(rundir, "env.sh")))
with open(console, "w") as f:
    f.write("[    0.0] Linux version 6.12.0\n")
c, _ = ctl.accept()
f = c.makefile("rw")
start = time.time()
f.write("booted\n")
f.flush()
# A test that says "# fake-suspend" suspends as vm_suspend does: asks to be
# woken, then sleeps until a byte comes in on the serial input.
wake = None
if "# fake-suspend" in open(env["VM_TEST"]).read():
    f.write("wake\n")
    f.flush()
    wake = {"reply": f.readline().strip(), "woken": False}
    if inpath:
        fd = os.open(inpath, os.O_RDONLY | os.O_NONBLOCK)
        t = time.time()
        while time.time() < t + 10 and not wake["woken"]:
            try:
                wake["woken"] = os.read(fd, 1) == b"\n"
            except BlockingIOError:
                time.sleep(0.05)
        os.close(fd)
    f.write("awake\n")
    f.flush()
with open(os.path.join(rundir, "output.log"), "w") as out:
    rc = subprocess.call(["bash", env["VM_TEST"]], env=dict(os.environ, VM_RUNDIR=rundir),
                         stdout=out, stderr=subprocess.STDOUT)
end = time.time()
replies = []
requests = os.path.join(rundir, "ctl-requests")
for req in open(requests).read().splitlines() if os.path.exists(requests) else []:
    f.write(req + "\n")
    f.flush()
    replies.append(f.readline().strip())
with open(os.environ["FAKE_QEMU_RUNS"], "a") as log:
    log.write(json.dumps({"test": os.path.basename(env["VM_TEST"])[:-3], "start": start,
                          "end": end, "ports": ports, "seen": seen, "replies": replies,
                          "hmp": hmp, "wake": wake}) + "\n")
f.write(f"exit {rc}\n")
f.flush()
"""


def test_script(name, secs, serial=False, fail=False, devices=2, suspend=None):
    head = [f"# vm-devices: {devices}", f"# vm-timeout: {10 + int(secs)}"]
    if suspend is not None:
        head += ["# fake-suspend"] + (["# vm-suspend: yes"] if suspend else [])
    head += [f"# vm-device-args-{k}: --id {name}-{k}" for k in range(devices)]
    if serial:
        head.append("# vm-serial: the scheduler's self-test")
    body = ['echo "ok 1 - started" >>"$VM_RUNDIR/subtests.tap"', f"sleep {secs}"]
    if fail:
        body += ['echo "not ok 2 - fails on purpose" >>"$VM_RUNDIR/subtests.tap"', "exit 1"]
    else:
        body.append('echo "ok 2 - slept" >>"$VM_RUNDIR/subtests.tap"')
    return "\n".join(head + body) + "\n"


def overlap(a, b):
    return a["start"] < b["end"] and b["start"] < a["end"]


def most_at_once(runs):
    """The largest number of runs in progress at one instant (ends before
    starts at the same instant: one test ending as the next starts is not
    two at once)."""
    events = sorted([(r["start"], 1) for r in runs] + [(r["end"], -1) for r in runs],
                    key=lambda e: (e[0], e[1]))
    now = most = 0
    for _, step in events:
        now += step
        most = max(most, now)
    return most


with tempfile.TemporaryDirectory() as w:
    bindir = os.path.join(w, "bin")
    os.makedirs(bindir)
    os.makedirs(os.path.join(w, "pids"))
    for name, text in (("qemu-system-x86_64", FAKE_RUN_QEMU), ("fake-responder", FAKE_RESPONDER)):
        with open(os.path.join(bindir, name), "w") as f:
            f.write(text.replace("PYTHON", sys.executable, 1))  # -S: they start faster
        os.chmod(os.path.join(bindir, name), 0o755)
    tests = {"p1": test_script("p1", 0.8), "p2": test_script("p2", 0.8),
             "p3": test_script("p3", 0.8), "p4": test_script("p4", 0.8),
             "s1": test_script("s1", 0.5, serial=True), "f1": test_script("f1", 0.3, fail=True),
             "long": test_script("long", 60),
             "sus": test_script("sus", 0.1, devices=1, suspend=True),
             "nosus": test_script("nosus", 0.1, devices=1, suspend=False)}
    for name, text in tests.items():
        with open(os.path.join(w, name + ".sh"), "w") as f:
            f.write(text)
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"], VM_ACCEL="tcg",
               SPDM_RESPONDER=f"{os.path.join(bindir, 'fake-responder')} --port {{port}}",
               FAKE_RESP_DIR=os.path.join(w, "pids"), FAKE_QEMU_RUNS=os.path.join(w, "runs"))
    env.pop("VM_JOBS", None)

    def harness(jobs, names, wait=True):
        """Runs vmtest.py on the named scripts: (status, stdout lines, runs, TAP lines)."""
        for f in ("runs",):
            open(os.path.join(w, f), "w").close()
        tapdir = os.path.join(w, "tap")
        os.makedirs(tapdir, exist_ok=True)
        cmd = [sys.executable, os.path.join(HERE, "vmtest.py"), "--kver", "k", "--cache", w,
               "--initramfs", "initrd", "--srcdir", w, "--build", w,
               "--logs", os.path.join(w, "logs"), "--tap", os.path.join(tapdir, "vm.tap"),
               "-j", str(jobs), *[os.path.join(w, n + ".sh") for n in names]]
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
        if not wait:
            return p
        out = p.communicate(timeout=120)[0].splitlines()
        runs = [json.loads(line) for line in open(os.path.join(w, "runs"))]
        tap = open(os.path.join(tapdir, "vm.tap")).read().splitlines()
        return p.returncode, out, {r["test"]: r for r in runs}, tap

    mixed = ["p1", "f1", "s1", "p2", "p3", "p4"]
    rc, out, runs, tap = harness(2, mixed)
    par = [runs[n] for n in mixed if n != "s1" and n in runs]
    check("sched -j2: every test ran", sorted(runs) == sorted(mixed))
    check("sched -j2: tests overlap", any(overlap(a, b) for a in par for b in par if a is not b))
    check("sched -j2: never more than 2 at once", most_at_once(runs.values()) <= 2)
    check("sched -j2: the vm-serial test overlaps no other",
          "s1" in runs and not any(overlap(runs["s1"], r) for n, r in runs.items() if n != "s1"))
    check("sched -j2: the vm-serial test runs first", "s1" in runs and
          runs["s1"]["start"] == min(r["start"] for r in runs.values()))
    check("sched -j2: the harness says what runs alone", "vm: 6 tests, 2 at a time; alone: s1" in out)
    check("sched -j2: a failing test fails, exit status 1", rc == 1 and "vm: f1: FAILED" in
          " ".join(out))
    failures = [line for line in tap if line.startswith("not ok")]
    check("sched -j2: only the failing test fails",
          failures and all(re.match(r"not ok \d+ - f1: ", line) for line in failures)
          and all(f"vm: {n}: passed" in "\n".join(out) for n in mixed if n != "f1"))
    # Each test's lines together, ending with its own summary line.
    owners = []
    for line in out:
        m = re.match(r"(?:not )?ok \d+ - (\w+): |vm: (\w+): (?:passed|FAILED)", line)
        if m:
            owners.append(m.group(1) or m.group(2))
    blocks = [n for k, n in enumerate(owners) if k == 0 or owners[k - 1] != n]
    check("sched -j2: each test's lines printed whole", sorted(blocks) == sorted(mixed))
    check("sched -j2: TAP numbered in order with its plan",
          [int(line.split()[1 + line.startswith("not")]) for line in tap if "ok " in line[:7]]
          == list(range(1, len(tap))) and tap[-1] == f"1..{len(tap) - 1}")
    check("sched -j2: the summary line as ever",
          re.fullmatch(r"vm: 6 tests, 1 failed, [0-9.]+ s", out[-1] if out else ""))
    summary = subprocess.run([os.path.join(HERE, "..", "..", "scripts", "tap-summary.sh"),
                              os.path.join(w, "tap")], capture_output=True, text=True)
    check("sched -j2: tap-summary.sh sums it",
          summary.stdout.splitlines()[-1:] ==
          [f"{len(tap) - 1 - len(failures)} passed, {len(failures)} failed, 0 skipped"])
    ports = [p for r in runs.values() for p in r["ports"]]
    check("sched -j2: tests side by side never share a responder port",
          all(not set(a["ports"]) & set(b["ports"]) for a in runs.values()
              for b in runs.values() if a is not b and overlap(a, b)) and len(ports) == 12)
    check("sched -j2: each device reaches its own test's responder",
          all(r["seen"] == [f"{n}-0", f"{n}-1"] for n, r in runs.items()))

    rc, out, runs, tap = harness(1, mixed[:3])
    check("sched -j1: one at a time, in the order given",
          sorted(runs, key=lambda n: runs[n]["start"]) == mixed[:3] and
          not any(overlap(a, b) for a in runs.values() for b in runs.values() if a is not b))

    # vmctl "aer ID ERROR": pcie_aer_inject_error on the device's root port,
    # the port's address back; bad names and unknown devices are refused
    # before QEMU sees them, and QEMU's own refusal comes back as an error.
    with open(os.path.join(w, "aer.sh"), "w") as f:
        f.write("# vm-devices: 2\n# vm-root-ports: 0\n"
                'echo "ok 1 - started" >>"$VM_RUNDIR/subtests.tap"\n'
                "printf '%s\\n' 'aer nvme1 MALF_TLP' 'aer nvme0 POISON_TLP' 'aer nvme0 BAD;quit' "
                "'aer nvme0 MALF_TLP extra' 'aer nosuch MALF_TLP' 'aer nvme0' 'aer nvme0 NO_SUCH' "
                '>"$VM_RUNDIR/ctl-requests"\n')
    rc, out, runs, tap = harness(1, ["aer"])
    aer = runs.get("aer", {"replies": [], "hmp": []})
    check("vmctl aer: injects into the device's root port, answers with its address",
          aer["replies"][:2] == ["ok 0000:00:10.1", "ok 0000:00:10.0"] and
          aer["hmp"][:2] == ["pcie_aer_inject_error rp1 MALF_TLP",
                             "pcie_aer_inject_error rp0 POISON_TLP"])
    check("vmctl aer: a bad error name, an unknown device or no name is refused, QEMU not asked",
          len(aer["replies"]) == 7 and all(r.startswith("error ") for r in aer["replies"][2:6])
          and len(aer["hmp"]) == 3)
    check("vmctl aer: QEMU's refusal (an error name it does not know) is an error",
          aer["replies"][6:] == ['error pcie_aer_inject_error rp0 NO_SUCH: '
                                 'invalid error status value. "NO_SUCH"'])

    rc, out, runs, tap = harness(1, ["sus", "nosus"])
    check("wake: a vm-suspend guest's wake request is granted, a byte comes in on its serial input",
          rc == 0 and runs["sus"]["wake"] == {"reply": "ok", "woken": True})
    check("wake: refused, with the reason, without vm-suspend",
          runs["nosus"]["wake"]["reply"].startswith("error ")
          and "vm-suspend: yes" in runs["nosus"]["wake"]["reply"])
    hlog = open(os.path.join(w, "logs", "sus", "harness.log")).read()
    check("wake: the harness stops once the guest speaks again",
          re.search(r"guest: awake\n.*wake: \d+ bytes sent", hlog, re.S))

    rc, out, runs, tap = harness(2, ["p1", "p1"])
    check("sched: a test named twice is refused", rc == 2 and not runs)

    # SIGTERM: every guest (and what it runs) and every responder ends with the harness.
    p = harness(2, ["long", "p1"], wait=False)
    qpid = os.path.join(w, "logs", "long", "qemu.pid")
    for _ in range(200):
        if os.path.exists(qpid) and len(os.listdir(os.path.join(w, "pids"))) >= 2:
            break
        time.sleep(0.05)
    time.sleep(0.3)
    p.send_signal(signal.SIGTERM)
    p.communicate(timeout=60)
    pids = [int(open(f).read()) for f in [qpid] + [os.path.join(w, "pids", n)
                                                   for n in os.listdir(os.path.join(w, "pids"))
                                                   if n.startswith("long-")]]

    def alive(pid):
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
    check("sched: SIGTERM ends the running guests and their responders",
          len(pids) == 3 and not any(alive(pid) for pid in pids))

# VM_JOBS and the CPU count.
os.environ["VM_JOBS"] = "3"
check("jobs: VM_JOBS", vmtest.default_jobs() == 3)
os.environ.pop("VM_JOBS")
check("jobs: one per CPU by default", vmtest.default_jobs() == len(os.sched_getaffinity(0)))

for i, (ok, name) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - harness: {name}")
print(f"1..{len(results)}")
sys.exit(0 if all(ok for ok, _ in results) else 1)
