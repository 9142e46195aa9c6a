#!/usr/bin/env bash
# Page list and corner editor in the app: how long a clerk waits after
# "Xoay 90°" and after "Áp dụng" in the corner editor (click → new page
# shown), and how long the editor takes to open on the original, for photos
# of 1, 5 and 12 megapixels drawn by Chromium. Headless Chromium, the app's
# own web worker. Median of RUNS (default 3). Printed, never asserted.
# Usage: bench/page-edit.sh [RUNS]
# (HOSO_DIST=dir skips the trunk build, HOSO_CLI=path the CLI build)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
runs=${1:-3}
dist=${HOSO_DIST:-}
if [ -z "$dist" ]; then
  dist=$(mktemp -d)
  trap 'rm -rf "$dist"' EXIT
  trunk build --release --dist "$dist" >/dev/null
fi
cli=${HOSO_CLI:-$PWD/target/debug/hoso}
[ -n "${HOSO_CLI:-}" ] || cargo build -q -p hoso-cli
cd tests/e2e
HOSO_DIST="$dist" HOSO_CLI="$cli" RUNS="$runs" node --input-type=module - <<'EOF'
import { readFileSync } from "node:fs";
import { serve, launch, drawnPhoto } from "./harness.mjs";

const runs = Number(process.env.RUNS);
const server = await serve();
const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const info = (page) => page.locator(".thumb .page-info").first().innerText();
const idle = (page) => page.waitForFunction(() => !document.querySelector('.pending-page, .thumb[aria-busy="true"]'), null, { timeout: 120000 });

console.log("| photo | first page ms | rotate ms | editor open ms | apply corners ms |");
console.log("|---|---:|---:|---:|---:|");
for (const [w, h] of [[870, 1160], [1940, 2590], [3000, 4000]]) {
  const photo = await drawnPhoto(browser, { width: w, height: h, lines: 40, grain: true, quality: 0.85 });
  const bytes = readFileSync(photo);
  const times = { first: [], rotate: [], open: [], apply: [] };
  for (let r = 0; r < runs; r++) {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.locator('[data-procedure="khai-sinh"] button').click();
    let t = Date.now();
    await page.locator('[data-component="giay-chung-sinh"] input[type="file"]').first().setInputFiles({ name: "p.jpg", mimeType: "image/jpeg", buffer: bytes });
    await page.locator(".thumb").first().waitFor({ timeout: 120000 });
    await idle(page);
    times.first.push(Date.now() - t);

    let before = await info(page);
    t = Date.now();
    await page.locator('[data-tool="rotate"]').click();
    await page.waitForFunction((b) => document.querySelector(".thumb .page-info")?.innerText !== b, before, { timeout: 120000 });
    await idle(page);
    times.rotate.push(Date.now() - t);

    t = Date.now();
    await page.locator('[data-tool="corners"]').click();
    await page.waitForFunction(() => document.activeElement?.dataset.corner === "0", null, { timeout: 120000 });
    times.open.push(Date.now() - t);
    for (let i = 0; i < 5; i++) await page.keyboard.press("Shift+ArrowRight");
    before = await info(page);
    t = Date.now();
    await page.keyboard.press("Enter");
    await page.waitForFunction((b) => document.querySelector(".thumb .page-info")?.innerText !== b, before, { timeout: 120000 });
    await idle(page);
    times.apply.push(Date.now() - t);
    await page.close();
  }
  const mp = ((w * h) / 1e6).toFixed(1);
  console.log(`| ${w}×${h} (${mp} MP, ${Math.round(bytes.length / 1024)} KB) | ${median(times.first)} | ${median(times.rotate)} | ${median(times.open)} | ${median(times.apply)} |`);
}
await browser.close();
server.stop();
EOF
