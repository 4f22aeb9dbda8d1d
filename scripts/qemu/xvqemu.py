# SPDX-License-Identifier: GPL-2.0-only
"""
Booting the built hypervisor in QEMU with dom0less guests: the one place
that knows the emulated machine, the boot modules' layout, Xen's command
line, and how to watch a console.  Used by tests/xtf/xtf-runner,
scripts/qemu/linux-guest.py and scripts/qemu/dma-guest.py.

The machine is QEMU's arm64 "virt" with virtualization (EL2 for Xen), a
GICv3 and an emulated SMMUv3 (QEMU 7.2's is stage-1 only: Xen's own SMMUv3
driver declines it, so there is no I/O virtualisation and the guests'
vSMMUs serve virtual streams).  Each guest is a dom0less domain: a
"xen,domain" node under /chosen whose kernel is a boot module that QEMU's
loader device places in RAM.

Which QEMU, which machine type, and extra arguments (configure(), or the
environment; the runners' --qemu, --machine and --qemu-args):

  XV_QEMU       qemu-system-aarch64 (default: the machine's QEMU 7.2),
                qemu10 (Debian trixie's QEMU 10 that make setup unpacks,
                run by scripts/qemu/qemu10: its virt SMMUv3 has stage 1
                and stage 2, so Xen's SMMUv3 driver takes it and enables
                I/O virtualisation), or any other command or path
  XV_MACHINE    the machine type: virt (default), or e.g. virt-9.1 (QEMU
                10's last type with a stage-1-only SMMUv3)
  XV_QEMU_ARGS  more arguments, split as a shell would, e.g.
                "-device edu -drive if=none,id=d0,file=disk.img,format=raw
                -device virtio-blk-pci,drive=d0,disable-legacy=on,
                iommu_platform=on" (PCI devices sit behind the SMMUv3)

All three apply to dumping the base device tree (cached per QEMU, machine
type and arguments) and to the run.  A runner that needs a given machine
for one boot whatever the environment says (the dma tier, an XTF test that
asks for QEMU 10 and PCI devices) passes a Qemu of its own to base_dts(),
write_dtb() and qemu_cmd(), so that boots run in parallel do not share the
choice.

PCIe host bridge passthrough (pcie_host_fixup(), pcie_partial_dts()): the
only devices QEMU's SMMUv3 translates sit behind its PCIe root complex, and
Xen 4.20 on Arm has no PCI passthrough, so a dom0less guest is given the
whole host bridge as a device-tree passthrough device, its streams behind
the physical SMMU and, with iommu-map, behind the guest's vSMMU (vSID =
requester ID).
"""

import hashlib
import os
import re
import selectors
import shlex
import signal
import subprocess
import threading
import time

DEFAULT_QEMU = "qemu-system-aarch64"
DEFAULT_MACHINE_TYPE = "virt"
MACHINE_OPTS = "virtualization=on,gic-version=3,iommu=smmuv3"
# Short names for XV_QEMU / --qemu.
QEMU_NAMES = {
    "qemu10": os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "qemu10"),
}
QEMU = DEFAULT_QEMU
MACHINE_TYPE = DEFAULT_MACHINE_TYPE
MACHINE = "%s,%s" % (MACHINE_TYPE, MACHINE_OPTS)
EXTRA_ARGS = []
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

# A Linux guest: its console on the vpl011, its initramfs's /init.
LINUX_BOOTARGS = ("console=ttyAMA0 earlycon=pl011,mmio32,0x22000000 "
                  "rdinit=/init")
# Linux's DMA invalidation modes (iommu.strict), and how the kernel reports
# the one in force.
IOMMU_MODES = {"strict": "iommu.strict=1", "lazy": "iommu.strict=0"}
IOMMU_POLICY = re.compile(
    r"iommu: DMA domain TLB invalidation policy: (\w+) mode")

_base_lock = threading.Lock()


