#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Turn a Kconfig .config into a C header: CONFIG_X=y -> #define CONFIG_X 1,
# numbers and strings as they are.  Unset symbols stay undefined.
set -eu
echo "/* Generated from $1 by scripts/kconfig-header.sh: do not edit. */"
sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=y$/#define \1 1/p' \
       -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(-\{0,1\}[0-9][0-9a-fA-Fx]*\)$/#define \1 \2/p' \
       -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(".*"\)$/#define \1 \2/p' "$1"
