#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""
The toolstack path a user takes: the built Xen in QEMU with a Linux dom0
that runs the cross-built xl (make toolstack), and guests created from xl
configuration files.  scripts/qemu/dom0.py makes the dom0's initramfs (the
toolstack, its arm64 libraries, the kernel's Xen modules, the guest's
kernel and initramfs, the configurations and the plan);
scripts/qemu/initramfs/dom0-init brings the toolstack up and runs the
plan, reporting with "XV-" markers; this runner judges from the console.

Tests, each PASS or FAIL:

  dom0        the toolstack came up: the Xen modules loaded, xenstored
              and xenconsoled running, xen-init-dom0 done, xl list shows
              Domain-0
  vsmmu       xl create of a guest with viommu = "smmuv3": xl succeeds,
              Xen gives the domain its vSMMUv3, and the guest's
              arm-smmu-v3 driver probes it with no error, timeout or
              warning (the linux tier's /init and judgement); the domain
              is gone once the guest powered off
  plain       the same guest without viommu: no iommu@4040000 node, no
              arm-smmu-v3 line, no vSMMUv3 in Xen; nothing else wrong
  smmuv2, irq44, irq45
              configurations xl must refuse: viommu = "smmuv2", and irqs
              naming the vSMMU's SPIs 44 and 45; xl prints the message
              of docs/configuration.md word for word (read from it), fails,
              and no domain is left (xl list, and no vSMMUv3 created)
  cycle       N times: xl create of a guest with a vSMMU, its driver probes
              it (the guest's /hold), xl destroy; every create gets a new
              vSMMUv3, and Xen's free heap pages (debug key H) after each
              destroy equal those after the first; at the end Xen knows no
              domain but dom0 (debug key q) and xl list shows only
              Domain-0
  record      (with --record-tool) a held guest with a vSMMU; xv-record
              saves and restores its vSMMU through libxc's record domctls
              (size query, ENOBUFS, copy, set back, bad and truncated
              records refused, ENODEV for dom0, EOPNOTSUPP for a PCI
              stream): each result as expected

The QEMU is the machine's 7.2 on virt, whose SMMUv3 Xen declines: the
vSMMUs serve virtual streams.

With --pt-initrd, a second boot on QEMU 10 (whose SMMUv3 nests) passes
the PCIe host bridge through to an xl-created guest, as the dma tier does
for a dom0less one: the host tree marks /pcie@10000000 xen,passthrough
(dom0 gets permission for its windows and interrupts, not the device),
with two streams behind the SMMU ("iommus": 00:01.0, a virtio-blk disk of
random bytes made for the run, and 00:02.0); the guest's configuration
has dtdev, iomem (ECAM, the first 256 MiB of the 32-bit window), irqs
(INTx SPIs 35-38), device_tree (the host bridge with
iommu-map = <0 &vsmmu 0x8000 0x8000> and xen,viommu-stream-ids =
<0x8008 0x8010>) and viommu = "smmuv3":

  pt-vsids-dom0less, pt-one-vsid
              configurations xl must refuse, word for word as
              docs/configuration.md says, with no domain left: the
              dom0less vSIDs (0x8, 0x10: outside the vSIDs of PCI
              functions; refused by libxl) and one vSID for the host
              node's two streams (refused once Xen says the host node has
              another entry)
  pt          N times: xl create; the guest's Linux (the dma tier's
              dma-init) reads the disk through its own stage 1: this
              run's bytes (first 32, md5), 00:01.0 in an IOMMU group of
              type DMA, arm-smmu-v3 probed; Xen bound vSID 0x8008 and
              0x8010 to the SMMU's streams 0x8 and 0x10 and gave the
              vSMMU 1 physical SMMU; no SMMUv3 event, no Oops; then
              xl destroy, and the domain is gone; Xen's free heap after
              the last destroy equals that after the first, and Xen knows
              no domain but dom0

