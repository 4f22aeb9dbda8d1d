#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fetch the Linux guest: Debian bookworm's arm64 kernel (linux-image-*-arm64,
# CONFIG_ARM_SMMU_V3=y, an uncompressed Image) and busybox-static:arm64, and
# unpack them under $XV_CACHE/linux.
#
# The arm64 packages come through a private APT configuration (its own
# sources list, Architectures arm64, its own lists/cache/status under
# $XV_CACHE/apt-arm64), so the machine's dpkg architectures and APT state
# are never touched.  Packages are only downloaded and unpacked with
# dpkg-deb -x, never installed.  Idempotent: a populated cache is kept.
set -euo pipefail
cache=${XV_CACHE:?}
apt_dir=$cache/apt-arm64
out=$cache/linux

if [ -f "$out/.complete" ]; then
    echo "linux guest: $(cat "$out/.complete") (cached)"
    exit 0
fi

mkdir -p "$apt_dir"/{lists/partial,archives/partial,etc/preferences.d,etc/apt.conf.d} \
         "$apt_dir/state" "$out/debs"
touch "$apt_dir/state/status"
cat > "$apt_dir/sources.list" <<'SRC'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-updates main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
SRC
cat > "$apt_dir/apt.conf" <<CONF
Dir::Etc::SourceList "$apt_dir/sources.list";
Dir::Etc::SourceParts "$apt_dir/etc/sources.list.d";
Dir::Etc::Preferences "$apt_dir/etc/preferences";
Dir::Etc::PreferencesParts "$apt_dir/etc/preferences.d";
Dir::Etc::Parts "$apt_dir/etc/apt.conf.d";
Dir::State "$apt_dir/state";
Dir::State::Lists "$apt_dir/lists";
Dir::State::status "$apt_dir/state/status";
Dir::Cache "$apt_dir/cache";
Dir::Cache::Archives "$apt_dir/archives";
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
Acquire::Languages "none";
Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";
APT::Sandbox::User "root";
CONF
mkdir -p "$apt_dir/etc/sources.list.d" "$apt_dir/cache"
export APT_CONFIG=$apt_dir/apt.conf

echo "linux guest: updating the private arm64 package lists"
apt-get update -qq

# The kernel the linux-image-arm64 metapackage points at.
kpkg=$(apt-cache depends linux-image-arm64 2>/dev/null |
       sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-arm64\)$/\1/p' | head -n 1)
[ -n "$kpkg" ] || { echo "linux guest: no linux-image-*-arm64 found" >&2; exit 1; }
echo "linux guest: downloading $kpkg and busybox-static (arm64)"
(cd "$out/debs" && apt-get download -qq "$kpkg" busybox-static)

rm -rf "$out/kernel" "$out/busybox"
dpkg-deb -x "$out"/debs/"$kpkg"_*_arm64.deb "$out/kernel"
dpkg-deb -x "$out"/debs/busybox-static_*_arm64.deb "$out/busybox"

# Only the Image and its config are used (the drivers the test needs are
# built in): drop the module tree.
rm -rf "$out"/kernel/lib/modules "$out"/kernel/usr
image=$(ls "$out"/kernel/boot/vmlinuz-*-arm64 | head -n 1)
config=$(ls "$out"/kernel/boot/config-*-arm64 | head -n 1)
grep -qx 'CONFIG_ARM_SMMU_V3=y' "$config" ||
    { echo "linux guest: $kpkg lacks CONFIG_ARM_SMMU_V3=y" >&2; exit 1; }
# Xen boots an arm64 Image: magic "ARM\x64" at byte 56.
[ "$(dd if="$image" bs=1 skip=56 count=4 2>/dev/null | od -An -c | tr -d ' ')" = 'ARMd' ] ||
    { echo "linux guest: $image is not an arm64 Image" >&2; exit 1; }
ln -sf "${image#$out/}" "$out/Image"
ln -sf busybox/bin/busybox "$out/busybox-arm64"
echo "$kpkg $(dpkg-deb -f "$out"/debs/"$kpkg"_*_arm64.deb Version)," \
     "busybox-static $(dpkg-deb -f "$out"/debs/busybox-static_*_arm64.deb Version)" \
     > "$out/.complete"
echo "linux guest: $(cat "$out/.complete")"
