#!/usr/bin/env bash
# The scan pipeline in wasm, in headless Chromium, one page at a time in a
# dedicated worker (one thread, as the app's worker): median ms per
# 12-megapixel phone photo for each profile, built with the app's release
# profile ("z"; hoso-image and jpeg-encoder at "s", as the workspace has
# them) and, for comparison, with those two at opt-level 3. Inputs are
# the corpus photos of bench/scan-corpus.sh decoded beforehand to raw RGBA
# (as createImageBitmap + a canvas give the worker), so only our pipeline
# (corner search, flattening, deskew, profile) is timed. Target: ≤ 400 ms.
# Printed, never asserted; depends on the machine and its load.
# Usage: bench/scan-wasm.sh [CORPUS_DIR with photo/*.jpg]; PAGES=4 REPS=3;
# SIMD=1 adds the app build with wasm SIMD (-C target-feature=+simd128).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
PAGES=${PAGES:-4}
REPS=${REPS:-3}
out=target/bench-scan-wasm
mkdir -p "$out/www/rgba"
IM=/usr/bin/convert-im6.q16
[ -x "$IM" ] || IM=/usr/bin/magick

corpus=${1:-}
if [ -z "$corpus" ]; then
  # The corpus of bench/scan-corpus.sh: its rendering step, then the example
  # that photographs the pages.
  bash bench/scan-tools.sh
  corpus=$out/corpus
  mkdir -p "$corpus"/{clean,truth}
  if ! ls "$corpus"/photo/*.jpg >/dev/null 2>&1; then
    sed -n '/^python3 - "\$out" "\$PAGES" "\$IM"/,/^PY$/p' bench/scan-corpus.sh > "$out/render.sh"
    out=$corpus PAGES=$PAGES IM=$IM root=$root bash "$out/render.sh"
    cargo build -q --release -p hoso-image --example scan_corpus
    target/release/examples/scan_corpus "$corpus" >/dev/null
  fi
fi
photos=$(ls "$corpus"/photo/*.jpg | head -n "$PAGES")
list=()
for jpg in $photos; do
  name=$(basename "$jpg" .jpg)
  size=$("$IM" "$jpg" -auto-orient -format '%w %h' info:)
  [ -f "$out/www/rgba/$name.rgba" ] || "$IM" "$jpg" -auto-orient -depth 8 "rgba:$out/www/rgba/$name.rgba"
  list+=("[\"$name\", ${size% *}, ${size#* }]")
done
pages_js=$(IFS=,; echo "[${list[*]}]")

build_wasm() { # $1 = name, $2 = opt-level of hoso-image and jpeg-encoder, $3 = RUSTFLAGS
  RUSTFLAGS="${3:-}" cargo build --quiet --release --target wasm32-unknown-unknown \
    --config "profile.release.package.hoso-image.opt-level=$2" --config "profile.release.package.jpeg-encoder.opt-level=$2" \
    --manifest-path bench/scan-wasm/Cargo.toml --target-dir "$out/$1"
  wasm-bindgen --target web --no-typescript --out-dir "$out/www/$1" \
    "$out/$1/wasm32-unknown-unknown/release/hoso_bench_scan_wasm.wasm"
}
build_wasm app '"s"'
build_wasm o3 3
builds='"app", "o3"'
if [ "${SIMD:-0}" = 1 ]; then
  build_wasm simd '"s"' "-C target-feature=+simd128"
  builds='"app", "o3", "simd"'
fi

cat > "$out/www/worker.js" <<JS
const pages = $pages_js;
const results = {};
// The builds take turns on every run, so a change in the machine's load
// falls on all of them alike.
const modules = {};
for (const build of [$builds]) {
  modules[build] = await import("./" + build + "/hoso_bench_scan_wasm.js");
  await modules[build].default();
}
for (const [name, w, h] of pages) {
  const rgba = new Uint8Array(await (await fetch("rgba/" + name + ".rgba")).arrayBuffer());
  for (const m of Object.values(modules)) {
    m.load(rgba);
    m.scan(w, h, "text"); // warm-up: compile tiers, memory growth
  }
  for (const profile of ["text", "color", "mixed", "auto"]) {
    for (let r = 0; r < $REPS; r++) {
      for (const [build, m] of Object.entries(modules)) {
        const t = performance.now();
        const said = m.scan(w, h, profile);
        const ms = performance.now() - t;
        const key = build + " " + profile;
        (results[key] ??= []).push([ms, said]);
      }
    }
  }
}
postMessage(results);
JS
cat > "$out/www/index.html" <<'HTML'
<!doctype html><meta charset="utf-8"><title>scan wasm</title><pre id="out"></pre>
<script type="module">
const worker = new Worker("worker.js", { type: "module" });
worker.onmessage = (e) => { document.getElementById("out").textContent = JSON.stringify(e.data); };
worker.onerror = (e) => { document.getElementById("out").textContent = JSON.stringify({ error: e.message }); };
</script>
HTML
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$out/www" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 0.5
load_before=$(cut -d' ' -f1 /proc/loadavg)
json=$(cd tests/e2e && node --input-type=module -e "
import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const page = await browser.newPage();
await page.goto('http://127.0.0.1:$port/index.html');
await page.locator('#out:not(:empty)').waitFor({ timeout: 900000 });
console.log(await page.locator('#out').textContent());
await browser.close();
")
load_after=$(cut -d' ' -f1 /proc/loadavg)
gz() { gzip -9 -c "$out/www/$1/hoso_bench_scan_wasm_bg.wasm" | wc -c; }
simd_gz=$([ "${SIMD:-0}" = 1 ] && gz simd || echo 0)
python3 - "$json" "$load_before" "$load_after" "$PAGES" "$REPS" "$(gz app)" "$(gz o3)" "$simd_gz" <<'PY'
import json, statistics, sys
r = json.loads(sys.argv[1])
if "error" in r:
    sys.exit("worker failed: " + r["error"])
print(f"Scan pipeline in wasm (Chromium, dedicated worker, one thread), {sys.argv[4]} corpus photos (12 MP) × {sys.argv[5]} runs;")
print(f"load average {sys.argv[2]} before, {sys.argv[3]} after.")
simd = "simd text" in r
print(f"wasm (gzip): app build {sys.argv[6]} B, opt-level 3 {sys.argv[7]} B" + (f", app build with SIMD {sys.argv[8]} B." if simd else "."))
print()
print("| profile | ms/page, app build | ms/page, pixel crates at opt-level 3 |" + (" ms/page, app build with SIMD |" if simd else "") + " KB/page | auto chose |")
print("|---|---:|---:|" + ("---:|" if simd else "") + "---:|---|")
for profile in ["text", "color", "mixed", "auto"]:
    app, o3 = r["app " + profile], r["o3 " + profile]
    kb = statistics.median(int(s.split()[1]) for _, s in app) / 1024
    chose = sorted({s.split()[0] for _, s in app}) if profile == "auto" else []
    extra = f" {statistics.median(m for m, _ in r['simd ' + profile]):.0f} |" if simd else ""
    print(f"| {profile} | {statistics.median(m for m, _ in app):.0f} | {statistics.median(m for m, _ in o3):.0f} |{extra} {kb:.1f} | {', '.join(chose)} |")
PY