def configure(qemu=None, machine=None, extra_args=None):
    """Choose the QEMU (a name of QEMU_NAMES, a command or a path), the
    machine type and extra QEMU arguments (a string split as a shell
    would, or a list).  None keeps what the environment (XV_QEMU,
    XV_MACHINE, XV_QEMU_ARGS) or the defaults chose."""
    global QEMU, MACHINE_TYPE, MACHINE, EXTRA_ARGS
    if qemu is not None:
        QEMU = QEMU_NAMES.get(qemu, qemu) or DEFAULT_QEMU
    if machine is not None:
        MACHINE_TYPE = machine or DEFAULT_MACHINE_TYPE
        MACHINE = "%s,%s" % (MACHINE_TYPE, MACHINE_OPTS)
    if extra_args is not None:
        EXTRA_ARGS = (shlex.split(extra_args)
                      if isinstance(extra_args, str) else list(extra_args))


configure(os.environ.get("XV_QEMU", ""), os.environ.get("XV_MACHINE", ""),
          os.environ.get("XV_QEMU_ARGS", ""))


class Qemu:
    """Which QEMU, machine type and extra arguments a boot uses.  With no
    argument (or None) each is what configure() or the environment chose
    when the Qemu was made; otherwise as configure() reads it."""

    def __init__(self, qemu=None, machine=None, extra_args=None):
        self.qemu = (QEMU if qemu is None else
                     QEMU_NAMES.get(qemu, qemu) or DEFAULT_QEMU)
        self.machine_type = (MACHINE_TYPE if machine is None else
                             machine or DEFAULT_MACHINE_TYPE)
        if extra_args is None:
            self.extra_args = list(EXTRA_ARGS)
        elif isinstance(extra_args, str):
            self.extra_args = shlex.split(extra_args)
        else:
            self.extra_args = list(extra_args)

    @property
    def machine(self):
        return "%s,%s" % (self.machine_type, MACHINE_OPTS)

    def is_default(self):
        """The machine's QEMU, machine type virt, no extra arguments."""
        return (self.qemu == DEFAULT_QEMU and
                self.machine_type == DEFAULT_MACHINE_TYPE and
                not self.extra_args)

    def describe(self):
        """One line: which QEMU (with its version), machine and arguments."""
        try:
            out = subprocess.run([self.qemu, "--version"],
                                 capture_output=True, text=True,
                                 timeout=30).stdout
            ver = re.search(r"version (\S+)", out)
            ver = ver.group(1) if ver else "unknown version"
        except (OSError, subprocess.TimeoutExpired):
            ver = "not runnable"
        return "%s (QEMU %s), machine %s%s" % (
            self.qemu, ver, self.machine_type,
            ", extra arguments: " + " ".join(self.extra_args)
            if self.extra_args else "")


def is_default():
    """The configured QEMU is the machine's, type virt, no extra arguments."""
    return Qemu().is_default()


def describe():
    """One line: the configured QEMU (with its version), machine, arguments."""
    return Qemu().describe()


def base_dts(workdir, smp, q=None):
    """QEMU's own virt tree for this machine shape, as DTS text (cached:
    virt-smpN.dts for the defaults, otherwise named after the QEMU, the
    machine type and a hash of the extra arguments).  @q: a Qemu, by
    default the configured one."""
    q = q or Qemu()
    name = "virt-smp%d.dts" % smp
    if not q.is_default():
        tag = [] if q.qemu == DEFAULT_QEMU else [os.path.basename(q.qemu)]
        tag.append(q.machine_type)
        if q.extra_args:
            tag.append(hashlib.sha256(
                "\0".join(q.extra_args).encode()).hexdigest()[:8])
        name = "%s-smp%d.dts" % ("-".join(tag), smp)
    path = os.path.join(workdir, name)
    with _base_lock:
        if not os.path.exists(path):
            os.makedirs(workdir, exist_ok=True)
            dtb = path[:-4] + ".dtb"
            r = subprocess.run(
                ["timeout", "60", q.qemu, "-machine", q.machine, "-cpu", CPU,
                 "-m", str(RAM_MB), "-smp", str(smp), "-nographic",
                 "-nic", "none"] + q.extra_args +
                ["-machine", "dumpdtb=" + dtb],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if r.returncode:
                raise RuntimeError("%s could not dump its device tree: %s" % (
                    q.qemu, "; ".join(r.stderr.strip().splitlines()) or
                    "exit status %d" % r.returncode))
            dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb],
                                 check=True, capture_output=True,
                                 text=True).stdout
            with open(path + ".tmp", "w") as f:
                f.write(dts)
            os.rename(path + ".tmp", path)
    with open(path) as f:
        return f.read()


