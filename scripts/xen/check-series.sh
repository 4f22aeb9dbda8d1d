#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Check the exported series (make export-patches) the way a maintainer
# would take it:
#
#   check-series.sh SERIES PCONF all|xen|final
#
# SERIES is the directory export-patches.py wrote (0000-cover-letter.patch,
# 0001-...).  In a fresh git repository of the pinned Xen 4.20 tarball:
#
#  - each patch applies with git am, in order (one test per patch);
#  - the hypervisor builds, out of tree, with Xen's arm64 defconfig plus
#    the project configuration PCONF (scripts/xen/config.sh: the vIOMMU
#    options, DEBUG, ARM_SMMU_V3; symbols of the module's Kconfig file
#    only once the tree has it), -Werror as always:
#      all, xen  after every patch that changes a file the hypervisor
#             build reads (anything under xen/), incrementally in one
#             object directory, as "git rebase -x make" would; a patch
#             that changes nothing under xen/ cannot change the hypervisor
#             and is not built again;
#      final  once, with the whole series;
#    and in every mode the whole series once more without the virtual
#    SMMUv3 (the framework with no type) and once without the framework;
#  - every prefix has every file its build asks for (a Makefile's objects
#    and directories, Kconfig sources, C includes of files the series adds:
#    what export-patches.py places) -- cheap, run in both modes;
#  - the tree of the whole series is, file for file, the tree the other
#    tiers build: the tarball with xen/patches and tools/patches applied and
#    the overlays (xen/, tools/, docs/designs/) copied in;
#  - the sign-off: with SIGNOFF="Name <email>" (as export-patches was
#    given it), every patch has that person as author and as its one
#    Signed-off-by; without, no patch has any; and a second export with a
#    made-up SIGNOFF is signed that way throughout;
#  - with "all", the toolstack (tools/libs, tools/xl, natively for x86, and
#    the rest of tests/tools/tools-check.sh) builds after every patch that
#    touches tools/ and at the end of the series.
#
# Ends with "N passed, N failed".
set -uo pipefail
series=$(cd "$1" && pwd) pconf=$(readlink -f "$2") mode=${3:-final}
: "${BUILD:?}" "${TOP:?}"
tarball=$(readlink -f "${XEN_TARBALL:-$XV_CACHE/src/xen-source.tar.xz}")
work=$BUILD/series-check
tree=$work/tree obj=$work/xen-obj log=$work/log
jobs=${XEN_JOBS:-2}
# The hypervisor is cross-built; the toolstack check builds natively.
cross=${CROSS_COMPILE:-aarch64-linux-gnu-}
unset CROSS_COMPILE

pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
finish() {
    echo "check-series: $(( $(date +%s) - t_start ))s ($mode)"
    echo "$pass passed, $fail failed"
    exit $(( fail ? 1 : 0 ))
}
t_start=$(date +%s)

case "$mode" in all|xen|final) ;; *) echo "mode: all|xen|final" >&2; exit 2 ;; esac
patches=("$series"/[0-9][0-9][0-9][0-9]-*.patch)
patches=("${patches[@]/*\/0000-cover-letter.patch}")
mapfile -t patches < <(printf '%s\n' "${patches[@]}" | grep .)
[ -e "$series/0000-cover-letter.patch" ] || bad "no cover letter in $series"
[ "${#patches[@]}" -gt 0 ] || { bad "no patches in $series"; finish; }

rm -rf "$work"
mkdir -p "$tree" "$log"

# signoff_ok DIR EXPECTED: every patch of DIR signed by EXPECTED only, or,
# EXPECTED empty, by nobody.  Prints what is wrong.
signoff_ok() {
    local dir=$1 want=$2 p sobs from wrong=
    for p in "$dir"/[0-9][0-9][0-9][0-9]-*.patch; do
        [[ "$p" == */0000-cover-letter.patch ]] && continue
        sobs=$(grep '^Signed-off-by:' "$p")
        if [ -z "$want" ]; then
            [ -z "$sobs" ] || wrong+=" $(basename "$p"):unsigned-expected"
            continue
        fi
        from=$(git mailinfo /dev/null /dev/null < "$p" |
               sed -n 's/^Author: //p;s/^Email: //p' | paste -sd'|')
        [ "$sobs" = "Signed-off-by: $want" ] &&
            [ "$from" = "$(sed 's/ <\(.*\)>$/|\1/' <<< "$want")" ] ||
            wrong+=" $(basename "$p"):[$sobs][$from]"
    done
    echo "$wrong"
    [ -z "$wrong" ]
}
if wrong=$(signoff_ok "$series" "${SIGNOFF:-}"); then
    ok "sign-off: ${SIGNOFF:-none, as no SIGNOFF was given}"
