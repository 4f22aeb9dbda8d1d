#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""
Real DMA through a physical SMMUv3, with the guest's stage 1 nested on Xen's
stage 2: the built hypervisor on QEMU 10's `virt` machine (whose SMMUv3 has
both stages), a dom0less Linux guest with viommu = "smmuv3" that owns QEMU's
whole PCIe host bridge, and a virtio-blk disk at 00:01.0 (requester ID and
StreamID 0x8) that reads a disk image of random bytes made for this run.

The host tree given to Xen is QEMU's with, on /pcie@10000000, "iommus" (the
SMMU, StreamID 0x8) and "interrupts" (its INTx SPIs, so that Xen routes them
to the guest); the guest's partial device tree passes the host bridge
through (ECAM and the first 256 MiB of the 32-bit MMIO window,
identity-mapped) with an interrupt-map to the guest's GIC and
iommu-map = <0 &vsmmu 0 0x10000> (vSID = requester ID).

Boots, each judged from the console (scripts/qemu/initramfs/dma-init
reports, this runner compares):

  nested    per guest kernel and per mode (iommu.strict=1, =0).  PASS: the
            guest read the run's bytes from /dev/vda (first 32 bytes, and
            the md5 of the first --mb MiB); the kernel reports the mode asked
            for; 00:01.0 is in an IOMMU group of a translated type (DMA in
            strict mode, DMA-FQ in lazy), so its DMA addresses are IOVAs,
            which only the guest's stage 1 nested on Xen's stage 2 can
            translate; Xen printed "1 physical SMMU(s)" and bound vSID 0x8
            to the SMMU's stream 0x8; Xen printed no SMMUv3 event and no
            trouble (xvqemu.XEN_TROUBLE); the guest no WARNING/Oops.
  baseline  one kernel, no vSMMU: plain stage-2 passthrough (no viommu, no
            iommu-map).  PASS: the bytes read back, the device in no IOMMU
            group, no SMMUv3 event, no trouble, no Oops.
  fallback  the nested configuration on a stage-1-only SMMUv3 (QEMU 10's
            virt-9.1, the machine's QEMU 7.2): Xen must decline the SMMU
            ("no stage-2 translation support!", "I/O virtualisation
            disabled"), refuse to put the host bridge behind the vIOMMU
            ("no IOMMU protects the device, so the domain's vIOMMU cannot
            front it"), not build the domain ("Could not set up domain"),
            and no guest may run.

The nested and baseline boots time --runs O_DIRECT reads of --mb MiB each;
the summary prints each boot's median throughput and the ratio of nested to
baseline.  Timing is never a pass condition.  The QEMUs are this tier's own
choice (XV_QEMU, XV_MACHINE and XV_QEMU_ARGS are not used).  Ends with
"N passed, N failed".
"""

import argparse
import hashlib
import os
import re
import shutil
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xvqemu  # noqa: E402

# QEMU's virt machine and the guest's device tree (xvqemu knows them).
GUEST_PHANDLE_GIC = xvqemu.GUEST_PHANDLE_GIC
GUEST_PHANDLE_VSMMUV3 = xvqemu.GUEST_PHANDLE_VSMMUV3
SMMU = xvqemu.SMMU_NODE
PCIE = xvqemu.PCIE_NODE
PCI_SLOT = 1                    # the disk: 00:01.0
SID = PCI_SLOT << 3             # QEMU's iommu-map is the identity

ENOUGH_SPIS = xvqemu.PCIE_NR_SPIS   # nr_spis: the INTx SPIs (3-6) and more
GROUP_TYPE = {"strict": "DMA", "lazy": "DMA-FQ"}

OOPS = re.compile(r"WARNING:|Call trace:|BUG:|Oops|Unable to handle|"
                  r"blocked for more than")
KERNEL_LINE = re.compile(r"^\[ *\d+\.\d+\] ")
XEN_PREFIX = re.compile(r"\(XEN\) ?")
TIME = re.compile(r"^\d+ (\d+) (\d+) (\d+)$")
XEN_EVENT = re.compile(r"^SMMUv3: \S+: .*\bevent\b")
GUEST_EVENT = re.compile(r"arm-smmu-v3 \S+: event (0x[0-9a-f]+) received")
PHYS_SMMUS = re.compile(r"^d(\d+): vSMMUv3 at \S+, SPIs \S+, (\d+) physical "
                        r"SMMU\(s\)")
BINDING = "%s: vIOMMU vSID %#x is %s stream %#x"
# The renumbered boot: xen,viommu-stream-ids gives the stream this vSID,
# and the guest's iommu-map maps RID SID onto it.
RENUMBERED_VSID = 0x120
# The boot Xen must refuse: two vSIDs for the node's one "iommus" entry.
REFUSED_VSIDS = (SID, SID + 1)
REFUSED_LINES = [
    "%s: xen,viommu-stream-ids has %d bytes, not one cell for each of the "
    "1 \"iommus\" entries of the host node" % (PCIE, 4 * len(REFUSED_VSIDS)),
    "Could not set up domain ",
]
FALLBACK_LINES = [
    "SMMUv3: %s: no stage-2 translation support!" % SMMU,
    "I/O virtualisation disabled",
    "%s: no IOMMU protects the device, so the domain's vIOMMU cannot front "
    "it" % PCIE,
    "Could not set up domain ",
]
GUEST_RAN = re.compile(r"Booting Linux|Linux version|^XV-|^\[ *\d+\.\d+\] ")

BREAKS = {
    "no-iommus": "the host node has no iommus: the SMMU does not know the "
                 "device",
    "no-viommu": "the domain has no viommu, its partial tree still names "
                 "the vSMMU in iommu-map",
    "no-group": "the guest's tree has no iommu-map: the guest driver never "
                "translates for the device (a stage-2-only read)",
}


def host_fixup(iommus):
    """QEMU's tree with the host bridge's INTx SPIs in "interrupts" and,
    with @iommus, its stream behind the SMMU."""
    return xvqemu.pcie_host_fixup([SID] if iommus else [])


def partial_dts(iommu_map, vsid=SID, vsids=None):
    """The guest's partial device tree: the host bridge, passed through;
    RID SID is vSID @vsid in its iommu-map, and @vsids, if any, are the
    node's xen,viommu-stream-ids."""
    return xvqemu.pcie_partial_dts(iommu_map, vsid - SID, vsids)


def make_disk(path, mb):
    """A disk image of random bytes, new for every run: (first 32 bytes in
    hex, md5 of the whole)."""
    data = os.urandom(mb << 20)
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)
    return data[:32].hex(), hashlib.md5(data).hexdigest()


def qemu_disk_args(disk):
    return ["-drive", "if=none,id=d0,file=%s,format=raw,readonly=on" % disk,
            "-device", "virtio-blk-pci,drive=d0,disable-legacy=on,"
            "iommu_platform=on,addr=%02x.0" % PCI_SLOT]


class Boot:
    """One boot: what it is, and what it showed."""

    def __init__(self, kind, name, kernel, initrd, mode=None, qemu="qemu10",
                 machine="virt"):
        self.kind, self.name, self.kernel, self.initrd = \
            kind, name, kernel, initrd
        self.mode, self.qemu, self.machine = mode, qemu, machine
        self.reasons = []
        self.rates = []
        self.secs = 0.0
        self.stalled = False

    def label(self):
        if self.kind == "nested":
            return "%s, %s, nested" % (self.name, self.mode)
        if self.kind == "renumbered":
            return "%s, %s, nested, stream renumbered to vSID %#x" % (
                self.name, self.mode, RENUMBERED_VSID)
        if self.kind == "refused":
            return "%s, a bad xen,viommu-stream-ids refused" % self.name
        if self.kind == "baseline":
            return "%s, stage 2 only (baseline)" % self.name
        return "%s, fallback on %s %s" % (
            self.name, os.path.basename(self.qemu), self.machine)

    def dirname(self):
        if self.kind == "nested":
            return "%s-%s" % (self.name, self.mode)
        if self.kind in ("renumbered", "refused"):
            return "%s-%s" % (self.name, self.kind)
        if self.kind == "baseline":
            return "%s-baseline" % self.name
        return "%s-fallback-%s-%s" % (self.name, os.path.basename(self.qemu),
                                      self.machine)


def run_boot(args, b, disk, expect):
    rdir = os.path.join(args.out, b.dirname())
    shutil.rmtree(rdir, ignore_errors=True)
    os.makedirs(rdir)
    log = os.path.join(rdir, "console.log")
    brk = args.break_ if b.kind != "baseline" else None
    viommu = b.kind != "baseline" and brk != "no-viommu"
    iommu_map = b.kind != "baseline" and brk != "no-group"
    iommus = brk != "no-iommus"

    xvqemu.configure(b.qemu, b.machine, qemu_disk_args(disk))
    bootargs = "%s xv.mb=%d xv.runs=%d" % (xvqemu.LINUX_BOOTARGS, args.mb,
                                          args.runs)
    if b.mode:
        bootargs += " " + xvqemu.IOMMU_MODES[b.mode]
    try:
        vsid = RENUMBERED_VSID if b.kind == "renumbered" else SID
        vsids = {"renumbered": (RENUMBERED_VSID,),
                 "refused": REFUSED_VSIDS}.get(b.kind)
        pdtb = xvqemu.compile_dts(partial_dts(iommu_map, vsid, vsids),
                                  os.path.join(rdir, "partial.dts"),
                                  os.path.join(rdir, "partial.dtb"))
        guest = xvqemu.Guest(
            "domU1", os.path.abspath(b.kernel), args.memory, args.vcpus,
            viommu="smmuv3" if viommu else None, vpl011=True,
            bootargs=bootargs, ramdisk=os.path.abspath(b.initrd), dtb=pdtb,
            props=["nr_spis = <%d>;" % ENOUGH_SPIS])
        dtb = xvqemu.write_dtb(args.out, rdir, [guest], 2,
                               host_fixup=host_fixup(iommus))
    except (RuntimeError, OSError) as e:
        print("=== DMA %s" % b.label())
        b.reasons.append(str(e))
        finish(b)
        return
    cmd = xvqemu.qemu_cmd(os.path.abspath(args.xen), dtb, [guest], 2)
    with open(os.path.join(rdir, "qemu.cmd"), "w") as f:
        f.write(" ".join(cmd) + "\n")

    # The guest ends on XV-END, Xen's fallback on its panic.  A guest whose
    # DMA goes nowhere can hang in its kernel with no event logged: give
    # up after --idle silent seconds rather than at the boot's timeout.
    seen = {"n": 0, "at": time.monotonic()}

    def finished(con):
        now = time.monotonic()
        if len(con.lines) != seen["n"]:
            seen["n"], seen["at"] = len(con.lines), now
        elif now - seen["at"] > args.idle:
            b.stalled = True
            return True
        return any(l.startswith("XV-END") or l.startswith("Reboot in")
                   for l in con.lines[-3:])

    t0 = time.monotonic()
    con, status, timed_out = xvqemu.boot(cmd, log, args.timeout,
                                         done=finished)
    b.secs = time.monotonic() - t0
    b.log = log
    judge(args, b, con, status, timed_out, expect)


def xen_trouble(con):
    """The first trouble line of Xen's, with its reason for a panic."""
    t = xvqemu.XEN_PREFIX.sub("", con.trouble[0])
    if "Panic on CPU" in t:
        i = con.lines.index(t) if t in con.lines else -1
        for l in con.lines[i + 1:i + 4] if i >= 0 else []:
            if l.strip("* "):
                return "%s %s" % (t, l)
    return t


def judge(args, b, con, status, timed_out, expect):
    lines = con.lines
    # Xen's console sometimes puts its "(XEN) " line prefix at the end of
    # (or inside) a line of the guest that has the focus.
    guest = [XEN_PREFIX.sub("", l) for l in lines if l.startswith("XV-")]
    val = {}
    for l in guest:
        tag, _, rest = l.partition(": ")
        val.setdefault(tag, []).append(rest)
    # The guest kernel's lines: on the console as they come (so also when
    # the guest stalls), and again from dmesg at the end (XV-KLOG).
    klog = [l for l in lines if KERNEL_LINE.match(l)]
    known = set(klog)
    klog += [l for l in val.get("XV-KLOG", []) if l not in known]
    xen = [l for l in lines if not l.startswith("XV-") and
           not KERNEL_LINE.match(l)]
    r = b.reasons

    print("=== DMA %s (%s)" % (b.label(), xvqemu.kernel_package(b.kernel)))
    if args.break_ and b.kind != "baseline":
        print("  deliberately broken: %s" % BREAKS[args.break_])
    print("--- Xen")
    for l in xen:
        if (l.startswith("SMMUv3:") or "vSMMU" in l or "vIOMMU" in l or
                "I/O virtualisation" in l or "no IOMMU protects" in l or
                "Could not set up" in l or "assign device" in l or
                "viommu-stream-ids" in l or
                xvqemu.XEN_TROUBLE.search(l)):
            print("  " + l)

    if b.kind in ("fallback", "refused"):
        for want in (FALLBACK_LINES if b.kind == "fallback" else
                     REFUSED_LINES):
            if not any(want in l for l in xen):
                r.append("Xen did not say \"%s\"" % want.strip())
        other = [t for t in con.trouble if "Panic on CPU" not in t]
        if other:
            r.append("Xen: " + xvqemu.XEN_PREFIX.sub("", other[0]))
        ran = [l for l in lines if GUEST_RAN.search(l)]
        if ran:
            r.append("a guest ran: " + ran[0])
        if timed_out:
            r.append("timeout after %ds" % args.timeout)
        elif b.stalled:
            r.append("Xen stalled: no output for %ds (last line: %s)" % (
                args.idle, lines[-1] if lines else "none"))
        elif not any(l.startswith("Reboot in") for l in lines):
            r.append("Xen did not stop (QEMU exit status %s; last line: %s)"
                     % (status, lines[-1] if lines else "none"))
        finish(b)
        return

    print("--- guest")
    shown = set()
    for l in klog:
        if l in shown:
            continue
        shown.add(l)
        if ("arm-smmu-v3" in l or "iommu" in l.lower()) and \
                "Kernel command line" not in l:
            print("  " + l)
    for tag in ("XV-GROUP", "XV-HEAD", "XV-SUM", "XV-ERR"):
        for v in val.get(tag, []):
            print("  %s: %s" % (tag[3:].lower(), v))
    for v in val.get("XV-TIME", []):
        m = TIME.match(v)
        secs = (int(m.group(3)) - int(m.group(2))) / 1e9 if m else 0
        if secs > 0:
            b.rates.append(int(m.group(1)) / secs)
        else:
            print("  (timed read not counted: %r)" % v)
    if b.rates:
        print("  read %d MiB x %d: %s MiB/s, median %.1f MiB/s" % (
            args.mb, len(b.rates), " ".join("%.1f" % x for x in b.rates),
            statistics.median(b.rates)))
    events = [m.group(1) for m in map(GUEST_EVENT.search, klog) if m]
    if events:
        print("  the guest's vSMMU reported event(s): %s" % " ".join(events))

    if con.trouble:
        r.append("Xen: " + xen_trouble(con))
    if timed_out:
        r.append("timeout after %ds" % args.timeout)
    elif b.stalled:
        r.append("the guest stalled: no output for %ds (last line: %s)" % (
            args.idle, lines[-1] if lines else "none"))
    elif not any(l.startswith("XV-END") for l in guest):
        r.append("the guest never finished (no XV-END; QEMU %s; last line: "
                 "%s)" % ("exit status %s" % status, lines[-1] if lines
                                  else "none"))
    xev = [l for l in xen if XEN_EVENT.search(l)]
    if xev:
        r.append("Xen's SMMUv3 reported %d event line(s): %s" % (
            len(xev), xev[0]))
    heads = val.get("XV-HEAD", [])
    sums = val.get("XV-SUM", [])
    if heads != [expect[0]]:
        r.append("the disk's first bytes read %s, not this run's %s" % (
            heads[0] if heads else "nothing", expect[0]))
    if sums != [expect[1]]:
        r.append("the md5 of %d MiB read is %s, not this run's %s" % (
            args.mb, sums[0] if sums else "nothing", expect[1]))
    for e in val.get("XV-ERR", []):
        r.append("guest: " + e)
    oops = [l for l in klog if OOPS.search(l)]
    oops += [l for l in val.get("XV-OOPS", []) if l not in oops]
    for o in oops:
        r.append("guest kernel: " + o)
    group = val.get("XV-GROUP", [])
    gtype = group[0].split(" type ")[-1] if group and " type " in group[0] \
        else None
    phys = [m for m in map(PHYS_SMMUS.search, xen) if m]
    if b.kind in ("nested", "renumbered"):
        binding = BINDING % (PCIE, RENUMBERED_VSID if b.kind == "renumbered"
                             else SID, SMMU, SID)
        policy = sorted({m.group(1) for m in
                         map(xvqemu.IOMMU_POLICY.search, klog) if m})
        if policy != [b.mode]:
            r.append("asked for %s invalidation, the kernel says %s" % (
                b.mode, policy or "nothing"))
        if gtype != GROUP_TYPE[b.mode]:
            r.append("00:01.0 is %s, not in an IOMMU group of type %s "
                     "(translated: IOVAs through the nested stage 1)" % (
                         "in a group of type " + gtype if gtype else
                         "in no IOMMU group", GROUP_TYPE[b.mode]))
        if not phys or phys[0].group(2) != "1":
            r.append("Xen did not give the vSMMU 1 physical SMMU "
                     "(\"1 physical SMMU(s)\"): %s" % (
                         phys[0].group(0) if phys else "no vSMMU line"))
        if not any(l.endswith(binding) for l in xen):
            r.append("Xen did not bind the stream (\"%s\")" % binding)
    else:
        if gtype or (group and group[0] != "0000:00:01.0 none"):
            r.append("baseline: 00:01.0 is in an IOMMU group (%s)" % group[0])
        if phys:
            r.append("baseline: the domain has a vSMMU")
        if not any(l == "I/O virtualisation enabled" for l in xen):
            r.append("Xen did not enable I/O virtualisation")
    finish(b)


def finish(b):
    print("  %s: %s, %.1fs; console log: %s" % (
        "PASS" if not b.reasons else "FAIL", b.label(), b.secs,
        getattr(b, "log", "(none)")))
    for x in b.reasons:
        print("  FAIL: " + x)
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--xen", required=True)
    ap.add_argument("--guest", action="append", required=True,
                    metavar="NAME:KERNEL:INITRD",
                    help="a Linux guest (its initramfs from dma-init and the "
                    "kernel's virtio modules); repeatable")
    ap.add_argument("--mode", action="append",
                    choices=sorted(xvqemu.IOMMU_MODES),
                    help="boot each guest nested once per mode (default: "
                    "strict and lazy)")
    ap.add_argument("--baseline", metavar="NAME", action="append",
                    help="a guest to boot once without the vSMMU too "
                    "(repeatable; default: every --guest; 'none': no "
                    "baseline)")
    ap.add_argument("--fallback", action="append", metavar="QEMU:MACHINE",
                    help="a stage-1-only SMMUv3 to check the fallback on, "
                    "with the last --guest (default: qemu10:virt-9.1 and "
                    "qemu-system-aarch64:virt; 'none': no fallback boot)")
    ap.add_argument("--out", required=True, help="run directory (logs)")
    ap.add_argument("--timeout", type=int, default=240)
    ap.add_argument("--idle", type=int, default=60,
                    help="give up on a guest silent for this many seconds")
    ap.add_argument("--memory", type=int, default=256, help="guest MiB")
    ap.add_argument("--vcpus", type=int, default=2)
    ap.add_argument("--mb", type=int, default=64,
                    help="MiB of the disk, read by each timed run")
    ap.add_argument("--runs", type=int, default=5,
                    help="timed reads in each boot")
    ap.add_argument("--no-renumber", action="store_true",
                    help="skip the boots with xen,viommu-stream-ids (one "
                    "renumbered, one refused), made with the last --guest")
    ap.add_argument("--break", dest="break_", choices=sorted(BREAKS),
                    help="show that the tier fails: break the nested and "
                    "fallback boots' configuration: " + "; ".join(
                        "%s: %s" % kv for kv in sorted(BREAKS.items())))
    args = ap.parse_args()

    args.out = os.path.abspath(args.out)
    os.makedirs(args.out, exist_ok=True)
    guests = [g.split(":", 2) for g in args.guest]
    modes = args.mode or ["strict", "lazy"]
    names = [g[0] for g in guests]
    base = args.baseline or names
    if base == ["none"]:
        base = []
    for n in base:
        if n not in names:
            ap.error("--baseline %s is none of the guests" % n)
    fallbacks = args.fallback or ["qemu10:virt-9.1", "qemu-system-aarch64:virt"]
    if fallbacks == ["none"]:
        fallbacks = []

    disk = os.path.join(args.out, "disk.img")
    expect = make_disk(disk, args.mb)
    print("dma: disk %s: %d MiB of random bytes, first 32 %s..., md5 %s" % (
        disk, args.mb, expect[0][:16], expect[1]))
    xvqemu.configure("qemu10", "virt", [])
    print("dma: QEMU %s" % xvqemu.describe(), flush=True)

    boots = []
    for name, kernel, initrd in guests:
        for mode in modes:
            boots.append(Boot("nested", name, kernel, initrd, mode))
        if name in base:
            boots.append(Boot("baseline", name, kernel, initrd))
    name, kernel, initrd = guests[-1]
    if not args.no_renumber:
        boots.append(Boot("renumbered", name, kernel, initrd, modes[0]))
        boots.append(Boot("refused", name, kernel, initrd, modes[0]))
    for fb in fallbacks:
        q, _, m = fb.partition(":")
        boots.append(Boot("fallback", name, kernel, initrd, qemu=q,
                          machine=m or "virt"))
    for b in boots:
        if b.kind == "fallback":
            xvqemu.configure(b.qemu, b.machine, [])
            b.qemu = xvqemu.QEMU
            print("dma: fallback QEMU %s" % xvqemu.describe(), flush=True)
        run_boot(args, b, disk, expect)

    print("--- throughput (%d MiB O_DIRECT reads, median of %d per boot; "
          "TCG: indicative only)" % (args.mb, args.runs))
    for name in names:
        bl = [b for b in boots if b.kind == "baseline" and b.name == name]
        blr = statistics.median(bl[0].rates) if bl and bl[0].rates else None
        for b in boots:
            if b.name != name or b.kind == "fallback" or not b.rates:
                continue
            med = statistics.median(b.rates)
            ratio = ""
            if b.kind == "nested" and blr:
                ratio = "  %.2f of the baseline (%.2fx its time)" % (
                    med / blr, blr / med)
            print("  %-36s %7.1f MiB/s%s" % (b.label(), med, ratio))
    print("--- summary")
    passed = failed = 0
    for b in boots:
        print("  %s: %s%s" % ("PASS" if not b.reasons else "FAIL", b.label(),
                              " (%s)" % b.reasons[0] if b.reasons else ""))
        passed += not b.reasons
        failed += bool(b.reasons)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
