#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""
fetch-source.py PIN CACHE

Put the Xen source tarball that PIN (scripts/xen/source.pin) names into
CACHE/src, checked, and point CACHE/src/xen-source.tar.xz at it: the one
tarball the hypervisor build and the tools build use.

In order, the first that works:
  1. the pinned file already in CACHE/src with the pinned sha256;
  2. the pinned file from the pool of the machine's Debian archive;
  3. the pinned file from the pool of the machine's security archive;
  4. what `apt-get source --tar-only xen` offers for the fallback release
     (a private deb-src configuration on the same archives).
A pinned file whose sha256 differs is an error and is never used (the
next source is tried).  A fallback that is not the pinned file must be a
Xen 4.20 tarball, and setup says in one line that it is not the pin.

Records what it got in CACHE/inputs.d/10-xen for `make setup`'s summary.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
import xvapt  # noqa: E402

LINK = "xen-source.tar.xz"


def say(msg):
    print("xen source: " + msg, flush=True)


def read_pin(path):
    pin = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                pin[k.strip()] = v.strip()
    for k in ("XEN_PIN_VERSION", "XEN_PIN_TARBALL", "XEN_PIN_SHA256",
              "XEN_PIN_SERIES", "XEN_PIN_FALLBACK_RELEASE"):
        if not pin.get(k):
            raise SystemExit("xen source: %s names no %s" % (path, k))
    return pin


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def xen_series(path):
    """The "major.minor" of a Xen source tarball, from its xen/Makefile
    (None if it is not one)."""
    ver = {}
    try:
        with tarfile.open(path, "r:*") as tar:
            for m in tar:
                if m.isfile() and re.fullmatch(r"[^/]+/xen/Makefile", m.name):
                    text = tar.extractfile(m).read().decode(errors="replace")
                    for k in ("XEN_VERSION", "XEN_SUBVERSION"):
                        r = re.search(r"^export %s\s*=\s*(\d+)" % k, text,
                                      re.M) or \
                            re.search(r"^%s\s*=\s*(\d+)" % k, text, re.M)
                        if r:
                            ver[k] = r.group(1)
                    break
    except (tarfile.TarError, OSError, EOFError):
        return None
    if len(ver) != 2:
        return None
    return "%s.%s" % (ver["XEN_VERSION"], ver["XEN_SUBVERSION"])


def pool_dir(package):
    prefix = package[:4] if package.startswith("lib") else package[0]
    return "%s/%s/" % (prefix, package)


def record(cache, name, version, digest, note):
    src = os.path.join(cache, "src")
    link = os.path.join(src, LINK)
    tmp = link + ".tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(name, tmp)
    os.replace(tmp, link)
    d = os.path.join(cache, "inputs.d")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "10-xen"), "w") as f:
        f.write("xen      %s  %s  sha256 %s%s\n" % (version, name, digest,
                                                     note))


def from_pools(pin, src):
    """Try the pinned file from each archive's pool.  Returns (True, where)
    or (False, reasons)."""
    name = pin["XEN_PIN_TARBALL"]
    dest = os.path.join(src, name)
    part = dest + ".part"
    reasons = []
    for kind, pool in (("main", "pool/main/"),
                       ("security", "pool/updates/main/")):
        try:
            uri = xvapt.archive(kind)["uri"]
        except xvapt.AptError as e:
            reasons.append(str(e))
            continue
        url = uri + pool + pool_dir("xen") + name
        why = xvapt.download(url, part)
        if why:
            reasons.append("%s: %s" % (url, why))
            continue
        got = sha256(part)
        if got != pin["XEN_PIN_SHA256"]:
            os.unlink(part)
            msg = ("ERROR: %s from %s has sha256 %s, the pin says %s: "
                   "refused" % (name, url, got, pin["XEN_PIN_SHA256"]))
            say(msg)
            reasons.append("%s: sha256 mismatch, refused" % url)
            continue
        os.replace(part, dest)
        return True, url
    return False, reasons


