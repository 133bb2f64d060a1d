#!/usr/bin/env python3
"""Host-side checks of the VM harness that need no VM: directive parsing, the
kernel log patterns, the listening probe, the responder choice and the choice of
accelerator (against a fake QEMU). TAP on stdout.

usage: harness-selftest.py
"""
import contextlib
import importlib.util
import io
import os
import socket
import subprocess
import sys
import tempfile

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

for i, (ok, name) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - harness: {name}")
print(f"1..{len(results)}")
sys.exit(0 if all(ok for ok, _ in results) else 1)
