#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""
Debian archives as this machine's APT sees them, and private APT
configurations derived from them.

The project never names an archive host: every URI comes from the machine's
own APT sources (`apt-get indextargets`), so a local mirror, a proxy or any
other Acquire setting the machine uses is used here too.  A private
configuration (other suites, other architectures) keeps its own sources,
lists, cache and status under a folder of its own and never touches the
machine's; it reads the machine's apt.conf.d and apt.conf first, so proxies,
timeouts and validity settings carry over.

  xvapt.py archive main|security       the archive's URI (with a final /)
  xvapt.py private DIR --arch A --release R [--release R2] [--src]
                                       write DIR/apt.conf for suites R,
                                       R-updates (main archive) and
                                       R-security (security archive)
  xvapt.py download URI DEST           fetch one file with APT's methods

APT_CONFIG, when set, is the machine's configuration (the tests use it).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

APT_HELPER = "/usr/lib/apt/apt-helper"


class AptError(Exception):
    pass


def host_release():
    """The machine's Debian codename (bookworm)."""
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("VERSION_CODENAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    raise AptError("cannot tell this machine's Debian release "
                   "(no VERSION_CODENAME in /etc/os-release)")


def _index_targets():
    """One dict per (source entry, suite) APT is configured with."""
    out = subprocess.run(
        ["apt-get", "indextargets", "--no-release-info",
         "--format", "$(REPO_URI)\t$(RELEASE)\t$(TARGET_OF)\t"
         "$(SOURCESENTRY)"],
        capture_output=True, text=True)
    if out.returncode != 0:
        raise AptError("apt-get indextargets failed: " + out.stderr.strip())
    seen = []
    for line in out.stdout.splitlines():
        f = line.split("\t")
        if len(f) != 4:
            continue
        t = {"uri": f[0] if f[0].endswith("/") else f[0] + "/",
             "release": f[1], "type": f[2], "entry": f[3]}
        if t not in seen:
            seen.append(t)
    return seen


def _entry_options(entry):
    """Signed-By and Trusted of a sources entry ("file:line"): a private
    source derived from it is trusted the same way."""
    path, _, num = entry.rpartition(":")
    try:
        num = int(num)
        with open(path) as f:
            text = f.read()
    except (ValueError, OSError):
        return {}
    opts = {}
    if path.endswith(".sources"):
        # deb822: entry N is the Nth stanza; a value may continue on lines
        # that start with a space (an inline key).
        stanzas = [s for s in re.split(r"\n\s*\n", text)
                   if re.search(r"^[A-Za-z]", s, re.M)]
        if not 0 < num <= len(stanzas):
            return {}
        key = None
        for line in stanzas[num - 1].splitlines():
            if line.startswith("#"):
                continue
            if line[:1] in (" ", "\t") and key:
                opts[key] += "\n" + line
                continue
            k, sep, v = line.partition(":")
            key = None
            if sep and k.strip().lower() in ("signed-by", "trusted"):
                key = "Signed-By" if k.strip().lower() == "signed-by" \
                    else "Trusted"
                opts[key] = v.strip()
    else:
        lines = text.splitlines()
        if not 0 < num <= len(lines):
            return {}
        m = re.match(r"\s*deb(?:-src)?\s+\[([^\]]*)\]", lines[num - 1])
        for o in (m.group(1).split() if m else []):
            k, _, v = o.partition("=")
            if k.lower() == "signed-by":
                opts["Signed-By"] = v.replace(",", " ")
            elif k.lower() == "trusted":
                opts["Trusted"] = v
    return opts


def archive(kind, release=None):
    """The machine's Debian archive ("main") or security archive
    ("security"): {"uri": ..., "options": {...}}.  The main archive is the
    one that serves the machine's own release, the security archive the
    one that serves RELEASE-security."""
    release = release or host_release()
    want = release if kind == "main" else release + "-security"
    for t in _index_targets():
        if t["type"] == "deb" and t["release"] == want:
            return {"uri": t["uri"], "options": _entry_options(t["entry"])}
    for t in _index_targets():
        if t["release"] == want:
            return {"uri": t["uri"], "options": _entry_options(t["entry"])}
    raise AptError("this machine's APT sources have no %s archive (no "
                   "entry for suite %s)" % (kind, want))


def _stanza(types, ar, suites, components="main"):
    lines = ["Types: " + types, "URIs: " + ar["uri"],
             "Suites: " + " ".join(suites), "Components: " + components]
    for k, v in sorted(ar["options"].items()):
        lines.append("%s: %s" % (k, v))
    return "\n".join(lines) + "\n"


