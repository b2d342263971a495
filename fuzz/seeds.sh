#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets into DIR (default target/fuzz/seeds), one
# directory per target, deterministically, from:
#   * the project's test fixtures (tests/fixtures) and, when present, the real export samples
#     in ../shared/fixtures, each prefixed with the decoder targets' header
#     (`<capacity> <flags> <member path>\n`, see fuzz/src/lib.rs), so a fixture is read by the
#     rule whose globs match its path, as `trove import` would read it;
#   * zips of the fixture exports and hand-made hostile zips (zip slip, symlink, overlapping
#     entries, a deflate bomb, a lying size) for the container walk;
#   * the committed seeds in fuzz/seeds/ (real signed packages, a DAO request).
# Same inputs, same bytes: zip entries get a fixed time and order.
#
# Usage: fuzz/seeds.sh [DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:-$root/target/fuzz/seeds}
shared=$root/../shared/fixtures
rm -rf "$out"
mkdir -p "$out"

# seed TARGET FILE MEMBER: FILE with the decoder header for MEMBER.
seed() {
  local dir=$out/$1 name
  mkdir -p "$dir"
  name=$(printf '%s' "$3" | sha1sum | cut -c1-16)
  { printf '\007\000%s\n' "$3"; cat "$2"; } >"$dir/$name"
}

# fixtures FIND-ARGS...: "path<TAB>member" of matching fixture files, sorted. The member is the
# path below tests/fixtures/<source>/ (or shared/fixtures/<source>/), as in an export.
fixtures() {
  {
    (cd "$root/tests/fixtures" && find . -type f "$@" -size -2M | sed "s|^\./||" |
      while read -r p; do printf '%s\t%s\n' "$root/tests/fixtures/$p" "${p#*/}"; done)
    if [ -d "$shared" ]; then
      (cd "$shared" && find . -type f "$@" -size -2M | sed "s|^\./||" |
        while read -r p; do printf '%s\t%s\n' "$shared/$p" "${p#*/}"; done)
    fi
  } | LC_ALL=C sort
}

each() { # TARGET FIND-ARGS...
  local target=$1
  shift
  while IFS=$'\t' read -r path member; do
    seed "$target" "$path" "$member"
  done < <(fixtures "$@")
}

each csv \( -name '*.csv' -o -name '*.CSV' \)
each json \( -name '*.json' -o -name '*.ndjson' \)
each js_assignment -name '*.js'
each xml \( -name '*.xml' -o -name '*.gpx' \)
each apple_health \( -path '*apple_health*' -a \( -name '*.xml' -o -name '*.gpx' -o -name '*.csv' \) \)
each decoders \( -name '*.json' -o -name '*.ndjson' -o -name '*.csv' -o -name '*.js' -o -name '*.xml' -o -name '*.txt' \) -not -name 'README*'

# jsonstream: the JSON fixtures whole (mode 0: top-level stream; 1: stream `entry`).
mkdir -p "$out/jsonstream"
while IFS=$'\t' read -r path member; do
  name=$(printf '%s' "$member" | sha1sum | cut -c1-16)
  mode=0
  case $member in *fhir* | *bundle* | *Bundle*) mode=1 ;; esac
  { printf "\\00$mode\\007"; cat "$path"; } >"$out/jsonstream/$name"
done < <(fixtures \( -name '*.json' -o -name '*.js' \))

# The container walk: each fixture export zipped, and hostile zips.
python3 - "$root/tests/fixtures" "$out/zip_container" <<'EOF'
import os, struct, sys, zipfile, zlib

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
T = (2024, 3, 10, 12, 0, 0)

def write(name, entries, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(os.path.join(out, name), "w") as z:
        for member, data in entries:
            info = zipfile.ZipInfo(member, T)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            z.writestr(info, data)

# Each fixture export directory (tests/fixtures/<source>/<export>/), small ones only.
for source in sorted(os.listdir(src)):
    base = os.path.join(src, source)
    if not os.path.isdir(base):
        continue
    for export in sorted(os.listdir(base)):
        top = os.path.join(base, export)
        files = []
        for d, dirs, names in os.walk(top):
            dirs.sort()
            for n in sorted(names):
                p = os.path.join(d, n)
                files.append((os.path.relpath(p, base), open(p, "rb").read()))
        if files and sum(len(b) for _, b in files) < 256 * 1024:
            write(f"{source}-{export}.zip", files)

write("slip.zip", [("../evil.txt", b"x"), ("/etc/passwd", b"x"), ("a/../../b", b"x"),
                   ("C:/windows", b"x"), ("ok/file.json", b"{}")])
write("stored.zip", [("data/account.js", b'window.YTD.account.part0 = [{"account":{"username":"a"}}]'),
                     ("user.json", b'{"email":"a@b.c","id":"u1"}')], zipfile.ZIP_STORED)

# A symbolic link entry.
with zipfile.ZipFile(os.path.join(out, "symlink.zip"), "w") as z:
    info = zipfile.ZipInfo("link", T)
    info.create_system = 3
    info.external_attr = (0o120777 << 16)
    z.writestr(info, "/etc/passwd")
    z.writestr(zipfile.ZipInfo("export.xml", T), "<HealthData/>")

# A deflate bomb: 8 MiB of zeros.
write("bomb.zip", [("export.xml", b"\0" * (8 << 20))])

# A member whose header declares fewer bytes than it inflates to.
data = b"A" * 5000
comp = zlib.compressobj(9, zlib.DEFLATED, -15)
raw = comp.compress(data) + comp.flush()
crc = zlib.crc32(data)
name = b"lying.csv"
local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x5821, crc, len(raw), 10, len(name), 0) + name
central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x5821, crc, len(raw), 10,
                      len(name), 0, 0, 0, 0, 0o644 << 16, 0) + name
end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(raw), 0)
open(os.path.join(out, "lying.zip"), "wb").write(local + raw + central + end)

# Two central-directory entries pointing at the same data (overlapping entries).
c2 = central.replace(name, b"again.csv")
end2 = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 2, 2, len(central) + len(c2), len(local) + len(raw), 0)
open(os.path.join(out, "overlap.zip"), "wb").write(local + raw + central + c2 + end2)
EOF

# Contribution packages (decrypted zips written by `trove contribute`) and tamper edits.
mkdir -p "$out/verify_package" "$out/verify_tamper" "$out/dao_request"
cp "$here"/seeds/packages/*.zip "$out/verify_package/"
for p in 0 1 2; do
  for m in 0 1 3 5 7 9 11; do
    printf "\\00$p\\0$(printf '%o' $m)\\000\\000\\100\\001" >"$out/verify_tamper/p$p-m$m"
  done
done
cp "$root"/examples/*request*.json "$out/dao_request/" 2>/dev/null || true
cp "$here"/seeds/dao_request/* "$out/dao_request/" 2>/dev/null || true

for d in "$out"/*/; do
  printf '%-16s %5d seeds\n' "$(basename "$d")" "$(find "$d" -type f | wc -l)"
done
