#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""
Host tests of the Xen source fetch (scripts/xen/fetch-source.py) and of the
private APT configurations (scripts/xvapt.py), with no network: the
"machine" is an APT configuration (APT_CONFIG) whose sources are file://
archives in a temporary folder, built by each test with the files it wants
served.  Prints "N passed, N failed" last.
"""

import email.utils
import gzip
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FETCH = os.path.join(TOP, "scripts", "xen", "fetch-source.py")
sys.path.insert(0, os.path.join(TOP, "scripts"))
import xvapt  # noqa: E402

RELEASE = xvapt.host_release()


def xen_tarball(version, series=("4", "20")):
    """A tiny tarball shaped like Xen's: TOP/xen/Makefile with its
    version."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:xz") as tar:
        text = ("export XEN_VERSION       = %s\n"
                "export XEN_SUBVERSION    = %s\n" % series).encode()
        ti = tarfile.TarInfo("xen-%s/xen/Makefile" % version)
        ti.size = len(text)
        tar.addfile(ti, io.BytesIO(text))
    return buf.getvalue()


def sha(data):
    return hashlib.sha256(data).hexdigest()


class Archive:
    """A machine whose APT sources are two file:// archives (main and
    security), each trusted, in a temporary folder."""

    def __init__(self, root):
        self.root = root
        self.main = os.path.join(root, "debian")
        self.sec = os.path.join(root, "debian-security")
        etc = os.path.join(root, "etc")
        for d in ("sources.list.d", "apt.conf.d", "state/lists/partial",
                  "cache"):
            os.makedirs(os.path.join(etc, d), exist_ok=True)
        with open(os.path.join(etc, "sources.list.d", "m.sources"),
                  "w") as f:
            f.write("Types: deb\nURIs: file://%s\nSuites: %s %s-updates\n"
                    "Components: main\nTrusted: yes\n\n"
                    "Types: deb\nURIs: file://%s\nSuites: %s-security\n"
                    "Components: main\nTrusted: yes\n" % (
                        self.main, RELEASE, RELEASE, self.sec, RELEASE))
        self.conf = os.path.join(etc, "apt.conf")
        with open(self.conf, "w") as f:
            f.write('Dir::Etc::SourceList "/dev/null";\n'
                    'Dir::Etc::SourceParts "%s/sources.list.d";\n'
                    'Dir::Etc::parts "%s/apt.conf.d";\n'
                    'Dir::State "%s/state";\n'
                    'Dir::State::status "%s/state/status";\n'
                    'Dir::Cache "%s/cache";\n' % ((etc,) * 5))
        open(os.path.join(etc, "state", "status"), "w").close()

    def pool(self, security, name, data):
        base = self.sec if security else self.main
        d = os.path.join(base, "pool", "updates/main" if security
                         else "main", "x", "xen")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)

    def source_index(self, release, name=None, data=None):
        """Suites RELEASE, -updates (main) and -security (security) with
        deb-src indexes; the main one offers NAME if given."""
        for base, suite, offer in (
                (self.main, release, name),
                (self.main, release + "-updates", None),
                (self.sec, release + "-security", None)):
            d = os.path.join(base, "dists", suite)
            os.makedirs(os.path.join(d, "main", "source"), exist_ok=True)
            idx = b""
            if offer:
                version = name[len("xen_"):name.index(".orig.")] + "-1"
                # Not the pool path the pin is looked for at first.
                pool = "pool/src-only/x/xen"
                os.makedirs(os.path.join(base, pool), exist_ok=True)
                with open(os.path.join(base, pool, name), "wb") as f:
                    f.write(data)
                md5 = hashlib.md5(data).hexdigest()
                idx = ("Package: xen\nBinary: xen-utils-common\n"
                       "Version: %s\nMaintainer: Test <t@localhost>\n"
                       "Architecture: any\nFormat: 3.0 (quilt)\n"
                       "Directory: %s\nFiles:\n %s %d %s\n"
                       "Checksums-Sha256:\n %s %d %s\n\n" % (
                           version, pool, md5, len(data), name,
                           sha(data), len(data), name)).encode()
            with open(os.path.join(d, "main/source/Sources"), "wb") as f:
                f.write(idx)
            with open(os.path.join(d, "Release"), "w") as f:
                f.write("Origin: test\nSuite: %s\nCodename: %s\n"
                        "Date: %s\nComponents: main\n"
                        "Architectures: amd64\nSHA256:\n %s %d "
                        "main/source/Sources\n" % (
                            suite, suite,
                            email.utils.formatdate(usegmt=True),
                            sha(idx), len(idx)))