def private_config(folder, arch, releases, src=False, security=True):
    """Write folder/apt.conf: a private APT configuration for RELEASES
    (suites R and R-updates of the machine's main archive, R-security of
    its security archive) and architecture ARCH; with SRC, deb-src entries
    only.  Returns the path to give as APT_CONFIG."""
    folder = os.path.abspath(folder)
    main = archive("main")
    sec = None
    if security:
        try:
            sec = archive("security")
        except AptError:
            sec = None
    for d in ("lists/partial", "archives/partial", "cache", "state",
              "etc/sources.list.d", "etc/preferences.d"):
        os.makedirs(os.path.join(folder, d), exist_ok=True)
    status = os.path.join(folder, "state", "status")
    if not os.path.exists(status):
        open(status, "w").close()
    types = "deb-src" if src else "deb"
    stanzas = []
    for r in releases:
        stanzas.append(_stanza(types, main, [r, r + "-updates"]))
        if sec:
            stanzas.append(_stanza(types, sec, [r + "-security"]))
    with open(os.path.join(folder, "etc/sources.list.d/xv.sources"),
              "w") as f:
        f.write("\n".join(stanzas))
    machine_conf = os.environ.get("APT_CONFIG", "")
    # APT reads APT_CONFIG, then the parts folder, then Dir::Etc::main:
    # the machine's parts are read in full and this file's settings,
    # in Dir::Etc::main, come last and win.
    inc = []
    for c in (machine_conf, "/etc/apt/apt.conf"):
        if c and os.path.isfile(c):
            inc.append('#include "%s";' % c)
    body = "\n".join(inc + [
        'Dir::Etc::SourceList "/dev/null";',
        'Dir::Etc::SourceParts "%s/etc/sources.list.d";' % folder,
        'Dir::Etc::Preferences "/dev/null";',
        'Dir::Etc::PreferencesParts "%s/etc/preferences.d";' % folder,
        'Dir::State "%s/state";' % folder,
        'Dir::State::Lists "%s/lists";' % folder,
        'Dir::State::status "%s";' % status,
        'Dir::Cache "%s/cache";' % folder,
        'Dir::Cache::Archives "%s/archives";' % folder,
        'Dir::Cache::pkgcache "";',
        'Dir::Cache::srcpkgcache "";',
        'APT::Architecture "%s";' % arch,
        '#clear APT::Architectures;',
        'APT::Architectures { "%s"; };' % arch,
        'Acquire::Languages "none";',
        'Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";',
        'APT::Sandbox::User "root";',
        # The machine's hooks are for the machine's own package state.
        '#clear APT::Update::Post-Invoke;',
        '#clear APT::Update::Post-Invoke-Success;',
        '#clear DPkg::Post-Invoke;',
        '#clear DPkg::Pre-Invoke;',
    ]) + "\n"
    with open(os.path.join(folder, "main.conf"), "w") as f:
        f.write(body)
    conf = os.path.join(folder, "apt.conf")
    with open(conf, "w") as f:
        f.write('Dir::Etc::main "%s/main.conf";\n' % folder)
        if machine_conf and os.path.isfile(machine_conf):
            # The machine's own parts folder, if its APT_CONFIG moved it.
            m = subprocess.run(["apt-config", "shell", "P",
                                "Dir::Etc::parts/d"],
                               capture_output=True, text=True).stdout
            m = re.search(r"P='([^']*)'", m)
            if m:
                f.write('Dir::Etc::parts "%s";\n' % m.group(1))
    return conf


def download(uri, dest):
    """Fetch URI to DEST with APT's own methods (the machine's proxies and
    settings).  Returns None, or APT's reason for the failure."""
    dest = os.path.abspath(dest)
    tmpdir = tempfile.mkdtemp(dir=os.path.dirname(dest), prefix=".dl-")
    tmp = os.path.join(tmpdir, os.path.basename(dest))
    try:
        r = subprocess.run([APT_HELPER, "-oAPT::Sandbox::User=root",
                            "-oDebug::NoLocking=1",
                            "download-file", uri, tmp],
                           capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(tmp):
            why = [l for l in (r.stderr + r.stdout).splitlines()
                   if l.startswith(("E:", "Err", " "))]
            return " ".join(l.strip() for l in why[:2]) or \
                "apt-helper exited with %d" % r.returncode
        # The file method hands back a symlink to the original.
        if os.path.islink(tmp):
            real = os.path.realpath(tmp)
            os.unlink(tmp)
            shutil.copyfile(real, tmp)
        os.replace(tmp, dest)
        return None
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("archive")
    a.add_argument("kind", choices=("main", "security"))
    p = sub.add_parser("private")
    p.add_argument("folder")
    p.add_argument("--arch", required=True)
    p.add_argument("--release", action="append", required=True)
    p.add_argument("--src", action="store_true")
    d = sub.add_parser("download")
    d.add_argument("uri")
    d.add_argument("dest")
    args = ap.parse_args()
    try:
        if args.cmd == "archive":
            print(archive(args.kind)["uri"])
        elif args.cmd == "private":
            print(private_config(args.folder, args.arch, args.release,
                                 src=args.src))
        else:
            why = download(args.uri, args.dest)
            if why:
                print("download: %s: %s" % (args.uri, why), file=sys.stderr)
                return 1
    except AptError as e:
        print("xvapt: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