def kernel_package(kernel):
    """The Debian package make setup took the guest kernel @kernel from
    ("name version", from the .complete record next to it), or its file
    name."""
    try:
        with open(os.path.join(os.path.dirname(kernel), ".complete")) as f:
            for line in f:
                w = line.split()
                if w[:1] == ["linux"] and len(w) >= 4:
                    return "%s %s" % (w[2], w[3])
    except OSError:
        pass
    return os.path.basename(os.path.realpath(kernel))


class Module:
    """A file QEMU loads into RAM for Xen to hand to a guest."""

    def __init__(self, path, compatible):
        self.path = path
        self.compatible = compatible
        self.size = os.path.getsize(path)
        self.addr = None


class Guest:
    """A dom0less domain: its properties and boot modules.

    @dtb: a partial device tree (a compiled DTB, the "multiboot,device-tree"
    module: passthrough nodes, docs/misc/arm/passthrough.txt); @props: more
    properties of the domain node, DTS text each (e.g. "nr_spis = <64>;")."""

    def __init__(self, name, kernel, memory_mb, vcpus=1, viommu=None,
                 vpl011=False, bootargs="", ramdisk=None, dtb=None,
                 props=()):
        self.name = name
        self.memory_mb = memory_mb
        self.vcpus = vcpus
        self.viommu = viommu
        self.vpl011 = vpl011
        self.bootargs = bootargs
        self.props = list(props)
        self.kernel = Module(kernel, '"multiboot,kernel", "multiboot,module"')
        self.ramdisk = (Module(ramdisk, '"multiboot,ramdisk", "multiboot,module"')
                        if ramdisk else None)
        self.dtb = (Module(dtb, '"multiboot,device-tree", "multiboot,module"')
                    if dtb else None)

    def modules(self):
        return [m for m in (self.kernel, self.ramdisk, self.dtb) if m]

    def dts(self):
        props = ['compatible = "xen,domain";', "#address-cells = <2>;",
                 "#size-cells = <2>;",
                 "memory = <0 %d>;" % (self.memory_mb * 1024),
                 "cpus = <%d>;" % self.vcpus]
        if self.viommu:
            props.append('viommu = "%s";' % self.viommu)
        if self.vpl011:
            props.append("vpl011;")
        props += self.props
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


def compile_dts(dts_text, dts, dtb):
    """Write @dts_text to @dts and compile it into @dtb with dtc."""
    with open(dts, "w") as f:
        f.write(dts_text)
    r = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts],
                       capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError("dtc: %s: %s" % (dts, r.stderr.strip()))
    return dtb


def write_dtb(workdir, run_dir, guests, smp, host_fixup=None, q=None):
    """QEMU's tree plus /chosen for Xen and the guests; returns the DTB.

    @host_fixup, if given, is called with QEMU's tree (DTS text) and returns
    the host tree Xen gets (DTS text): e.g. the base with nodes amended by
    path, "&{/pcie@10000000} { iommus = <&{/smmuv3@9050000} 0x8>; };"
    (pcie_host_fixup()).  @q: a Qemu, by default the configured one."""
    place(guests)
    base = base_dts(workdir, smp, q)
    if host_fixup:
        base = host_fixup(base)
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
    return compile_dts(base + chosen, os.path.join(run_dir, "test.dts"),
                       os.path.join(run_dir, "test.dtb"))


def qemu_cmd(xen, dtb, guests, smp, q=None):
    """The QEMU command line (@q: a Qemu, by default the configured one)."""
    q = q or Qemu()
    cmd = [q.qemu, "-machine", q.machine, "-cpu", CPU, "-m", str(RAM_MB),
           "-smp", str(smp), "-nographic", "-nic", "none", "-no-reboot",
           "-semihosting-config", "enable=on,target=native",
           "-kernel", xen, "-dtb", dtb] + q.extra_args
    for g in guests:
        for m in g.modules():
            cmd += ["-device",
                    "loader,file=%s,addr=0x%x,force-raw=on" % (m.path, m.addr)]
    return cmd


