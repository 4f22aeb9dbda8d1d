#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""
Export the project as one patch series for Xen 4.20, in git format-patch
form, with a cover letter:

  export-patches.py TARBALL OUT WORK

The series is made in WORK (a git repository: the tarball as its first
commit, tagged "base") and written to OUT as 0000-cover-letter.patch,
0001-....patch, ...  WORK and OUT are emptied first.

  1. The design document: every file of docs/designs/ (Xen's own
     docs/designs/), commit message scripts/xen/series/design-doc.txt.
  2. xen/patches/*.patch, then tools/patches/*.patch, in the order of their
     file names, each applied with git am.  After each one, every file of
     the overlay (xen/ without xen/patches/, tools/ without tools/patches/)
     that the tree now refers to, and that no earlier patch added, is added
     to that patch (git commit --amend), and so are the overlay files those
     refer to, transitively.  "Refers to": a Makefile asks for its object
     (obj-y += foo.o, OBJS-y += foo.o) or its directory (obj-y += dir/), a
     Kconfig file sources it, or a C file includes it.  So each new file
     lands in the first patch that needs it, and every prefix of the series
     has every file its build asks for.  An overlay file that no patch
     needs is an error (it would be in no patch).

  3. Sign-off.  A Signed-off-by is a person's certificate of the
     Developer's Certificate of Origin (Xen's CONTRIBUTING), which a
     project identity cannot give.  The export drops every Signed-off-by
     of xen/patches/ and tools/patches/; with SIGNOFF="Name <email>" in
     the environment, the person submitting the series, every patch gets
     that person as its author and its one Signed-off-by, and the cover
     letter is from them.  Without SIGNOFF the series is unsigned, and
     says so on stderr.

No patch is named here: the series is whatever xen/patches/ and
tools/patches/ hold.  The cover letter is scripts/xen/series/cover-letter.txt
with the list of patches (subject and first paragraph of each) and the Xen
tarball filled in.
"""

import hashlib
import os
import posixpath
import re
import shutil
import subprocess
import sys
import textwrap

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SERIES = os.path.join(TOP, 'scripts', 'xen', 'series')
# Where an include with <...> (or one with "..." not found next to the file)
# is looked up: Xen's and the Arm and tools include directories.
INCLUDE_ROOTS = ('xen/include', 'xen/arch/arm/include', 'tools/include')
IMPORT_ID = ['-c', 'user.name=import', '-c', 'user.email=import@localhost']


def die(msg):
    print('export-patches: ' + msg, file=sys.stderr)
    sys.exit(1)


def git(work, *args, env=None, capture=True):
    e = dict(os.environ)
    if env:
        e.update(env)
    r = subprocess.run(['git', '-C', work] + list(args), env=e,
                       stdout=subprocess.PIPE if capture else None,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        die('git %s failed:\n%s%s' % (' '.join(args), r.stdout or '',
                                      r.stderr))
    return r.stdout, r.stderr


def project_files(under, exclude):
    out = []
    root = os.path.join(TOP, under)
    for d, dirs, files in os.walk(root):
        rel = os.path.relpath(d, TOP)
        if rel == exclude or rel.startswith(exclude + '/'):
            dirs[:] = []
            continue
        dirs.sort()
        for f in sorted(files):
            out.append(posixpath.join(rel, f))
    return out


def refers_to(path, text):
    """Tree paths that file @path (tree-relative) with contents @text asks
    for: objects and directories of a Makefile, sources of a Kconfig file,
    includes of C."""
    d = posixpath.dirname(path)
    base = posixpath.basename(path)
    out = set()
    if base.startswith('Makefile') or base.endswith('.mk'):
        for line in text.splitlines():
            m = re.match(r'\s*[\w$().-]+\s*[:+]?=\s*(.*)', line)
            if not m:
                continue
            for tok in m.group(1).split():
                if tok.endswith('.o'):
                    stem = tok[:-2]
                    if stem.endswith('.init'):
                        stem = stem[:-5]
                    for ext in ('.c', '.S'):
                        out.add(posixpath.normpath(posixpath.join(d, stem + ext)))
                elif tok.endswith('/') and '$' not in tok:
                    out.add(posixpath.normpath(posixpath.join(d, tok, 'Makefile')))
    if base.startswith('Kconfig'):
        # Xen's Kconfig paths are relative to xen/ (srctree).
        for m in re.finditer(r'^\s*o?source\s+"([^"]+)"', text, re.M):
            out.add(posixpath.normpath('xen/' + m.group(1)))
    if base.endswith(('.c', '.h', '.S')):
        for m in re.finditer(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', text,
                             re.M):
            if m.group(1) == '"':
                out.add(posixpath.normpath(posixpath.join(d, m.group(2))))
            for root in INCLUDE_ROOTS:
                out.add(posixpath.normpath(posixpath.join(root, m.group(2))))
    return out


SIGNOFF_RE = re.compile(r'^([^<>@\s][^<>@]*[^<>@\s]) <([^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)>$')


def signoff_from_env():
    """(name, email) of the person signing the series off, or None."""
    v = os.environ.get('SIGNOFF', '').strip()
    if not v:
        return None
    m = SIGNOFF_RE.match(v)
    if not m:
        die('SIGNOFF=%r: expected "Full Name <user@example.org>"' % v)
    return m.group(1), m.group(2)


def resign(work, who):
    """Rewrite base..HEAD: no Signed-off-by but @who's (name, email), who
    also becomes each patch's author; trees and dates are kept."""
    parent = git(work, 'rev-parse', 'base')[0].strip()
    for c in git(work, 'rev-list', '--reverse', 'base..HEAD')[0].split():
        msg, name, email, date = git(
            work, 'log', '-1', '--format=%B%x00%an%x00%ae%x00%aD', c
        )[0].split('\0')
        body = '\n'.join(l for l in msg.splitlines()
                         if not l.startswith('Signed-off-by:')).rstrip()
        if who:
            name, email = who
            body += '\n\nSigned-off-by: %s <%s>' % who
        ident = {'GIT_AUTHOR_NAME': name, 'GIT_AUTHOR_EMAIL': email,
                 'GIT_AUTHOR_DATE': date.strip(), 'GIT_COMMITTER_NAME': name,
                 'GIT_COMMITTER_EMAIL': email,
                 'GIT_COMMITTER_DATE': date.strip()}
        r = subprocess.run(['git', '-C', work, 'commit-tree', c + '^{tree}',
                            '-p', parent, '-F', '-'], input=body + '\n',
                           text=True, stdout=subprocess.PIPE,
                           env=dict(os.environ, **ident))
        if r.returncode:
            die('cannot rewrite the sign-off of %s' % c)
        parent = r.stdout.strip()
    git(work, 'reset', '-q', '--hard', parent)


def summary(body, limit=480):
    """What a patch does, for the cover letter: the first paragraph of its
    commit message, with the next one when it ends with a colon (a list
    follows), cut at a sentence or list item to about @limit characters."""
    paras, cur = [], []
    for line in body.splitlines():
        if line.startswith('Signed-off-by:'):
            break
        if not line.strip():
            if cur:
                paras.append(' '.join(cur))
                cur = []
            continue
        cur.append(line.strip())
    if cur:
        paras.append(' '.join(cur))
    text = paras[0] if paras else ''
    for nxt in paras[1:]:
        if not text.endswith(':'):
            break
        text += ' ' + nxt
    if len(text) > limit:
        cut = max(text.rfind('. ', 0, limit), text.rfind('; ', 0, limit),
                  text.rfind(' - ', 0, limit))
        text = text[:cut + 1 if cut > 0 else limit].rstrip(' ;-') + ' [...]'
    return text


def main():
    if len(sys.argv) != 4:
        die('usage: export-patches.py TARBALL OUT WORK')
    tarball = os.path.realpath(sys.argv[1])
    out = os.path.abspath(sys.argv[2])
    work = os.path.abspath(sys.argv[3])
    if not os.path.isfile(tarball):
        die('%s missing: run make setup' % tarball)
    signer = signoff_from_env()

    designs = project_files('docs/designs', '-')
    if not designs:
        die('no design document under docs/designs/')
    overlay = (project_files('xen', 'xen/patches') +
               project_files('tools', 'tools/patches'))
    patches = []
    for d in ('xen/patches', 'tools/patches'):
        p = os.path.join(TOP, d)
        if os.path.isdir(p):
            patches += [os.path.join(p, f) for f in sorted(os.listdir(p))
                        if f.endswith('.patch')]
    if not patches:
        die('no patches under xen/patches or tools/patches')

    # The tree: the tarball as the first commit.
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    subprocess.run(['tar', '-xJf', tarball, '-C', work,
                    '--strip-components=1'], check=True)
    for f in overlay + designs:
        if os.path.lexists(os.path.join(work, f)):
            die('%s is also in %s: the export takes new files only, make '
                'the change a patch' % (f, os.path.basename(tarball)))
    git(work, 'init', '-q')
    git(work, 'config', 'core.autocrlf', 'false')
    git(work, 'add', '-f', '-A')
    git(work, *IMPORT_ID, 'commit', '-q', '-m', os.path.basename(tarball))
    git(work, 'tag', 'base')

    # 1. The design document, as the project's identity wrote it.
    me = {}
    for k, v in (('name', 'GIT_AUTHOR_NAME'), ('email', 'GIT_AUTHOR_EMAIL')):
        me[v] = subprocess.run(['git', '-C', TOP, 'config', 'user.' + k],
                               stdout=subprocess.PIPE, text=True
                               ).stdout.strip() or 'xen-vsmmu'
    date = subprocess.run(['git', '-C', TOP, 'log', '-1', '--format=%aD',
                           '--', 'docs/designs'], stdout=subprocess.PIPE,
                          text=True).stdout.strip()
    if date:
        me['GIT_AUTHOR_DATE'] = date
        me['GIT_COMMITTER_DATE'] = date
    me['GIT_COMMITTER_NAME'] = me['GIT_AUTHOR_NAME']
    me['GIT_COMMITTER_EMAIL'] = me['GIT_AUTHOR_EMAIL']
    for f in designs:
        os.makedirs(os.path.dirname(os.path.join(work, f)), exist_ok=True)
        shutil.copyfile(os.path.join(TOP, f), os.path.join(work, f))
    git(work, 'add', '-f', *designs)
    msg = open(os.path.join(SERIES, 'design-doc.txt')).read()
    r = subprocess.run(['git', '-C', work, 'commit', '-q', '-F', '-'],
                       input=msg, text=True, env=dict(os.environ, **me),
                       stderr=subprocess.PIPE)
    if r.returncode:
        die('design document commit failed: ' + r.stderr)
    placed = [('docs/designs', designs)]

    # 2. The patches, each with the new files it is the first to need.
    pending = set(overlay)
    for p in patches:
        rel = os.path.relpath(p, TOP)
        r = subprocess.run(['git', '-C', work, 'am', '-q', '--keep-cr', p],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
        if r.returncode:
            subprocess.run(['git', '-C', work, 'am', '--abort'],
                           stderr=subprocess.DEVNULL)
            die('%s does not apply with git am:\n%s%s' % (rel, r.stdout,
                                                          r.stderr))
        changed = git(work, 'diff', '--name-only', '--no-renames',
                      'base', 'HEAD')[0].split()
        scan = [f for f in changed if os.path.isfile(os.path.join(work, f))]
        added = []
        while scan:
            wanted = set()
            for f in scan:
                try:
                    text = open(os.path.join(work, f),
                                errors='replace').read()
                except OSError:
                    continue
                wanted |= refers_to(f, text)
            scan = sorted(wanted & pending)
            for f in scan:
                dst = os.path.join(work, f)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(os.path.join(TOP, f), dst)
                pending.discard(f)
                added.append(f)
        if added:
            git(work, 'add', '-f', *added)
            # Keep the patch's own dates: the amended commit is the patch.
            d = git(work, 'log', '-1', '--format=%aD')[0].strip()
            git(work, 'commit', '-q', '--amend', '--no-edit',
                env={'GIT_COMMITTER_DATE': d})
        placed.append((rel, sorted(added)))
    if pending:
        die('overlay files no patch refers to (they would be in no patch; '
            'a Makefile, Kconfig file or #include of some patch must ask for '
            'them):\n  ' + '\n  '.join(sorted(pending)))

    # 3. The sign-off: the submitter's, or none.
    resign(work, signer)

    # 4. format-patch, then the cover letter.
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    git(work, 'format-patch', '-q', '-n', '--cover-letter',
        '--no-signature', '--zero-commit', '-o', out, 'base..HEAD',
        env={'GIT_COMMITTER_NAME': signer[0],
             'GIT_COMMITTER_EMAIL': signer[1]} if signer else None)
    files = sorted(f for f in os.listdir(out) if f.endswith('.patch'))
    cover = files[0]
    assert cover == '0000-cover-letter.patch', cover
    subjects = git(work, 'log', '--reverse', '--format=%s', 'base..HEAD'
                   )[0].splitlines()
    bodies = []
    for c in git(work, 'rev-list', '--reverse', 'base..HEAD')[0].split():
        bodies.append(git(work, 'log', '-1', '--format=%b', c)[0])
    n = len(subjects)
    width = len(str(n))
    lines = []
    for i, (s, b, (src, added)) in enumerate(zip(subjects, bodies, placed), 1):
        lines.append('%0*d/%d %s' % (width, i, n, s))
        what = summary(b)
        if what:
            lines += textwrap.wrap(what, 72, initial_indent='    ',
                                   subsequent_indent='    ')
        if added and src != 'docs/designs':
            lines += textwrap.wrap('New files: ' + ', '.join(added), 72,
                                   initial_indent='    ',
                                   subsequent_indent='      ')
        lines.append('')
    sha = hashlib.sha256(open(tarball, 'rb').read()).hexdigest()
    template = open(os.path.join(SERIES, 'cover-letter.txt')).read()
    subject, _, blurb = template.partition('\n')
    blurb = blurb.strip('\n')
    blurb = (blurb.replace('@PATCHES@', '\n'.join(lines).rstrip('\n'))
             .replace('@TARBALL@', os.path.basename(tarball))
             .replace('@SHA256@', sha)
             .replace('@N@', str(n)))
    path = os.path.join(out, cover)
    text = open(path).read()
    if '*** SUBJECT HERE ***' not in text or '*** BLURB HERE ***' not in text:
        die('unexpected cover letter from git format-patch')
    text = (text.replace('*** SUBJECT HERE ***', subject.strip())
            .replace('*** BLURB HERE ***', blurb))
    open(path, 'w').write(text)

    for f, (src, added) in zip(files[1:], placed):
        print('%s  (%s%s)' % (f, src,
                              ', adds ' + ' '.join(added) if added and
                              src != 'docs/designs' else ''))
    print('export-patches: %d patches and a cover letter in %s' % (n, out))
    if signer:
        print('export-patches: signed off by %s <%s>' % signer)
    else:
        print('export-patches: NOT signed off: the person submitting the '
              'series certifies the Developer\'s Certificate of Origin with '
              'make export-patches SIGNOFF="Full Name <email>"',
              file=sys.stderr)


if __name__ == '__main__':
    main()
