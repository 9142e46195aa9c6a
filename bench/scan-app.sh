#!/usr/bin/env bash
# The app's time per page, as the clerk waits for it: the corpus photos of
# bench/scan-corpus.sh (12 MP, EXIF-rotated JPEGs) dropped one at a time on
# a paper of the khai-sinh dossier in the built app, headless Chromium,
# served by `hoso serve`. Per profile: the worker's ms per page (what the
# page list logs) and where it went — bitmap (createImageBitmap), pixels
# (the decoder's pixels copied out), rgb (turned upright into wasm),
# sheet_found (corner search + flattening), encoded (profile + thumbnail),
# pack (the page's container posted back) — and the wall time from the
# drop to the thumbnail; then the page's own steps (waited, read, turn,
# worker round trip, stored, made, listed), the time from the file input's
# change to the thumbnail's load in the page, the first page of each fresh
# worker and the warm-up's steps (the first drop waits for the warm-up the
# app starts when the papers appear; WARM=0 drops at once).
# Target (issue #5): ≤ 400 ms per page in wasm.
# Printed, never asserted; depends on the machine and its load.
# Usage: bench/scan-app.sh [CORPUS_DIR with photo/*.jpg]; PAGES=4 REPS=2
# PROFILES=auto,text,color,mixed; HOSO_DIST=<built app> skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
PAGES=${PAGES:-4}
corpus=${1:-target/bench-scan-wasm/corpus}
if ! ls "$corpus"/photo/*.jpg >/dev/null 2>&1; then
  # bench/scan-wasm.sh makes the corpus (rendering + photographing) when missing.
  echo "no photos in $corpus/photo: run bench/scan-wasm.sh (or bench/scan-corpus.sh) first" >&2
  exit 1
fi
if [ -z "${HOSO_DIST:-}" ]; then
  trunk build --release --dist target/bench-scan-app/dist >/dev/null
  export HOSO_DIST=$PWD/target/bench-scan-app/dist
fi
cargo build -q -p hoso-cli
export HOSO_CLI=$PWD/target/debug/hoso
photos=$(ls "$corpus"/photo/*.jpg | head -n "$PAGES")
echo "The app's worker per 12 MP photo ($(echo "$photos" | wc -l) corpus photos × ${REPS:-2}; the first page of each fresh worker apart);"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) before."
echo
# shellcheck disable=SC2086
node bench/scan-app.mjs $photos
echo
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after."