Ends with "N passed, N failed".
"""

import argparse
import hashlib
import os
import re
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dom0 as dom0mod  # noqa: E402
import xvqemu  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
DOCS = os.path.join(TOP, "docs", "configuration.md")
INITRAMFS = os.path.join(HERE, "initramfs")
PROBE = re.compile(r"arm-smmu-v3 \S+: ias \d+-bit, oas \d+-bit")
VSMMU_LINE = re.compile(r"^d(\d+): vSMMUv3 at (\S+), SPIs (\d+)/(\d+), "
                        r"(\d+) physical SMMU\(s\)")
XEN_PREFIX = re.compile(r"\(XEN\) ?")
# The facts the linux tier's /init reports about a guest with no vSMMU.
ABSENT = [
    "no iommu@4040000 node in the device tree",
    "arm-smmu-v3 did not finish probing (no 'ias/oas' line)",
    "4040000.iommu is not bound to arm-smmu-v3",
    "/sys/class/iommu lists no SMMUv3",
]
# docs/configuration.md, "Errors": the rows whose message xl must print.
REFUSALS = {
    "smmuv2": ("unknown type (xl)", 'viommu = "smmuv2"'),
    "irq44": ("`irqs` has SPI 44", 'viommu = "smmuv3"\nirqs = [ 44 ]'),
    "irq45": ("`irqs` has SPI 45", 'viommu = "smmuv3"\nirqs = [ 45 ]'),
}
# How libxl's LOG(ERROR) reaches xl's stderr (LOGD adds the domain).
LIBXL_ERROR = re.compile(r"^libxl: error: [\w.]+:\d+:\w+: "
                         r"(?:Domain \d+:)?(.*)$")

# The passthrough boot (QEMU 10): the host bridge, its two streams behind
# the SMMU (00:01.0, the disk, and 00:02.0), the vSIDs the guest's
# iommu-map gives them (requester ID + 0x8000), the INTx SPIs.
PT_SIDS = (0x08, 0x10)
PT_VSID_BASE = 0x8000
PT_VSIDS = tuple(PT_VSID_BASE + sid for sid in PT_SIDS)
PT_DISK_MB = 16
PT_IRQS = [32 + xvqemu.PCIE_INTX_SPI0 + i for i in range(4)]
PT_BINDING = re.compile(r"^d(\d+): %s: vIOMMU vSID (0x[0-9a-f]+) is %s "
                        r"stream (0x[0-9a-f]+)$" % (
                            re.escape(xvqemu.PCIE_NODE),
                            re.escape(xvqemu.SMMU_NODE)))
XEN_EVENT = re.compile(r"^SMMUv3: \S+: .*\bevent\b")
OOPS = re.compile(r"WARNING:|Call trace:|BUG:|Oops|Unable to handle|"
                  r"blocked for more than")
# docs/configuration.md rows, and the xen,viommu-stream-ids of each.
PT_REFUSALS = {
    "pt-vsids-dom0less": ("a vSID of `xen,viommu-stream-ids` below 0x8000 "
                          "or above 0xffff", PT_SIDS),
    "pt-one-vsid": ("the host node has more `iommus` entries than "
                    "`xen,viommu-stream-ids` (checked by Xen)", PT_VSIDS[:1]),
}


# docs/configuration.md rows xl must print on the passthrough boot (a host
# with an IOMMU), and the guest configuration (pt_nodev_cfg()) of each.
PT_CFG_REFUSALS = {
    "pt-disabled": ('`passthrough="disabled"`, on a host with an IOMMU',
                    'passthrough = "disabled"'),
}
# A guest with a vSMMU and no device on a host with an IOMMU: passthrough
# defaults to enabled (docs/configuration.md), so Xen creates it.
PT_NODEV = "pt-nodev"
PT_NODEV_SECS = 90


def doc_messages():
    """{mistake: message} of the Errors table of docs/configuration.md."""
    msgs = {}
    with open(DOCS) as f:
        for line in f:
            m = re.match(r"^\| (.+?) \| `(.+)` (?:.*)?\|$", line.rstrip())
            if m:
                msgs[m.group(1).strip()] = m.group(2)
    return msgs


def guest_cfg(name, memory, vcpus, viommu, rdinit, extra=""):
    lines = ['name = "%s"' % name,
             'kernel = "/xv/guest/Image"',
             'ramdisk = "/xv/guest/initrd"',
             'extra = "console=hvc0 quiet rdinit=%s"' % rdinit,
             "memory = %d" % memory,
             "vcpus = %d" % vcpus]
    if viommu:
        lines.append('viommu = "%s"' % viommu)
    if extra:
        lines.append(extra)
    return ("\n".join(lines) + "\n").encode()


class Tests:
    def __init__(self):
        self.results = []

    def record(self, name, reasons, detail=""):
        self.results.append((name, reasons))
        print("  %s: %s%s" % ("PASS" if not reasons else "FAIL", name,
                              detail and " (%s)" % detail))
        for r in reasons:
            print("    FAIL: " + r)


def parse(con):
    """The dom0's markers, per test: {test: {tag: [text]}}, and the Xen
    lines."""
    tests = {}
    dom0 = []
    xen = []
    for raw in con.lines:
        # Dom0 and Xen share the console: a line of Xen's can land in the
        # middle of a marker line.  It is Xen's line, not the marker's text.
        i = raw.find("XV-")
        j = raw.find("(XEN)", i) if i >= 0 else -1
        if j > i:
            xen.append(raw[j:])
            raw = raw[:j]
        line = XEN_PREFIX.sub("", raw) if raw.startswith("XV-") or \
            "XV-" in raw else raw
        i = line.find("XV-")
        if i < 0:
            xen.append(line)
            continue
        line = line[i:]
        m = re.match(r"^(XV-[A-Z0-9-]+)(?: ([\w-]+))?: ?(.*)$", line)
        if not m:
            dom0.append(line)
            continue
        tag, test, text = m.groups()
        if tag == "XV-DOM0":
            dom0.append(text)
        elif tag in ("XV-BEGIN", "XV-END"):
            tests.setdefault(text.strip(), {}).setdefault(tag, []).append("")
        elif test:
            tests.setdefault(test, {}).setdefault(tag, []).append(text)
        else:
            dom0.append(line)
    return tests, dom0, xen


def xl_said(xl, want):
    """The line of @xl that is docs/configuration.md's message @want: the
    whole line, or libxl's error message, possibly followed by the errno
    text (": ...")."""
    for l in xl:
        m = LIBXL_ERROR.match(l)
        msg = m.group(1) if m else l
        if want and (msg == want or msg.startswith(want + ": ")):
            return l
    return None


def only_dom0(listing):
    rows = [l for l in listing if l.strip() and not l.startswith("Name ")]
    return [r for r in rows if not r.startswith("Domain-0 ")]


def judge_common(t, name, reasons):
    if "XV-END" not in t:
        reasons.append("the test did not finish")
    for x in t.get("XV-TIMEOUT", []):
        reasons.append("timeout: " + x)
    left = only_dom0(t.get("XV-LIST", []))
    if left:
        reasons.append("domains left behind: " + "; ".join(
            " ".join(l.split()) for l in left))


def vsmmu_domains(xen):
    return {int(m.group(1)): m for m in map(VSMMU_LINE.match, xen) if m}


# What xv-record must find (tests/dom0/xv-record.c), each line's words
# after its name: the record domctls through libxc on a running guest
# (docs/save-restore.md).  None stands for a value checked on its own.
RECORD_EXPECT = [
    ("short", ["-1", "ENOBUFS", None]),      # the size needed comes back
    ("copy", ["0", "0", None, "0x334d5356"]),   # "VSM3"
    ("set", ["0", "0", "0"]),                # no stream left aborting
    ("again", ["0", "0", "1"]),              # the same record
    ("bad", ["-1", "EBADMSG"]),              # bad magic: refused
    ("after-bad", ["0", "0", "1"]),          # ... and nothing changed
    ("truncated", ["-1", "ENODATA"]),
    ("no-viommu", ["-1", "ENODEV"]),         # dom0 has no vIOMMU
    # XEN_DOMCTL_DEV_PCI reaches Xen, which has no PCI passthrough on Arm
    ("pci-stream", ["-1", "EOPNOTSUPP"]),
]


def judge_record(t, vsmmus, T):
    r = []
    judge_common(t, "record", r)
    rec = {}
    for line in t.get("XV-REC", []):
        w = line.split()
        if len(w) >= 2 and w[0] == "XV-RECORD:":
            rec[w[1]] = w[2:]
    ids = [d for d in t.get("XV-DOMID", []) if d.strip().isdigit()]
    if not ids or int(ids[0]) not in vsmmus:
        r.append("Xen did not say it gave the guest a vSMMUv3")
    if not any(g.startswith("XV-HOLD") for g in t.get("XV-GUEST", [])):
        r.append("the guest did not reach userspace")
    size = rec.get("size", [])
    if len(size) != 2 or size[1] != "0" or not size[0].isdigit() or \
            int(size[0]) == 0:
        r.append("size query: %s" % (" ".join(size) or "nothing"))
    for name, want in RECORD_EXPECT:
        got = rec.get(name)
        if got is None or len(got) != len(want) or any(
                w is not None and g != w for g, w in zip(got, want)):
            r.append("%s: %s, expected %s" % (
                name, " ".join(got) if got else "nothing",
                " ".join(w or "*" for w in want)))
    for name in ("short", "copy"):
        got = rec.get(name, [])
        if len(got) >= 3 and size and got[2] != size[0]:
            r.append("%s: size %s, not the %s asked for" % (
                name, got[2], size[0]))
    if t.get("XV-REC-STATUS", ["?"])[-1] != "0":
        r.append("xv-record exit status %s" % t.get("XV-REC-STATUS"))
    T.record("XEN_DOMCTL_viommu_{get,set}_record through libxc on a running "
             "guest", r, "record of %s bytes" % (size[0] if size else "?"))


def stage(files, run, dest, local, data):
    """@data into the dom0's initramfs at @dest, and a copy in the run
    directory as @local, for whoever reads the logs."""
    files.append((dest, data))
    with open(os.path.join(run, local), "wb") as f:
        f.write(data)


def judge_refusals(tests, rows, T):
    """Each (test, row) of @rows: xl create failed and printed the message
    of that row of docs/configuration.md's Errors table."""
    msgs = doc_messages()
    for name, row in rows:
        t = tests.get(name, {})
        r = []
        judge_common(t, name, r)
        want = msgs.get(row)
        if want is None:
            r.append("docs/configuration.md has no \"%s\" row" % row)
        xl = t.get("XV-XL", [])
        st = t.get("XV-XL-STATUS", ["?"])
        if st == ["0"] or st == ["?"]:
            r.append("xl create exited with %s" % ",".join(st))
        said = xl_said(xl, want)
        if want and not said:
            r.append("xl did not print \"%s\"" % want)
        T.record("xl refuses %s" % name, r, ("xl: " + said) if said else "")
        for l in xl:
            print("      xl: " + l)


