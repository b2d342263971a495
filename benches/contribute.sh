#!/usr/bin/env bash
# Contribution benchmark: 1M samples selected, redacted, written, hashed, signed, encrypted.
#
#   benches/contribute.sh [N]        (default N = 1000000)
#
# Builds trove in release mode, makes a throwaway vault unlocked by an identity slot (so no
# scrypt run is timed), imports a deterministic synthetic Apple Health export of N heart-rate
# records through `trove import`, then times with /usr/bin/time -v:
#   1. trove contribute --dry-run   (select + redact + encode, nothing written)
#   2. trove contribute -o pkg      (select, redact, write, hash, sign, encrypt, ledger)
#   3. trove verify pkg             (the DAO's side: decrypt, check every hash and record)
# and prints wall time and peak RSS of each. Not part of `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
cargo build --release --quiet
TROVE="$PWD/target/release/trove"
work=$(mktemp -d "${TMPDIR:-/tmp}/trove-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
export TROVE_VAULT="$work/vault"
export TROVE_PASSPHRASE="bench passphrase"
"$TROVE" --quiet init >/dev/null
recipient=$("$TROVE" dao keygen -o unlock.key)
"$TROVE" key add --name bench --recipient "$recipient"
unset TROVE_PASSPHRASE
export TROVE_IDENTITY="$work/unlock.key"

python3 - "$N" > export.xml <<'PY'
import sys
n = int(sys.argv[1])
w = sys.stdout.write
w('<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n')
w(' <ExportDate value="2024-03-05 10:00:00 +0100"/>\n')
dev = ('&lt;&lt;HKDevice: 0x1&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, '
       'hardware:Watch6,2, software:10.3&gt;')
base = 1704067200  # 2024-01-01T00:00:00Z
for i in range(n):
    t = base + i * 7
    d, r = divmod(t - base, 86400)
    h, r = divmod(r, 3600)
    m, s = divmod(r, 60)
    # 2024 has 366 days; 1M records at 7 s intervals span 81 days.
    day = 1 + d
    month = 1
    for length in (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31):
        if day <= length:
            break
        day -= length
        month += 1
    stamp = f"2024-{month:02d}-{day:02d} {h:02d}:{m:02d}:{s:02d} +0000"
    w(f' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Jane\'s Apple Watch" '
      f'sourceVersion="10.3" device="{dev}" unit="count/min" creationDate="{stamp}" '
      f'startDate="{stamp}" endDate="{stamp}" value="{60 + i % 60}"/>\n')
w('</HealthData>\n')
PY
echo "export.xml: $(du -h export.xml | cut -f1), $N records"
/usr/bin/time -f "import: %e s wall, %M KiB peak RSS" "$TROVE" --quiet import export.xml
"$TROVE" --quiet dao add bench --recipient "$recipient"
rows=$("$TROVE" --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["tables"]["samples"])')
echo "samples in the vault: $rows"

measure() {
  local label=$1; shift
  /usr/bin/time -v "$@" >"$work/$label.out" 2>"$work/$label.time" || { cat "$work/$label.time"; exit 1; }
  local wall rss user sys
  wall=$(grep "Elapsed (wall clock)" "$work/$label.time" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$work/$label.time" | awk '{print $NF}')
  user=$(grep "User time" "$work/$label.time" | awk '{print $NF}')
  sys=$(grep "System time" "$work/$label.time" | awk '{print $NF}')
  printf '%-10s wall %s  cpu %ss user + %ss sys  peak RSS %d MiB  (load %s)\n' \
    "$label" "$wall" "$user" "$sys" $((rss / 1024)) "$(cut -d' ' -f1 /proc/loadavg)"
}
measure dry-run "$TROVE" --quiet contribute --dao bench --metric heart_rate --pseudonymize --time-precision minute --dry-run
measure contribute "$TROVE" --quiet contribute --dao bench --metric heart_rate --pseudonymize --time-precision minute -o pkg.trove
echo "package: $(du -h pkg.trove | cut -f1)"
measure verify "$TROVE" --quiet verify pkg.trove --identity unlock.key
verified=$("$TROVE" --json verify pkg.trove --identity unlock.key)
grep '"records": '"$rows" <<<"$verified" >/dev/null || { echo "verify did not report $rows records"; exit 1; }
echo "cores: $(nproc), $(uname -m), trove $("$TROVE" --version)"