# QEMU's virt machine: the SMMUv3 (the only devices it translates are behind
# the PCIe root complex) and the PCIe host bridge, whose INTA..INTD of slot 0
# are SPIs 3..6; the bridge as a guest gets it: the high ECAM window (256
# buses) and the first 256 MiB of the 32-bit MMIO window, identity-mapped.
SMMU_NODE = "/smmuv3@9050000"
PCIE_NODE = "/pcie@10000000"
PCIE_INTX_SPI0 = 3
PCIE_ECAM = (0x4010000000, 0x10000000)
PCIE_MMIO = (0x10000000, 0x10000000)
# Guest device-tree facts (xen/include/public/device_tree_defs.h and the
# patched arch-arm.h): the guest GIC's and the vSMMU's phandles.
GUEST_PHANDLE_GIC = 65000
GUEST_PHANDLE_VSMMUV3 = 65002
# nr_spis of a guest that owns the bridge: its INTx SPIs (3-6) and more.
PCIE_NR_SPIS = 64
PCI_ADDR = re.compile(r"(?:^|,)addr=(?:0x)?([0-9a-fA-F]+)(?:\.([0-7]))?(?:,|$)")


def pci_device_sid(spec):
    """The StreamID of the PCI device of QEMU "-device" value @spec (on bus
    0; QEMU's iommu-map on the host bridge is the identity, so StreamID =
    requester ID = slot << 3 | function), from its addr=SLOT[.FN]; None
    without one."""
    m = PCI_ADDR.search(spec)
    if not m:
        return None
    return int(m.group(1), 16) << 3 | int(m.group(2) or 0)


def _cells64(v):
    return "%#x %#x" % (v >> 32, v & 0xffffffff)


def pcie_host_fixup(sids):
    """A write_dtb() host_fixup: QEMU's tree with the host bridge's INTx SPIs
    in "interrupts" (so that Xen routes them to the guest that owns it) and
    its streams @sids, if any, behind the SMMU ("iommus")."""
    def fix(base):
        for node in (SMMU_NODE, PCIE_NODE):
            name = node.lstrip("/")
            if not re.search(r"^\s*%s \{" % re.escape(name), base, re.M):
                raise RuntimeError("QEMU's tree has no %s node" % node)
        props = ["interrupts = <%s>;" % " ".join(
            "0 %d 4" % (PCIE_INTX_SPI0 + i) for i in range(4))]
        if sids:
            props.append("iommus = <%s>;" % " ".join(
                "&{%s} %#x" % (SMMU_NODE, sid) for sid in sids))
        return base + "\n&{%s} {\n\t%s\n};\n" % (PCIE_NODE,
                                                 "\n\t".join(props))
    return fix


def pcie_partial_dts(iommu_map, iommu_base=0, vsids=None, iommu_len=0x10000):
    """A guest's partial device tree (a Guest's dtb=, compiled): the host
    bridge, passed through (xen,reg, xen,path), with an interrupt-map to the
    guest's GIC (QEMU's swizzle: slot s, pin p is SPI 3 + (s + p - 1) % 4).
    With @iommu_map, requester ID r (below @iommu_len) is vSID r +
    @iommu_base of the guest's vSMMU; @vsids, if any, are the node's
    xen,viommu-stream-ids.  The xl toolstack reads it too (device_tree=):
    it ignores xen,reg (iomem= maps the windows)."""
    imap = []
    for slot in range(4):
        for pin in range(1, 5):
            imap.append("%#06x 0 0 %d %#x 0 %d 4" % (
                slot << 11, pin, GUEST_PHANDLE_GIC,
                PCIE_INTX_SPI0 + (slot + pin - 1) % 4))
    ecam = "%s 0x0 %#x" % (_cells64(PCIE_ECAM[0]), PCIE_ECAM[1])
    mmio = "%s 0x0 %#x" % (_cells64(PCIE_MMIO[0]), PCIE_MMIO[1])
    return """/dts-v1/;
/ {
    #address-cells = <2>;
    #size-cells = <2>;
    passthrough {
        compatible = "simple-bus";
        ranges;
        #address-cells = <2>;
        #size-cells = <2>;
        pcie@%x {
            compatible = "pci-host-ecam-generic";
            device_type = "pci";
            reg = <%s>;
            bus-range = <0x0 0xff>;
            #address-cells = <3>;
            #size-cells = <2>;
            ranges = <0x2000000 %s %s 0x0 %#x>;
            #interrupt-cells = <1>;
            interrupt-map-mask = <0x1800 0 0 7>;
            interrupt-map = <%s>;
            dma-coherent;%s%s
            xen,reg = <%s %s %s %s>;
            xen,path = "%s";
        };
    };
};
""" % (PCIE_ECAM[0], ecam, _cells64(PCIE_MMIO[0]), _cells64(PCIE_MMIO[0]),
       PCIE_MMIO[1], "\n                ".join(imap),
       ("\n            iommu-map = <0x0 %#x %#x %#x>;" %
        (GUEST_PHANDLE_VSMMUV3, iommu_base, iommu_len)) if iommu_map else "",
       ("\n            xen,viommu-stream-ids = <%s>;" %
        " ".join("%#x" % v for v in vsids)) if vsids else "",
       ecam, _cells64(PCIE_ECAM[0]), mmio, _cells64(PCIE_MMIO[0]), PCIE_NODE)


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


