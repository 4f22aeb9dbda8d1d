#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-prefixes.sh RESULT FILE...
# Every static function of the vIOMMU code carries its module's prefix, so
# that a backtrace names it unambiguously (as the vITS's its_* do):
# vsmmuv3_ under vsmmu-v3/, viommu_ or vsmmuv3_ (the SMMUv3 glue) in
# viommu.c, smmuv3_nested_ in smmu-v3-nested.c.  One check per file;
# writes "N passed, N failed" to RESULT.
set -u
result=$1; shift
pass=0 fail=0
for f in "$@"; do
    case "$f" in
        */vsmmu-v3/*.c)        pre='vsmmuv3_' ;;
        */viommu.c)            pre='(viommu|vsmmuv3)_' ;;
        */smmu-v3-nested.c)    pre='smmuv3_nested_' ;;
        *) echo "prefixes: no rule for $f"; fail=$((fail + 1)); continue ;;
    esac
    # A static function's name is the identifier before the first "(" of
    # its "static ..." line (Xen style keeps the name on that line, or on
    # the next one after a return type of its own).
    bad=$(awk '
        /^static[^;=(]*$/ && !/[;=]/ { held = $0; next }
        { line = held ? held " " $0 : $0; held = "" }
        line ~ /^static[^;=(]*[A-Za-z_][A-Za-z0-9_]*\(/ {
            s = line; sub(/\(.*/, "", s); n = split(s, w, /[^A-Za-z0-9_]+/)
            print FNR ": " w[n]
        }' "$f" | grep -Ev ": ${pre}" || true)
    if [ -n "$bad" ]; then
        printf 'prefixes: %s: static functions without the %s prefix:\n%s\n' \
            "$f" "$pre" "$bad"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
done
echo "prefix check: $pass passed, $fail failed"
echo "$pass passed, $fail failed" > "$result"
