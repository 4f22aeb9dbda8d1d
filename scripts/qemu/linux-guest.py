#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""
Boot Debian's arm64 Linux as a dom0less guest of the built hypervisor, with
a vSMMUv3 (viommu = "smmuv3") and a vpl011 console, and check that its
arm-smmu-v3 driver probed the vSMMU and finished its reset cleanly.

The guest's /init (scripts/qemu/initramfs/init) prints its findings with
"XV-" markers; this runner judges again from the console:

  PASS  the guest reports XV-RESULT: PASS, printed the driver's probe line
        ("ias N-bit, oas N-bit"), /sys/class/iommu lists an SMMUv3, no
        XV-FAIL line, and Xen neither crashed nor warned.

With --mode, each guest boots once per DMA invalidation mode (iommu.strict=1
and =0), and the kernel must report the mode it was asked for.  Prints the
guest kernel's vSMMU lines, a summary, where the logs are, and "N passed, N
failed" last.
"""

import argparse
import os
import re
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xvqemu  # noqa: E402

BOOTARGS = xvqemu.LINUX_BOOTARGS
PROBE = re.compile(r"arm-smmu-v3 \S+: ias \d+-bit, oas \d+-bit")
MODES = xvqemu.IOMMU_MODES
POLICY = xvqemu.IOMMU_POLICY


def boot_one(args, name, kernel, initrd, mode, out):
    """Boot one guest; returns the reasons it failed (none: passed)."""
    rdir = os.path.join(out, name if mode is None else name + "-" + mode)
    shutil.rmtree(rdir, ignore_errors=True)
    os.makedirs(rdir)
    log = os.path.join(rdir, "console.log")
    bootargs = BOOTARGS + ("" if mode is None else " " + MODES[mode])

    guest = xvqemu.Guest("linux", os.path.abspath(kernel), args.memory,
                         args.vcpus, viommu="smmuv3", vpl011=True,
                         bootargs=bootargs, ramdisk=os.path.abspath(initrd))
    try:
        dtb = xvqemu.write_dtb(out, rdir, [guest], 2)
    except RuntimeError as e:
        print("=== Linux %s: FAIL: %s" % (name, e))
        return [str(e)]
    cmd = xvqemu.qemu_cmd(os.path.abspath(args.xen), dtb, [guest], 2)
    with open(os.path.join(rdir, "qemu.cmd"), "w") as f:
        f.write(" ".join(cmd) + "\n")

    # The guest has the console focus: its vpl011 lines come bare.
    def finished(con):
        return any(l.startswith("XV-RESULT:") for l in con.lines[-4:])

    t0 = time.monotonic()
    con, _, timed_out = xvqemu.boot(cmd, log, args.timeout, done=finished)
    secs = time.monotonic() - t0

    lines = con.lines
    klog = [l[len("XV-KLOG: "):] for l in lines if l.startswith("XV-KLOG: ")]
    marks = [l for l in lines if l.startswith("XV-MARK: ")]
    fails = [l for l in lines if l.startswith("XV-FAIL: ")]
    result = [l for l in lines if l.startswith("XV-RESULT: ")]
    xen_viommu = [l for l in con.xen_lines
                  if ("vSMMU" in l or "viommu" in l or "SMMUv3" in l) and
                  "XV-" not in l]

    title = "%s (%s)%s" % (name, xvqemu.kernel_package(kernel),
                           "" if mode is None else ", " + mode)
    print("=== Linux %s" % title)
    print("--- Xen: the guest's vSMMUv3")
    for l in xen_viommu:
        print("  " + l)
    print("--- guest kernel: arm-smmu-v3 / iommu lines")
    for l in klog or ["(none)"]:
        print("  " + l)
    for l in marks:
        print("  " + l[len("XV-MARK: "):])

    reasons = []
    if con.trouble:
        reasons.append("Xen: " + con.trouble[0])
    if timed_out:
        reasons.append("timeout after %ds" % args.timeout)
    if not result:
        reasons.append("the guest never reported (XV-RESULT missing)")
    elif result[-1] != "XV-RESULT: PASS":
        reasons.append("the guest reported " + result[-1])
    reasons += [l[len("XV-FAIL: "):] for l in fails]
    if result and not any(PROBE.search(l) for l in klog):
        reasons.append("no arm-smmu-v3 probe line")
    if result and not any("smmu3." in m for m in marks):
        reasons.append("/sys/class/iommu lists no SMMUv3")
    policy = [m.group(1) for m in map(POLICY.search, klog) if m]
    if result and mode is not None and policy != [mode]:
        reasons.append("asked for %s invalidation, the kernel says %s" % (
            mode, policy or "nothing"))
    print("  %s: Linux %s with a vSMMUv3, %.1fs; console log: %s" % (
        "PASS" if not reasons else "FAIL", title, secs, log))
    for r in reasons:
        print("  FAIL: " + r)
    return reasons


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--xen", required=True)
    ap.add_argument("--guest", action="append", required=True,
                    metavar="NAME:KERNEL:INITRD",
                    help="a Linux guest to boot (repeatable)")
    ap.add_argument("--mode", action="append", choices=sorted(MODES),
                    help="boot each guest once per DMA invalidation mode "
                    "(iommu.strict); default: the kernel's own")
    ap.add_argument("--out", required=True, help="run directory (logs)")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--memory", type=int, default=256, help="guest MiB")
    ap.add_argument("--vcpus", type=int, default=2)
    ap.add_argument("--qemu", help="qemu-system-aarch64 (default), "
                    "qemu10, or a command/path (default: $XV_QEMU)")
    ap.add_argument("--machine", help="QEMU machine type: virt (default) "
                    "or e.g. virt-9.1 (default: $XV_MACHINE)")
    ap.add_argument("--qemu-args", metavar="ARGS",
                    help="more QEMU arguments, split as a shell would "
                    "(default: $XV_QEMU_ARGS)")
    args = ap.parse_args()
    xvqemu.configure(args.qemu, args.machine, args.qemu_args)

    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    if not xvqemu.is_default():
        print("linux: QEMU %s" % xvqemu.describe(), flush=True)
    passed = failed = 0
    summary = []
    for g in args.guest:
        name, kernel, initrd = g.split(":", 2)
        for mode in args.mode or [None]:
            reasons = boot_one(args, name, kernel, initrd, mode, out)
            label = name if mode is None else "%s, %s" % (name, mode)
            summary.append("  %s: %s%s" % (
                "PASS" if not reasons else "FAIL", label,
                "" if not reasons else " (" + reasons[0] + ")"))
            passed += not reasons
            failed += bool(reasons)
    print("--- summary")
    for l in summary:
        print(l)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