class FetchTest(unittest.TestCase):
    PIN = "4.20.3+1-gtest"
    NAME = "xen_%s.orig.tar.xz" % PIN

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="xv-fetch-")
        self.arc = Archive(os.path.join(self.tmp, "archive"))
        self.cache = os.path.join(self.tmp, "cache")
        self.good = xen_tarball(self.PIN)
        self.pin = os.path.join(self.tmp, "source.pin")
        with open(self.pin, "w") as f:
            f.write("# test pin\nXEN_PIN_VERSION=%s\nXEN_PIN_TARBALL=%s\n"
                    "XEN_PIN_SHA256=%s\nXEN_PIN_SERIES=4.20\n"
                    "XEN_PIN_FALLBACK_RELEASE=trixie\n" % (
                        self.PIN, self.NAME, sha(self.good)))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def fetch(self):
        env = dict(os.environ, APT_CONFIG=self.arc.conf)
        r = subprocess.run([sys.executable, FETCH, self.pin, self.cache],
                           env=env, capture_output=True, text=True)
        self.out = r.stdout + r.stderr
        return r.returncode

    def used(self):
        """The bytes of the tarball the builds would use (None if none)."""
        link = os.path.join(self.cache, "src", "xen-source.tar.xz")
        if not os.path.exists(link):
            return None
        with open(link, "rb") as f:
            return f.read()

    def test_pin_from_main_pool_first(self):
        self.arc.pool(False, self.NAME, self.good)
        self.arc.pool(True, self.NAME, b"not this one")
        self.assertEqual(self.fetch(), 0, self.out)
        self.assertIn("from file:%s/pool/main/" % self.arc.main, self.out)
        self.assertEqual(self.used(), self.good)
        with open(os.path.join(self.cache, "inputs.d", "10-xen")) as f:
            line = f.read()
        self.assertIn(self.PIN, line)
        self.assertIn("sha256 " + sha(self.good), line)

    def test_security_pool_second(self):
        self.arc.pool(True, self.NAME, self.good)
        self.arc.source_index("trixie", "xen_4.20.9.orig.tar.xz",
                              xen_tarball("4.20.9"))
        self.assertEqual(self.fetch(), 0, self.out)
        self.assertNotIn("WARNING", self.out)
        self.assertIn("pool/updates/main/x/xen/" + self.NAME, self.out)
        self.assertEqual(self.used(), self.good)

    def test_wrong_checksum_refused_then_next_source(self):
        bad = xen_tarball(self.PIN + "x")
        self.arc.pool(False, self.NAME, bad)
        self.arc.pool(True, self.NAME, self.good)
        self.assertEqual(self.fetch(), 0, self.out)
        self.assertIn("ERROR: %s from file:%s/pool/main/x/xen/%s has "
                      "sha256 %s, the pin says %s: refused" % (
                          self.NAME, self.arc.main, self.NAME, sha(bad),
                          sha(self.good)), self.out)
        self.assertEqual(self.used(), self.good)

    def test_wrong_checksum_never_used(self):
        bad = xen_tarball(self.PIN + "x")
        self.arc.pool(False, self.NAME, bad)
        self.arc.source_index("trixie")
        self.assertNotEqual(self.fetch(), 0, self.out)
        self.assertIn("has sha256 %s, the pin says" % sha(bad), self.out)
        self.assertIsNone(self.used())
        self.assertFalse(os.path.exists(
            os.path.join(self.cache, "src", self.NAME)))

    def test_cached_pin_needs_no_archive(self):
        self.arc.pool(False, self.NAME, self.good)
        self.assertEqual(self.fetch(), 0, self.out)
        shutil.rmtree(self.arc.main)
        self.assertEqual(self.fetch(), 0, self.out)
        self.assertIn("(cached, sha256 %s)" % sha(self.good), self.out)

    def test_corrupt_cache_is_fetched_again(self):
        os.makedirs(os.path.join(self.cache, "src"))
        with open(os.path.join(self.cache, "src", self.NAME), "wb") as f:
            f.write(b"truncated")
        self.arc.pool(False, self.NAME, self.good)
        self.assertEqual(self.fetch(), 0, self.out)
        self.assertIn("the cached %s has sha256" % self.NAME, self.out)
        self.assertEqual(self.used(), self.good)

    def test_apt_source_fallback_third(self):
        other = "xen_4.20.9+2-gother.orig.tar.xz"
        data = xen_tarball("4.20.9")
        self.arc.source_index("trixie", other, data)
        self.assertEqual(self.fetch(), 0, self.out)
        warn = [l for l in self.out.splitlines() if "WARNING" in l]
        self.assertEqual(len(warn), 1, self.out)
        self.assertIn("4.20.9+2-gother", warn[0])
        self.assertIn("not the pinned %s" % self.PIN, warn[0])
        self.assertIn("patches may not apply", warn[0])
        self.assertEqual(self.used(), data)
        with open(os.path.join(self.cache, "inputs.d", "10-xen")) as f:
            self.assertIn("NOT the pinned", f.read())

    def test_apt_source_offering_the_pin(self):
        self.arc.source_index("trixie", self.NAME, self.good)
        self.assertEqual(self.fetch(), 0, self.out)
        self.assertNotIn("WARNING", self.out)
        self.assertIn("from apt-get source", self.out)
        self.assertEqual(self.used(), self.good)

    def test_fallback_not_4_20_refused(self):
        other = "xen_4.19.2.orig.tar.xz"
        self.arc.source_index("trixie", other,
                              xen_tarball("4.19.2", ("4", "19")))
        self.assertNotEqual(self.fetch(), 0, self.out)
        self.assertIn("is Xen 4.19, not 4.20: refused", self.out)
        self.assertIsNone(self.used())

    def test_nothing_served(self):
        self.arc.source_index("trixie")
        self.assertNotEqual(self.fetch(), 0, self.out)
        self.assertIn("ERROR: no source of %s worked" % self.NAME, self.out)
        self.assertIsNone(self.used())


class PrivateConfigTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="xv-apt-")
        self.arc = Archive(os.path.join(self.tmp, "archive"))
        os.environ["APT_CONFIG"] = self.arc.conf

    def tearDown(self):
        del os.environ["APT_CONFIG"]
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_uris_and_trust_come_from_the_machine(self):
        conf = xvapt.private_config(os.path.join(self.tmp, "p"), "arm64",
                                    ["trixie"])
        with open(os.path.join(self.tmp, "p", "etc", "sources.list.d",
                               "xv.sources")) as f:
            text = f.read()
        self.assertIn("URIs: file:%s/\nSuites: trixie trixie-updates"
                      % self.arc.main, text)
        self.assertIn("URIs: file:%s/\nSuites: trixie-security"
                      % self.arc.sec, text)
        self.assertEqual(text.count("Trusted: yes"), 2)
        out = subprocess.run(["apt-config", "dump"], capture_output=True,
                             text=True, env=dict(os.environ,
                                                 APT_CONFIG=conf)).stdout
        self.assertIn('APT::Architecture "arm64";', out)
        self.assertNotIn('APT::Architectures:: "amd64";', out)

    def test_machine_settings_carry_over(self):
        with open(os.path.join(self.tmp, "archive", "etc", "apt.conf.d",
                               "proxy"), "w") as f:
            f.write('Acquire::http::Proxy "http://proxy.invalid:3142";\n'
                    'APT::Architecture "s390x";\n')
        conf = xvapt.private_config(os.path.join(self.tmp, "p"), "arm64",
                                    ["trixie"])
        out = subprocess.run(["apt-config", "dump"], capture_output=True,
                             text=True, env=dict(os.environ,
                                                 APT_CONFIG=conf)).stdout
        self.assertIn('Acquire::http::Proxy "http://proxy.invalid:3142";',
                      out)
        self.assertIn('APT::Architecture "arm64";', out)

    def test_no_archive_is_a_clear_error(self):
        with open(os.path.join(self.tmp, "archive", "etc", "sources.list.d",
                               "m.sources"), "w") as f:
            f.write("")
        with self.assertRaisesRegex(xvapt.AptError, "no main archive"):
            xvapt.archive("main")


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromModule(
        sys.modules[__name__])
    res = unittest.TextTestRunner(verbosity=2).run(suite)
    bad = len(res.failures) + len(res.errors)
    print("%d passed, %d failed" % (res.testsRun - bad, bad))
    sys.exit(1 if bad else 0)
