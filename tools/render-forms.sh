#!/usr/bin/env bash
# Renders the declaration of every procedure from its sample answers
# (data/samples/<procedure>.json) with the `hoso` CLI and writes the first
# page as docs/forms/<procedure>.png (pdftoppm, 60 dpi), so reviewers see
# each form's layout. Same date and place every time: reruns give the same
# picture unless the layout changed.
# Usage: tools/render-forms.sh [OUT_DIR]   (HOSO_CLI=path/to/hoso to skip the build)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out="${1:-docs/forms}"
cli="${HOSO_CLI:-}"
if [ -z "$cli" ]; then
  cargo build -q -p hoso-cli
  cli=target/debug/hoso
fi
command -v pdftoppm >/dev/null || { echo "pdftoppm missing: apt-get install poppler-utils" >&2; exit 1; }
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for sample in data/samples/*.json; do
  id=$(basename "$sample" .json)
  "$cli" form --procedure "$id" --data "$sample" --place "Hòa Bình" --date 2026-11-22 -o "$tmp/$id.pdf"
  pdftoppm -r 60 -png -singlefile "$tmp/$id.pdf" "$out/$id"
  printf '%-32s %s.png (%d B)\n' "$id" "$out/$id" "$(stat -c %s "$out/$id.png")"
done
