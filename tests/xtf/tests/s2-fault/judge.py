# SPDX-License-Identifier: GPL-2.0-only
"""
s2-fault, what only the runner sees (tests/xtf/xtf-runner calls judge()):

- Xen logs the stage-2 faults rate-limited: the SMMUv3 driver prints a
  physical event only when printk_ratelimit() allows (a burst of 10, then
  one per 5 s), so it prints fewer records than the faults the guest
  caused, at least one, and each is a stage-2 fault (S2, word 1 bit 39) of
  one of the device's streams at one of the IPAs the guest used;
- the vIOMMU refused to forward every one of them to the guest ("vIOMMU
  dropped physical event", printed for each with guest_loglvl=all);
- the canary (d2) filled its memory before the first fault and checked it
  after the last (their physical counters agree).
"""

import re

SMMU = "/smmuv3@9050000"
SIDS = (0x8, 0x10)
EVENT = re.compile(r"^SMMUv3: %s: event (0x[0-9a-f]+) received:" % re.escape(SMMU))
WORD = re.compile(r"^SMMUv3: %s: \s*(0x[0-9a-f]{16})$" % re.escape(SMMU))
DROPPED = re.compile(r"^d1: vIOMMU dropped physical event (0x[0-9a-f]+) \((-?\d+)\)")
FAULTS = re.compile(r"^s2-fault: faults (\d+) len \d+ first (\d+) done (\d+) "
                    r"hz (\d+)")
IPA = re.compile(r"^s2-fault: IPA (0x[0-9a-f]+)")
FILLED = re.compile(r"^canary: filled \S+ at (\d+)")
CHECKED = re.compile(r"^canary: intact, last checked at (\d+)")
S2 = 1 << 39


def first(regex, lines):
    for l in lines:
        m = regex.match(l)
        if m:
            return m
    return None


def judge(con):
    d1, d2 = con.guest_lines.get(1, []), con.guest_lines.get(2, [])
    f = first(FAULTS, d1)
    if not f:
        return "FAIL: instance 1 did not report its faults"
    faults, t_first, t_done = int(f.group(1)), int(f.group(2)), int(f.group(3))
    ipas = {int(m.group(1), 16) for m in map(IPA.match, d1) if m}
    filled, checked = first(FILLED, d2), first(CHECKED, d2)
    if not filled or not checked:
        return "FAIL: the canary did not report its watch"
    if int(filled.group(1)) >= t_first:
        return "FAIL: the canary filled its memory after the first fault"
    if int(checked.group(1)) <= t_done:
        return "FAIL: the canary's last check came before the last fault"

    # Xen's records: the event line and its four words.
    lines = con.lines
    logged = []
    for i, l in enumerate(lines):
        m = EVENT.match(l)
        if not m:
            continue
        words = [int(w.group(1), 16) for w in map(WORD.match, lines[i + 1:i + 9])
                 if w][:4]
        if len(words) != 4:
            return "FAIL: Xen's event record at line %d is cut short" % i
        logged.append((int(m.group(1), 16), words))
    for ev, w in logged:
        sid = w[0] >> 32
        if ev != 0x10 or sid not in SIDS or not w[1] & S2 or \
                (w[3] & ~0xfff) not in {a & ~0xfff for a in ipas}:
            return ("FAIL: Xen logged event %#x for StreamID %#x (%s), not a "
                    "stage-2 fault at the guest's IPAs" %
                    (ev, sid, " ".join("%#x" % x for x in w)))
    if not logged:
        return "FAIL: Xen logged none of the %d stage-2 faults" % faults
    if len(logged) >= faults:
        return ("FAIL: Xen logged %d records for %d stage-2 faults: not "
                "rate-limited" % (len(logged), faults))

    dropped = [m for m in map(DROPPED.match, lines) if m]
    refused = [m for m in dropped if (int(m.group(1), 16) >> 32) in SIDS]
    if len(refused) != faults:
        return ("FAIL: the vIOMMU refused %d physical events of the device's "
                "streams, the guest caused %d faults" % (len(refused), faults))
    if any(m.group(2) != "-1" for m in refused):
        return "FAIL: a physical event refused for another reason than -EPERM"

    hz = int(f.group(4)) or 1
    return ("Xen logged %d of %d stage-2 faults, the vIOMMU forwarded none; "
            "canary watched from %.2f s before the first fault to %.2f s "
            "after the last" % (
                len(logged), faults, (t_first - int(filled.group(1))) / hz,
                (int(checked.group(1)) - t_done) / hz))
