#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fetch the Linux guests: for each Debian release in LINUX_RELEASES, the
# arm64 kernel that release's linux-image-arm64 points at and its
# busybox-static, unpacked under $XV_CACHE/linux/<release>:
#
#   Image          the kernel as Xen boots it (an arm64 Image; a gzip'd or
#                  EFI zboot vmlinuz is unpacked to one)
#   busybox-arm64  the static busybox of the initramfs
#   debs/          the two packages (the kernel's modules stay in its deb)
#   .complete      what was fetched, with versions
#
# The packages come through a private APT configuration per release
# (scripts/xvapt.py: the machine's own archives, its own lists, cache and
# status under $XV_CACHE/apt-arm64-<release>); the machine's dpkg
# architectures and APT state are never touched, nothing is installed.
# Idempotent: a release already complete is kept.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${XV_CACHE:?}
releases=${LINUX_RELEASES:?set by make setup (mk/linux.mk)}
inputs=$cache/inputs.d/20-linux
tmp_inputs=$(mktemp)
trap 'rm -f "$tmp_inputs"' EXIT

byte_str() { dd if="$1" bs=1 skip="$2" count="$3" 2>/dev/null; }
u32() { od -An -tu4 -j"$2" -N4 "$1" | tr -d ' '; }

# An arm64 Image from a kernel package's vmlinuz, whatever Debian made of
# it: a plain Image (magic "ARM\x64" at byte 56), gzip, or an EFI zboot
# image ("zimg" at byte 4: payload offset and size at 8 and 12, its
# compression named at 24).
unpack_image() {
    local v=$1 out=$2
    if [ "$(byte_str "$v" 56 4)" = 'ARMd' ]; then
        cp "$v" "$out"
    elif [ "$(od -An -tx1 -N2 "$v" | tr -d ' ')" = 1f8b ]; then
        gzip -dc "$v" > "$out"
    elif [ "$(byte_str "$v" 0 2)" = MZ ] && [ "$(byte_str "$v" 4 4)" = zimg ]; then
        local off size comp
        off=$(u32 "$v" 8) size=$(u32 "$v" 12) comp=$(byte_str "$v" 24 4)
        case "$comp" in
        gzip) tail -c +$((off + 1)) "$v" | head -c "$size" | gzip -dc > "$out" ;;
        zstd) tail -c +$((off + 1)) "$v" | head -c "$size" | zstd -dcq > "$out" ;;
        xzke) tail -c +$((off + 1)) "$v" | head -c "$size" | xz -dc > "$out" ;;
        *) echo "linux guest: $v: EFI zboot with $comp payload" >&2; return 1 ;;
        esac
    else
        echo "linux guest: $v is neither an arm64 Image, gzip nor EFI zboot" >&2
        return 1
    fi
    [ "$(byte_str "$out" 56 4)" = 'ARMd' ] ||
        { echo "linux guest: $v did not unpack to an arm64 Image" >&2; return 1; }
}

fetch_release() {
    local rel=$1
    local apt_dir=$cache/apt-arm64-$rel out=$cache/linux/$rel
    if [ -f "$out/.complete" ]; then
        echo "linux guest ($rel): cached"
        return 0
    fi
    rm -rf "$out"
    mkdir -p "$out/debs"
    APT_CONFIG=$(python3 "$top/scripts/xvapt.py" private "$apt_dir" \
                 --arch arm64 --release "$rel")
    export APT_CONFIG
    echo "linux guest ($rel): updating the private arm64 package lists"
    apt-get update -qq

    # The kernel the release's linux-image-arm64 metapackage points at.
    local kpkg
    kpkg=$(apt-cache depends linux-image-arm64 2>/dev/null |
           sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-arm64\)$/\1/p' | head -n 1)
    [ -n "$kpkg" ] || { echo "linux guest ($rel): no linux-image-*-arm64" >&2; return 1; }
    echo "linux guest ($rel): downloading $kpkg and busybox-static (arm64)"
    (cd "$out/debs" && apt-get download -qq "$kpkg" busybox-static)
    unset APT_CONFIG

    local kdeb bdeb
    kdeb=$(ls "$out"/debs/"$kpkg"_*_arm64.deb)
    bdeb=$(ls "$out"/debs/busybox-static_*_arm64.deb)
    # Only /boot of the kernel package is unpacked here.
    mkdir -p "$out/kernel" "$out/busybox"
    dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$out/kernel" ./boot
    dpkg-deb -x "$bdeb" "$out/busybox"

    local vmlinuz config bb
    vmlinuz=$(ls "$out"/kernel/boot/vmlinuz-*-arm64 | head -n 1)
    config=$(ls "$out"/kernel/boot/config-*-arm64 | head -n 1)
    grep -qx 'CONFIG_ARM_SMMU_V3=y' "$config" ||
        { echo "linux guest ($rel): $kpkg lacks CONFIG_ARM_SMMU_V3=y" >&2; return 1; }
    unpack_image "$vmlinuz" "$out/Image"
    # bookworm keeps busybox in /bin, trixie (merged /usr) in /usr/bin.
    bb=$(find "$out/busybox" -path '*bin/busybox' -type f | head -n 1)
    [ -n "$bb" ] || { echo "linux guest ($rel): no busybox in $bdeb" >&2; return 1; }
    ln -sf "${bb#$out/}" "$out/busybox-arm64"
    {
        printf 'linux    %-9s %s %s\n' "$rel" "$kpkg" "$(dpkg-deb -f "$kdeb" Version)"
        printf 'busybox  %-9s busybox-static %s\n' "$rel" "$(dpkg-deb -f "$bdeb" Version)"
    } > "$out/.complete"
}

for rel in $releases; do
    fetch_release "$rel"
    cat "$cache/linux/$rel/.complete" >> "$tmp_inputs"
done
mkdir -p "$(dirname "$inputs")"
cp "$tmp_inputs" "$inputs"
