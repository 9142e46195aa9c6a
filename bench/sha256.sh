#!/usr/bin/env bash
# SHA-256 throughput of the hash packages use (hoso_package::sha256_hex),
# natively and in wasm in headless Chromium (built with and without
# -C target-feature=+simd128), and the time to package a 50-page dossier of
# realistic page PDFs natively. Prints a table; target: >= 300 MB/s in wasm.
# Figures depend on the machine and its load: run it on an idle machine.
# Usage: bench/sha256.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
TARGET_MB_S=300
MIB=64
REPS=4
out=target/bench-sha256-wasm
mkdir -p "$out"

# Native: SHA-256 and packaging 50 pages (crates/hoso-cli/examples/bench_package.rs).
native=$(cargo run --quiet --release -p hoso-cli --example bench_package)
val() { awk -v k="$1" '$1 == k { print $2 }' <<<"$native"; }

# Wasm: the same function in a wasm-bindgen module, twice.
build_wasm() { # $1 = name, $2 = RUSTFLAGS
  RUSTFLAGS="$2" cargo build --quiet --release --target wasm32-unknown-unknown \
    --manifest-path bench/sha256-wasm/Cargo.toml --target-dir "$out/$1"
  wasm-bindgen --target web --no-typescript --out-dir "$out/www/$1" \
    "$out/$1/wasm32-unknown-unknown/release/hoso_bench_sha256_wasm.wasm"
}
build_wasm simd128 "-C target-feature=+simd128"
build_wasm plain ""
cat > "$out/www/index.html" <<HTML
<!doctype html><meta charset="utf-8"><title>sha256 wasm</title><pre id="out"></pre>
<script type="module">
const results = {};
for (const name of ["simd128", "plain"]) {
  const m = await import("./" + name + "/hoso_bench_sha256_wasm.js");
  await m.default();
  m.hash_repeated(1 << 20, 1); // warm up (compile tiers)
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    m.hash_repeated($MIB << 20, $REPS);
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  results[name] = ($MIB * 1048576 * $REPS) / 1e6 / best;
}
// For comparison: the browser's own SHA-256 (WebCrypto), which Rust code in
// wasm cannot call synchronously.
const buf = new Uint8Array($MIB << 20).map((_, i) => Math.imul(i, 2654435761) >>> 24);
let best = Infinity;
for (let run = 0; run < 3; run++) {
  const t = performance.now();
  for (let r = 0; r < $REPS; r++) { buf[0] = r; await crypto.subtle.digest("SHA-256", buf); }
  best = Math.min(best, (performance.now() - t) / 1000);
}
results.webcrypto = ($MIB * 1048576 * $REPS) / 1e6 / best;
document.getElementById("out").textContent = JSON.stringify(results);
</script>
HTML
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$out/www" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 0.5
wasm=$(cd tests/e2e && node --input-type=module -e "
import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const page = await browser.newPage();
await page.goto('http://127.0.0.1:$port/index.html');
await page.locator('#out:not(:empty)').waitFor({ timeout: 300000 });
console.log(await page.locator('#out').textContent());
await browser.close();
")
simd=$(python3 -c "import json,sys; print('%.1f' % json.loads(sys.argv[1])['simd128'])" "$wasm")
plain=$(python3 -c "import json,sys; print('%.1f' % json.loads(sys.argv[1])['plain'])" "$wasm")
webcrypto=$(python3 -c "import json,sys; print('%.1f' % json.loads(sys.argv[1])['webcrypto'])" "$wasm")

printf '%-44s %14s\n' "measure" "value"
printf '%-44s %14s\n' "SHA-256 native (MB/s)" "$(val native_sha256_mb_per_s)"
printf '%-44s %14s\n' "SHA-256 wasm, simd128, Chromium (MB/s)" "$simd"
printf '%-44s %14s\n' "SHA-256 wasm, no simd128, Chromium (MB/s)" "$plain"
printf '%-44s %14s\n' "SHA-256 WebCrypto, Chromium (MB/s, reference)" "$webcrypto"
printf '%-44s %14s\n' "package of $(val pages) pages (bytes)" "$(val package_bytes)"
printf '%-44s %14s\n' "  page PDFs assembled (ms)" "$(val assemble_pdfs_ms)"
printf '%-44s %14s\n' "  packed: zip + SHA-256 manifests (ms)" "$(val pack_ms)"
printf '%-44s %14s\n' "  verified (ms)" "$(val verify_ms)"
printf '%-44s %14s\n' "CPU load average (1 min) while measuring" "$(cut -d' ' -f1 /proc/loadavg)"
if python3 -c "import sys; sys.exit(float('$simd') < $TARGET_MB_S)"; then verdict="meets"; else verdict="BELOW"; fi
printf 'wasm SHA-256 with simd128: %s MB/s (%s the %d MB/s target)\n' "$simd" "$verdict" "$TARGET_MB_S"
