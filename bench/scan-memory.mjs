// The app's half of bench/scan-memory.sh: 50 photos into one paper of a
// khai-sinh dossier in headless Chromium, three or four ways (one drop after the
// other, each after the last page is done; 50 drops in a row without
// waiting; one multi-select of 50; and, given one, a 50-page scanner
// PDF); after 1, 10, 25 and 50 pages: the page
// worker's wasm memory (each answer of the worker carries `memory`), the
// page's wasm memory and its JS heap (CDP Performance.getMetrics).
// Usage (from tests/e2e, with HOSO_DIST and HOSO_CLI): node bench/scan-memory.mjs PHOTO_DIR [SCANNER.pdf]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serve, launch, openKhaiSinhForm } from "../tests/e2e/harness.mjs";

const dir = process.argv[2];
// Optional: a scanner PDF of many pages (each page then goes to the worker with the file).
const scannerPdf = process.argv[3];
const photos = readdirSync(dir).filter((f) => f.endsWith(".jpg")).sort().map((f) => join(dir, f));
const CHECKPOINTS = [1, 10, 25, 50].filter((n) => n <= photos.length);
const MB = (b) => (b / 1048576).toFixed(0);

const server = await serve();
const browser = await launch();

async function measure(mode) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Every worker the app starts reports its wasm memory with each answer;
  // the app's own wasm exports come with Trunk's start event.
  await page.addInitScript(() => {
    window.__workerMemory = [];
    window.__workers = 0;
    const Base = window.Worker;
    window.Worker = class extends Base {
      constructor(...args) {
        super(...args);
        window.__workers++;
        this.addEventListener("message", (e) => {
          if (typeof e.data?.memory === "number") window.__workerMemory.push(e.data.memory);
        });
      }
    };
    addEventListener("TrunkApplicationStarted", (e) => { window.__appWasm = e.detail.wasm; });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await openKhaiSinhForm(page, server.url);
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  const input = page.locator("#file-giay-chung-sinh");

  const rows = [];
  const done = (n) => paper.locator(`li.thumb >> nth=${n - 1}`).waitFor({ timeout: 600000 });
  const sample = async (n) => {
    await done(n);
    const metrics = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
    const s = await page.evaluate(() => ({
      worker: window.__workerMemory.at(-1) ?? 0,
      workerMax: Math.max(0, ...window.__workerMemory),
      workers: window.__workers,
      app: window.__appWasm?.memory?.buffer?.byteLength ?? 0,
    }));
    rows.push({ n, ...s, heap: metrics.JSHeapUsedSize });
  };
  if (mode === "one after the other") {
    for (let i = 0; i < photos.length; i++) {
      await input.setInputFiles(photos[i]);
      if (CHECKPOINTS.includes(i + 1)) await sample(i + 1);
      else await done(i + 1);
    }
  } else if (mode === "50 drops in a row") {
    for (const photo of photos) await input.setInputFiles(photo);
    for (const n of CHECKPOINTS) await sample(n);
  } else if (mode === "one 50-page scanner PDF") {
    await input.setInputFiles(scannerPdf);
    for (const n of CHECKPOINTS) await sample(n);
  } else {
    await input.setInputFiles(photos);
    for (const n of CHECKPOINTS) await sample(n);
  }
  await context.close();
  if (errors.length) console.error(mode, "page errors:", errors);
  return { mode, rows };
}

const load = () => readFileSync("/proc/loadavg", "utf8").split(" ")[0];

const before = load();
const results = [];
const modes = ["one after the other", "50 drops in a row", "one multi-select of 50"];
if (scannerPdf) modes.push("one 50-page scanner PDF");
// MODES="one 50-page scanner PDF" (comma-separated) measures only those.
const only = process.env.MODES?.split(",");
for (const mode of modes.filter((m) => !only || only.includes(m))) {
  results.push(await measure(mode));
}
const after = load();
await browser.close();
server.stop();

console.log(`App (headless Chromium, release build), ${photos.length} photos into one paper; load average ${before} before, ${after} after.`);
console.log("Worker: its wasm memory after the page's answer (largest so far). Page: its wasm memory and JS heap in use.");
console.log();
console.log("| how the photos came | pages | worker wasm, MB | page wasm, MB | page JS heap, MB | workers started |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const { mode, rows } of results) {
  for (const r of rows) {
    console.log(`| ${mode} | ${r.n} | ${MB(r.worker)} (${MB(r.workerMax)}) | ${MB(r.app)} | ${MB(r.heap)} | ${r.workers} |`);
  }
}
