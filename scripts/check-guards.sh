#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-guards.sh RESULT HEADER...
# Each header of the overlay (paths relative to the project, under xen/)
# has the inclusion guard Xen 4.20's CODING_STYLE derives from its path
# under xen/: components joined by "__", upper case, other characters
# "_"; include/ and arch/ omitted, arch/<arch>/include/asm/ collapsed to
# ASM__<ARCH>__; "_H" appended.  One check per header; writes "N passed,
# N failed" to RESULT.
set -u
result=$1; shift
pass=0 fail=0
for h in "$@"; do
    p=${h#xen/}
    if [[ "$p" =~ ^arch/([^/]+)/include/asm/(.*)$ ]]; then
        p="asm/${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
    elif [[ "$p" =~ ^include/(.*)$ ]]; then
        p=${BASH_REMATCH[1]}
    elif [[ "$p" =~ ^arch/(.*)$ ]]; then
        p=${BASH_REMATCH[1]}
    fi
    p=${p%.h}
    g=$(printf '%s' "$p" | tr 'a-z' 'A-Z' | sed -E 's#[^A-Z0-9/]+#_#g; s#/#__#g')_H
    if grep -qx "#ifndef $g" "$h" && grep -qx "#define $g" "$h" &&
       grep -qx "#endif /\* $g \*/" "$h"; then
        pass=$((pass + 1))
    else
        echo "guards: $h: expected #ifndef/#define $g ... #endif /* $g */"
        fail=$((fail + 1))
    fi
done
echo "guard check: $pass passed, $fail failed"
echo "$pass passed, $fail failed" > "$result"
