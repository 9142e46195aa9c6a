#!/usr/bin/env bash
# First-load transfer size: every file the browser fetches on a first visit.
# The service worker precaches the whole build, so that is all of the dist dir.
# Prints raw and gzip -9 bytes per file and the total against the 700 KB target.
# Usage: bench/first-load.sh [--no-build] [DIST]   (DIST defaults to dist/;
# without --no-build it is built first with `trunk build --release --dist DIST`)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
dist="${1:-dist}"
[ "$build" = 0 ] || trunk build --release --dist "$dist" >/dev/null
[ -f "$dist/index.html" ] || { echo "no build in $dist" >&2; exit 1; }
TARGET=$((700 * 1000))
printf '%-48s %10s %10s\n' "file" "raw B" "gzip B"
total_raw=0 total_gz=0
while IFS= read -r f; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz))
  printf '%-48s %10d %10d\n' "${f#"$dist"/}" "$raw" "$gz"
done < <(find "$dist" -type f | LC_ALL=C sort)
printf '%-48s %10d %10d\n' "TOTAL" "$total_raw" "$total_gz"
if [ "$total_gz" -le "$TARGET" ]; then verdict="within"; else verdict="OVER"; fi
printf 'first-load gzip total: %d B (%s the %d B target)\n' "$total_gz" "$verdict" "$TARGET"
