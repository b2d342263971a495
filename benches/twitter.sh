#!/usr/bin/env bash
# Social importer benchmark: trove against twitter-to-sqlite (PyPI) on the same synthetic X
# archive. Not part of `cargo test`; results go in docs/BENCHMARKS.md ("Social importers").
#
#   benches/twitter.sh                       # 10 000 and 100 000 tweets
#   SIZES="100000 300000" benches/twitter.sh
#   PEER=no SIZES="300000" benches/twitter.sh   # trove only (memory at a larger size)
#
# For each size it generates a deterministic archive (benches/gen_twitter.rs: data/account.js,
# data/tweet.js, data/like.js with tweets/10 likes), imports it into a fresh vault with the
# release build of trove and into a fresh SQLite file with twitter-to-sqlite, checks that both
# count the same tweets, and prints wall time, CPU time (user + system), records/s (tweets and
# likes over wall time) and peak RSS (/usr/bin/time -v). On a busy machine wall time depends on
# what else runs; CPU time much less so.
#
# Needs: cargo, python3 (venv), age-keygen (Debian package `age`), jq, sqlite3, /usr/bin/time.
# Everything it writes stays under target/bench-twitter/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/target/bench-twitter"
sizes=${SIZES:-"10000 100000"}
peer=${PEER:-yes}
t2s_version=${T2S_VERSION:-0.22}
mkdir -p "$work"

for tool in python3 age-keygen jq sqlite3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "benches/twitter.sh needs $tool" >&2; exit 1; }
done

echo "== building trove and the generator (release)" >&2
cargo build --release --quiet --bin trove --example gen-twitter
trove="$root/target/release/trove"
gen="$root/target/release/examples/gen-twitter"

venv="$work/venv"
if [ ! -x "$venv/bin/twitter-to-sqlite" ]; then
  echo "== installing twitter-to-sqlite $t2s_version into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "twitter-to-sqlite==$t2s_version"
fi

# "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34" → seconds.
wall_s() {
  grep 'Elapsed (wall clock)' "$1" | awk '{print $NF}' |
    awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'
}
cpu_s() {
  awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"
}
rss_mib() {
  grep 'Maximum resident set size' "$1" | awk '{printf "%.1f", $NF / 1024}'
}

printf '| tweets | tool | wall s | CPU s | records/s | peak RSS MiB | tweets imported |\n'
printf '|---:|---|---:|---:|---:|---:|---:|\n'
row() { # tool, time file, tweets imported
  local w
  w=$(wall_s "$2")
  printf '| %s | %s | %.2f | %s | %.0f | %s | %s |\n' "$n" "$1" "$w" "$(cpu_s "$2")" \
    "$(awk -v r="$records" -v w="$w" 'BEGIN { print r / w }')" "$(rss_mib "$2")" "$3"
}

for n in $sizes; do
  archive="$work/archive-$n"
  if [ ! -f "$archive/data/tweet.js" ]; then
    "$gen" "$archive" "$n" 2>/dev/null
  fi
  records=$((n + n / 10))

  # trove: a fresh vault with an x25519 key slot, so unlocking costs no scrypt run.
  vault="$work/vault-$n"
  rm -rf "$vault" "$work/identity-$n.txt"
  printf 'benchmark passphrase, not a secret\n' >"$work/passphrase"
  chmod 600 "$work/passphrase"
  age-keygen -o "$work/identity-$n.txt" 2>/dev/null
  recipient=$(age-keygen -y "$work/identity-$n.txt")
  TROVE_VAULT="$vault" TROVE_PASSPHRASE_FILE="$work/passphrase" "$trove" -q init >/dev/null
  TROVE_VAULT="$vault" TROVE_PASSPHRASE_FILE="$work/passphrase" \
    "$trove" -q key add --name bench --recipient "$recipient" >/dev/null
  TROVE_VAULT="$vault" TROVE_IDENTITY="$work/identity-$n.txt" \
    /usr/bin/time -v -o "$work/time-trove-$n.txt" \
    "$trove" --json import "$archive" >"$work/report-$n.json"
  trove_tweets=$(jq '[.files[] | select(.member == "data/tweet.js") | .per_kind
      | to_entries[] | select(.key | test("^event:(post|reply|repost)$")) | .value.added] | add' \
    "$work/report-$n.json")
  row trove "$work/time-trove-$n.txt" "$trove_tweets"
  if [ "$trove_tweets" != "$n" ]; then
    echo "trove imported $trove_tweets tweets of $n" >&2
    exit 1
  fi
  [ "$peer" = yes ] || continue

  # twitter-to-sqlite reads a folder of .js files (in a zip it would look for "data/tweet").
  db="$work/t2s-$n.db"
  rm -f "$db"
  /usr/bin/time -v -o "$work/time-t2s-$n.txt" \
    "$venv/bin/twitter-to-sqlite" import "$db" "$archive/data" >/dev/null
  t2s_tweets=$(sqlite3 "$db" 'SELECT count(*) FROM archive_tweet')
  row "twitter-to-sqlite $t2s_version" "$work/time-t2s-$n.txt" "$t2s_tweets"
  if [ "$trove_tweets" != "$t2s_tweets" ]; then
    echo "tweet counts differ: trove $trove_tweets, twitter-to-sqlite $t2s_tweets" >&2
    exit 1
  fi
done
