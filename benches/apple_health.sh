#!/usr/bin/env bash
# Apple Health import benchmark: trove vs healthkit-to-sqlite on the same generated exports,
# on the same filesystem, in one run. Not part of `cargo test` (it takes minutes).
#
#   benches/apple_health.sh                 # 100k, 1M and 3M records
#   benches/apple_health.sh 1000000         # one size
#   PEER_MAX=3000000 benches/apple_health.sh   # also run the peer on 3M (slow)
#   RUNS=5 benches/apple_health.sh          # trove imports each size 5 times (default 3)
#
# Prints a markdown table: wall time, records/s, peak RSS, and trove's speed-up over the
# peer; plus trove's re-import of the same file. trove's figures are the median wall and CPU
# time and the largest peak RSS of RUNS imports, each into a fresh vault (the machine's noise
# is larger than the differences we care about; the peer, at 20× the time, runs once).
# Exports are generated once into target/bench/ by benches/gen_apple_health.rs (deterministic).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 3000000)
peer_max=${PEER_MAX:-1000000}
bench=target/bench
mkdir -p "$bench"

cargo build --release --quiet --bin trove --example gen-apple-health
trove=target/release/trove
gen=target/release/examples/gen-apple-health

venv="$bench/venv"
if [ ! -x "$venv/bin/healthkit-to-sqlite" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check healthkit-to-sqlite==1.0.1
fi

# wall seconds, peak RSS (KiB) and CPU seconds (user + system) of a command, via GNU time.
# On a shared machine wall time depends on the neighbours; CPU time much less so.
measure() {
  local out
  out=$( { /usr/bin/time -f "__TIME__ %e %M %U %S" "$@" >/dev/null 2>"$bench/stderr.log"; } 2>&1 ) || true
  grep -h "__TIME__" "$bench/stderr.log" | tail -1 | awk '{printf "%s %s %.2f\n", $2, $3, $4 + $5}'
}

runs=${RUNS:-3}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
max() { printf '%s\n' "$@" | sort -g | tail -1; }
declare -A rss_of

echo "| records | export.xml | tool | wall s | CPU s | records/s | peak RSS MiB | trove speed-up |"
echo "|---:|---:|---|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  zip="$bench/ah-$n.zip"
  [ -f "$zip" ] || "$gen" --records "$n" --out "$zip" 2>"$bench/gen-$n.log"
  xml_mb=$(python3 -c "import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(f'{sum(i.file_size for i in z.infolist() if i.filename.endswith(\"export.xml\")) / 1e6:.1f}')" "$zip")

  # A fresh vault unlocked by an x25519 identity (what a script uses; no scrypt in the timing).
  fresh_vault() {
    vault="$bench/vault-$n"
    rm -rf "$vault" "$bench/id.txt"
    unset TROVE_IDENTITY
    TROVE_VAULT="$vault" TROVE_PASSPHRASE=bench "$trove" -q init >/dev/null
    if command -v age-keygen >/dev/null; then
      age-keygen -o "$bench/id.txt" 2>/dev/null
      rcpt=$(age-keygen -y "$bench/id.txt")
      TROVE_VAULT="$vault" TROVE_PASSPHRASE=bench "$trove" -q key add --name bench --recipient "$rcpt"
      export TROVE_IDENTITY="$bench/id.txt"
      unset TROVE_PASSPHRASE
    else
      # Without age-keygen the timing includes one scrypt unlock (about 1 s).
      export TROVE_PASSPHRASE=bench
    fi
    export TROVE_VAULT="$vault"
  }
  walls=(); cpus=(); rsss=()
  for _ in $(seq "$runs"); do
    fresh_vault
    sync
    read -r w r c < <(measure "$trove" -q import "$zip")
    walls+=("$w"); rsss+=("$r"); cpus+=("$c")
  done
  t_wall=$(median "${walls[@]}"); t_cpu=$(median "${cpus[@]}"); t_rss=$(max "${rsss[@]}")
  echo "$n: trove wall s ${walls[*]}; peak RSS KiB ${rsss[*]}" >&2
  rss_of[$n]=$t_rss
  added=$("$trove" --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["tables"]["samples"])')
  read -r r_wall r_rss r_cpu < <(measure "$trove" -q import "$zip")
  unset TROVE_VAULT TROVE_IDENTITY TROVE_PASSPHRASE

  if [ "$n" -le "$peer_max" ]; then
    db="$bench/peer-$n.db"
    rm -f "$db"
    read -r p_wall p_rss p_cpu < <(measure "$venv/bin/healthkit-to-sqlite" "$zip" "$db")
    speedup=$(python3 -c "print(f'{$p_wall/$t_wall:.1f}×')")
  else
    p_wall=""; p_rss=""; p_cpu=""; speedup="(peer not run)"
  fi
  rate() { python3 -c "print(f'{$n/$1:,.0f}')"; }
  mib() { python3 -c "print(f'{$1/1024:.1f}')"; }
  echo "| $n | $xml_mb MB | trove import | $t_wall | $t_cpu | $(rate "$t_wall") | $(mib "$t_rss") | $speedup |"
  echo "| $n | | trove re-import (0 added) | $r_wall | $r_cpu | | $(mib "$r_rss") | |"
  if [ -n "$p_wall" ]; then
    echo "| $n | | healthkit-to-sqlite 1.0.1 | $p_wall | $p_cpu | $(rate "$p_wall") | $(mib "$p_rss") | |"
  fi
  echo "$n: trove stored $added samples" >&2
done
if [ -n "${rss_of[100000]:-}" ] && [ -n "${rss_of[3000000]:-}" ]; then
  python3 -c "print(f'peak RSS, 3M over 100k: {${rss_of[3000000]}/${rss_of[100000]}:.2f}×')"
fi