def judge(args, con, tests_out):
    tests, dom0, xen = parse(con)
    vsmmus = vsmmu_domains(xen)
    T = Tests()

    # dom0
    r = []
    text = "\n".join(dom0)
    for want in ("xenstored running", "xenconsoled running",
                 "xen-init-dom0: Done setting up Dom0",
                 "xenstore /local/domain/0/name = Domain-0",
                 "toolstack up"):
        if want not in text:
            r.append("dom0 did not report \"%s\"" % want)
    if not any(re.match(r"xl list: Domain-0\s+0\s", l) for l in dom0):
        r.append("xl list does not show Domain-0")
    for l in dom0:
        if "failed" in l or "not running" in l:
            r.append("dom0: " + l)
    up = [l for l in dom0 if l.startswith("toolstack up")]
    T.record("dom0: Linux %s with xenstored, xenconsoled, xl" %
             args.kernel_name, r, up[0] if up else "")

    # vsmmu
    t = tests.get("vsmmu", {})
    r = []
    judge_common(t, "vsmmu", r)
    st = t.get("XV-XL-STATUS", ["?"])
    if st != ["0"]:
        r.append("xl create exited with %s" % ",".join(st))
    guest = t.get("XV-GUEST", [])
    klog = [g[len("XV-KLOG: "):] for g in guest if g.startswith("XV-KLOG: ")]
    if "XV-RESULT: PASS" not in guest:
        res = [g for g in guest if g.startswith("XV-RESULT")]
        r.append("the guest reported %s" % (res[-1] if res else "nothing"))
    r += [g[len("XV-FAIL: "):] for g in guest if g.startswith("XV-FAIL: ")]
    if not any(PROBE.search(l) for l in klog):
        r.append("no arm-smmu-v3 probe line")
    if not any("smmu3." in g for g in guest if g.startswith("XV-MARK")):
        r.append("/sys/class/iommu lists no SMMUv3")
    domid = int(t.get("XV-DOMID", ["-1"])[0] or -1)
    if domid not in vsmmus:
        r.append("Xen did not say it gave d%d a vSMMUv3" % domid)
    probe = [l for l in klog if PROBE.search(l)]
    T.record("xl create, viommu = \"smmuv3\": the guest's arm-smmu-v3 "
             "probes its vSMMUv3", r,
             probe[0].split("] ", 1)[-1] if probe else "")
    for l in [l for l in klog if "arm-smmu-v3" in l]:
        print("      guest: " + l)
    if domid in vsmmus:
        print("      Xen:   " + vsmmus[domid].group(0))

    # plain
    t = tests.get("plain", {})
    r = []
    judge_common(t, "plain", r)
    st = t.get("XV-XL-STATUS", ["?"])
    if st != ["0"]:
        r.append("xl create exited with %s" % ",".join(st))
    guest = t.get("XV-GUEST", [])
    fails = [g[len("XV-FAIL: "):] for g in guest if g.startswith("XV-FAIL: ")]
    if not any(g.startswith("XV-RESULT") for g in guest):
        r.append("the guest never reported")
    if sorted(fails) != sorted(ABSENT):
        r.append("the guest's findings are not exactly the absence of a "
                 "vSMMU: %s" % "; ".join(fails))
    smmu = [g for g in guest if g.startswith("XV-KLOG") and
            "arm-smmu-v3" in g]
    if smmu:
        r.append("the guest's kernel: " + smmu[0])
    domid = int(t.get("XV-DOMID", ["-1"])[0] or -1)
    if domid in vsmmus:
        r.append("Xen gave d%d a vSMMUv3" % domid)
    T.record("xl create without viommu: no vSMMU node, no arm-smmu-v3, "
             "no vSMMUv3 in Xen", r)

    # refusals
    before = set(vsmmus)
    judge_refusals(tests, [(n, row) for n, (row, _) in REFUSALS.items()], T)
    # No refused configuration got a vSMMU: every vSMMUv3 Xen created
    # belongs to a domain of another test.
    ok_ids = set()
    for name in ("vsmmu", "plain", "record"):
        ok_ids |= {int(x) for x in tests.get(name, {}).get("XV-DOMID", [])
                   if x.strip().isdigit()}
    for x in tests.get("cycle", {}).get("XV-DOMID", []):
        w = x.split()
        if len(w) == 2 and w[1].isdigit():
            ok_ids.add(int(w[1]))
    stray = sorted(set(before) - ok_ids)

    # cycle
    t = tests.get("cycle", {})
    r = []
    judge_common(t, "cycle", r)
    if stray:
        r.append("Xen created a vSMMUv3 for domain(s) %s that no test "
                 "created" % stray)
    creates = t.get("XV-DOMID", [])
    sts = t.get("XV-XL-STATUS", [])
    if len(creates) != args.cycles:
        r.append("%d of %d creates" % (len(creates), args.cycles))
    if any(s != "0" for s in sts) or len(sts) != 2 * args.cycles:
        r.append("xl create/destroy statuses: %s" % " ".join(sts))
    held = {}
    for g in t.get("XV-GUEST", []):
        m = re.match(r"^(\d+): (XV-\w+): (.*)$", g)
        if m:
            held.setdefault(int(m.group(1)), []).append(
                (m.group(2), m.group(3)))
    ids = []
    for c in creates:
        i, _, d = c.partition(" ")
        i = int(i)
        ids.append(d)
        lines = held.get(i, [])
        if not any(k == "XV-HOLD" for k, _ in lines):
            r.append("create %d: the guest did not reach userspace" % i)
        if not any(k == "XV-PROBE" and PROBE.search(v) for k, v in lines):
            r.append("create %d: no arm-smmu-v3 probe line" % i)
        bad = [v for k, v in lines if k == "XV-PROBE" and
               re.search(r"error|fail|timeout|timed out|warn|unexpected|"
                         r"abort|WARNING:|Oops|BUG:", v, re.I)]
        if bad:
            r.append("create %d: %s" % (i, bad[0]))
        if not d.strip().isdigit() or int(d) not in vsmmus:
            r.append("create %d: Xen did not say it gave d%s a vSMMUv3" % (
                i, d))
    heap = {}
    for h in t.get("XV-HEAP", []):
        w = h.split()
        if len(w) == 2:
            heap[int(w[0])] = int(w[1])
    figures = ""
    if 1 in heap and args.cycles in heap:
        drift = {i: heap[i] - heap[1] for i in sorted(heap) if i >= 1}
        leaks = {i: v for i, v in drift.items() if v}
        figures = "free heap pages: %d before, %d after the first destroy, " \
            "%d after the last (%+d)" % (heap.get(0, -1), heap[1],
                                        heap[args.cycles],
                                        heap[args.cycles] - heap[1])
        if leaks:
            r.append("free heap pages after destroy i minus after the "
                     "first: %s" % ", ".join("%d: %+d" % kv
                                             for kv in leaks.items()))
    else:
        r.append("no heap figures")
    doms = t.get("XV-DOMAINS", [""])[-1].split()
    if doms != ["0"]:
        r.append("Xen knows domains %s at the end (debug key q)" % (
            doms or "none"))
    T.record("xl create / xl destroy x%d with a vSMMUv3, no leak" %
             args.cycles, r, figures)
    print("      domains: %s; Xen's domains at the end (key q): %s" % (
        " ".join("d" + d for d in ids), " ".join(doms)))

    if args.record_tool:
        judge_record(tests.get("record", {}), vsmmus, T)

    other = [t for t in con.trouble]
    if other:
        T.record("Xen without trouble", ["Xen: " + XEN_PREFIX.sub("",
                                                                  other[0])])
    return T


