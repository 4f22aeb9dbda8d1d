#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Figures of the vSMMUv3 device model from callgrind.

Runs the benchmark (tests/bench/bench.c) once under callgrind.  Each phase
dumps its own profile (CALLGRIND_DUMP_STATS_AT), taken after its set-up, so
a dump holds exactly the phase's measured loop.

Device-model cost = the exclusive (self) instructions of every function whose
source file (callgrind "fl=") is under xen/drivers/passthrough/arm/vsmmu-v3/.
Inlined helpers from the model's own headers and from the emulated Xen
headers (vreg_reg32_extract & co, as inlined in Xen too) count as the
model's; every out-of-line call into the harness and emulation
(access_guest_memory_by_gpa, spinlocks, printk, set_timer, the vGIC,
the physical backend's ops) does not.  Cross-check: the inclusive cost of
every call from outside into the model minus the inclusive cost of every
call from the model to the outside must give the same number; the script
fails if they differ.

The counts the figures are divided by (guest commands, trapped accesses,
physical commands and syncs) are printed by the benchmark itself, counted
by fake_phys and by the guest side, never by callgrind; the number of calls
into the MMIO handlers seen by callgrind must equal the benchmark's count of
trapped accesses.

Usage: figures.py --bench BIN [--scale N] [--step-work N] [--out DIR] [--top N]
                  MODEL_OBJ...
Nothing here is a pass condition of `make test`.
"""

import argparse
import collections
import os
import re
import subprocess
import sys

MODEL_DIR = "xen/drivers/passthrough/arm/vsmmu-v3/"
ENTRY_POINTS = ("vsmmuv3_mmio_read", "vsmmuv3_mmio_write",
                "vsmmuv3_vcpu_work")
TARGET_INSTR_PER_CMD = 300


class Profile:
    """One callgrind dump, function-level, uncompressed names/positions."""

    def __init__(self, path):
        self.trigger = None
        self.total = 0
        self.self_cost = collections.Counter()      # fn -> Ir
        self.line_cost = collections.Counter()      # (file, line) -> Ir
        self.fn_file = {}                           # fn -> fl
        self.fn_files = collections.defaultdict(set)
        # (caller, callee) -> [count, inclusive Ir]
        self.calls = collections.defaultdict(lambda: [0, 0])
        self._parse(path)

    def _parse(self, path):
        fn = fl = cur_file = None
        callee = None
        pending_calls = None
        with open(path) as f:
            for raw in f:
                line = raw.rstrip("\n")
                if not line:
                    continue
                c = line[0]
                if c.isdigit() or c in "+-*":
                    parts = line.split()
                    if len(parts) < 2:
                        continue
                    ir = int(parts[1])
                    if pending_calls is not None:
                        rec = self.calls[(fn, callee)]
                        rec[0] += pending_calls
                        rec[1] += ir
                        pending_calls = None
                    else:
                        self.self_cost[fn] += ir
                        if parts[0].isdigit():
                            self.line_cost[(cur_file, int(parts[0]))] += ir
                    continue
                key, _, val = line.partition("=")
                if key == "fl":
                    fl = cur_file = val
                elif key in ("fi", "fe"):
                    cur_file = val
                elif key == "fn":
                    fn = val
                    cur_file = fl
                    self.fn_file.setdefault(fn, fl)
                    self.fn_files[fn].add(fl)
                elif key == "cfn":
                    callee = val
                elif key == "calls":
                    pending_calls = int(val.split()[0])
                elif line.startswith("desc: Trigger: Client Request: "):
                    self.trigger = line.split(": ", 2)[2].split(": ", 1)[1]
                elif line.startswith("summary:") or line.startswith("totals:"):
                    self.total = int(line.split()[1])

    def is_model(self, fn):
        files = self.fn_files.get(fn)
        if not files:
            return False
        kinds = {MODEL_DIR in (f or "") for f in files}
        if len(kinds) != 1:
            sys.exit(f"figures.py: {fn} is defined both in and out of the "
                     f"device model: {sorted(files)}")
        return kinds.pop()


def model_cost(p):
    model_fns = {fn for fn in p.fn_files if p.is_model(fn)}
    exclusive = sum(p.self_cost[fn] for fn in model_fns)
    entry = out = 0
    entry_calls = collections.Counter()
    excluded = collections.Counter()
    for (caller, callee), (count, incl) in p.calls.items():
        cm, em = caller in model_fns, callee in model_fns
        if em and not cm:
            entry += incl
            entry_calls[callee] += count
        elif cm and not em:
            out += incl
            excluded[callee] += incl
    return {
        "fns": model_fns,
        "exclusive": exclusive,
        "inclusive": entry - out,
        "entry_calls": entry_calls,
        "excluded": excluded,
    }


def read_phases(stdout):
    phases = collections.OrderedDict()
    for line in stdout.splitlines():
        if not line.startswith("phase "):
            continue
        words = line.split()
        phases[words[1]] = {k: int(v) for k, v in
                            (w.split("=", 1) for w in words[2:])}
    return phases


def ratio(a, b, fmt="{:.1f}"):
    return fmt.format(a / b) if b else "-"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--scale", default="1")
    ap.add_argument("--step-work", default="0",
                    help="work units per step (0: the configured default)")
    ap.add_argument("--out", default="build/bench/callgrind")
    ap.add_argument("--top", type=int, default=8)
    ap.add_argument("objs", nargs="*", help="device model objects (checked)")
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):
        if old.startswith("callgrind.out"):
            os.unlink(os.path.join(args.out, old))
    base = os.path.join(args.out, "callgrind.out")
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + base,
           "--compress-strings=no", "--compress-pos=no",
           args.bench, "-n", args.scale, "-b", args.step_work]
    print("$ " + " ".join(cmd), flush=True)
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    if res.returncode:
        sys.stderr.write(res.stderr)
        sys.exit(f"figures.py: benchmark failed ({res.returncode})")
    phases = read_phases(res.stdout)

    # Every device model object defines functions the profiles attribute to
    # the model's files: a sanity check that the path test is right.
    model_syms = set()
    for obj in args.objs:
        nm = subprocess.run(["nm", "--defined-only", obj], check=True,
                            stdout=subprocess.PIPE, text=True).stdout
        model_syms |= {l.split()[2] for l in nm.splitlines()
                       if len(l.split()) == 3 and l.split()[1] in "tT"}

    profiles = {}
    for name in sorted(os.listdir(args.out)):
        if re.fullmatch(r"callgrind\.out\.\d+", name):
            p = Profile(os.path.join(args.out, name))
            if p.trigger in phases:
                profiles[p.trigger] = p

    rows = []
    problems = []
    details = []
    for name, c in phases.items():
        p = profiles.get(name)
        if p is None:
            sys.exit(f"figures.py: no callgrind dump for phase {name}")
        m = model_cost(p)
        if m["exclusive"] != m["inclusive"]:
            problems.append(f"{name}: exclusive {m['exclusive']} != "
                            f"inclusive-minus-callees {m['inclusive']}")
        traps_cg = (m["entry_calls"]["vsmmuv3_mmio_read"] +
                    m["entry_calls"]["vsmmuv3_mmio_write"])
        if traps_cg != c["traps"]:
            problems.append(f"{name}: callgrind saw {traps_cg} MMIO calls, "
                            f"the benchmark made {c['traps']}")
        if model_syms:
            stray = sorted(m["fns"] - model_syms)
            outside = sorted(f for f in p.fn_files
                             if f in model_syms and f not in m["fns"])
            if stray or outside:
                problems.append(f"{name}: model files vs model objects: "
                                f"not in the objects {stray}, in the objects "
                                f"but not the model's files {outside}")
        ir = m["exclusive"]
        rows.append((name, c, ir, p.total, m))
        details.append((name, p, m, ir))

    # The table.
    hdr = ("phase", "guest cmds", "traps", "model Ir", "Ir/guest cmd",
           "Ir/trap", "phys cmds", "Ir/phys cmd", "phys cmd/guest TLBI",
           "phys syncs",
           "guest syncs", "max phys sync/guest sync", "domain-wide")
    table = []
    for name, c, ir, total, m in rows:
        unmap = name.startswith("unmap")
        table.append((
            name, str(c["guest_cmds"]), str(c["traps"]), str(ir),
            ratio(ir, c["guest_cmds"]),
            ratio(ir, c["traps"]) if not c["guest_cmds"] else "-",
            str(c["phys_cmds"]),
            ratio(ir, c["phys_cmds"]) if unmap else "-",
            ratio(c["phys_cmds"], c["guest_tlbis"], "{:.2f}")
            if unmap else "-",
            str(c["phys_syncs"]), str(c["guest_syncs"]),
            str(c["max_phys_syncs_per_guest_sync"]),
            str(c["domain_wide"])))
    widths = [max(len(r[i]) for r in table + [hdr]) for i in range(len(hdr))]
    print()
    print("Device model instructions (callgrind Ir, self cost of functions in "
          + MODEL_DIR + ")")
    print("  ".join(h.rjust(w) for h, w in zip(hdr, widths)))
    for r in table:
        print("  ".join(v.rjust(w) for v, w in zip(r, widths)))

    print()
    print("Per phase, per repetition (burst, cycle or loop iteration):")
    for name, c, ir, total, m in rows:
        reps = c["reps"]
        print(f"  {name:16} {ir / reps:9.0f} Ir in the model; "
              f"{c['guest_cmds'] / reps:5.1f} guest cmds, "
              f"{c['traps'] / reps:5.1f} traps "
              f"({c['prod_writes'] / reps:.1f} PROD writes, "
              f"{c['cons_reads'] / reps:.1f} CONS reads), "
              f"{c['continuations'] / reps:.1f} continuation steps, "
              f"{c['cont_syncs'] / reps:.1f} syncs not done in their trap, "
              f"{c['mem_reads'] / reps:.1f} guest memory reads; physical: "
              f"{c['phys_cmds'] / reps:.1f} cmds in "
              f"{c['phys_queue_calls'] / reps:.1f} queue calls, "
              f"{c['phys_syncs'] / reps:.1f} syncs, "
              f"{c['phys_installs'] / reps:.1f} STE installs, "
              f"{c['domain_wide'] / reps:.1f} domain-wide, "
              f"{c['asid_wide'] / reps:.1f} ASID-wide; "
              f"harness Ir excluded: {(total - ir) / reps:.0f}")

    print()
    print("Where the model's instructions go (self Ir per repetition), and "
          "what was excluded (inclusive Ir of calls out of the model):")
    for name, p, m, ir in details:
        reps = phases[name]["reps"]
        top = sorted(((p.self_cost[f], f) for f in m["fns"]), reverse=True)
        print(f"  {name}:")
        for cost, f in top[:args.top]:
            if cost:
                print(f"    {cost / reps:9.1f}  {100.0 * cost / ir:5.1f}%  {f}")
        ex = m["excluded"].most_common(6)
        print("    excluded: " + ", ".join(
            f"{f} {v / reps:.0f}" for f, v in ex))
        lines = sorted(((v, k) for k, v in p.line_cost.items()
                        if k[0] and MODEL_DIR in k[0]), reverse=True)[:5]
        print("    hottest lines: " + ", ".join(
            f"{os.path.basename(k[0])}:{k[1]} {v / reps:.0f}"
            for v, k in lines))

    # The cost of one step (S8.8): the phases whose steps are all full of
    # one kind of costly work.
    steps = [(n, c, ir, total) for n, c, ir, total, m in rows
             if n.startswith("step-")]
    if steps:
        print()
        print("The cost of one step (every step of these phases but the last "
              "of each doorbell is full):")
        for n, c, ir, total in steps:
            print(f"  {n:12} {c['steps']:6} steps, most work in one: "
                  f"{c['max_step_work']} of {c['step_work']} units; per step: "
                  f"{ratio(ir, c['steps'], '{:.0f}'):>6} model Ir, "
                  f"{ratio(total - ir, c['steps'], '{:.0f}'):>6} harness Ir "
                  f"(guest memory, physical SMMU), "
                  f"{ratio(c['mem_reads'] + c['mem_writes'], c['steps'])} "
                  f"guest-memory accesses, "
                  f"{ratio(c['phys_cmds'], c['steps'])} physical commands, "
                  f"{ratio(c['phys_installs'], c['steps'])} STE installs")

    # The targets of issue 3.
    print()
    print("Targets:")
    ok_all = True

    def target(ok, text):
        nonlocal ok_all
        ok_all &= ok
        print(f"  [{'met' if ok else 'MISSED'}] {text}")

    worst_sync = max(c["max_phys_syncs_per_guest_sync"] for _, c, *_ in rows)
    target(worst_sync <= 1,
           f"at most 1 physical sync per guest CMD_SYNC (worst: {worst_sync})")
    unmaps = [(n, c) for n, c, *_ in rows if n.startswith("unmap")]
    flushes = sum(c["domain_wide"] for _, c in unmaps)
    target(flushes == 0,
           f"no domain-wide flush for a scoped TLBI ({flushes} in "
           + ", ".join(n for n, _ in unmaps) + ")")
    for n, c, ir, *_ in rows:
        if n in ("unmap", "unmap-msi", "unmap-ril"):
            per = ir / c["guest_cmds"]
            target(per < TARGET_INSTR_PER_CMD,
                   f"under {TARGET_INSTR_PER_CMD} instructions per relayed "
                   f"command in the device model, {n}: {per:.1f} (all-in: "
                   f"doorbell and poll traps, CMD_SYNC, continuations)")

    if problems:
        print()
        for pr in problems:
            print("method check FAILED: " + pr)
        sys.exit(1)
    print()
    print("method checks: exclusive == inclusive minus callees, MMIO calls "
          "== trapped accesses, model functions == model objects' symbols")
    print(f"dumps: {args.out}/callgrind.out.* "
          "(callgrind_annotate --inclusive=yes FILE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
