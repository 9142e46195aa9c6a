#!/usr/bin/env bash
# Memory while scanning many pages (issue #5: "memory bounded for 50-page
# batches"). Native: peak RSS (/usr/bin/time -v) of `hoso scan` on 1, 10
# and 50 twelve-megapixel photos and on one 50-page scanner PDF, and of
# `hoso scan-batch --jobs 1|2` on 50 photos. App (headless Chromium, the
# release build): 50 photos dropped into one paper one by one, then as one
# multi-select (and the 50-page PDF); after 1, 10, 25 and 50 pages, the page worker's wasm memory
# (every answer of the worker carries it), the page's wasm memory and its JS
# heap (CDP Performance.getMetrics). Bounded means: flat from 10 to 50
# pages but for the pages themselves (tens of KB each).
# Photos: the corpus photos of bench/scan-corpus.sh (made as
# bench/scan-wasm.sh makes them), cycled to 50 with a JPEG comment each so
# that every file differs. Printed, never asserted.
# `hoso scan` makes a page per core at once (default --jobs), so it holds
# that many pages; `--jobs 1` rows show one page at a time.
# Usage: bench/scan-memory.sh [CORPUS_DIR with photo/*.jpg]; APP=0 skips the app;
# HOSO_DIST=dir uses that build of the app instead of building one;
# HOSO=path/to/hoso measures that binary instead of this tree's release build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
out=target/bench-scan-memory
mkdir -p "$out/photos" "$out/pdf"

corpus=${1:-target/bench-scan-wasm/corpus}
if ! ls "$corpus"/photo/*.jpg >/dev/null 2>&1; then
  # bench/scan-wasm.sh makes the corpus photos (and times the pipeline).
  PAGES=4 REPS=1 bash bench/scan-wasm.sh >/dev/null
  corpus=target/bench-scan-wasm/corpus
fi
# 50 distinct photos: a comment segment (COM) after the JPEG's SOI.
python3 - "$out/photos" "$corpus"/photo/*.jpg <<'PY'
import sys, pathlib
out, sources = pathlib.Path(sys.argv[1]), [pathlib.Path(p).read_bytes() for p in sys.argv[2:]]
for i in range(50):
    jpeg = sources[i % len(sources)]
    note = f"hoso memory bench {i}".encode()
    com = b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note
    (out / f"p-{i + 1:02}.jpg").write_bytes(jpeg[:2] + com + jpeg[2:])
PY
photos=$(ls "$out"/photos/p-*.jpg)

if [ -n "${HOSO:-}" ]; then
  hoso=$(realpath "$HOSO")
else
  cargo build --quiet --release -p hoso-cli
  hoso=target/release/hoso
fi

# Peak RSS in MB of a command, its output discarded.
peak() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }'
}
load_before=$(cut -d' ' -f1 /proc/loadavg)
declare -A native
for n in 1 10 50; do
  # shellcheck disable=SC2086
  native[scan $n]=$(peak $hoso scan $(echo "$photos" | head -n "$n") -o "$out/scan-$n.pdf")
done
# shellcheck disable=SC2086
native[scan 50 jobs 1]=$(peak $hoso scan $photos -o "$out/scan-50-1.pdf" --jobs 1)
if command -v img2pdf >/dev/null; then
  # One 50-page scanner PDF (the JPEGs as they are, no re-encoding).
  # shellcheck disable=SC2086
  img2pdf $photos -o "$out/fifty-pages.pdf"
  native[pdf]=$(peak $hoso scan "$out/fifty-pages.pdf" -o "$out/scan-pdf.pdf")
  native[pdf jobs 1]=$(peak $hoso scan "$out/fifty-pages.pdf" -o "$out/scan-pdf-1.pdf" --jobs 1)
else
  native[pdf]="(no img2pdf)"
  native[pdf jobs 1]="(no img2pdf)"
fi
# Every photo its own document; then one document of 50 pages.
mkdir -p "$out/batch/one-folder"
cp "$out"/photos/p-*.jpg "$out/batch/"
cp "$out"/photos/p-*.jpg "$out/batch/one-folder/"
for jobs in 1 2; do
  rm -rf "$out/batch-out"
  native[batch $jobs]=$(peak $hoso scan-batch "$out/batch" -o "$out/batch-out" --jobs "$jobs")
done
load_after=$(cut -d' ' -f1 /proc/loadavg)

echo "Memory while scanning 12 MP photos (4000 × 3000, profile auto, 200 dpi); $(nproc) cores,"
echo "load average $load_before before, $load_after after the native runs; $(date -u +%Y-%m-%d)."
echo
echo "| native (release build) | peak RSS, MB |"
echo "|---|---:|"
for n in 1 10 50; do echo "| hoso scan, $n photo(s) → one PDF | ${native[scan $n]} |"; done
echo "| hoso scan --jobs 1, 50 photos → one PDF | ${native[scan 50 jobs 1]} |"
echo "| hoso scan, one 50-page scanner PDF | ${native[pdf]} |"
echo "| hoso scan --jobs 1, one 50-page scanner PDF | ${native[pdf jobs 1]} |"
for jobs in 1 2; do echo "| hoso scan-batch --jobs $jobs, 50 photos + a folder of 50 (51 PDFs) | ${native[batch $jobs]} |"; done

[ "${APP:-1}" = 0 ] && exit 0

dist=${HOSO_DIST:-}
if [ -z "$dist" ]; then
  dist=/tmp/dist-bench-scan-memory
  trunk build --release --dist "$dist" >/dev/null 2>&1
fi
cargo build --quiet -p hoso-cli
echo
(cd tests/e2e && HOSO_DIST="$dist" HOSO_CLI="$root/target/debug/hoso" node "$root/bench/scan-memory.mjs" "$root/$out/photos" \
  $( [ -f "$root/$out/fifty-pages.pdf" ] && echo "$root/$out/fifty-pages.pdf" ))