def pt_cfg(name):
    """The passthrough guest: the host bridge with dtdev, iomem, irqs and
    its partial device tree (/xv/pt/@name.dtb), a vSMMU; the dma tier's
    /init, told to read PT_DISK_MB MiB once and to stay up after."""
    ecam, mmio = xvqemu.PCIE_ECAM, xvqemu.PCIE_MMIO
    lines = ['name = "%s"' % name,
             'kernel = "/xv/guest/Image"',
             'ramdisk = "/xv/pt/initrd"',
             'extra = "console=hvc0 quiet rdinit=/init iommu.strict=1 '
             'xv.mb=%d xv.runs=0 xv.hold=1"' % PT_DISK_MB,
             "memory = 256",
             "vcpus = 1",
             'viommu = "smmuv3"',
             'dtdev = [ "%s" ]' % xvqemu.PCIE_NODE,
             "iomem = [ %s ]" % ", ".join(
                 '"%x,%x@%x"' % (a >> 12, n >> 12, a >> 12)
                 for a, n in (ecam, mmio)),
             "irqs = [ %s ]" % ", ".join(str(i) for i in PT_IRQS),
             'device_tree = "/xv/pt/%s.dtb"' % name]
    return ("\n".join(lines) + "\n").encode()


def pt_nodev_cfg(name, extra=""):
    """A guest with a vSMMU, no device and no passthrough setting (plus
    @extra): the dma tier's /init finds no disk and says so, with the
    kernel's IOMMU lines, after about 30 s."""
    lines = ['name = "%s"' % name,
             'kernel = "/xv/guest/Image"',
             'ramdisk = "/xv/pt/initrd"',
             'extra = "console=hvc0 quiet rdinit=/init xv.mb=1 xv.runs=0 '
             'xv.hold=1"',
             "memory = 256",
             "vcpus = 1",
             'viommu = "smmuv3"']
    if extra:
        lines.append(extra)
    return ("\n".join(lines) + "\n").encode()


