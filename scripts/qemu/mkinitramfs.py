#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""
mkinitramfs.py BUSYBOX INIT OUT.cpio.gz [DIR:DEST]...

A gzip'd newc cpio archive holding /init, /bin/busybox and /dev/console
(the kernel opens it before running /init), and the files of each DIR
(not its subfolders) under /DEST (e.g. kernel modules: build/x/kmods:lib/modules).
Written directly, so no root privileges (mknod) are needed.
"""

import gzip
import os
import stat
import sys


def entry(name, mode, data=b"", rdev=(0, 0), ino=[0]):
    ino[0] += 1
    hdr = "070701" + "".join("%08X" % v for v in (
        ino[0], mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
        len(name) + 1, 0))
    out = hdr.encode() + name.encode() + b"\0"
    out += b"\0" * (-len(out) % 4)
    out += data + b"\0" * (-len(data) % 4)
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip().splitlines()[0])
    busybox, init, out = sys.argv[1:4]
    with open(busybox, "rb") as f:
        bb = f.read()
    with open(init, "rb") as f:
        it = f.read()
    ents = [
        entry("dev", stat.S_IFDIR | 0o755),
        entry("dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1)),
        entry("bin", stat.S_IFDIR | 0o755),
        entry("bin/busybox", stat.S_IFREG | 0o755, bb),
        entry("bin/sh", stat.S_IFLNK | 0o777, b"busybox"),
        entry("init", stat.S_IFREG | 0o755, it),
    ]
    dirs = {"dev", "bin"}
    for arg in sys.argv[4:]:
        src, dest = arg.rsplit(":", 1)
        dest = dest.strip("/")
        parts = dest.split("/")
        for i in range(len(parts)):
            d = "/".join(parts[:i + 1])
            if d not in dirs:
                dirs.add(d)
                ents.append(entry(d, stat.S_IFDIR | 0o755))
        for name in sorted(os.listdir(src)):
            path = os.path.join(src, name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    ents.append(entry(dest + "/" + name,
                                      stat.S_IFREG | 0o644, f.read()))
    arc = b"".join(ents + [entry("TRAILER!!!", 0)])
    tmp = out + ".tmp"
    with open(tmp, "wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6,
                          mtime=0) as f:
        f.write(arc)
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
