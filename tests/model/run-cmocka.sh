#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run one cmocka test binary and end with the tier summary line
# "N passed, N failed", counted from cmocka's own report.  A binary that
# dies before reporting (a sanitizer abort, a crash) counts as one failure
# on top of what it reported.
set -u
bin=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bin" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
# Summed over every group the binary runs.
passed=$(awk '/^\[  PASSED  \] [0-9]+ test\(s\)\./ { n += $4 } END { print n + 0 }' "$out")
failed=$(awk '/^\[  FAILED  \] [0-9]+ test\(s\)/ { n += $4 } END { print n + 0 }' "$out")
if ! grep -q '^\[==========\] .* test(s) run\.' "$out"; then
    echo "$bin ended without a cmocka report (exit $rc)"
    failed=$((failed + 1))
elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
