#!/usr/bin/env bash
# Installs what bench/scan-corpus.sh compares against, idempotently (Debian
# packages): tesseract with Vietnamese, img2pdf, ocrmypdf, ImageMagick,
# poppler. Only for the benchmark, never for `dev test`.
set -euo pipefail
need=()
command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie || need+=(tesseract-ocr tesseract-ocr-vie)
command -v img2pdf >/dev/null || need+=(img2pdf)
command -v ocrmypdf >/dev/null || need+=(ocrmypdf)
# ocrmypdf -O2/-O3 need pngquant.
command -v pngquant >/dev/null || need+=(pngquant)
# /usr/local/bin/convert may be a stand-in: ask for Debian's ImageMagick by path.
[ -x /usr/bin/convert-im6.q16 ] || [ -x /usr/bin/magick ] || need+=(imagemagick)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