else
    bad "sign-off (want ${SIGNOFF:-none}):$wrong"
fi
signer='Series Check <series-check@example.org>'
if SIGNOFF=$signer "$TOP/scripts/xen/export-patches.py" "$tarball" \
        "$work/signed" "$work/signed-work" > "$log/export-signed.log" 2>&1 &&
   wrong=$(signoff_ok "$work/signed" "$signer"); then
    ok "sign-off: SIGNOFF=\"$signer\" signs and authors every patch"
else
    bad "sign-off with SIGNOFF=\"$signer\":$wrong $(tail -n 2 "$log/export-signed.log")"
fi
rm -rf "$work/signed-work"
tar -xJf "$tarball" -C "$tree" --strip-components=1
g() { git -C "$tree" -c user.name=check -c user.email=check@localhost "$@"; }
# -f: also the files Xen's .gitignore names (they are in the tarball).
g init -q && g add -f -A && g commit -qm base && g tag base ||
    { bad "git repository of $(basename "$tarball")"; finish; }

# Files of the overlays: what the series must add, and where they are.
overlay=$(cd "$TOP" &&
    { find xen -path xen/patches -prune -o -type f -print
      find tools -path tools/patches -prune -o -type f -print
      find docs/designs -type f -print; } | LC_ALL=C sort)

# Every file a prefix's build asks for that the series adds is there.
# Same rules as export-patches.py (refers_to), run on the prefix's tree.
refs_ok() {
    python3 - "$tree" <<'EOF'
import importlib.util, os, subprocess, sys
spec = importlib.util.spec_from_file_location(
    'ep', os.path.join(os.environ['TOP'], 'scripts/xen/export-patches.py'))
ep = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ep)
tree = sys.argv[1]
changed = subprocess.run(['git', '-C', tree, 'diff', '--name-only',
                          '--no-renames', 'base', 'HEAD'],
                         stdout=subprocess.PIPE, text=True,
                         check=True).stdout.split()
new = set(subprocess.run(['git', '-C', tree, 'diff', '--name-only',
                          '--diff-filter=A', 'base', 'HEAD'],
                         stdout=subprocess.PIPE, text=True,
                         check=True).stdout.split())
overlay = set(os.environ['OVERLAY'].split())
missing = []
for f in changed:
    p = os.path.join(tree, f)
    if not os.path.isfile(p):
        continue
    for r in ep.refers_to(f, open(p, errors='replace').read()):
        if r in overlay and r not in new:
            missing.append('%s asks for %s' % (f, r))
print('\n'.join(sorted(set(missing))))
sys.exit(1 if missing else 0)
EOF
}

xen_build() {   # NAME [PCONF OBJ]: configure (when the fragment changes), build
    local name=$1 conf=${2:-$pconf} o=${3:-$obj} t0=$(date +%s)
    if (export CROSS_COMPILE=$cross
        TOP=$TOP "$TOP/scripts/xen/config.sh" "$tree" "$o" "$conf" &&
        "$TOP/scripts/xen/xmake.sh" "$tree" "$o" -s -j"$jobs") \
            > "$log/xen-$name.log" 2>&1 && [ -f "$o/xen" ]; then
        ok "$name: hypervisor builds ($(( $(date +%s) - t0 ))s)"
        return 0
    fi
    bad "$name: hypervisor build ($(( $(date +%s) - t0 ))s), last lines of $log/xen-$name.log:"
    tail -n 25 "$log/xen-$name.log" | sed 's/^/    /'
    return 1
}

# The whole series with fewer options: without the virtual SMMUv3 (the
# framework with no type), and without the framework (Xen as it was, the
# hooks compiled out).  Each a configuration of its own, built once.
xen_build_without() {   # NAME SYMBOL: SYMBOL and what depends on it off
    local name=$1 sym=$2 conf=$work/config-$1
    sed -e "s/^CONFIG_$sym=y\$/# CONFIG_$sym is not set/" \
        -e '/^CONFIG_VSMMUV3_/d' "$pconf" > "$conf"
    [ "$sym" = VIRTUAL_ARM_SMMU_V3 ] ||
        sed -i '/^CONFIG_VIRTUAL_ARM_SMMU_V3=/d' "$conf"
    if ! grep -q "^# CONFIG_$sym is not set" "$conf"; then
        bad "$name: no CONFIG_$sym=y in $pconf to turn off"
        return 1
    fi
    xen_build "$name" "$conf" "$work/xen-obj-$name" || return 1
    if grep -q "^CONFIG_$sym=y" "$work/xen-obj-$name/.config"; then
        bad "$name: CONFIG_$sym is still on"
        return 1
    fi
}

