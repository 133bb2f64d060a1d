#!/usr/bin/env python3
"""Host-side checks of the VM harness that need no VM: directive parsing, the
kernel log patterns, the listening probe and the responder choice. TAP on stdout.

usage: harness-selftest.py
"""
import importlib.util
import os
import socket
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

for i, (ok, name) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - harness: {name}")
print(f"1..{len(results)}")
sys.exit(0 if all(ok for ok, _ in results) else 1)
