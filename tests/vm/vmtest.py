#!/usr/bin/env python3
"""Run VM tests: one QEMU boot per test, results as TAP.

Each test script boots its own guest (the Debian kernel from the cache, our
initramfs, the host's root over virtio-9p) with the NVMe devices its header
asks for, each attached to an SPDM responder started here first. The guest
reports back through a writable 9p share of the test's run directory and asks
for hot-add and hot-remove over a virtio-serial port named "vmctl"; this
harness executes those requests through QMP. Tests run side by side, one
thread each (-j N, VM_JOBS), a test whose header says vm-serial alone.
"""
import argparse
import collections
import json
import os
import queue
import random
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# Kernel log lines that fail a test (the list in README.md; KASAN for kernels that have it).
KERNEL_BAD = re.compile(r"BUG:|WARNING:|Oops|general protection fault|hung_task|"
                        r"blocked for more than|refcount_t:|list_del corruption|UBSAN:|KASAN:|"
                        r"Kernel panic|detected stalls")

DEFAULTS = {"devices": "0", "responder-args": "", "timeout": "120", "root-ports": "4",
            "smp": "1", "mem": "1024", "expect-kernel-warning": "no", "qemu-args": "",
            "kernel-args": "", "kernels": "debian patched", "serial": "", "suspend": "no"}
# Guest kernels: Debian's with our modules, or the patched one with the series built in.
KERNELS = ("debian", "patched")

BOOT_TIMEOUT = int(os.environ.get("VM_BOOT_TIMEOUT", "180"))
SHUTDOWN_GRACE = 30
HOST_PART_TIMEOUT = 120   # seconds for a test's NAME.host part
IMAGE_SIZE = 1 << 20
# Root ports go eight to a slot from 00:10.0 on, up to 00:1e.7 (00:1f is the ICH9).
FIRST_PORT_SLOT = 0x10
MAX_ROOT_PORTS = (0x1f - FIRST_PORT_SLOT) * 8
# Tasks blocked this long are reported (and fail the test); the default 120 s outlives most tests.
HUNG_TASK_SECS = 30
# Seconds the harness keeps waking a guest that asked for it (vm-suspend).
WAKE_TIMEOUT = 120


def log(msg):
    print(f"vm: {msg}", flush=True)


def directives(path):
    """The test's `# vm-KEY: VALUE` header lines, over the defaults."""
    d = dict(DEFAULTS)
    with open(path) as f:
        for line in f:
            m = re.match(r"#\s*vm-([a-z0-9-]+):\s*(.*?)\s*$", line)
            if m:
                d[m.group(1)] = m.group(2)
    return d


