#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install every dependency of every tier and fetch what the build needs.
# Idempotent: packages already present are not reinstalled, fetched files
# already in the cache are kept.  Runs as root on Debian 12 (bookworm).
#
# - scripts/deps/*.txt: apt packages, one per line ('#' comments).
# - scripts/setup.d/*.sh: fetch steps, run in order after the packages.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

pkgs=$(sed -e 's/#.*//' scripts/deps/*.txt | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing:$missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends $missing
else
    echo "setup: all $(echo $pkgs | wc -w) packages present"
fi

export XV_CACHE=${XV_CACHE:-$HOME/.cache/xen-vsmmu}
mkdir -p "$XV_CACHE"
for step in scripts/setup.d/*.sh; do
    [ -e "$step" ] || continue
    echo "setup: $(basename "$step")"
    bash "$step"
done
echo "setup: done"
scripts/inputs.sh
