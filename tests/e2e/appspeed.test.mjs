// Issue #5, the scan speed as the clerk feels it. The page worker warms up
// once the papers appear (a small synthetic photo per profile) and never
// before (the start screen starts no worker); a file dropped meanwhile goes
// first: no warm-up step starts after it. A multi-page file crosses to the
// worker once for all its pages, and the worker forgets it after its last
// page (every answer of the worker says how many files it keeps: `held`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openPage, openKhaiSinhForm, drawnPhoto, scannedSheet, greyTiff } from "./harness.mjs";

const env = useServerAndBrowser();

/** Console lines of the page and of its workers, in order. */
function collectLogs(page) {
  const logs = [];
  page.on("console", (m) => logs.push(m.text()));
  page.on("worker", (w) => w.on("console", (m) => logs.push(m.text())));
  return logs;
}

const WARM = "hoso worker warm-up:";

test("the worker warms up on the papers, not on the start screen, each profile once; the first page then comes as usual", async (tc) => {
  const { page } = await openPage(tc, env.browser);
  const logs = collectLogs(page);
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').waitFor();
  await page.waitForTimeout(1500);
  assert.equal(page.workers().length, 0, "no worker on the start screen");
  await openKhaiSinhForm(page, env.server.url);
  // The khai-sinh papers are on Tự động: every profile is warmed, once.
  for (let t = 0; t < 600 && logs.filter((l) => l.startsWith(WARM)).length < 4; t++) await page.waitForTimeout(100);
  const warmed = logs.filter((l) => l.startsWith(WARM)).map((l) => l.slice(WARM.length).trim().split(" ")[0]);
  assert.deepEqual([...warmed].sort(), ["auto", "color", "mixed", "text"], logs.join("\n"));
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  await paper.locator('.dropzone input[type="file"]').setInputFiles(await drawnPhoto(env.browser));
  await paper.locator(".thumb img").first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(300);
  assert.equal(logs.filter((l) => l.startsWith(WARM)).length, 4, "warmed once only");
  // The page's own steps are logged for bench/scan-app.sh.
  assert.ok(logs.some((l) => /^hoso page steps: waited \d+ · read \d+ · turn \d+ · worker \d+ .*listed \d+ ms$/.test(l)), logs.join("\n"));
});

test("a file dropped while the worker warms up goes first: no warm-up step starts after it", async (tc) => {
  const { page } = await openPage(tc, env.browser);
  const logs = collectLogs(page);
  const photo = await drawnPhoto(env.browser);
  // The papers appear with the chosen procedure; dropped as soon as the
  // worker has started (its first warm-up step then runs or is about to).
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator("#chosen-procedure", { hasText: "Đăng ký khai sinh" }).waitFor();
  if (page.workers().length === 0) await page.waitForEvent("worker", { timeout: 30_000 });
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  const before = logs.filter((l) => l.startsWith(WARM)).length;
  assert.ok(before < 4, "dropped while warming up");
  await paper.locator('.dropzone input[type="file"]').setInputFiles(photo);
  await paper.locator(".thumb img").first().waitFor({ timeout: 60_000 });
  const page_at = logs.findIndex((l) => l.startsWith("hoso page:"));
  await page.waitForTimeout(2000);
  // At most the step under way at the drop ends after it; none starts after the page.
  const after = logs.filter((l) => l.startsWith(WARM)).length;
  assert.ok(after <= before + 1, `${before} warm-up steps at the drop, ${after} after:\n${logs.join("\n")}`);
  assert.equal(logs.slice(page_at).filter((l) => l.startsWith(WARM)).length, 0, logs.join("\n"));
  assert.equal(await paper.locator(".thumb").count(), 1);
});

test("a 3-page TIFF crosses to the worker once; the worker forgets it after its last page", async (tc) => {
  const { page } = await openPage(tc, env.browser);
  // What the page posts to its worker (file bytes per request kind) and the
  // worker's `held` count in its answers.
  await page.addInitScript(() => {
    window.__posted = [];
    window.__held = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (msg, transfer) {
      if (msg && msg.kind) window.__posted.push([msg.kind, msg.file ? msg.file.byteLength : 0]);
      return post.call(this, msg, transfer);
    };
    const Original = window.Worker;
    window.Worker = class extends Original {
      constructor(...args) {
        super(...args);
        this.addEventListener("message", (e) => typeof e.data?.held === "number" && window.__held.push(e.data.held));
      }
    };
  });
  await openKhaiSinhForm(page, env.server.url);
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  const sheets = [];
  for (const [i, dpi] of [80, 90, 100].entries()) sheets.push(await scannedSheet(page, { dpi, lines: 8 + 4 * i, label: `TRANG ${i + 1}` }));
  const buffer = greyTiff(sheets);
  await paper.locator('.dropzone input[type="file"]').setInputFiles({ name: "ba-trang.tif", mimeType: "image/tiff", buffer });
  await paper.locator(".thumb").nth(2).waitFor({ timeout: 120_000 });
  await paper.locator(".pending-page").first().waitFor({ state: "detached", timeout: 60_000 });
  await page.waitForFunction(() => window.__held.at(-1) === 0 && window.__posted.some(([k]) => k === "release_file"), null, { timeout: 10_000 });
  const posted = await page.evaluate(() => window.__posted);
  const fileBytes = posted.reduce((sum, [, n]) => sum + n, 0);
  assert.equal(fileBytes, buffer.length, `the file's bytes posted once: ${JSON.stringify(posted)}`);
  assert.deepEqual(posted.filter(([k]) => k === "scan_held").length, 3, JSON.stringify(posted));
  const held = await page.evaluate(() => window.__held);
  assert.ok(held.includes(1), `kept while its pages were made: ${held}`);
  assert.equal(held.at(-1), 0, `forgotten after the last page: ${held}`);
  const names = await paper.locator(".thumb img").evaluateAll((els) => els.map((e) => e.alt));
  assert.deepEqual(names, ["ba-trang.tif · Trang 1/3", "ba-trang.tif · Trang 2/3", "ba-trang.tif · Trang 3/3"]);
});
