#!/usr/bin/env bash
# ID-card QR decoding: decode rate and median time per photo over a corpus
# of synthetic card photos (crates/hoso-qr/tests/synth: angles, distance,
# defocus, glare, dim/flat light, webcam frames, mixtures; JPEG), first
# natively (release build), then in wasm: headless Chromium, the app's own
# web worker (hoso-worker), one photo at a time, RGBA in as the app sends it.
# Targets: >= 95 % decoded, <= 150 ms median in wasm. Printed, never asserted.
# Usage: bench/qr-decode.sh [PER_KIND (default 20)]
# (HOSO_DIST=dir skips the trunk build, HOSO_CLI=path the CLI build)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
per_kind=${1:-20}
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
cargo build -q --release -p hoso-qr --example qr_corpus --example qr_bench
target/release/examples/qr_corpus "$corpus" "$per_kind"
echo "== native (release) =="
target/release/examples/qr_bench "$corpus"

dist=${HOSO_DIST:-}
if [ -z "$dist" ]; then
  dist=$(mktemp -d)
  trap 'rm -rf "$corpus" "$dist"' EXIT
  trunk build --release --dist "$dist" >/dev/null
fi
cli=${HOSO_CLI:-$PWD/target/debug/hoso}
[ -n "${HOSO_CLI:-}" ] || cargo build -q -p hoso-cli
echo "== wasm (headless Chromium, one web worker) =="
cd tests/e2e
HOSO_DIST="$dist" HOSO_CLI="$cli" CORPUS="$corpus" node --input-type=module - <<'EOF'
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve, launch } from "./harness.mjs";

const corpus = process.env.CORPUS;
const rows = readFileSync(join(corpus, "manifest.tsv"), "utf8").trim().split("\n").map((l) => l.split("\t"));
const server = await serve();
const browser = await launch();
const page = await browser.newPage();
await page.goto(server.url);
// The app's worker, spoken to in its own message format (src/platform/worker.rs).
await page.evaluate(() => new Promise((resolve, reject) => {
  const w = (window.__qr = new Worker("/hoso-worker_loader.js"));
  w.onerror = (e) => reject(new Error(e.message));
  w.onmessage = (e) => e.data.kind === "ready" && resolve();
}));
const byKind = new Map();
const all = { n: 0, read: 0, ms: [] };
for (const [file, kind, expected] of rows) {
  const b64 = readFileSync(join(corpus, file)).toString("base64");
  const r = await page.evaluate(async ({ b64, expected }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/jpeg" }));
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const g = c.getContext("2d", { willReadFrequently: true });
    g.drawImage(bitmap, 0, 0);
    const rgba = new Uint8Array(g.getImageData(0, 0, c.width, c.height).data.buffer);
    const t0 = performance.now();
    const answer = await new Promise((resolve) => {
      window.__qr.onmessage = (e) => resolve(e.data);
      window.__qr.postMessage({ id: 1, kind: "decode_qr", rgba, width: c.width, height: c.height, budget: 16000000 }, [rgba.buffer]);
    });
    return { ms: performance.now() - t0, ok: (answer.texts ?? []).includes(expected) };
  }, { b64, expected });
  if (!byKind.has(kind)) byKind.set(kind, { n: 0, read: 0, ms: [] });
  for (const s of [byKind.get(kind), all]) { s.n++; s.read += r.ok ? 1 : 0; s.ms.push(r.ms); }
}
const row = (name, s) => {
  s.ms.sort((a, b) => a - b);
  const median = s.ms[Math.floor(s.ms.length / 2)];
  console.log(`${name.padEnd(14)} ${String(s.n).padStart(6)} ${String(s.read).padStart(8)} ${(s.read * 100 / s.n).toFixed(1).padStart(8)}% ${median.toFixed(1).padStart(11)}`);
};
console.log(`${"kind".padEnd(14)} ${"images".padStart(6)} ${"decoded".padStart(8)} ${"rate".padStart(9)} ${"median ms".padStart(11)}`);
for (const [kind, s] of [...byKind].sort()) row(kind, s);
row("ALL (wasm)", all);
await browser.close();
server.stop();
EOF
