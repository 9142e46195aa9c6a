#!/usr/bin/env bash
# Native `hoso scan` per 12 MP corpus photo (issue #5: "≤ 150 ms natively"),
# two figures that must not be confused:
#   latency    — one photo alone: read + decode + pipeline + PDF, wall ms
#                (median of REPS runs of `hoso scan` on one photo);
#   throughput — wall ms per page of one `hoso scan` run over 10 photos
#                (median of REPS runs), with a page per core made at once
#                (the default `--jobs`, all cores); the same with
#                `--jobs 1` (one page at a time) and pinned to one core
#                (`taskset -c 0`) show what the parallel pages and the
#                second core buy.
# Per profile. Photos: the corpus of bench/scan-wasm.sh (made if missing).
# The machine's load average is printed: compare on a quiet machine.
# Usage: bench/scan-native.sh [CORPUS_DIR with photo/*.jpg]; REPS=n (default 5);
# HOSO=path/to/hoso times that binary instead of building this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
reps=${REPS:-5}
corpus=${1:-target/bench-scan-wasm/corpus}
if ! ls "$corpus"/photo/*.jpg >/dev/null 2>&1; then
  PAGES=4 REPS=1 bash bench/scan-wasm.sh >/dev/null
  corpus=target/bench-scan-wasm/corpus
fi
if [ -n "${HOSO:-}" ]; then
  hoso=$(realpath "$HOSO")
else
  cargo build --quiet --release -p hoso-cli
  hoso=$PWD/target/release/hoso
fi
# An older `hoso` has no --jobs (it decoded the next page on the second core).
has_jobs=0
"$hoso" scan --help | grep -q -- --jobs && has_jobs=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mapfile -t photos < <(ls "$corpus"/photo/*.jpg)
# Ten photos: the corpus cycled.
ten=()
for i in $(seq 0 9); do ten+=("${photos[$((i % ${#photos[@]}))]}"); done
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)

# Wall ms of a command (its output discarded).
wall() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| 12 MP corpus photo, native release | text | color | mixed | auto |"
echo "|---|---:|---:|---:|---:|"
# Median wall ms per page of REPS runs over the ten photos.
per_page() {
  for r in $(seq 1 "$reps"); do wall "$@" "${ten[@]}" -o "$out/ten.pdf"; done | median | awk '{ printf "%d", $1 / 10 }'
}
lat=() thr=() seq1=() one=()
for profile in text color mixed auto; do
  runs=$(for r in $(seq 1 "$reps"); do
    wall "$hoso" scan "${photos[$(((r - 1) % ${#photos[@]}))]}" -o "$out/one.pdf" --profile "$profile"
  done | median)
  lat+=("$runs")
  thr+=("$(per_page "$hoso" scan --profile "$profile")")
  if [ "$has_jobs" = 1 ]; then
    seq1+=("$(per_page "$hoso" scan --profile "$profile" --jobs 1)")
  else
    seq1+=("–")
  fi
  if [ ${#pin[@]} -gt 0 ]; then
    one+=("$(per_page "${pin[@]}" "$hoso" scan --profile "$profile")")
  else
    one+=("–")
  fi
done
echo "| latency: one photo, wall ms (median of $reps) | ${lat[0]} | ${lat[1]} | ${lat[2]} | ${lat[3]} |"
echo "| throughput: 10 photos, wall ms/page, $(nproc) cores, default --jobs (median of $reps) | ${thr[0]} | ${thr[1]} | ${thr[2]} | ${thr[3]} |"
echo "| throughput: 10 photos, wall ms/page, $(nproc) cores, --jobs 1 (median of $reps) | ${seq1[0]} | ${seq1[1]} | ${seq1[2]} | ${seq1[3]} |"
echo "| throughput: 10 photos, wall ms/page, 1 core (taskset; median of $reps) | ${one[0]} | ${one[1]} | ${one[2]} | ${one[3]} |"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
