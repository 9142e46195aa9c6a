// Issue #5's "memory bounded for 50-page batches" in the app: wasm memory
// only grows, so whatever is held at once stays reserved for the tab's
// life. Photos dropped one by one in quick succession are read one at a
// time (as a multi-select is), not all held while they wait for the page
// worker; and the worker's memory stays at one page's peak, page after
// page. bench/scan-memory.sh prints the figures for 50 photos.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { useServerAndBrowser, openPage, openKhaiSinhForm, tempDir } from "./harness.mjs";

const env = useServerAndBrowser();
const MB = 1048576;
const DROPS = 12;

/** A page photo as a JPEG file of about 3 MB: an A4 page drawn at 300 dpi
 * (a second or so in the worker, so that the drops queue up), the file
 * padded with comment segments (as cameras pad with maker notes) so that
 * holding files costs memory while the pages themselves stay small. */
async function bigPhoto(page, dir, i) {
  const dataUrl = await page.evaluate((i) => {
    const c = document.createElement("canvas");
    c.width = 2480; c.height = 3508;
    const g = c.getContext("2d");
    g.fillStyle = "#f4f1ea"; g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = "#222"; g.font = "56px serif";
    for (let k = 0; k < 40; k++) g.fillText(`Trang ${i + 1}, dòng ${k + 1}: Giấy chứng sinh số ${1000 + k}`, 160, 200 + k * 80);
    return c.toDataURL("image/jpeg", 0.85);
  }, i);
  const jpeg = Buffer.from(dataUrl.split(",")[1], "base64");
  const segments = [];
  for (let k = 0; k < 48; k++) {
    const body = Buffer.alloc(65000, (i * 48 + k) % 251);
    segments.push(Buffer.from([0xff, 0xfe, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body);
  }
  const path = join(dir, `trang-${i + 1}.jpg`);
  writeFileSync(path, Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]));
  return path;
}

test("photos dropped one by one are held one at a time, and the page worker's memory stays at one page's peak", async (tc) => {
  const { page } = await openPage(tc, env.browser);
  // The worker's answers carry its wasm memory; Trunk's start event brings the app's exports.
  await page.addInitScript(() => {
    window.__workerMemory = [];
    const Base = window.Worker;
    window.Worker = class extends Base {
      constructor(...args) {
        super(...args);
        this.addEventListener("message", (e) => {
          // Pages only: the warm-up's answers (when the papers appear) carry it too.
          if (typeof e.data?.memory === "number" && e.data.kind === "scanned") window.__workerMemory.push(e.data.memory);
        });
      }
    };
    addEventListener("TrunkApplicationStarted", (e) => { window.__appWasm = e.detail.wasm; });
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await openKhaiSinhForm(page, env.server.url);
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  const input = page.locator("#file-giay-chung-sinh");
  // Files on disk: each drop is then quick, as a clerk's drags are.
  const dir = tempDir();
  const photos = [];
  for (let i = 0; i < DROPS; i++) photos.push(await bigPhoto(page, dir, i));
  const memory = () => page.evaluate(() => ({ app: window.__appWasm.memory.buffer.byteLength, worker: window.__workerMemory }));

  await input.setInputFiles(photos[0]);
  await paper.locator("li.thumb").first().waitFor({ timeout: 120000 });
  const first = await memory();
  assert.equal(first.worker.length, 1, "one answer from the worker, with its memory");

  // The other photos each in its own drop, without waiting: they queue.
  for (const photo of photos.slice(1)) await input.setInputFiles(photo);
  await paper.locator(`li.thumb >> nth=${DROPS - 1}`).waitFor({ timeout: 300000 });
  assert.equal(await paper.locator("li.thumb").count(), DROPS);
  const last = await memory();

  // Held all at once (twice: the file and its copy for the worker), the
  // eleven waiting files would take ~70 MB more; one at a time, a few MB
  // and the pages (tens of KB each).
  const grown = (last.app - first.app) / MB;
  assert.ok(grown < 24, `the app's wasm memory grew by ${grown.toFixed(1)} MB over ${DROPS - 1} more photos`);
  // The worker: the same peak for the twelfth page as for the second.
  const worker = last.worker;
  assert.equal(worker.length, DROPS);
  assert.ok(worker[DROPS - 1] <= worker[1] + 8 * MB, `worker memory per page: ${worker.map((b) => (b / MB).toFixed(0)).join(", ")} MB`);
  assert.deepEqual(errors, []);
});
