#!/usr/bin/env bash
# Scan pipeline benchmark on a corpus made here: A4 Vietnamese text pages
# rendered from bench/scan-text-vi.txt (every other page with a red seal
# and a blue signature), captured as flatbed-like scans and as 12-megapixel
# phone photos (perspective, a table behind, uneven light, blur, noise,
# EXIF rotation), see crates/hoso-image/examples/scan_corpus.rs.
#
# Per condition and method it prints median KB/page, ms/page, the
# character error rate of `tesseract -l vie` against the known text (next
# to the clean rendered page's), and for sealed pages how much of the red
# survives. Anchors in the same run: the raw photo wrapped by img2pdf,
# `ocrmypdf -O1` and `-O3` on that, ImageMagick adaptive threshold + G4.
# Printed, never asserted. PAGES=6 by default; JOBS=2 OCR runs at once.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
PAGES=${PAGES:-6}
JOBS=${JOBS:-2}
bash bench/scan-tools.sh
python3 -c 'import rapidfuzz' 2>/dev/null || pip3 install -q rapidfuzz 2>/dev/null
IM=/usr/bin/convert-im6.q16
[ -x "$IM" ] || IM=/usr/bin/magick
out=${SCAN_BENCH_DIR:-$(mktemp -d)}
[ -n "${SCAN_BENCH_DIR:-}" ] || trap 'rm -rf "$out"' EXIT
mkdir -p "$out"/{clean,truth,pdf,ocr}
cargo build -q --release -p hoso-cli
cargo build -q --release -p hoso-image --example scan_corpus
hoso=$root/target/release/hoso

echo "rendering $PAGES pages…" >&2
python3 - "$out" "$PAGES" "$IM" "$root/static/fonts/Tinos-Regular.ttf" <<'PY'
import subprocess, sys, unicodedata
out, pages, im, font = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
paras = [unicodedata.normalize("NFC", p) for p in open("bench/scan-text-vi.txt", encoding="utf-8").read().strip().split("\n")]
for i in range(pages):
    chosen = [paras[(i + k) % len(paras)] for k in range(10)]
    open(f"{out}/truth/page-{i:02}.txt", "w", encoding="utf-8").write("\n".join(chosen))
    # Caption per paragraph (Debian's ImageMagick policy refuses very wide
    # single-line measurements), stacked with paragraph spacing.
    text = []
    for p in chosen:
        text += ["(", "-size", "1390x", "-background", "none", "-fill", "#1C1C20", "-font", font, "-pointsize", "33", "caption:" + p, ")",
                 "(", "-size", "1390x20", "xc:none", ")"]
    cmd = [im, "-size", "1654x2339", "xc:#F6F4EE", "(", "-background", "none"] + text + ["-append", "+repage", ")",
           "-geometry", "+132+170", "-composite"]
    if i % 2 == 1:
        # Seal (con dấu) and signature in ink that multiplies over the text.
        cmd += ["(", "-size", "1654x2339", "xc:white", "-fill", "none", "-stroke", "#CD232D", "-strokewidth", "9",
                "-draw", "circle 1150,1930 1150,1785", "-strokewidth", "5", "-draw", "circle 1150,1930 1150,1820",
                "-fill", "#CD232D", "-stroke", "none",
                "-draw", "polygon 1150,1870 1165,1915 1212,1915 1174,1942 1188,1987 1150,1960 1112,1987 1126,1942 1088,1915 1135,1915",
                "-fill", "none", "-stroke", "#1E37AF", "-strokewidth", "5",
                "-draw", "bezier 980,1980 1060,1880 1100,2080 1180,1960 1240,1880 1300,2040 1380,1950",
                ")", "-compose", "Multiply", "-composite"]
    cmd += ["-density", "200", "-units", "PixelsPerInch", f"PNG24:{out}/clean/page-{i:02}.png"]
    subprocess.run(cmd, check=True)
PY
target/release/examples/scan_corpus "$out" >/dev/null

