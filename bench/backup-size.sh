#!/usr/bin/env bash
# What a backup of a dossier weighs now that it carries the originals its
# pages were made from (to make them again on another PC): the corpus
# photos of bench/scan-corpus.sh (12 MP JPEGs) dropped on one paper, the
# dossier exported. Printed, never asserted.
# Usage: bench/backup-size.sh [CORPUS_DIR with photo/*.jpg]; PAGES=4;
# HOSO_DIST=<built app> skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
PAGES=${PAGES:-4}
corpus=${1:-target/bench-scan-wasm/corpus}
if ! ls "$corpus"/photo/*.jpg >/dev/null 2>&1; then
  echo "no photos in $corpus/photo: run bench/scan-wasm.sh (or bench/scan-corpus.sh) first" >&2
  exit 1
fi
if [ -z "${HOSO_DIST:-}" ]; then
  trunk build --release --dist target/bench-backup-size/dist >/dev/null
  export HOSO_DIST=$PWD/target/bench-backup-size/dist
fi
cargo build -q -p hoso-cli
export HOSO_CLI=$PWD/target/debug/hoso
echo "Backup of a dossier of $PAGES corpus photos; load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo
# shellcheck disable=SC2086
node bench/backup-size.mjs $(ls "$corpus"/photo/*.jpg | head -n "$PAGES")