def pt_partial(run, name, vsids):
    """The partial device tree of @name: RID r is vSID r + 0x8000 for RIDs
    below 0x8000, and the host node's streams are @vsids."""
    dts = xvqemu.pcie_partial_dts(True, PT_VSID_BASE, vsids,
                                  iommu_len=PT_VSID_BASE)
    return xvqemu.compile_dts(dts, os.path.join(run, name + ".dts"),
                              os.path.join(run, name + ".dtb"))


def pt_host_fixup(base):
    """QEMU's tree with the host bridge's INTx SPIs and streams, kept from
    dom0 (xen,passthrough) for xl to give away."""
    base = xvqemu.pcie_host_fixup(list(PT_SIDS))(base)
    return base + "\n&{%s} {\n\txen,passthrough;\n};\n" % xvqemu.PCIE_NODE


def judge_pt(args, con, expect, T):
    """The passthrough boot's verdicts, into @T."""
    tests, dom0, xen = parse(con)
    vsmmus = vsmmu_domains(xen)
    bindings = {}
    for m in map(PT_BINDING.match, xen):
        if m:
            bindings.setdefault(int(m.group(1)), set()).add(
                (int(m.group(2), 16), int(m.group(3), 16)))

    r = []
    text = "\n".join(dom0)
    if "toolstack up" not in text:
        r.append("dom0 did not bring the toolstack up")
    if not any(l == "I/O virtualisation enabled" for l in xen):
        r.append("Xen did not enable I/O virtualisation (QEMU 10's SMMUv3)")
    T.record("pt: dom0 on QEMU 10, the host bridge kept from it", r)

    rows = [(n, row) for n, (row, _) in PT_REFUSALS.items()]
    rows += [(n, row) for n, (row, _) in PT_CFG_REFUSALS.items()]
    judge_refusals(tests, rows, T)

    t = tests.get(PT_NODEV, {})
    r = []
    judge_common(t, PT_NODEV, r)
    sts = t.get("XV-XL-STATUS", [])
    if sts != ["0", "0"]:
        r.append("xl create/destroy exited with %s" % (
            " ".join(sts) or "nothing"))
    for l in t.get("XV-XL", []):
        print("      xl: " + l)
    klog = [g for g in t.get("XV-GUEST", []) if "XV-KLOG" in g]
    if not any(PROBE.search(l) for l in klog):
        r.append("no arm-smmu-v3 probe line from the guest")
    ids = t.get("XV-DOMID", [])
    dom = ids[0].split()[-1] if ids else ""
    m = vsmmus.get(int(dom)) if dom.isdigit() else None
    if not m or m.group(5) != "1":
        r.append("Xen did not give d%s's vSMMU 1 physical SMMU: %s" % (
            dom or "?", m.group(0) if m else "no vSMMU line"))
    T.record("pt: a vSMMU without devices: passthrough enabled by default, "
             "xl create, the guest probes it, xl destroy", r,
             "d%s" % dom if dom else "")

    t = tests.get("pt", {})
    creates = t.get("XV-DOMID", [])
    sts = t.get("XV-XL-STATUS", [])
    guest = {}
    for g in t.get("XV-GUEST", []):
        m = re.match(r"^(\d+): (XV-[\w-]+)(?:: ?(.*))?$", g)
        if m:
            guest.setdefault(int(m.group(1)), {}).setdefault(
                m.group(2), []).append(m.group(3))
    for x in t.get("XV-TIMEOUT", []):
        print("      timeout: " + x)
    for c in creates:
        r = []
        i, _, d = c.partition(" ")
        i = int(i)
        val = guest.get(i, {})
        if "XV-END" not in val:
            r.append("the guest did not finish (no XV-END)")
        heads, sums = val.get("XV-HEAD", []), val.get("XV-SUM", [])
        if heads != [expect[0]]:
            r.append("the disk's first bytes read %s, not this run's %s" % (
                heads[0] if heads else "nothing", expect[0]))
        if sums != [expect[1]]:
            r.append("the md5 of %d MiB read is %s, not this run's %s" % (
                PT_DISK_MB, sums[0] if sums else "nothing", expect[1]))
        group = val.get("XV-GROUP", [])
        gtype = group[0].split(" type ")[-1] if group and " type " in \
            group[0] else None
        if gtype != "DMA":
            r.append("00:01.0 is %s, not in an IOMMU group of type DMA" % (
                "in a group of type " + gtype if gtype else
                "in no IOMMU group"))
        klog = val.get("XV-KLOG", [])
        if not any(PROBE.search(l) for l in klog):
            r.append("no arm-smmu-v3 probe line")
        for e in val.get("XV-ERR", []):
            r.append("guest: " + e)
        for o in [l for l in klog if OOPS.search(l)] + val.get("XV-OOPS", []):
            r.append("guest kernel: " + o)
        dom = int(d) if d.strip().isdigit() else -1
        m = vsmmus.get(dom)
        if not m or m.group(5) != "1":
            r.append("Xen did not give d%d's vSMMU 1 physical SMMU: %s" % (
                dom, m.group(0) if m else "no vSMMU line"))
        want = set(zip(PT_VSIDS, PT_SIDS))
        if bindings.get(dom) != want:
            r.append("Xen bound d%d's %s, not %s" % (
                dom, sorted("%#x->%#x" % b for b in bindings.get(dom, ())),
                sorted("%#x->%#x" % b for b in want)))
        if sts[2 * (i - 1):2 * i] != ["0", "0"]:
            r.append("xl create/destroy exited with %s" % " ".join(
                sts[2 * (i - 1):2 * i]))
        T.record("pt %d: xl create with the host bridge, the guest reads the "
                 "disk through its own stage 1, xl destroy" % i, r,
                 "d%d, %s" % (dom, group[0] if group else "no group"))
        for l in [l for l in klog if "arm-smmu-v3" in l][:3]:
            print("      guest: " + l)
    if len(creates) != args.pt_cycles:
        T.record("pt: %d creates" % args.pt_cycles,
                 ["%d of %d creates" % (len(creates), args.pt_cycles)])

    r = []
    judge_common(t, "pt", r)
    heap = {}
    for h in t.get("XV-HEAP", []):
        w = h.split()
        if len(w) == 2:
            heap[int(w[0])] = int(w[1])
    n = args.pt_cycles
    if 1 in heap and n in heap:
        if heap[n] != heap[1]:
            r.append("free heap pages after the last destroy %+d from "
                     "after the first" % (heap[n] - heap[1]))
    else:
        r.append("no heap figures")
    doms = t.get("XV-DOMAINS", [""])[-1].split()
    if doms != ["0"]:
        r.append("Xen knows domains %s at the end (debug key q)" % (
            doms or "none"))
    xev = [l for l in xen if XEN_EVENT.search(l)]
    if xev:
        r.append("Xen's SMMUv3 reported %d event line(s): %s" % (
            len(xev), xev[0]))
    if con.trouble:
        r.append("Xen: " + XEN_PREFIX.sub("", con.trouble[0]))
    T.record("pt: after xl destroy, Xen is well: no domain left, no heap "
             "drift, no SMMUv3 event, no trouble", r,
             "free heap pages %s" % " ".join(
                 "%d:%d" % kv for kv in sorted(heap.items())))


