#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run cmocka test binaries and print one summary line, "N passed, N failed".
# Arguments after "--" are result files of extra checks: each holds
# "N passed, N failed" and is added to the sum.  A binary that ends without
# cmocka's summary (a crash, a sanitizer report) counts as one failure.
set -u
pass=0 fail=0 extra=0
for arg in "$@"; do
    if [ "$arg" = "--" ]; then extra=1; continue; fi
    if [ $extra -eq 1 ]; then
        line=$(cat "$arg" 2>/dev/null || true)
        if [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
            pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
        else
            echo "$arg: no result"; fail=$((fail + 1))
        fi
        continue
    fi
    out=$("$arg" 2>&1); rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\.$/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:$/\1/p' | tail -n 1)
    if [ -z "$p" ]; then
        echo "$(basename "$arg"): no cmocka summary (exit $rc): counted as 1 failure"
        fail=$((fail + 1))
        continue
    fi
    pass=$((pass + p)); fail=$((fail + ${f:-0}))
    if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
        echo "$(basename "$arg"): exit $rc after its summary: counted as 1 failure"
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
