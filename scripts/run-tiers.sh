#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run each test tier (make test-<tier>), keep going when one fails, and sum
# their results.  A tier reports by printing "N passed, N failed" as its last
# summary line; a tier that ends without one counts as one failure.  Logs go
# to $BUILD/logs/<tier>.log.
set -u
logs=${BUILD:-build}/logs
mkdir -p "$logs"
inputs=$("$(dirname "$0")"/inputs.sh)
echo "$inputs"
total_pass=0 total_fail=0 status=0 summary=""
start=$(date +%s)
for tier in "$@"; do
    t0=$(date +%s)
    echo "=== tier $tier ==="
    echo "$inputs" > "$logs/$tier.log"
    make --no-print-directory "test-$tier" 2>&1 | tee -a "$logs/$tier.log"
    rc=${PIPESTATUS[0]}
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/$tier.log" | tail -n 1)
    if [ -n "$line" ]; then
        p=${line%% passed*}; f=${line#*, }; f=${f%% failed}
    else
        p=0 f=1
        echo "tier $tier ended without a summary line (exit $rc): counted as 1 failure"
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "tier $tier exited with status $rc: counted as 1 failure"
    fi
    [ "$f" -ne 0 ] && status=1
    total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
    summary+=$(printf '  %-12s %6s passed, %s failed  (%ss)' "$tier" "$p" "$f" $(( $(date +%s) - t0 )))$'\n'
done
echo "=== summary ($(( $(date +%s) - start ))s) ==="
printf '%s' "$summary"
echo "$total_pass passed, $total_fail failed"
exit $status