# What a hung boot is asked before it is stopped: with -nographic the
# console is QEMU's stdio, where Ctrl-A Ctrl-A passes one Ctrl-A to Xen and
# Ctrl-A c switches to QEMU's monitor.  Three Ctrl-A move Xen's console
# input to the next domain, and after the last one to Xen itself; there,
# the debug keys 'r' (run queues), 'd' (each pCPU's registers and stack)
# and 'U' (every vIOMMU's state).  Then QEMU's view of every CPU, which
# shows where a CPU spins even when Xen no longer answers.
HANG_SWITCH = b"\x01\x01" * 3
HANG_KEYS = [(b"r", 0.5), (b"d", 1.0), (b"U", 1.0), (b"\x01c", 0.3),
             (b"info registers -a\n", 1.0)]


def _hang_dump(p, logf):
    """Ask a QEMU that is still running what it is doing; its answer goes
    to the log only (the Console has judged the run already)."""
    logf.write(b"\n=== xvqemu: timed out; Xen debug keys r, d, U and "
               b"QEMU's registers follow ===\n")
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)

    def send(keys, wait):
        p.stdin.write(keys)
        p.stdin.flush()
        got = b""
        end = time.monotonic() + wait
        while time.monotonic() < end:
            if sel.select(timeout=max(0.0, end - time.monotonic())):
                chunk = os.read(p.stdout.fileno(), 65536)
                if not chunk:
                    raise EOFError
                logf.write(chunk)
                got += chunk
        return got

    try:
        # A test has at most a few domains; Xen may not answer at all.
        for _ in range(8):
            if b"input to Xen" in send(HANG_SWITCH, 0.3):
                for keys, wait in HANG_KEYS:
                    send(keys, wait)
                return
        for keys, wait in HANG_KEYS[-2:]:
            send(keys, wait)
    except (BrokenPipeError, EOFError, OSError):
        pass
    finally:
        sel.close()
        logf.flush()


def boot(cmd, logpath, timeout, done=None, grace=2.0, hang_dump=False):
    """
    Run @cmd (QEMU) in its own process group, copy its output to @logpath,
    feed every line to a Console.  Stops when QEMU exits, when @timeout
    seconds pass, when done(console) is true, or @grace seconds after Xen
    showed trouble.  With @hang_dump, a boot that timed out is asked for
    Xen's and QEMU's state first (HANG_DUMP; @cmd must use -nographic),
    into the log.  Returns (console, exit status or None, timed_out).
    """
    con = Console()
    deadline = time.monotonic() + timeout
    timed_out = False
    trouble_at = None
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE if hang_dump else
                         subprocess.DEVNULL, stdout=subprocess.PIPE,
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
            if timed_out and hang_dump and p.poll() is None:
                _hang_dump(p, logf)
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
    if p.stdin:
        try:
            p.stdin.close()
        except OSError:
            pass
