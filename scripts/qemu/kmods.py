#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""
kmods.py DEB OUTDIR MODULE...

Take the loadable modules a guest needs (MODULE... and what they depend on)
from a Debian linux-image package, for an initramfs: each goes to
OUTDIR/<name>.ko uncompressed (busybox's insmod may not read .ko.xz or
.ko.zst), and OUTDIR/order lists their names, dependencies first, for
insmod.  A MODULE built into the kernel (the package's modules.builtin) is
skipped; one neither built in nor in the package is an error.  The package
has no modules.dep (depmod makes it when it is installed): dependencies
come from each module's own .modinfo ("depends="), and the package is read
again if one was not taken on the way (name them all to read it once).
Only its modules tree is read, streamed from dpkg-deb --fsys-tarfile;
nothing is installed.
"""

import gzip
import lzma
import os
import re
import shutil
import subprocess
import sys
import tarfile

KO = re.compile(r"\.ko(\.(xz|zst|gz))?$")


def modname(path):
    """kernel/drivers/block/virtio_blk.ko.xz -> virtio_blk ('-' is '_')."""
    return KO.sub("", os.path.basename(path)).replace("-", "_")


def decompress(path, data):
    if path.endswith(".xz"):
        return lzma.decompress(data)
    if path.endswith(".gz"):
        return gzip.decompress(data)
    if path.endswith(".zst"):
        return subprocess.run(["zstd", "-dcq"], input=data, check=True,
                              capture_output=True).stdout
    return data


def depends(ko):
    """The module names of the "depends=" entry of a module's .modinfo."""
    m = re.search(rb"(?:^|\0)depends=([^\0]*)\0", ko)
    return [d.decode().replace("-", "_")
            for d in (m.group(1).split(b",") if m else []) if d]


def scan(deb, names):
    """One pass over the package: ({name: uncompressed .ko} for @names,
    the set of built-in module names)."""
    found, builtin = {}, set()
    p = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb],
                         stdout=subprocess.PIPE)
    try:
        with tarfile.open(fileobj=p.stdout, mode="r|") as tf:
            for m in tf:
                path = re.sub(r"^\./(usr/)?", "", m.name)
                if not m.isfile() or not path.startswith("lib/modules/"):
                    continue
                if path.endswith("/modules.builtin"):
                    builtin |= {modname(l) for l in
                                tf.extractfile(m).read().decode().split()}
                elif KO.search(path) and modname(path) in names:
                    found[modname(path)] = decompress(
                        path, tf.extractfile(m).read())
    finally:
        p.stdout.close()
        if p.wait():
            sys.exit("kmods: dpkg-deb --fsys-tarfile %s failed" % deb)
    return found, builtin


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip().splitlines()[0])
    deb, outdir, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
    wanted = [w.replace("-", "_") for w in wanted]
    mods, builtin, asked = {}, set(), set()
    todo = set(wanted)
    while todo:
        asked |= todo
        found, builtin = scan(deb, todo)
        mods.update(found)
        missing = sorted(n for n in todo if n not in found and
                         n not in builtin)
        if missing:
            sys.exit("kmods: %s: %s neither in the package nor built in" % (
                os.path.basename(deb), ", ".join(missing)))
        todo = {d for ko in found.values() for d in depends(ko)} - asked

    order = []

    def visit(name, chain):
        if name in order or name not in mods:
            return
        if name in chain:
            sys.exit("kmods: dependency loop: " + " -> ".join(chain + [name]))
        for d in depends(mods[name]):
            visit(d, chain + [name])
        order.append(name)

    for w in wanted:
        visit(w, [])

    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    for name in order:
        with open(os.path.join(outdir, name + ".ko"), "wb") as f:
            f.write(mods[name])
    with open(os.path.join(outdir, "order"), "w") as f:
        f.write("".join(n + "\n" for n in order))
    print("kmods: %s: %s (built in: %s)" % (
        os.path.basename(deb), " ".join(order) or "none",
        " ".join(w for w in wanted if w not in mods) or "none"))


if __name__ == "__main__":
    main()