def run_pt(args, out, T):
    """The passthrough boot: Xen + dom0 on QEMU 10, xl create of guests
    that own the PCIe host bridge."""
    run = os.path.join(out, "xl-pt")
    shutil.rmtree(run, ignore_errors=True)
    os.makedirs(run)
    disk = os.path.join(run, "disk.img")
    data = os.urandom(PT_DISK_MB << 20)
    with open(disk, "wb") as f:
        f.write(data)
    expect = (data[:32].hex(), hashlib.md5(data).hexdigest())
    xvqemu.configure("qemu10", "virt", [
        "-drive", "if=none,id=d0,file=%s,format=raw,readonly=on" % disk,
        "-device", "virtio-blk-pci,drive=d0,disable-legacy=on,"
        "iommu_platform=on,addr=01.0"])

    files = [("xv/guest/Image", args.kernel), ("xv/pt/initrd", args.pt_initrd)]
    cfgs = {"pt": pt_cfg("pt")}
    pdtbs = {"pt": pt_partial(run, "pt", PT_VSIDS)}
    for name, (_, vsids) in PT_REFUSALS.items():
        cfgs[name] = pt_cfg(name)
        pdtbs[name] = pt_partial(run, name, vsids)
    nodev = {PT_NODEV: pt_nodev_cfg(PT_NODEV)}
    for name, (_, extra) in PT_CFG_REFUSALS.items():
        nodev[name] = pt_nodev_cfg(name, extra)
    gt = args.guest_timeout
    plan = ["refuse %s /xv/cfg/%s.cfg" % (n, n) for n in PT_REFUSALS]
    plan += ["refuse %s /xv/cfg/%s.cfg" % (n, n) for n in PT_CFG_REFUSALS]
    plan.append("cycle %s %s /xv/cfg/%s.cfg 1 %d '^XV-END'" % (
        PT_NODEV, PT_NODEV, PT_NODEV, PT_NODEV_SECS))
    plan.append("cycle pt pt /xv/cfg/pt.cfg %d %d '^XV-END'" % (
        args.pt_cycles, gt))
    for name, text in cfgs.items():
        stage(files, run, "xv/cfg/%s.cfg" % name, name + ".cfg", text)
        files.append(("xv/pt/%s.dtb" % name, pdtbs[name]))
    for name, text in nodev.items():
        stage(files, run, "xv/cfg/%s.cfg" % name, name + ".cfg", text)
    stage(files, run, "xv/plan", "plan", ("\n".join(plan) + "\n").encode())
    if args.show:
        print("--- pt.cfg (xl create /xv/cfg/pt.cfg), partial device tree "
              "%s" % os.path.join(run, "pt.dts"))
        for l in cfgs["pt"].decode().splitlines():
            print("    " + l)

    initrd = os.path.join(run, "dom0-initrd")
    dom0mod.make_initramfs(
        initrd, args.busybox, os.path.join(INITRAMFS, "dom0-init"),
        args.toolstack, args.sysroot, args.kmods, files)
    d0 = dom0mod.Dom0(os.path.abspath(args.kernel), initrd)
    dtb = dom0mod.write_dtb(out, run, d0, 2, host_fixup=pt_host_fixup)
    cmd = dom0mod.qemu_cmd(os.path.abspath(args.xen), dtb, d0, 2)
    with open(os.path.join(run, "qemu.cmd"), "w") as f:
        f.write(" ".join(cmd) + "\n")
    log = os.path.join(run, "console.log")
    print("xl: passthrough boot (QEMU %s), disk of %d MiB, md5 %s; console: "
          "%s" % (xvqemu.describe(), PT_DISK_MB, expect[1], log), flush=True)
    t0 = time.monotonic()
    con, status, timed_out = xvqemu.boot(
        cmd, log, args.timeout,
        done=lambda c: any("XV-DOM0-END" in l for l in c.lines[-3:]))
    print("=== xl: passthrough through xl, %d guest(s) in %.0fs" % (
        args.pt_cycles, time.monotonic() - t0))
    if args.show:
        tests, _, xen = parse(con)
        for l in xen:
            if "vIOMMU vSID" in l or "vSMMUv3 at" in l:
                print("    Xen: " + l)
        for l in tests.get("pt", {}).get("XV-GUEST", []):
            if re.match(r"^\d+: XV-(HEAD|SUM|GROUP)", l):
                print("    guest " + l)
    judge_pt(args, con, expect, T)
    if timed_out:
        T.record("pt: the boot finished", ["timeout after %ds" % args.timeout])
    elif not any("XV-DOM0-END" in l for l in con.lines):
        T.record("pt: the boot finished", [
            "dom0 did not finish (QEMU exit status %s, last line: %s)" % (
                status, con.lines[-1] if con.lines else "none")])
    print("  console log: %s" % log)


