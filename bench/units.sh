#!/usr/bin/env bash
# Address units: size of the data files the app precaches (dist/units/) and
# native timings of parsing, search and old-address conversion.
# Usage: bench/units.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
printf '%-24s %10s %10s\n' "file" "raw B" "gzip B"
total=0
for f in data/units/new.txt data/units/old.txt; do
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c); total=$((total + gz))
  printf '%-24s %10d %10d\n' "$f" "$raw" "$gz"
done
printf '%-24s %10s %10d\n' "TOTAL (first load)" "" "$total"
echo
cargo run -q --release -p hoso-units --features embedded --example bench
