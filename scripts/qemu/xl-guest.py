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
              records refused, ENODEV for dom0): each result as expected

The QEMU is the machine's 7.2 on virt, whose SMMUv3 Xen declines: the
vSMMUs serve virtual streams.  Ends with "N passed, N failed".
"""

import argparse
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
# How libxl's LOG(ERROR) reaches xl's stderr.
LIBXL_ERROR = re.compile(r"^libxl: error: [\w.]+:\d+:\w+: (.*)$")


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
    msgs = doc_messages()
    before = set(vsmmus)
    for name, (row, _) in REFUSALS.items():
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
        said = [l for l in xl if l == want or
                (LIBXL_ERROR.match(l) and
                 LIBXL_ERROR.match(l).group(1) == want)]
        if want and not said:
            r.append("xl did not print \"%s\"" % want)
        T.record("xl refuses %s" % name, r, ("xl: " + said[0]) if said else "")
        for l in xl:
            print("      xl: " + l)
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
    ap.add_argument("--show", action="store_true",
                    help="print the xl configurations, the dom0's bring-up "
                    "and what xl printed (make run MODE=xl)")
    args = ap.parse_args()
    args.kernel_name = args.kernel_name or xvqemu.kernel_package(args.kernel)
    out = os.path.abspath(args.out)
    run = os.path.join(out, "xl")
    shutil.rmtree(run, ignore_errors=True)
    os.makedirs(run)
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
        files.append(("xv/cfg/%s.cfg" % name, text))
        with open(os.path.join(run, name + ".cfg"), "wb") as f:
            f.write(text)
    plan_text = ("\n".join(plan) + "\n").encode()
    files.append(("xv/plan", plan_text))
    with open(os.path.join(run, "plan"), "wb") as f:
        f.write(plan_text)

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
    passed = sum(1 for _, r in T.results if not r)
    failed = len(T.results) - passed
    print("  console log: %s" % log)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
