# SPDX-License-Identifier: GPL-2.0-only
"""
A Linux dom0 running the cross-built toolstack, under the built Xen in
QEMU: the dom0's initramfs and its place among Xen's boot modules.  The
machine, the base device tree, the QEMU command line and the console come
from xvqemu (imported, not changed); used by scripts/qemu/xl-guest.py.

The dom0 is Debian's arm64 Linux (the Image make setup unpacked), booted
by Xen from a "multiboot,kernel" module in /chosen with a
"multiboot,ramdisk" module: an uncompressed newc initramfs (no gzip to
undo under TCG) holding

  /init                  scripts/qemu/initramfs/dom0-init (busybox sh)
  /bin/busybox           the static arm64 busybox of the Linux guests
  /usr/sbin, /usr/bin, /usr/lib, /usr/lib/xen/bin
                         the toolstack, as `make toolstack` installed it
  /usr/lib/<lib>.so.N    the arm64 libraries it needs, found by following
                         DT_NEEDED (aarch64-linux-gnu-readelf) through the
                         toolstack and the sysroot; /lib -> usr/lib, so
                         the loader is /lib/ld-linux-aarch64.so.1
  /lib/modules/          the kernel's Xen modules (scripts/qemu/kmods.py)
  /xv/...                the test's own files (guest kernel, initramfs,
                         xl configurations, the plan)
"""

import os
import re
import stat
import subprocess

import xvqemu

# The dom0's share of the machine; the rest is for the guests xl creates.
RAM_MB = 2048
DOM0_MEM = "512M"
# Xen's command line for a system with a dom0: its memory and vCPUs, a
# console ring large enough for the debug keys' output (read back with
# xl dmesg).
XEN_DOM0_ARGS = "dom0_mem=%s,max:%s dom0_max_vcpus=1 conring_size=1M" % (
    DOM0_MEM, DOM0_MEM)
DOM0_BOOTARGS = "console=hvc0 earlycon=xenboot rdinit=/init"
READELF = "aarch64-linux-gnu-readelf"
LOADER = "ld-linux-aarch64.so.1"
# Libraries loaded with dlopen(), which DT_NEEDED does not name: glibc's
# pthread_cancel() (xl's) needs libgcc_s.
DLOPENED = ["libgcc_s.so.1"]
# What of the toolstack goes into the dom0 (DESTDIR-relative).
TOOLSTACK_DIRS = ["usr/sbin", "usr/bin", "usr/lib/xen/bin", "usr/lib"]


class Dom0:
    """Xen's dom0: its kernel and initramfs as boot modules of /chosen
    (not a dom0less "xen,domain" node).  Duck-types xvqemu.Guest for
    xvqemu.write_dtb() and xvqemu.qemu_cmd()."""

    def __init__(self, kernel, initrd, bootargs=DOM0_BOOTARGS):
        self.bootargs = bootargs
        self.kernel = xvqemu.Module(kernel,
                                    '"multiboot,kernel", "multiboot,module"')
        self.ramdisk = xvqemu.Module(initrd,
                                     '"multiboot,ramdisk", "multiboot,module"')

    def modules(self):
        return [self.kernel, self.ramdisk]

    def dts(self):
        out = []
        for m in self.modules():
            extra = ('\n            bootargs = "%s";' % self.bootargs
                     if m is self.kernel else "")
            out.append("""
        module@%x {
            compatible = %s;
            reg = <0 0x%x 0 0x%x>;%s
        };""" % (m.addr, m.compatible, m.addr, m.size, extra))
        return "".join(out)


def write_dtb(workdir, run_dir, dom0, smp, host_fixup=None, xen_args=""):
    """QEMU's tree (its base cached in @workdir) with /chosen for Xen and
    the dom0; returns the DTB.  xvqemu's Xen command line plus the dom0's
    settings and @xen_args."""
    saved = (xvqemu.XEN_BOOTARGS, xvqemu.RAM_MB)
    xvqemu.XEN_BOOTARGS = " ".join(
        a for a in (saved[0], XEN_DOM0_ARGS, xen_args) if a)
    xvqemu.RAM_MB = RAM_MB
    try:
        return xvqemu.write_dtb(workdir, run_dir, [dom0], smp,
                                host_fixup=host_fixup)
    finally:
        xvqemu.XEN_BOOTARGS, xvqemu.RAM_MB = saved


def qemu_cmd(xen, dtb, dom0, smp):
    """The QEMU command line (xvqemu's, with the dom0's RAM)."""
    saved = xvqemu.RAM_MB
    xvqemu.RAM_MB = RAM_MB
    try:
        return xvqemu.qemu_cmd(xen, dtb, [dom0], smp)
    finally:
        xvqemu.RAM_MB = saved


# --- the initramfs -------------------------------------------------------

