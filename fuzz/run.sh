#!/usr/bin/env bash
# Builds every fuzz target and runs each for SECONDS (default 60), one after the other, under
# fixed memory limits. Exits non-zero if any target crashes, panics, times out or runs out
# of memory; prints each target's executions, speed, corpus and peak memory.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Works on the stable toolchain: cargo fuzz passes nightly-only flags (-Zsanitizer, …), which
# stable rustc accepts under RUSTC_BOOTSTRAP=1. Needs cargo-fuzz (`cargo install cargo-fuzz
# --locked`). The corpus of each target grows in target/fuzz/corpus/<target> (seeded from
# fuzz/seeds.sh and fuzz/regressions/<target>, whose inputs run first); a crashing input is
# saved to target/fuzz/artifacts/<target>/.
#
# Environment: FUZZ_RSS_MB (default 2048), FUZZ_MALLOC_MB (512), FUZZ_TIMEOUT (10 s per input),
# FUZZ_WORK (default target/fuzz: the instrumented build, corpora, artifacts and logs; CI
# keeps it outside its fresh clone so that the build is incremental from one run to the next).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
secs=${1:-60}
shift || true
rss=${FUZZ_RSS_MB:-2048}
malloc=${FUZZ_MALLOC_MB:-512}
timeout=${FUZZ_TIMEOUT:-10}
work=${FUZZ_WORK:-$root/target/fuzz}
triple=$(rustc -vV | sed -n 's/^host: //p')
bins=$work/$triple/release

export RUSTC_BOOTSTRAP=1
cd "$root"
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi

echo "== building ${#targets[@]} fuzz targets (cargo fuzz build, address sanitizer, debug assertions)"
start=$(date +%s)
if [ $# -gt 0 ]; then
  for t in "${targets[@]}"; do
    cargo fuzz build --target-dir "$work" "$t"
  done
else
  cargo fuzz build --target-dir "$work"
fi
echo "   built in $(($(date +%s) - start)) s"

"$here/seeds.sh" "$work/seeds" >/dev/null

dict_for() {
  case $1 in
    csv) echo csv ;;
    json | jsonstream | js_assignment | dao_request | decoders) echo json ;;
    xml | apple_health) echo xml ;;
    zip_container | verify_package) echo zip ;;
    *) echo "" ;;
  esac
}

failed=()
summary=()
for t in "${targets[@]}"; do
  corpus=$work/corpus/$t
  artifacts=$work/artifacts/$t
  log=$work/logs/$t.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")" "$work/seeds/$t" "$here/regressions/$t"
  args=(
    -max_total_time="$secs"
    -rss_limit_mb="$rss"
    -malloc_limit_mb="$malloc"
    -timeout="$timeout"
    -print_final_stats=1
    -artifact_prefix="$artifacts/"
  )
  d=$(dict_for "$t")
  [ -n "$d" ] && args+=(-dict="$here/dict/$d.dict")
  echo "== $t: ${secs}s (rss ${rss} MB, malloc ${malloc} MB, timeout ${timeout}s)"
  set +e
  "$bins/$t" "${args[@]}" "$corpus" "$work/seeds/$t" "$here/regressions/$t" >"$log" 2>&1
  rc=$?
  set -e
  stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(du -sk "$corpus" | cut -f1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  line=$(printf '%-15s %12s execs %8s/s  corpus %6s files %7s KiB  cov %6s  peak %5s MB' \
    "$t" "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" "$files" "$bytes" \
    "${cov:-?}" "$(stat peak_rss_mb)")
  if [ $rc -ne 0 ]; then
    line="$line  FAILED (exit $rc)"
    failed+=("$t")
    echo "-- $t failed; from its log ($log):"
    grep -A2 -m3 'panicked at\|ERROR: AddressSanitizer\|ERROR: libFuzzer' "$log" || true
    grep -E '^(SUMMARY|MS:|artifact_prefix|Base64)' "$log" || true
    echo "-- reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run $t --target-dir $work $(ls -t "$artifacts" | head -1 | sed "s|^|$artifacts/|")"
  fi
  echo "$line"
  summary+=("$line")
done

echo "== fuzz summary (${secs}s per target)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FUZZING FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzzing: ${#targets[@]} targets, no crash"
