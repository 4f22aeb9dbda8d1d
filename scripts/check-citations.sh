#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-citations.sh RESULT FILE...
# Code under xen/ is read by Xen's maintainers, who have Xen and the Arm
# SMMUv3 architecture (IHI 0070) but none of this project's notes: a
# comment there may cite IHI 0070 section numbers and Xen's own documents,
# never SPEC-NOTES rule numbers (S4.6, "SPEC-NOTES section 3"), review
# labels (R-B6), peers' defects (D2) or the project's own docs/*.md.  Tests
# keep citing rule numbers.  Of a patch (xen/patches/*.patch) only the
# lines it adds are checked.  One check per file; writes "N passed,
# N failed" to RESULT.
set -u
result=$1; shift
# Rule numbers: S<n>.<m>, or S<n> in parentheses or lists ("(S2", "S2/",
# "S2,"); field names such as S1Fmt, S2=1 or "Config S1" do not match.
pat='\bS[0-9]+\.[0-9]+\b|\(S[0-9]+\b|\bS[0-9]+[,/]'
pat+='|SPEC-NOTES|DESIGN\.md|E2E-NOTES|\bR-[A-Z][0-9]+\b|\bdefect D[0-9]'
pat+="|peers'|(^|[^/a-z])docs/[a-z0-9-]+\.md"
pass=0 fail=0
for f in "$@"; do
    if [[ "$f" == *.patch ]]; then
        hits=$(grep -nE '^\+' "$f" | grep -vE '^[0-9]+:\+\+\+ ' |
               grep -E "$pat")
    else
        hits=$(grep -nE "$pat" "$f")
    fi
    if [ -n "$hits" ]; then
        printf 'citations: %s cites a document outside Xen and IHI 0070:\n%s\n' \
            "$f" "$hits"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
done
echo "citation check: $pass passed, $fail failed"
echo "$pass passed, $fail failed" > "$result"
