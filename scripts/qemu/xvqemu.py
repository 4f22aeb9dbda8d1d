# SPDX-License-Identifier: GPL-2.0-only
"""
Booting the built hypervisor in QEMU with dom0less guests: the one place
that knows the emulated machine, the boot modules' layout, Xen's command
line, and how to watch a console.  Used by tests/xtf/xtf-runner and
scripts/qemu/linux-guest.py.

The machine is QEMU's arm64 "virt" with virtualization (EL2 for Xen), a
GICv3 and an emulated SMMUv3 (QEMU 7.2's is stage-1 only: Xen's own SMMUv3
driver declines it, so there is no I/O virtualisation and the guests'
vSMMUs serve virtual streams).  Each guest is a dom0less domain: a
"xen,domain" node under /chosen whose kernel is a boot module that QEMU's
loader device places in RAM.
"""

import os
import re
import selectors
import signal
import subprocess
import threading
import time

QEMU = "qemu-system-aarch64"
MACHINE = "virt,virtualization=on,gic-version=3,iommu=smmuv3"
# pauth-impdef: QEMU's cheap pointer-authentication algorithm (TCG speed).
CPU = "max,pauth-impdef=on"
RAM_MB = 1024
MODULE_BASE = 0x50000000
MODULE_ALIGN = 2 << 20
XEN_BOOTARGS = ("console=dtuart dtuart=/pl011@9000000 loglvl=all "
                "guest_loglvl=all bootscrub=0")

# Xen console lines that mean the hypervisor itself is in trouble.
XEN_TROUBLE = re.compile(
    r"Panic on CPU|Xen BUG at|Assertion '.*' failed|FATAL TRAP|"
    r"Xen WARN at|Xen call trace|domain_crash called|Unexpected Trap")
# A guest's console line: "(d1) text" (console_io), or "DOM1: text" (Xen's
# vpl011 backend, for a domain without the console focus), possibly after
# Xen's own "(XEN) " prefix.  The domain with the focus gets its vpl011
# output printed bare ("(XEN) text"): only Console.lines has it.
GUEST_LINE = re.compile(r"^(?:\(XEN\) )?(?:\(d(\d+)\) ?|DOM(\d+): )(.*)$")
XEN_PREFIX = re.compile(r"^\(XEN\) ")

_base_lock = threading.Lock()


def base_dts(workdir, smp):
    """QEMU's own virt tree for this machine shape, as DTS text (cached)."""
    path = os.path.join(workdir, "virt-smp%d.dts" % smp)
    with _base_lock:
        if not os.path.exists(path):
            os.makedirs(workdir, exist_ok=True)
            dtb = path[:-4] + ".dtb"
            subprocess.run(
                ["timeout", "60", QEMU, "-machine", MACHINE, "-cpu", CPU,
                 "-m", str(RAM_MB), "-smp", str(smp), "-nographic",
                 "-nic", "none", "-machine", "dumpdtb=" + dtb],
                check=True, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb],
                                 check=True, capture_output=True,
                                 text=True).stdout
            with open(path + ".tmp", "w") as f:
                f.write(dts)
            os.rename(path + ".tmp", path)
    with open(path) as f:
        return f.read()


class Module:
    """A file QEMU loads into RAM for Xen to hand to a guest."""

    def __init__(self, path, compatible):
        self.path = path
        self.compatible = compatible
        self.size = os.path.getsize(path)
        self.addr = None


class Guest:
    """A dom0less domain: its properties and boot modules."""

    def __init__(self, name, kernel, memory_mb, vcpus=1, viommu=None,
                 vpl011=False, bootargs="", ramdisk=None):
        self.name = name
        self.memory_mb = memory_mb
        self.vcpus = vcpus
        self.viommu = viommu
        self.vpl011 = vpl011
        self.bootargs = bootargs
        self.kernel = Module(kernel, '"multiboot,kernel", "multiboot,module"')
        self.ramdisk = (Module(ramdisk, '"multiboot,ramdisk", "multiboot,module"')
                        if ramdisk else None)

    def modules(self):
        return [m for m in (self.kernel, self.ramdisk) if m]

    def dts(self):
        props = ['compatible = "xen,domain";', "#address-cells = <2>;",
                 "#size-cells = <2>;",
                 "memory = <0 %d>;" % (self.memory_mb * 1024),
                 "cpus = <%d>;" % self.vcpus]
        if self.viommu:
            props.append('viommu = "%s";' % self.viommu)
        if self.vpl011:
            props.append("vpl011;")
        mods = []
        for m in self.modules():
            extra = ('\n                bootargs = "%s";' % self.bootargs
                     if m is self.kernel and self.bootargs else "")
            mods.append("""
            module@%x {
                compatible = %s;
                reg = <0 0x%x 0 0x%x>;%s
            };""" % (m.addr, m.compatible, m.addr, m.size, extra))
        return """
        %s {
            %s%s
        };""" % (self.name, "\n            ".join(props), "".join(mods))