class Cpio:
    """An uncompressed newc archive, written directly (no root needed for
    /dev/console).  Parent folders are made as needed."""

    def __init__(self):
        self.ents = []
        self.dirs = set()
        self.ino = 0

    def _entry(self, name, mode, data=b"", rdev=(0, 0)):
        self.ino += 1
        hdr = "070701" + "".join("%08X" % v for v in (
            self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
            len(name) + 1, 0))
        out = hdr.encode() + name.encode() + b"\0"
        out += b"\0" * (-len(out) % 4)
        out += data + b"\0" * (-len(data) % 4)
        self.ents.append(out)

    def mkdir(self, path):
        path = path.strip("/")
        parts = path.split("/")
        for i in range(len(parts)):
            d = "/".join(parts[:i + 1])
            if d and d not in self.dirs:
                self.dirs.add(d)
                self._entry(d, stat.S_IFDIR | 0o755)

    def _parent(self, path):
        if "/" in path:
            self.mkdir(path.rsplit("/", 1)[0])

    def file(self, path, data, mode=0o644):
        path = path.strip("/")
        self._parent(path)
        self._entry(path, stat.S_IFREG | mode, data)

    def copy(self, path, src, mode=None):
        with open(src, "rb") as f:
            data = f.read()
        if mode is None:
            mode = 0o755 if os.access(src, os.X_OK) else 0o644
        self.file(path, data, mode)

    def symlink(self, path, target):
        path = path.strip("/")
        self._parent(path)
        self._entry(path, stat.S_IFLNK | 0o777, target.encode())

    def node(self, path, major, minor):
        path = path.strip("/")
        self._parent(path)
        self._entry(path, stat.S_IFCHR | 0o600, rdev=(major, minor))

    def write(self, out):
        self._entry("TRAILER!!!", 0)
        tmp = out + ".tmp"
        with open(tmp, "wb") as f:
            for e in self.ents:
                f.write(e)
        self.ents.pop()
        os.replace(tmp, out)
        return os.path.getsize(out)


def is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def needed(path):
    """The DT_NEEDED entries of an ELF file."""
    out = subprocess.run([READELF, "-d", path], capture_output=True,
                         text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def add_toolstack(cpio, dest, sysroot):
    """The toolstack installed in @dest, and the libraries of @sysroot it
    needs (with the loader).  Returns the sysroot libraries taken."""
    libdirs = [os.path.join(dest, "usr/lib"),
               os.path.join(sysroot, "lib/aarch64-linux-gnu"),
               os.path.join(sysroot, "usr/lib/aarch64-linux-gnu")]
    have = set()
    elves = []
    for d in TOOLSTACK_DIRS:
        top = os.path.join(dest, d)
        for name in sorted(os.listdir(top)):
            src = os.path.join(top, name)
            rel = os.path.join(d, name)
            if d == "usr/lib" and not re.search(r"\.so(\.\d+)*$", name):
                continue
            if os.path.islink(src):
                cpio.symlink(rel, os.readlink(src))
                have.add(name)
            elif os.path.isfile(src):
                cpio.copy(rel, src)
                have.add(name)
                if is_elf(src):
                    elves.append(src)
    taken = []
    todo = list(elves)
    seen = set()
    extra = list(DLOPENED)
    while todo or extra:
        for lib in extra or needed(todo.pop()):
            if lib in seen:
                continue
            seen.add(lib)
            if lib in have:
                continue
            for d in libdirs:
                p = os.path.join(d, lib)
                if os.path.exists(p):
                    real = os.path.realpath(p)
                    cpio.copy("usr/lib/" + lib, real, 0o755)
                    have.add(lib)
                    taken.append(lib)
                    todo.append(real)
                    break
            else:
                raise RuntimeError("no %s for the toolstack in %s" % (
                    lib, " or ".join(libdirs)))
        extra = []
    loader = os.path.realpath(os.path.join(sysroot, "lib", LOADER))
    if LOADER not in have:
        cpio.copy("usr/lib/" + LOADER, loader, 0o755)
        taken.append(LOADER)
    cpio.symlink("lib", "usr/lib")
    return taken


def make_initramfs(out, busybox, init, dest, sysroot, kmods, files=()):
    """The dom0's initramfs: @init as /init, @busybox, the toolstack of
    @dest with the libraries of @sysroot, the modules of @kmods (a folder
    made by kmods.py: <name>.ko and "order") in /lib/modules, and @files,
    (path in the initramfs, host file name or the content as bytes)
    pairs.  Returns (size,
    sysroot libraries taken)."""
    c = Cpio()
    c.mkdir("dev")
    c.node("dev/console", 5, 1)
    c.copy("bin/busybox", busybox, 0o755)
    c.symlink("bin/sh", "busybox")
    c.copy("init", init, 0o755)
    for d in ("proc", "sys", "tmp", "run", "var", "etc/xen", "root"):
        c.mkdir(d)
    taken = add_toolstack(c, dest, sysroot)
    for name in sorted(os.listdir(kmods)):
        c.copy("usr/lib/modules/" + name, os.path.join(kmods, name), 0o644)
    for path, src in files:
        if isinstance(src, bytes):
            c.file(path, src, 0o755 if src.startswith(b"#!") else 0o644)
        else:
            c.copy(path, src)
    return c.write(out), taken


def make_guest_initramfs(out, busybox, inits):
    """A guest's initramfs (uncompressed): @busybox and the scripts of
    @inits, (path, host file) pairs, e.g. ("init", ...), ("hold", ...).
    Returns its size."""
    c = Cpio()
    c.mkdir("dev")
    c.node("dev/console", 5, 1)
    c.copy("bin/busybox", busybox, 0o755)
    c.symlink("bin/sh", "busybox")
    for path, src in inits:
        c.copy(path, src, 0o755)
    return c.write(out)