def run_first(args, out, run):
    """The first boot (the machine's QEMU 7.2): the vSMMU through xl."""
    xvqemu.configure("qemu-system-aarch64", "virt", [])

    ginitrd = os.path.join(run, "guest-initrd")
    dom0mod.make_guest_initramfs(ginitrd, args.busybox, [
        ("init", os.path.join(INITRAMFS, "init")),
        ("hold", os.path.join(INITRAMFS, "xl-hold"))])
    files = [("xv/guest/Image", args.kernel), ("xv/guest/initrd", ginitrd)]
    cfgs = {
        "vsmmu": guest_cfg("vsmmu", 256, 1, "smmuv3", "/init"),
        "plain": guest_cfg("plain", 256, 1, None, "/init"),
        "cycle": guest_cfg("cycle", 128, 1, "smmuv3", "/hold"),
    }
    for name, (_, setting) in REFUSALS.items():
        cfgs[name] = guest_cfg(name, 128, 1, None, "/init", setting)
    gt = args.guest_timeout
    plan = ["create vsmmu vsmmu /xv/cfg/vsmmu.cfg %d" % gt,
            "create plain plain /xv/cfg/plain.cfg %d" % gt]
    plan += ["refuse %s /xv/cfg/%s.cfg" % (n, n) for n in REFUSALS]
    plan.append("cycle cycle cycle /xv/cfg/cycle.cfg %d %d" % (args.cycles,
                                                              gt))
    if args.record_tool:
        plan.append("record record cycle /xv/cfg/cycle.cfg %d" % gt)
        files.append(("usr/bin/xv-record", args.record_tool))
    for name, text in cfgs.items():
        stage(files, run, "xv/cfg/%s.cfg" % name, name + ".cfg", text)
    stage(files, run, "xv/plan", "plan", ("\n".join(plan) + "\n").encode())

    if args.show:
        for name, text in cfgs.items():
            print("--- %s.cfg (xl create /xv/cfg/%s.cfg)" % (name, name))
            for l in text.decode().splitlines():
                print("    " + l)

    initrd = os.path.join(run, "dom0-initrd")
    size, libs = dom0mod.make_initramfs(
        initrd, args.busybox, os.path.join(INITRAMFS, "dom0-init"),
        args.toolstack, args.sysroot, args.kmods, files)
    print("xl: dom0 %s, initramfs %.1f MB (toolstack, %s, Xen modules: %s)"
          % (args.kernel_name, size / 1e6, " ".join(libs),
             open(os.path.join(args.kmods, "order")).read().split()))
    d0 = dom0mod.Dom0(os.path.abspath(args.kernel), initrd)
    dtb = dom0mod.write_dtb(out, run, d0, 2)
    cmd = dom0mod.qemu_cmd(os.path.abspath(args.xen), dtb, d0, 2)
    with open(os.path.join(run, "qemu.cmd"), "w") as f:
        f.write(" ".join(cmd) + "\n")
    log = os.path.join(run, "console.log")
    print("xl: booting Xen + dom0 (QEMU %s); console: %s" % (
        xvqemu.describe(), log), flush=True)

    t0 = time.monotonic()
    con, status, timed_out = xvqemu.boot(
        cmd, log, args.timeout,
        done=lambda c: any("XV-DOM0-END" in l for l in c.lines[-3:]))
    secs = time.monotonic() - t0
    print("=== xl: Xen, a dom0 and %d guests created by xl in %.0fs" % (
        2 + args.cycles, secs))
    if args.show:
        tests, dom0, _ = parse(con)
        print("--- dom0")
        for l in dom0:
            print("    " + l)
        for name in ["vsmmu", "plain"]:
            print("--- %s: xl and the guest's XV- lines" % name)
            for l in tests.get(name, {}).get("XV-XL", []):
                print("    xl: " + l)
            for l in tests.get(name, {}).get("XV-GUEST", []):
                if l.startswith("XV-"):
                    print("    guest: " + l)
        print("--- the verdicts")
    T = judge(args, con, None)
    if timed_out:
        T.record("the boot finished", ["timeout after %ds" % args.timeout])
    elif not any("XV-DOM0-END" in l for l in con.lines):
        T.record("the boot finished", ["dom0 did not finish (QEMU exit "
                                       "status %s, last line: %s)" % (
                                           status, con.lines[-1] if
                                           con.lines else "none")])
    print("  console log: %s" % log)
    return T


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--xen", required=True)
    ap.add_argument("--kernel", required=True,
                    help="the arm64 Linux Image of the dom0 and the guests")
    ap.add_argument("--kernel-name", default=None,
                    help="what to call it (default: its package)")
    ap.add_argument("--busybox", required=True, help="static arm64 busybox")
    ap.add_argument("--kmods", required=True,
                    help="the Xen modules of the kernel (kmods.py folder)")
    ap.add_argument("--toolstack", required=True,
                    help="the installed toolstack (make toolstack's dest)")
    ap.add_argument("--sysroot", required=True,
                    help="the arm64 sysroot (make setup)")
    ap.add_argument("--out", required=True, help="run directory (logs)")
    ap.add_argument("--timeout", type=int, default=900,
                    help="seconds for the whole boot")
    ap.add_argument("--guest-timeout", type=int, default=180,
                    help="seconds for a guest to report")
    ap.add_argument("--cycles", type=int, default=10)
    ap.add_argument("--record-tool", default=None,
                    help="xv-record (tests/dom0/xv-record.c, arm64): save "
                    "and restore a guest's vSMMU through libxc")
    ap.add_argument("--pt-initrd",
                    help="the dma tier's guest initramfs (dma-init, the "
                    "kernel's virtio modules): also run the passthrough "
                    "boot on QEMU 10")
    ap.add_argument("--pt-cycles", type=int, default=2,
                    help="xl create/destroy of the passthrough guest")
    ap.add_argument("--only-pt", action="store_true",
                    help="run the passthrough boot only")
    ap.add_argument("--show", action="store_true",
                    help="print the xl configurations, the dom0's bring-up "
                    "and what xl printed (make run MODE=xl)")
    args = ap.parse_args()
    args.kernel_name = args.kernel_name or xvqemu.kernel_package(args.kernel)
    out = os.path.abspath(args.out)
    run = os.path.join(out, "xl")
    shutil.rmtree(run, ignore_errors=True)
    os.makedirs(run)
    if args.only_pt:
        T = Tests()
    else:
        T = run_first(args, out, run)
    if args.pt_initrd:
        run_pt(args, out, T)
    passed = sum(1 for _, r in T.results if not r)
    failed = len(T.results) - passed
    print("%d passed, %d failed" % (passed, failed))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
