#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run Xen's own make for the arm64 hypervisor:  xmake.sh SRC OBJ [ARGS...]
#
# Xen's build must not see the project's make state: command-line variables
# travel in MAKEFLAGS (KCONFIG_CONFIG=... would make Xen's kconfig write the
# project's configuration file), and the project's exported variables mean
# nothing to Xen.  So the environment is cleaned first.
set -euo pipefail
src=$1 obj=$2
shift 2
exec env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
    -u KCONFIG_CONFIG -u TOP -u BUILD \
    make -C "$src/xen" O="$obj" XEN_TARGET_ARCH=arm64 \
    CROSS_COMPILE="${CROSS_COMPILE:-aarch64-linux-gnu-}" "$@"
