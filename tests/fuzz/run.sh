#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the libFuzzer targets, one process at a time (docs/fuzzing.md).
#
#   run.sh smoke RUNS TARGET...     RUNS inputs each, fixed seed, from the
#                                   committed corpus (make test-fuzz)
#   run.sh long SECONDS TARGET...   SECONDS each, from the committed corpus
#                                   into a scratch copy (make fuzz)
#   run.sh cov 0 TARGET...          coverage of the device model by the
#                                   scratch and committed corpora (make fuzz-cov)
#   run.sh repro 0 TARGET...        each reproducer in $FUZZ_REPRO/<target>/
#                                   (make fuzz-repro): passes once fixed
#
# Environment: FUZZ_OUT (build directory), FUZZ_CORPUS (committed corpus);
# for cov also FUZZ_PROFDATA, FUZZ_COV, FUZZ_MODEL.  Crashes are written
# to $FUZZ_OUT/crashes/<target>-*.  smoke and long end with "N passed,
# N failed", one count per target.
set -u
mode=$1 amount=$2
shift 2
out=${FUZZ_OUT:?} corpus=${FUZZ_CORPUS:?}
mkdir -p "$out/crashes" "$out/logs"
pass=0 fail=0

final_stat() {  # final_stat NAME LOG: a -print_final_stats value
    sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

for t in "$@"; do
    bin=$out/bin/$t
    log=$out/logs/$t.$mode.log
    opts=(-max_len=4096 -timeout=30 -rss_limit_mb=2048 -print_final_stats=1
          "-artifact_prefix=$out/crashes/$t-")
    case $mode in
    smoke)
        scratch=$out/smoke/$t
        rm -rf "$scratch"; mkdir -p "$scratch"
        start=$(date +%s%N)
        "$bin" "${opts[@]}" -seed=1 -runs="$amount" "$scratch" \
            "$corpus/$t" >"$log" 2>&1
        rc=$?
        ms=$(( ($(date +%s%N) - start) / 1000000 ))
        ;;
    long)
        scratch=$out/corpus/$t
        mkdir -p "$scratch"
        cp -n "$corpus/$t"/* "$scratch"/ 2>/dev/null
        start=$(date +%s%N)
        "$bin" "${opts[@]}" -max_total_time="$amount" "$scratch" >"$log" 2>&1
        rc=$?
        ms=$(( ($(date +%s%N) - start) / 1000000 ))
        ;;
    cov)
        bin=$out/cov/bin/$t
        prof=$out/cov/$t
        rm -f "$prof".*.profraw
        dirs=("$corpus/$t")
        [ -d "$out/corpus/$t" ] && dirs+=("$out/corpus/$t")
        LLVM_PROFILE_FILE="$prof.%p.profraw" "$bin" -runs=0 -max_len=4096 \
            "${dirs[@]}" >"$log" 2>&1
        rc=$?
        "${FUZZ_PROFDATA:?}" merge -sparse "$prof".*.profraw \
            -o "$prof.profdata" || rc=1
        echo "=== $t: coverage of the device model by ${dirs[*]}"
        # shellcheck disable=SC2086
        "${FUZZ_COV:?}" report "$bin" -instr-profile="$prof.profdata" \
            ${FUZZ_MODEL:?} || rc=1
        [ $rc -eq 0 ] && pass=$((pass + 1)) || fail=$((fail + 1))
        continue
        ;;
    repro)
        # Each reproducer on its own: report whether it still crashes.
        # Guest accesses after relinquish are allowed here (hardening).
        for f in "${FUZZ_REPRO:?}/$t"/*; do
            [ -e "$f" ] || continue
            if FUZZ_GUEST_AFTER_RELINQUISH=1 "$bin" "$f" >"$log" 2>&1; then
                echo "$t $(basename "$f"): passes"
                pass=$((pass + 1))
            else
                echo "$t $(basename "$f"): crashes:"
                grep -A 1 -m 1 'fuzz invariant violated\|ERROR:' "$log"
                fail=$((fail + 1))
            fi
        done
        continue
        ;;
    *)
        echo "run.sh: unknown mode $mode" >&2
        exit 2
        ;;
    esac
    execs=$(final_stat number_of_executed_units "$log")
    rate=$(final_stat average_exec_per_sec "$log")
    cov=$(sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1 ft \2/p' "$log" |
          tail -n 1)
    printf '%-16s %s inputs in %d.%ds (%s exec/s), %s\n' "$t" \
        "${execs:-?}" $((ms / 1000)) $((ms % 1000 / 100)) "${rate:-?}" \
        "${cov:-no coverage line}"
    if [ $rc -eq 0 ] && ! grep -q '^==[0-9]*==ERROR\|^SUMMARY:' "$log"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "$t: FAILED (exit $rc); log $log; crashes in $out/crashes/"
        grep -A 30 -m 1 'fuzz invariant violated\|ERROR:\|Assertion' "$log" |
            head -n 40
    fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
