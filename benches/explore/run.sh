#!/usr/bin/env bash
# Times `trove stats` on a vault of N samples (default 3,000,000): release build, a synthetic
# Apple Health export (gen_export.py) imported once, then hyperfine over the stats queries.
# Needs python3, hyperfine and age-keygen (Debian: hyperfine, age). Not part of `cargo test`.
#
#   benches/explore/run.sh            # 3M samples
#   N=300000 benches/explore/run.sh   # quicker
#   WORK=/tmp/b benches/explore/run.sh # keeps (and reuses) the generated export in /tmp/b
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-3000000}
work=${WORK:-$(mktemp -d)}
echo "== building (release)"
cargo build --release --quiet
trove=$(pwd)/target/release/trove
if [ ! -s "$work/export.xml" ]; then
  echo "== generating $N samples in $work/export.xml"
  python3 benches/explore/gen_export.py "$N" > "$work/export.xml"
fi
rm -rf "$work/vault" "$work/id.txt"
export TROVE_VAULT="$work/vault" TZ=Europe/Berlin
printf "bench passphrase\n" > "$work/pass" && chmod 600 "$work/pass"
TROVE_PASSPHRASE_FILE="$work/pass" "$trove" init --quiet
age-keygen -o "$work/id.txt" 2>/dev/null
TROVE_PASSPHRASE_FILE="$work/pass" "$trove" key add --name bench \
  --recipient "$(age-keygen -y "$work/id.txt")" --quiet
export TROVE_IDENTITY="$work/id.txt"
echo "== importing"
/usr/bin/time -f "import: %e s, %M KiB peak" "$trove" import --quiet "$work/export.xml"
"$trove" query "SELECT metric, count(*) FROM samples GROUP BY metric"
echo "== timing stats"
hyperfine --warmup 2 --runs 10 --export-markdown "$work/stats.md" \
  "$trove stats step_count" \
  "$trove stats step_count --monthly" \
  "$trove stats heart_rate" \
  "$trove stats step_count --since 2015-01-01 --until 2015-12-31"
cat "$work/stats.md"
echo "(work directory: $work)"