tools_build() { # NAME [full]: tools/libs and tools/xl (x86), incrementally
    local name=$1 t0=$(date +%s) out
    out=$(TOOLS_JOBS=$jobs "$TOP/tests/tools/tools-check.sh" "$tree" \
              "$work/tools-$name" 2>&1)
    echo "$out" > "$log/tools-$name.log"
    if [ "${2:-}" = full ]; then
        # The whole tools-check at the end of the series.
        if ! echo "$out" | grep -qE '^[1-9][0-9]* passed, 0 failed$'; then
            bad "$name: tools-check ($(( $(date +%s) - t0 ))s): $(echo "$out" | grep -E '^(FAIL|[0-9]+ passed)' | tr '\n' ' ')"
            return 1
        fi
        ok "$name: tools-check $(echo "$out" | tail -n 1) ($(( $(date +%s) - t0 ))s)"
        return 0
    fi
    # Before the series completes libxl only the build steps apply.
    if echo "$out" | grep -q '^PASS: build-xl'; then
        ok "$name: tools/libs and tools/xl build ($(( $(date +%s) - t0 ))s)"
        return 0
    fi
    bad "$name: tools/libs, tools/xl ($(( $(date +%s) - t0 ))s): $(echo "$out" | grep '^FAIL' | head -n 3 | tr '\n' ' ')"
    return 1
}

export OVERLAY=$overlay
n=${#patches[@]} i=0
for p in "${patches[@]}"; do
    i=$((i + 1))
    name=$(basename "$p" .patch)
    name=${name:0:4}
    if ! g am -q "$p" > "$log/am-$name.log" 2>&1; then
        bad "$name: git am $(basename "$p"): $(head -n 5 "$log/am-$name.log" | tr '\n' ' ')"
        g am --abort > /dev/null 2>&1
        finish
    fi
    ok "$name: git am $(basename "$p")"
    if missing=$(refs_ok); then
        ok "$name: every file the build asks for is in the series"
    else
        bad "$name: files missing at this prefix: $missing"
    fi
    touched=$(g diff --name-only HEAD~1 HEAD)
    if [ "$mode" != final ] && echo "$touched" | grep -q '^xen/'; then
        xen_build "$name"
    fi
    if [ "$mode" = all ]; then
        if [ $i -lt $n ] && echo "$touched" | grep -q '^tools/\(libs\|xl\|include\)/'; then
            tools_build "$name"
        fi
    fi
done
last=$(printf %04d "$n")
if [ "$mode" = final ]; then
    xen_build "$last"
fi
xen_build_without "$last-no-smmuv3" VIRTUAL_ARM_SMMU_V3
xen_build_without "$last-no-viommu" ARM_VIRTUAL_IOMMU
if [ "$mode" = all ]; then
    tools_build "$last" full
fi

# The whole series is the tree the other tiers build.
ref=$work/reference
mkdir -p "$ref"
tar -xJf "$tarball" -C "$ref" --strip-components=1
ref_ok=1
for p in "$TOP"/xen/patches/*.patch "$TOP"/tools/patches/*.patch; do
    [ -e "$p" ] || continue
    patch -d "$ref" -p1 -s -F0 -N --no-backup-if-mismatch < "$p" ||
        { bad "reference: ${p#$TOP/} does not apply"; ref_ok=0; }
done
while read -r f; do
    install -D -m 644 "$TOP/$f" "$ref/$f"
done <<< "$overlay"
if [ $ref_ok = 1 ]; then
    # Compare what git tracks, not what the builds left in the tree.
    lists=$(diff <(cd "$ref" && find . -type f -o -type l | sed 's,^\./,,' | LC_ALL=C sort) \
                 <(g ls-files | LC_ALL=C sort))
    contents=$(g ls-files -z | (cd "$tree" &&
        while IFS= read -r -d '' f; do
            cmp -s "$f" "$ref/$f" || echo "$f"
        done))
    if [ -z "$lists" ] && [ -z "$contents" ]; then
        ok "the series' tree is the tarball + xen/patches + tools/patches + overlays"
    else
        bad "the series' tree differs from the reference: $(echo "$lists" "$contents" | head -n 10 | tr '\n' ' ')"
    fi
fi
finish
