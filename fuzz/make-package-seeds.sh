#!/usr/bin/env bash
# Regenerates fuzz/seeds/packages/*.zip: real contribution packages, written by
# `trove contribute` from the Apple Health test fixture and decrypted to the plaintext zip that
# `trove verify` reads after age. The verify targets mutate these (verify_tamper embeds them).
# Not run by CI (the committed zips are the seeds); needs the `age` CLI and builds trove.
#
# Usage: fuzz/make-package-seeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --bin trove
bin=$PWD/target/debug/trove
out=$PWD/fuzz/seeds/packages
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$out"
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.data
export TROVE_VAULT=$work/vault TROVE_PASSPHRASE_FILE=$work/passphrase TZ=UTC
printf 'fuzz seed passphrase, not a secret\n' >"$work/passphrase"
chmod 600 "$work/passphrase"
"$bin" init >/dev/null 2>&1
"$bin" import tests/fixtures/apple_health/apple_health_export >/dev/null 2>&1 || true
age-keygen -o "$work/dao.key" 2>/dev/null
"$bin" dao add fuzzdao --recipient "$(age-keygen -y "$work/dao.key")" >/dev/null

seed() { # name, then contribute flags
  local name=$1
  shift
  "$bin" contribute --dao fuzzdao -o "$work/$name.trove" "$@" >/dev/null
  age -d -i "$work/dao.key" -o "$out/$name.zip" "$work/$name.trove"
  "$bin" verify --identity "$work/dao.key" "$work/$name.trove" >/dev/null
  echo "fuzz/seeds/packages/$name.zip: $(wc -c <"$out/$name.zip") bytes"
}
# Samples and events with their workout routes (track points), JSON Lines.
seed jsonl --metric heart_rate,step_count,sleep_stage --kind workout --include location
# The same rows as CSV, text dropped and identifiers omitted.
seed csv --format csv --metric heart_rate,step_count --kind workout --include location --redact identifiers
# Samples only, location omitted.
seed samples --metric heart_rate,step_count