def ephemeral_range():
    """The kernel's range for the local ports of outgoing connections."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = map(int, f.read().split())
            return lo, hi
    except (OSError, ValueError):
        return 32768, 60999


def bindable(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class Ports:
    """TCP ports for responders. Never one this harness has handed out and not
    taken back (tests run side by side), never one bound at the time, and
    never one of the ephemeral range: there an outgoing connection (QEMU's to
    another test's responder, say) could take it between its choice and the
    responder's bind()."""

    def __init__(self, ranges=None):
        if ranges is None:
            lo, hi = ephemeral_range()
            ranges = [(1024, lo), (hi + 1, 65536)]
            if sum(max(0, b - a) for a, b in ranges) < 1000:
                ranges = [(1024, 65536)]
        self.ranges = [(a, b) for a, b in ranges if b > a]
        self.taken = set()
        self.lock = threading.Lock()
        self.rng = random.Random()

    def _candidate(self):
        k = self.rng.randrange(sum(b - a for a, b in self.ranges))
        for a, b in self.ranges:
            if k < b - a:
                return a + k
            k -= b - a

    def get(self):
        with self.lock:
            for _ in range(1000):
                port = self._candidate()
                if port not in self.taken and bindable(port):
                    self.taken.add(port)
                    return port
        raise RuntimeError("no free TCP port for a responder")

    def put(self, port):
        with self.lock:
            self.taken.discard(port)


PORTS = Ports()


def session_sockets(sid):
    """The inodes of the sockets open in the processes of session sid."""
    found = set()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                if int(f.read().rsplit(")", 1)[1].split()[3]) != sid:
                    continue
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:["):
                    found.add(link[8:-1])
        except (OSError, ValueError, IndexError):
            continue
    return found


def listening(port, session=None):
    """True when something listens on 127.0.0.1:port (without connecting to it:
    a responder may serve only its first connection); with session, only when
    a process of that session does (not some other program on the host)."""
    want = f":{port:04X}"
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[1].endswith(want) and fields[3] == "0A":
                        inodes.add(fields[9])
        except OSError:
            pass
    if session is None or not inodes:
        return bool(inodes)
    return bool(inodes & session_sockets(session))


def responder_template(build):
    """The responder command template and a description of where it came from."""
    env = os.environ.get("SPDM_RESPONDER")
    if env:
        return env, "SPDM_RESPONDER"
    ours = os.path.join(build, "responder", "spdm-responder")
    if os.access(ours, os.X_OK):
        return f"{ours} --port {{port}}", "the project's responder"
    return (f"python3 {os.path.join(HERE, 'null-responder.py')} --port {{port}}",
            "built-in listener (accepts the connection only; no SPDM)")


class Responder:
    # A responder that exits before it listens most likely lost its port to
    # another program: it gets another one, this many times in all.
    ATTEMPTS = 3

    def __init__(self, template, name, args, logdir, ports=PORTS):
        self.template = template
        self.args = args
        self.ports = ports
        self.port = None
        self.name = name
        self.logpath = os.path.join(logdir, f"responder-{name}.log")
        self.proc = None
        self._choose_port()

    def _choose_port(self):
        if self.port is not None:
            self.ports.put(self.port)
        self.port = self.ports.get()
        self.cmd = (shlex.split(self.template.replace("{port}", str(self.port)))
                    + shlex.split(self.args))

    def _spawn(self):
        out = open(self.logpath, "a")  # a device id may be reused after removal
        out.write("$ " + shlex.join(self.cmd) + "\n")
        out.flush()
        self.proc = subprocess.Popen(self.cmd, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()

    def start(self):
        for attempt in range(self.ATTEMPTS):
            if attempt:
                self._choose_port()
            self._spawn()
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                # Its own listening socket: not another program's on that port.
                if listening(self.port, self.proc.pid):
                    return
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
            exited = self.proc.poll() is not None
            self._kill()
            if not exited:
                break
        self.ports.put(self.port)
        raise RuntimeError(f"responder for {self.name} did not listen on port {self.port}; "
                           f"see {self.logpath}")

    def _kill(self):
        if not self.proc or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(3)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass

    def stop(self):
        self._kill()
        self.ports.put(self.port)


class QMP:
    """A minimal QMP client; events are kept for whoever waits for them."""

    def __init__(self, sock, transcript):
        self.sock = sock
        self.file = self.sock.makefile("rw")
        self.events = []
        self.transcript = transcript
        self._read()  # greeting
        self.cmd("qmp_capabilities")

    def _read(self):
        line = self.file.readline()
        if not line:
            raise RuntimeError("QMP connection closed")
        self.transcript.write("<- " + line)
        return json.loads(line)

    def cmd(self, name, **args):
        msg = json.dumps({"execute": name, "arguments": args})
        self.transcript.write("-> " + msg + "\n")
        self.transcript.flush()
        self.file.write(msg + "\n")
        self.file.flush()
        while True:
            r = self._read()
            if "event" in r:
                self.events.append(r)
            elif "error" in r:
                raise RuntimeError(f"{name}: {r['error'].get('desc', r['error'])}")
            elif "return" in r:
                return r["return"]

    def wait_event(self, name, timeout, **match):
        self.sock.settimeout(timeout)
        try:
            while True:
                for e in self.events:
                    if e["event"] == name and all(e.get("data", {}).get(k) == v
                                                  for k, v in match.items()):
                        self.events.remove(e)
                        return e
                self.events.append(self._read())
        except (socket.timeout, OSError):
            raise RuntimeError(f"no {name} event within {timeout} s")
        finally:
            self.sock.settimeout(None)

    def bus_of(self, port_id):
        """The secondary bus number the guest gave to a root port."""
        def walk(devs):
            for d in devs:
                if d.get("qdev_id") == port_id:
                    return d["pci_bridge"]["bus"]["secondary"]
                sub = d.get("pci_bridge", {}).get("devices", [])
                found = walk(sub)
                if found is not None:
                    return found
            return None
        for bus in self.cmd("query-pci"):
            found = walk(bus["devices"])
            if found is not None:
                return found
        raise RuntimeError(f"root port {port_id} not found")


class Run:
    """One test: one boot."""

    def __init__(self, opts, test, name, rundir):
        self.opts = opts
        self.test = test
        self.name = name
        self.rundir = rundir
        self.d = directives(test)
        self.tmp = tempfile.mkdtemp(prefix="vmtest-")
        self.hlog = open(os.path.join(rundir, "harness.log"), "w")
        self.responders = {}
        self.ports = {}          # root port id -> device id or None
        self.devices = {}        # device id -> (root port id, hot-added)
        self.booted = threading.Event()
        self.exited = threading.Event()
        self.exit_rc = None
        self.console_in_path = os.path.join(self.tmp, "console-in")
        self.console_in = None   # the host's end of the serial input (vm-suspend)
        self.waking = None       # set to stop pressing keys: the guest is awake
        self.qmp = None
        self.qemu = None
        self.aborted = False

    def note(self, msg):
        self.hlog.write(f"[{time.monotonic() - self.t0:8.3f}] {msg}\n")
        self.hlog.flush()

    def image(self, dev_id):
        path = os.path.join(self.tmp, f"{dev_id}.img")
        with open(path, "wb") as f:
            f.truncate(IMAGE_SIZE)
        return path

    def start_responder(self, dev_id, args):
        r = Responder(self.opts.template, dev_id, args, self.rundir)
        try:
            r.start()
        finally:
            self.note(f"responder {dev_id}: {shlex.join(r.cmd)}")
        self.responders[dev_id] = r
        return r

    def qemu_cmd(self):
        d = self.d
        o = self.opts
        ndev = int(d["devices"])
        nports = ndev + int(d["root-ports"])
        suspend = d["suspend"] == "yes"
        cmd = [*qemu_boot_cmd(o.accel, o.vmlinuz, o.initramfs,
                              os.path.join(self.rundir, "console.log"), d["smp"], d["mem"],
                              d["kernel-args"], self.console_in_path if suspend else None),
               *share_args(self.rundir, nports if suspend else None),
               # Entropy at once: early getrandom() callers need not wait for the CRNG.
               "-device", "virtio-rng-pci",
               "-device", "virtio-serial-pci,id=vser",
               "-chardev", f"socket,id=vmctl,path={self.ctl_path},server=on,wait=off",
               "-device", "virtserialport,bus=vser.0,chardev=vmctl,name=vmctl",
               "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
               *shlex.split(d["qemu-args"]), *shlex.split(os.environ.get("VM_QEMU_ARGS", ""))]
        if nports + (len(SHARES) if suspend else 0) > MAX_ROOT_PORTS:
            raise RuntimeError(f"{nports} root ports asked for, at most {MAX_ROOT_PORTS}")
        for n in range(nports):
            cmd += root_port(f"rp{n}", n)
            self.ports[f"rp{n}"] = None
        for k in range(ndev):
            dev_id = f"nvme{k}"
            args = " ".join(filter(None, [d["responder-args"], d.get(f"device-args-{k}", "")]))
            r = self.start_responder(dev_id, args)
            rp = f"rp{k}"
            cmd += ["-drive", f"file={self.image(dev_id)},if=none,id={dev_id},format=raw",
                    "-device", f"nvme,id={dev_id},drive={dev_id},serial=vm-{dev_id},"
                               f"spdm_port={r.port},bus={rp}"]
            self.ports[rp] = dev_id
            self.devices[dev_id] = (rp, False)
        return cmd

    def write_env(self):
        o = self.opts
        env = {"SRCDIR": o.srcdir, "BUILD": o.build, "KVER": o.kver, "VM_CACHE": o.cache,
               "VM_KERNEL": o.kernel,
               "VM_RUNDIR": self.rundir, "VM_TEST": self.test,
               "VM_TIMEOUT": self.d["timeout"], "VM_HUNG_TASK_SECS": str(HUNG_TASK_SECS)}
        with open(os.path.join(self.rundir, "env.sh"), "w") as f:
            for k, v in env.items():
                f.write(f"export {k}={shlex.quote(v)}\n")

    # Requests from the guest over vmctl.

    def hot_add(self, dev_id, args):
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,19}", dev_id):
            raise RuntimeError(f"bad device id {dev_id!r}")
        if dev_id in self.devices:
            raise RuntimeError(f"device {dev_id} exists")
        rp = next((p for p, v in self.ports.items() if v is None), None)
        if rp is None:
            raise RuntimeError("no free root port (raise vm-root-ports)")
        r = self.start_responder(dev_id, args)
        node = f"drv-{dev_id}"
        try:
            self.qmp.cmd("blockdev-add", driver="raw", **{"node-name": node},
                         file={"driver": "file", "filename": self.image(dev_id)})
            try:
                self.qmp.cmd("device_add", driver="nvme", id=dev_id, drive=node,
                             serial=f"vm-{dev_id}", spdm_port=r.port, bus=rp)
            except RuntimeError:
                self.qmp.cmd("blockdev-del", **{"node-name": node})
                raise
        except RuntimeError:
            self.responders.pop(dev_id).stop()
            raise
        self.ports[rp] = dev_id
        self.devices[dev_id] = (rp, True)
        return self.bdf_of(dev_id)

    def hot_del(self, dev_id):
        bdf = self.bdf_of(dev_id)
        rp, hot = self.devices[dev_id]
        self.qmp.cmd("device_del", id=dev_id)
        self.qmp.wait_event("DEVICE_DELETED", 60, device=dev_id)
        if hot:
            self.qmp.cmd("blockdev-del", **{"node-name": f"drv-{dev_id}"})
        del self.devices[dev_id]
        self.ports[rp] = None
        self.responders.pop(dev_id).stop()
        return bdf

    def aer_inject(self, dev_id, error):
        """Injects an AER error into the root port of device ID (QEMU's NVMe
        function has no AER capability; its port has) with the HMP command
        pcie_aer_inject_error. ERROR: a name QEMU knows (MALF_TLP is fatal by
        default, POISON_TLP non-fatal, BAD_TLP correctable). Returns the
        port's PCI address, the source the guest's AER driver reports."""
        if dev_id not in self.devices:
            raise RuntimeError(f"no device {dev_id}")
        if not re.fullmatch(r"[A-Z][A-Z_]{0,31}", error):
            raise RuntimeError(f"bad error name {error!r}")
        rp = self.devices[dev_id][0]
        out = self.qmp.cmd("human-monitor-command",
                           **{"command-line": f"pcie_aer_inject_error {rp} {error}"})
        # HMP reports its errors as output, not as a QMP error.
        if not str(out).startswith("OK "):
            raise RuntimeError(f"pcie_aer_inject_error {rp} {error}: {str(out).strip()}")
        slot, fn = divmod(int(rp[2:]), 8)
        return f"0000:00:{FIRST_PORT_SLOT + slot:02x}.{fn}"

    def bdf_of(self, dev_id):
        if dev_id not in self.devices:
            raise RuntimeError(f"no device {dev_id}")
        return f"0000:{self.qmp.bus_of(self.devices[dev_id][0]):02x}:00.0"

    def wake(self, stop):
        """Wake the guest from suspend to idle: a byte on its serial port, whose
        interrupt the guest armed for wakeup, every second until the guest
        speaks again. Before the guest sleeps a byte is plain console input;
        one that comes while the guest suspends its devices aborts that
        suspend (EBUSY), and the guest tries again."""
        deadline = time.monotonic() + WAKE_TIMEOUT
        n = 0
        while not stop.wait(1) and time.monotonic() < deadline:
            try:
                os.write(self.console_in, b"\n")
            except OSError as e:
                self.note(f"wake: {e}")
                return
            n += 1
        self.note(f"wake: {n} bytes sent")

    def serve_ctl(self, sock):
        f = sock.makefile("rw")
        for line in f:
            line = line.strip()
            self.note(f"guest: {line}")
            if self.waking:
                self.waking.set()
                self.waking = None
            words = line.split(None, 2)
            if not words:
                continue
            if words[0] == "wake":
                if self.console_in is None:
                    reply = "error no serial input to wake the guest (the test needs vm-suspend: yes)"
                else:
                    self.waking = threading.Event()
                    threading.Thread(target=self.wake, args=(self.waking,), daemon=True).start()
                    reply = "ok"
                self.note(f"reply: {reply}")
                f.write(reply + "\n")
                f.flush()
            elif words[0] == "awake":
                pass
            elif words[0] == "booted":
                self.booted.set()
            elif words[0] == "exit":
                self.exit_rc = int(words[1]) if len(words) > 1 else None
                self.exited.set()
            elif words[0] in ("add", "del", "bdf", "aer") and len(words) > 1:
                try:
                    if words[0] == "add":
                        reply = "ok " + self.hot_add(words[1], words[2] if len(words) > 2 else "")
                    elif words[0] == "del":
                        reply = "ok " + self.hot_del(words[1])
                    elif words[0] == "aer":
                        reply = "ok " + self.aer_inject(words[1], words[2] if len(words) > 2 else "")
                    else:
                        reply = "ok " + self.bdf_of(words[1])
                except Exception as e:  # every failure goes back to the guest
                    reply = f"error {e}"
                self.note(f"reply: {reply}")
                f.write(reply + "\n")
                f.flush()
            else:
                f.write(f"error unknown request {line!r}\n")
                f.flush()

    def connect(self, path, deadline):
        while True:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(path)
                return s
            except OSError:
                s.close()
                if self.qemu.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("QEMU did not start; see qemu.log")
                time.sleep(0.05)

    def wait_guest(self, event, timeout):
        """Wait for the guest's event; False on timeout or when QEMU exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if event.wait(0.2):
                return True
            if self.qemu.poll() is not None:
                return event.wait(1)
        return False

    def boot_and_wait(self):
        """Returns (problem or None, seconds to boot)."""
        self.ctl_path = os.path.join(self.tmp, "ctl.sock")
        self.qmp_path = os.path.join(self.tmp, "qmp.sock")
        self.write_env()
        cmd = self.qemu_cmd()
        if self.d["suspend"] == "yes":
            # Opened read-write, so that neither end waits for the other.
            os.mkfifo(self.console_in_path)
            self.console_in = os.open(self.console_in_path, os.O_RDWR | os.O_NONBLOCK)
        with open(os.path.join(self.rundir, "qemu.cmd"), "w") as f:
            f.write(shlex.join(cmd) + "\n")
        qlog = open(os.path.join(self.rundir, "qemu.log"), "w")
        self.qemu = subprocess.Popen(cmd, stdout=qlog, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        qlog.close()
        if self.aborted:
            raise RuntimeError("aborted")
        deadline = time.monotonic() + 30
        self.qmp = QMP(self.connect(self.qmp_path, deadline),
                       open(os.path.join(self.rundir, "qmp.log"), "w"))
        ctl = self.connect(self.ctl_path, deadline)
        threading.Thread(target=self.serve_ctl, args=(ctl,), daemon=True).start()

        t_boot = time.monotonic()
        if not self.wait_guest(self.booted, BOOT_TIMEOUT):
            return (f"boot: the guest did not start the test within {BOOT_TIMEOUT} s"
                    if self.qemu.poll() is None else "boot: the guest stopped before the test started"), None
        boot = time.monotonic() - t_boot
        self.note(f"booted in {boot:.1f} s")
        if not self.wait_guest(self.exited, int(self.d["timeout"]) + 15):
            if self.qemu.poll() is None:
                return f"timed out after {self.d['timeout']} s (guest stuck; QEMU killed)", boot
            return "the guest stopped before the test ended", boot
        try:
            self.qemu.wait(SHUTDOWN_GRACE)
        except subprocess.TimeoutExpired:
            self.note("guest did not power off; killing QEMU")
        return None, boot

    def kill_qemu(self):
        if self.qemu and self.qemu.poll() is None:
            try:
                os.killpg(self.qemu.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.qemu.wait()

    def abort(self):
        """From another thread: end the run now (the harness is interrupted);
        run() then cleans up."""
        self.aborted = True
        self.kill_qemu()

    def cleanup(self):
        self.kill_qemu()
        if self.waking:
            self.waking.set()
        if self.console_in is not None:
            os.close(self.console_in)
            self.console_in = None
        for r in self.responders.values():
            r.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run(self):
        """Returns a list of (ok, description) and the boot time."""
        self.t0 = time.monotonic()
        try:
            problem, boot = self.boot_and_wait()
        except Exception as e:
            problem, boot = f"setup: {e}", None
        finally:
            self.cleanup()
        self.note(f"done: {problem or 'ok'}")
        results = self.results(problem)
        if not problem and self.exit_rc == 0:
            results += self.host_part()
        return results, boot

    def host_part(self):
        """NAME.host beside NAME.sh: run on the host once the guest is done,
        on what the guest left in the run directory; its TAP lines count."""
        script = self.test[:-3] + ".host" if self.test.endswith(".sh") else None
        if not script or not os.path.exists(script):
            return []
        env = dict(os.environ, SRCDIR=self.opts.srcdir, BUILD=self.opts.build,
                   VM_RUNDIR=self.rundir)
        out = []
        with tempfile.TemporaryDirectory(prefix="vmtest-host-") as tmp:
            env["T"] = tmp
            try:
                p = subprocess.run(["bash", script], cwd=self.opts.srcdir, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   timeout=HOST_PART_TIMEOUT, errors="replace")
                text, rc = p.stdout, p.returncode
            except subprocess.TimeoutExpired as e:
                text, rc = (e.stdout or b"").decode(errors="replace"), None
        with open(os.path.join(self.rundir, "host.log"), "w") as f:
            f.write(text)
        for line in text.splitlines():
            m = re.match(r"(not )?ok \d+ - (.*)", line)
            if m:
                out.append((m.group(1) is None, "host: " + m.group(2), []))
            elif line.startswith("#") and out:
                out[-1][2].append(line)
        if rc is None:
            out.append((False, f"host: timed out after {HOST_PART_TIMEOUT} s", []))
        elif rc != 0:
            out.append((False, f"host: exit status {rc}", []))
        elif not out:
            out.append((False, "host: no subtests", []))
        return out

    def results(self, problem):
        out = []
        sub = os.path.join(self.rundir, "subtests.tap")
        n = 0
        if os.path.exists(sub):
            for line in open(sub, errors="replace"):
                m = re.match(r"(not )?ok \d+ - (.*)", line)
                if m:
                    out.append((m.group(1) is None, m.group(2), []))
                    n += 1
                elif line.startswith("#") and out:
                    out[-1][2].append(line.rstrip("\n"))
        if problem:
            out.append((False, problem, self.tails() if self.exit_rc is None else []))
        elif self.exit_rc in (124, 137):
            out.append((False, f"timed out after {self.d['timeout']} s (killed in the guest)", []))
        elif self.exit_rc != 0:
            out.append((False, f"exit status {self.exit_rc}", []))
        elif n == 0:
            out.append((False, "no subtests", []))
        if os.path.exists(os.path.join(self.rundir, "console.log")):
            out.append(self.scan_kernel_log())
        return out

    def tails(self):
        """The last lines of QEMU's and the console's logs, for a guest that never finished."""
        diag = []
        for name in ("qemu.log", "console.log"):
            path = os.path.join(self.rundir, name)
            if os.path.exists(path):
                lines = open(path, errors="replace").read().splitlines()[-5:]
                diag += [f"# {name}: {line}" for line in lines if line.strip()]
        return diag

    def scan_kernel_log(self):
        bad = []
        for name in ("console.log", "dmesg.log"):
            path = os.path.join(self.rundir, name)
            if os.path.exists(path):
                bad += [f"# {name}: {line.rstrip()}" for line in open(path, errors="replace")
                        if KERNEL_BAD.search(line)]
        if self.d["expect-kernel-warning"] == "yes":
            return (bool(bad), "kernel log scan flags the expected warning", bad[:10])
        return (not bad, "kernel log clean", bad[:10])


# The 9p shares: the host's root (read-only) and the run directory.
SHARES = ("hostroot", "rundir")


def root_port(rp, n):
    """The QEMU arguments of root port n (eight to a slot from FIRST_PORT_SLOT)."""
    slot, fn = divmod(n, 8)
    return ["-device", f"pcie-root-port,id={rp},chassis={n + 1},slot={n + 1},"
                       f"addr={FIRST_PORT_SLOT + slot:#x}.{fn}"
                       + (",multifunction=on" if fn == 0 else "")]


def share_args(rundir, first_port=None):
    """The QEMU arguments of the 9p shares. With first_port (vm-suspend), each
    sits behind its own root port from that one on, as a PCIe function whose
    PM capability says No_Soft_Reset: virtio-pci then keeps the device as it
    is across a system suspend instead of resetting it, which 9p, without
    freeze/restore, would not survive. The ports come after the test's own,
    so the NVMe devices keep their bus numbers."""
    paths = {"hostroot": ("/", ",readonly=on"), "rundir": (rundir, "")}
    args = []
    for k, tag in enumerate(SHARES):
        path, ro = paths[tag]
        if first_port is None:
            args += ["-virtfs", f"local,path={path},mount_tag={tag},security_model=none{ro}"]
            continue
        rp = f"rp-{tag}"
        args += [*root_port(rp, first_port + k),
                 "-fsdev", f"local,id=fs-{tag},path={path},security_model=none{ro}",
                 "-device", f"virtio-9p-pci,fsdev=fs-{tag},mount_tag={tag},bus={rp},"
                            "x-pcie-pm-no-soft-reset=on"]
    return args


class Test:
    """A test script and what its header asks of the scheduler."""

    def __init__(self, path, jobs):
        self.path = os.path.abspath(path)
        base = os.path.basename(path)
        self.name = base[:-3] if base.endswith(".sh") else base
        self.d = directives(path)
        # Why it must run alone; "" when it may share the host.
        self.serial = "" if self.d["serial"] in ("", "no") else self.d["serial"]
        # Host CPUs it occupies: one per guest vCPU (TCG runs each on a
        # host thread; the responders and QEMU's I/O thread mostly wait).
        self.weight = jobs if self.serial else max(1, min(int(self.d["smp"]), jobs))


def default_jobs():
    """VM_JOBS, or one test per CPU this process may run on."""
    env = os.environ.get("VM_JOBS", "")
    return int(env) if env else len(os.sched_getaffinity(0))


def run_order(tests, jobs):
    """The order tests start in. One at a time: as given. Otherwise the
    tests that run alone first (nothing has to finish before they can
    start), then the others, longest time limit first, so that no long test
    starts last while the other slots stay empty."""
    if jobs == 1:
        return list(tests)
    return ([t for t in tests if t.serial]
            + sorted((t for t in tests if not t.serial), key=lambda t: -int(t.d["timeout"])))


def run_tests(o, tests, jobs, finished):
    """Runs the tests, at most `jobs` host CPUs' worth at a time, a serial test
    only when no other runs and nothing beside it. finished(test, results, boot,
    seconds) is called in this thread as each test ends, in the order they end."""
    pending = collections.deque(run_order(tests, jobs))
    running = {}                 # name -> (Run, weight, thread)
    done = queue.Queue()
    used = 0

    def work(test, run):
        t = time.monotonic()
        try:
            results, boot = run.run()
        except Exception as e:  # a harness bug in one run must not stop the others
            results, boot = [(False, f"harness: {e}", [])], None
        done.put((test, results, boot, time.monotonic() - t))

    try:
        while pending or running:
            while pending and (not running or used + pending[0].weight <= jobs):
                test = pending.popleft()
                rundir = os.path.join(o.logs, test.name)
                shutil.rmtree(rundir, ignore_errors=True)
                os.makedirs(rundir)
                run = Run(o, test.path, test.name, rundir)
                th = threading.Thread(target=work, args=(test, run), daemon=True)
                running[test.name] = (run, test.weight, th)
                used += test.weight
                th.start()
            test, results, boot, secs = done.get()
            used -= running.pop(test.name)[1]
            finished(test, results, boot, secs)
    finally:
        for run, _, _ in running.values():
            run.abort()
        for _, _, th in running.values():
            th.join(30)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kver", required=True)
    ap.add_argument("--cache", required=True)
    ap.add_argument("--initramfs", required=True)
    ap.add_argument("--srcdir", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--logs", required=True, help="per-test log directories go here")
    ap.add_argument("--tap", help="TAP file to write")
    ap.add_argument("--kernel", choices=KERNELS, default="debian",
                    help="which guest kernel KVER is: tests whose vm-kernels leave it out are skipped")
    ap.add_argument("--show-output", action="store_true",
                    help="print each test's output instead of its passing TAP lines")
    ap.add_argument("-j", "--jobs", type=int,
                    help="tests at a time (default: VM_JOBS, or the number of CPUs)")
    ap.add_argument("tests", nargs="+")
    o = ap.parse_args()
    try:
        jobs = o.jobs or default_jobs()
    except ValueError:
        ap.error(f"VM_JOBS={os.environ['VM_JOBS']!r} is not a number")
    if jobs < 1:
        ap.error("at least one test at a time")
    tests = [Test(t, jobs) for t in o.tests]
    names = [t.name for t in tests]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        ap.error(f"named more than once: {' '.join(twice)} (each test has one log directory)")
    # An interrupted harness takes its guests and responders with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))

    o.vmlinuz = os.path.join(o.cache, o.kver, "vmlinuz")
    o.accel = accel(o.vmlinuz, o.initramfs)
    o.template, source = responder_template(o.build)
    log(f"accelerator: {o.accel[1]}; responder: {source}: {o.template}")
    if len(tests) > 1:
        alone = [t.name for t in tests if t.serial]
        log(f"{len(tests)} tests, {min(jobs, len(tests))} at a time"
            + (f"; alone: {' '.join(alone)}" if alone and jobs > 1 else ""))

    tap = open(o.tap + ".tmp", "w") if o.tap else None
    n = failed = 0
    t_all = time.monotonic()
    # Tests for the other kernel are reported as skipped, before any runs.
    runnable = []
    for test in tests:
        kernels = test.d["kernels"].split()
        if o.kernel in kernels:
            runnable.append(test)
            continue
        n += 1
        line = f"ok {n} - {test.name}: # SKIP runs on the {' and '.join(kernels)} kernel only"
        print(line)
        if tap:
            tap.write(line + "\n")

    def finished(test, results, boot, secs):
        """One test's lines, written whole: tests that end together do not interleave."""
        nonlocal n, failed
        rundir = os.path.join(o.logs, test.name)
        out = []
        if o.show_output and os.path.exists(os.path.join(rundir, "output.log")):
            out.append(open(os.path.join(rundir, "output.log"), errors="replace").read())
        test_failed = False
        for ok, desc, diag in results:
            n += 1
            line = f"{'ok' if ok else 'not ok'} {n} - {test.name}: {desc}"
            if not (ok and o.show_output):
                out += [line + "\n"] + [dl + "\n" for dl in diag]
            if tap:
                tap.write(line + "\n" + "".join(dl + "\n" for dl in diag))
            test_failed |= not ok
        boot_s = f"boot {boot:.1f} s, " if boot is not None else ""
        out.append(f"vm: {test.name}: {'FAILED' if test_failed else 'passed'} ({boot_s}total "
                   f"{secs:.1f} s)\n")
        if test_failed:
            failed += 1
            out.append(f"vm: {test.name}: logs in {rundir}/ (console.log, output.log, harness.log)\n")
        sys.stdout.write("".join(out))
        sys.stdout.flush()
        if tap:
            tap.flush()

    run_tests(o, runnable, jobs, finished)
    log(f"{len(tests)} tests, {failed} failed, {time.monotonic() - t_all:.1f} s")
    if tap:
        tap.write(f"1..{n}\n")
        tap.close()
        os.replace(o.tap + ".tmp", o.tap)
    return 1 if failed else 0


# What a run uses under KVM; the probe boots exactly this.
KVM_ACCEL = ["-accel", "kvm", "-cpu", "host"]
TCG_ACCEL = ["-accel", "tcg"]
# The guest's /init prints this and powers off when the command line asks it to.
PROBE_ARG = "vmtest.probe=1"
PROBE_MARKER = "vm-init: probe ok"
PROBE_TIMEOUT = int(os.environ.get("VM_PROBE_TIMEOUT", "30"))
_accel_verdicts = {}


def qemu_boot_cmd(accel_args, vmlinuz, initramfs, console, smp="1", mem=DEFAULTS["mem"],
                  extra_append="", console_input=None):
    """The QEMU command that boots our kernel and initramfs: the part of a run's
    command line the accelerator probe shares with it. With console_input (a
    FIFO), what the host writes there is the serial port's input."""
    append = " ".join(filter(None, ["console=ttyS0", "panic=-1", "rdinit=/init",
                                    "mitigations=off", "tsc=reliable", "no_timer_check",
                                    os.environ.get("VM_KERNEL_ARGS", ""), extra_append]))
    return ["qemu-system-x86_64", "-machine", "q35", *accel_args, "-smp", smp, "-m", mem,
            "-nographic", "-vga", "none", "-no-reboot", "-monitor", "none",
            *(["-chardev", f"file,id=console,path={console},input-path={console_input}",
               "-serial", "chardev:console"] if console_input else ["-serial", f"file:{console}"]),
            "-kernel", vmlinuz, "-initrd", initramfs,
            "-append", append]


def accel(vmlinuz, initramfs, kvm_opens_fn=None):
    """KVM when it really boots our guest here, TCG otherwise (VM_ACCEL overrides).

    The verdict is probed once per harness run (per kernel and initramfs) by
    booting the real guest with exactly the accelerator and CPU model the tests
    use; when that fails, one line says why and TCG is used."""
    forced = os.environ.get("VM_ACCEL")
    if forced:
        return KVM_ACCEL if forced == "kvm" else ["-accel", forced]
    key = (vmlinuz, initramfs)
    if key not in _accel_verdicts:
        verdict = TCG_ACCEL
        if (kvm_opens_fn or kvm_opens)():
            problem = guest_boots(KVM_ACCEL, vmlinuz, initramfs, PROBE_TIMEOUT)
            if problem:
                log(f"KVM probe failed ({problem}): using TCG")
            else:
                verdict = KVM_ACCEL
        _accel_verdicts[key] = verdict
    return _accel_verdicts[key]


def kvm_opens():
    import fcntl
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        KVM_GET_API_VERSION, KVM_CREATE_VM = 0xAE00, 0xAE01
        if fcntl.ioctl(fd, KVM_GET_API_VERSION) != 12:
            return False
        os.close(fcntl.ioctl(fd, KVM_CREATE_VM, 0))
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def guest_boots(accel_args, vmlinuz, initramfs, timeout):
    """Boot the real guest kernel and initramfs to /init's probe marker.
    None when it got there, otherwise what went wrong: /dev/kvm may open on a
    host where QEMU then fails to set up the CPU, or where the guest crashes
    part-way through its boot."""
    tmp = tempfile.mkdtemp(prefix="vmprobe-")
    console = os.path.join(tmp, "console.log")
    qlog_path = os.path.join(tmp, "qemu.log")
    cmd = qemu_boot_cmd(accel_args, vmlinuz, initramfs, console, extra_append=PROBE_ARG)
    try:
        with open(qlog_path, "w") as qlog:
            qemu = subprocess.Popen(cmd, stdout=qlog, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        return f"cannot run QEMU: {e.strerror}"

    def marker_seen():
        try:
            with open(console, errors="replace") as f:
                return PROBE_MARKER in f.read()
        except OSError:
            return False

    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if marker_seen():
                return None
            rc = qemu.poll()
            if rc is not None:
                if marker_seen():
                    return None
                with open(qlog_path, errors="replace") as f:
                    last = [line.strip() for line in f if line.strip()][-1:]
                return (f"QEMU exited with status {rc} before the guest booted"
                        + (f": {last[0]}" if last else ""))
            time.sleep(0.1)
        return f"the guest did not boot within {timeout} s"
    finally:
        if qemu.poll() is None:
            os.killpg(qemu.pid, signal.SIGKILL)
        qemu.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