def place(guests):
    """Give every boot module a load address, 2 MiB aligned."""
    addr = MODULE_BASE
    for g in guests:
        for m in g.modules():
            m.addr = addr
            addr += (m.size + MODULE_ALIGN - 1) // MODULE_ALIGN * MODULE_ALIGN


def write_dtb(workdir, run_dir, guests, smp):
    """QEMU's tree plus /chosen for Xen and the guests; returns the DTB."""
    place(guests)
    chosen = """
/ {
    chosen {
        #address-cells = <2>;
        #size-cells = <2>;
        xen,xen-bootargs = "%s";
%s
    };
};
""" % (XEN_BOOTARGS, "".join(g.dts() for g in guests))
    dts = os.path.join(run_dir, "test.dts")
    dtb = os.path.join(run_dir, "test.dtb")
    with open(dts, "w") as f:
        f.write(base_dts(workdir, smp) + chosen)
    r = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts],
                       capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError("dtc: " + r.stderr.strip())
    return dtb


def qemu_cmd(xen, dtb, guests, smp):
    cmd = [QEMU, "-machine", MACHINE, "-cpu", CPU, "-m", str(RAM_MB),
           "-smp", str(smp), "-nographic", "-nic", "none", "-no-reboot",
           "-semihosting-config", "enable=on,target=native",
           "-kernel", xen, "-dtb", dtb]
    for g in guests:
        for m in g.modules():
            cmd += ["-device",
                    "loader,file=%s,addr=0x%x,force-raw=on" % (m.path, m.addr)]
    return cmd


class Console:
    """What was seen on the console, line by line."""

    def __init__(self):
        self.guest_lines = {}       # domid -> [lines]
        self.trouble = []           # Xen lines matching XEN_TROUBLE
        self.xen_lines = []         # everything else
        self.lines = []             # every line, "(XEN) " stripped

    def feed(self, line):
        if XEN_TROUBLE.search(line):
            self.trouble.append(line.strip())
        self.lines.append(XEN_PREFIX.sub("", line))
        m = GUEST_LINE.match(line)
        if m:
            dom = int(m.group(1) or m.group(2))
            self.guest_lines.setdefault(dom, []).append(m.group(3).rstrip())
        else:
            self.xen_lines.append(line)


def boot(cmd, logpath, timeout, done=None, grace=2.0):
    """
    Run @cmd (QEMU) in its own process group, copy its output to @logpath,
    feed every line to a Console.  Stops when QEMU exits, when @timeout
    seconds pass, when done(console) is true, or @grace seconds after Xen
    showed trouble.  Returns (console, exit status or None, timed_out).
    """
    con = Console()
    deadline = time.monotonic() + timeout
    timed_out = False
    trouble_at = None
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    buf = b""
    try:
        with open(logpath, "wb") as logf:
            while True:
                now = time.monotonic()
                if now >= deadline:
                    timed_out = True
                    break
                if trouble_at and now - trouble_at > grace:
                    break
                if done and done(con):
                    break
                if not sel.select(timeout=min(0.5, deadline - now)):
                    if p.poll() is not None:
                        break
                    continue
                chunk = os.read(p.stdout.fileno(), 65536)
                if not chunk:
                    break
                logf.write(chunk)
                logf.flush()
                buf += chunk
                *lines, buf = buf.split(b"\n")
                for raw in lines:
                    con.feed(raw.decode("utf-8", "replace").rstrip("\r"))
                if con.trouble and not trouble_at:
                    trouble_at = time.monotonic()
    finally:
        stop(p)
        sel.close()
    # A last line without its newline still counts.
    if buf:
        con.feed(buf.decode("utf-8", "replace").rstrip("\r"))
    return con, (None if timed_out else p.returncode), timed_out


def stop(p):
    """End QEMU (the whole process group) if it still runs."""
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
    if p.stdout:
        p.stdout.close()