def from_apt_source(pin, cache):
    """What `apt-get source --tar-only xen` offers for the fallback
    release.  Returns (file name, version) or raises SystemExit."""
    release = pin["XEN_PIN_FALLBACK_RELEASE"]
    conf = xvapt.private_config(os.path.join(cache, "apt-src"), "amd64",
                                [release], src=True)
    env = dict(os.environ, APT_CONFIG=conf)
    work = os.path.join(cache, "src", ".apt-source")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.chmod(work, 0o777)  # apt may download as _apt
    try:
        r = subprocess.run(["apt-get", "update", "-qq"], env=env,
                           capture_output=True, text=True)
        if r.returncode != 0:
            return None, "apt-get update (deb-src %s): %s" % (
                release, r.stderr.strip().splitlines()[-1:] or r.returncode)
        r = subprocess.run(["apt-get", "source", "--download-only",
                            "--tar-only", "-qq", "xen"], cwd=work, env=env,
                           capture_output=True, text=True)
        tars = [f for f in os.listdir(work)
                if re.fullmatch(r"xen_[^_]+\.orig\.tar\.\w+", f)]
        if r.returncode != 0 or len(tars) != 1:
            err = [l for l in r.stderr.splitlines() if l.startswith("E:")]
            return None, "apt-get source xen (%s): %s" % (
                release, (err or [r.stderr.strip() or
                                  "exit %d" % r.returncode])[0])
        name = tars[0]
        version = name[len("xen_"):name.index(".orig.")]
        os.replace(os.path.join(work, name),
                   os.path.join(cache, "src", name))
        return name, version
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    pin = read_pin(sys.argv[1])
    cache = os.path.abspath(sys.argv[2])
    src = os.path.join(cache, "src")
    os.makedirs(src, exist_ok=True)
    name, want = pin["XEN_PIN_TARBALL"], pin["XEN_PIN_SHA256"]
    pinned = os.path.join(src, name)

    if os.path.isfile(pinned):
        got = sha256(pinned)
        if got == want:
            record(cache, name, pin["XEN_PIN_VERSION"], got, "")
            say("%s (cached, sha256 %s)" % (name, got))
            return 0
        say("ERROR: the cached %s has sha256 %s, the pin says %s: "
            "removed" % (name, got, want))
        os.unlink(pinned)

    try:
        ok, info = from_pools(pin, src)
    except xvapt.AptError as e:
        ok, info = False, [str(e)]
    if ok:
        record(cache, name, pin["XEN_PIN_VERSION"], want, "")
        say("%s from %s (sha256 %s)" % (name, info, want))
        return 0
    reasons = info

    try:
        fb, version = from_apt_source(pin, cache)
    except xvapt.AptError as e:
        fb, version = None, str(e)
    if not fb:
        reasons.append(version)
        say("ERROR: no source of %s worked:" % name)
        for r in reasons:
            print("  " + r, flush=True)
        return 1
    path = os.path.join(src, fb)
    got = sha256(path)
    if fb == name:
        if got != want:
            os.unlink(path)
            say("ERROR: %s from apt-get source has sha256 %s, the pin says "
                "%s: refused" % (fb, got, want))
            return 1
        record(cache, name, pin["XEN_PIN_VERSION"], got, "")
        say("%s from apt-get source (sha256 %s)" % (name, got))
        return 0
    series = xen_series(path)
    if series != pin["XEN_PIN_SERIES"]:
        os.unlink(path)
        say("ERROR: the fallback %s is Xen %s, not %s: refused" % (
            fb, series or "(not a Xen source tarball)",
            pin["XEN_PIN_SERIES"]))
        return 1
    note = "  (NOT the pinned %s)" % pin["XEN_PIN_VERSION"]
    say("WARNING: using Xen %s (%s), not the pinned %s, which no archive "
        "serves: the patches may not apply" % (version, fb,
                                               pin["XEN_PIN_VERSION"]))
    record(cache, fb, version, got, note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