# results.tsv: condition method page kb ms pdf(for OCR) ocr-scale
results=$out/results.tsv
: > "$results"
ms_of() { python3 -c 'import sys,time; print(int((time.time()-float(sys.argv[1]))*1000))' "$1"; }
for cond in scan photo; do
  for img in "$out/$cond"/*.jpg; do
    page=$(basename "$img" .jpg)
    for profile in text mixed color auto; do
      pdf=$out/pdf/$cond-$profile-$page.pdf
      "$hoso" scan "$img" -o "$pdf" --profile "$profile" --json > "$pdf.json"
      python3 - "$pdf.json" "$cond" "$profile" "$page" "$pdf" >> "$results" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); p = r["pages"][0]
print("\t".join([sys.argv[2], "hoso " + sys.argv[3] + ("→" + p["profile"] if sys.argv[3] == "auto" else ""), sys.argv[4], "%.1f" % (r["total_bytes"] / 1024), str(p["ms"]), sys.argv[5], "r200"]))
PY
    done
    t=$(date +%s.%N); pdf=$out/pdf/$cond-raw-$page.pdf
    img2pdf "$img" -o "$pdf" 2>/dev/null
    printf '%s\timg2pdf (raw)\t%s\t%.1f\t%s\t%s\tnative\n' "$cond" "$page" "$(echo "$(stat -c %s "$pdf") / 1024" | bc -l)" "$(ms_of "$t")" "$pdf" >> "$results"
    for o in 1 3; do
      t=$(date +%s.%N); opt=$out/pdf/$cond-ocrmypdf$o-$page.pdf
      OMP_THREAD_LIMIT=1 ocrmypdf -q -l vie -O$o --jobs 1 "$pdf" "$opt" 2>/dev/null || cp "$pdf" "$opt"
      printf '%s\tocrmypdf -O%s\t%s\t%.1f\t%s\t%s\tnative\n' "$cond" "$o" "$page" "$(echo "$(stat -c %s "$opt") / 1024" | bc -l)" "$(ms_of "$t")" "$opt" >> "$results"
    done
    t=$(date +%s.%N); g4=$out/pdf/$cond-im-$page
    "$IM" "$img" -auto-orient -colorspace Gray -resize '2339x2339>' -lat 41x41-6% -monochrome -density 200 -units PixelsPerInch -compress Group4 "$g4.tif"
    img2pdf "$g4.tif" -o "$g4.pdf" 2>/dev/null
    printf '%s\tImageMagick -lat + G4\t%s\t%.1f\t%s\t%s\tr200\n' "$cond" "$page" "$(echo "$(stat -c %s "$g4.pdf") / 1024" | bc -l)" "$(ms_of "$t")" "$g4.pdf" >> "$results"
  done
  echo "$cond done" >&2
done

echo "OCR…" >&2
ocr() { # pdf scale → txt
  local pdf=$1 scale=$2 base=$out/ocr/$(basename "$1" .pdf)
  if [ "$scale" = r200 ]; then pdftoppm -r 200 -gray -png -singlefile "$pdf" "$base"
  else pdftoppm -scale-to 4000 -gray -png -singlefile "$pdf" "$base"; fi
  OMP_THREAD_LIMIT=1 tesseract "$base.png" "$base" -l vie >/dev/null 2>&1
  rm -f "$base.png"
}
export -f ocr; export out
cut -f6,7 "$results" | xargs -P "$JOBS" -L 1 bash -c 'ocr "$0" "$1"'
for png in "$out"/clean/*.png; do
  base=$out/ocr/clean-$(basename "$png" .png)
  echo "$png $base"
done | xargs -P "$JOBS" -L 1 bash -c 'OMP_THREAD_LIMIT=1 tesseract "$0" "$1" -l vie >/dev/null 2>&1'
for png in "$out"/clean/*.png; do "$IM" "$png" -resize 25% "$out/ocr/clean-$(basename "$png" .png)-small.ppm"; done

python3 bench/scan_table.py "$out"
