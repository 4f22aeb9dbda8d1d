# SPDX-License-Identifier: GPL-2.0-only
"""
perf: the guest's figures on the runner's line (tests/xtf/xtf-runner calls
judge()).  Timing is never a pass condition: this only reports.
"""

import re

NESTED = re.compile(r"^perf: nested \d+ cycles: (\d+) us/cycle \(map (\d+) us, "
                    r"DMA (\d+) us, unmap \+ TLBI \+ CMD_SYNC (\d+) us\), "
                    r"([\d.]+) vSMMU traps/cycle")
S2 = re.compile(r"^perf: stage-2 only \d+ DMAs: (\d+) us/DMA")
RATIO = re.compile(r"^perf: ratio nested/stage-2 only ([\d.]+)")
MGMT = re.compile(r"^perf: without DMA, \d+ cycles .*: (\d+) us/cycle and "
                  r"([\d.]+) traps/cycle polling CONS, (\d+) us/cycle and "
                  r"([\d.]+) traps/cycle polling the MSI")


def judge(con):
    found = {}
    for l in con.guest_lines.get(1, []):
        for name, rx in (("nested", NESTED), ("s2", S2), ("ratio", RATIO),
                         ("mgmt", MGMT)):
            m = rx.match(l)
            if m:
                found[name] = m.groups()
    if len(found) != 4:
        return "FAIL: the guest did not print its figures"
    n, s2, r, m = (found[k] for k in ("nested", "s2", "ratio", "mgmt"))
    return ("nested %s us/cycle (unmap+TLBI+sync %s us, %s traps), stage 2 "
            "only %s us, ratio %s; without DMA %s us and %s traps/cycle "
            "(CONS), %s us and %s (MSI)" % (n[0], n[3], n[4], s2[0], r[0],
                                            m[0], m[1], m[2], m[3]))
