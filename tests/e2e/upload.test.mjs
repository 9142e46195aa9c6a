// Gửi hồ sơ over a bad line: the package goes to `hoso serve` with tus in
// small chunks while connections are cut at seeded-random points (before
// the server sees a chunk, and after it acknowledged one but the answer was
// lost) and the page is reloaded mid-upload. The upload must resume where
// the server stands, never from zero, and arrive intact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { useServerAndBrowser, openContext, openPage, fillKhaiSinh, drawnPhoto } from "./harness.mjs";

const SEED = Number(process.env.UPLOAD_SEED ?? 20261122);
const CHUNK_KB = 8;
const MAX_FAULTS = 6;

let photo;
const env = useServerAndBrowser(async () => {
  // Grain keeps the JPEG, hence the package, large enough for many chunks.
  photo = await drawnPhoto(env.browser, { width: 900, height: 1270, lines: 40, grain: true, quality: 0.9 });
});

/** mulberry32: a small seeded generator, so a failing run can be replayed with UPLOAD_SEED. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

async function packDossier(page) {
  await page.locator("#pack").click();
  return (await page.locator("#dossier-code").innerText()).trim();
}

/** A khai-sinh dossier with its declaration and one photo, packed; returns its code. */
async function newPackedDossier(page) {
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await fillKhaiSinh(page);
  await page.locator("#create-form").click();
  await page.locator("#form-pdf").waitFor();
  await page.locator('[data-component="giay-chung-sinh"] .dropzone input[type="file"]').setInputFiles(photo);
  await page.locator(".thumb img").first().waitFor();
  return packDossier(page);
}

/** Opens the send settings and sets a chunk size. */
async function setChunkKb(page, kb) {
  await page.locator(".upload-settings summary").click();
  await page.locator("#upload-chunk-kb").fill(String(kb));
  await page.locator("#upload-chunk-kb").dispatchEvent("change");
}

/** Size and SHA-256 of the package the download link offers. */
const packageInPage = (page) =>
  page.locator("#download").evaluate(async (a) => {
    const buf = await (await fetch(a.href)).arrayBuffer();
    const hex = [...new Uint8Array(await crypto.subtle.digest("SHA-256", buf))].map((b) => b.toString(16).padStart(2, "0")).join("");
    return { size: buf.byteLength, sha256: hex };
  });

test("an upload survives cut connections and a reload, and arrives intact", async (t) => {
  const started = Date.now();
  // Requests must reach page.route, not a service worker.
  const context = await openContext(t, env.browser, { serviceWorkers: "block" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  const code = await newPackedDossier(page);
  const pkg = await packageInPage(page);
  assert.ok(pkg.size > 10 * CHUNK_KB * 1024, `package of ${pkg.size} B gives enough chunks`);
  await page.locator("#save-state .ok").waitFor();

  const rand = seeded(SEED);
  const log = { posts: 0, patches: 0, bytesSent: 0, faults: 0, acked: [], sentOffsets: [] };
  await page.route("**/files/**", async (route) => {
    try {
      const req = route.request();
      if (req.method() === "POST") log.posts++;
      if (req.method() !== "PATCH") return await route.continue();
      log.patches++;
      log.bytesSent += req.postDataBuffer()?.length ?? 0;
      log.sentOffsets.push(Number(req.headers()["upload-offset"]));
      await delay(30); // a slow line, so the reload lands mid-upload
      const r = rand();
      if (log.faults < MAX_FAULTS && r < 0.15) {
        log.faults++;
        return await route.abort("connectionreset"); // cut before the server sees the chunk
      }
      const response = await route.fetch();
      if (response.status() === 204) log.acked.push(Number(response.headers()["upload-offset"]));
      if (log.faults < MAX_FAULTS && r < 0.25) {
        log.faults++;
        return await route.abort("connectionreset"); // acknowledged, but the answer is lost
      }
      return await route.fulfill({ response });
    } catch {
      // The page went away (reload) while this request was in flight.
    }
  });

  await setChunkKb(page, CHUNK_KB);
  const sawRetry = page
    .locator(".upload-retry", { hasText: /^Mất kết nối, thử lại sau \d+ giây$/ })
    .waitFor({ timeout: 20_000 })
    .then(() => true, () => false);
  await page.locator("#upload-send").click();
  await page.locator("#upload-percent").waitFor();

  // Reload once the server holds 40 % of the package.
  while (Math.max(0, ...log.acked) < pkg.size * 0.4) {
    assert.ok(Date.now() - started < 40_000, `no progress: ${JSON.stringify(log)}`);
    await delay(20);
  }
  assert.ok(Math.max(...log.acked) < pkg.size, "reloaded before the end");
  assert.ok(await sawRetry, "the clerk is told the line dropped and when it is retried");
  const ackedBeforeReload = Math.max(...log.acked);
  const patchesBeforeReload = log.patches;
  await page.reload();

  // Reopened: the same dossier is packed again by itself into the same bytes, and the upload goes on — no click.
  await page.locator(".thumb img").first().waitFor();
  await page.locator("#form-pdf").waitFor();
  await page.locator("#dossier-code").waitFor();
  assert.equal((await page.locator("#dossier-code").innerText()).trim(), code, "re-packing keeps the dossier code");
  assert.deepEqual(await packageInPage(page), pkg, "the same bytes come back");
  await page.locator("#upload-done", { hasText: "Đã gửi — máy chủ đã kiểm tra: nguyên vẹn" }).waitFor({ timeout: 40_000 });
  assert.equal(await page.locator("#upload-percent").innerText(), "100%");
  assert.match(await page.locator("#upload-received").getAttribute("href"), /\/received$/);

  // Never from zero: one upload created, the first chunk after the reload
  // at or past what the server had, and the server's offset never went back.
  assert.equal(log.posts, 1, "one upload, never recreated");
  const resumedAt = log.sentOffsets[patchesBeforeReload];
  assert.ok(resumedAt >= ackedBeforeReload, `resumed at ${resumedAt}, server had ${ackedBeforeReload}`);
  for (let i = 1; i < log.acked.length; i++) assert.ok(log.acked[i] >= log.acked[i - 1], `offset went back: ${log.acked}`);
  assert.equal(Math.max(...log.acked), pkg.size);
  assert.ok(log.faults >= 3, `faults injected: ${log.faults}`);
  assert.ok(log.bytesSent <= pkg.size * 1.5, `sent ${log.bytesSent} B for a ${pkg.size} B package`);

  // The server's own check, and its stored bytes, match the package.
  const received = await (await fetch(`${env.server.url}/received.json`)).json();
  const record = received.find((r) => r.dossier_code === code);
  assert.ok(record, `${code} listed in /received.json`);
  assert.equal(record.intact, true);
  assert.equal(record.size, pkg.size);
  const stored = Buffer.from(await (await fetch(`${env.server.url}/received/${record.id}`)).arrayBuffer());
  assert.equal(createHash("sha256").update(stored).digest("hex"), pkg.sha256);

  assert.deepEqual(errors, []);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `upload: ${pkg.size} B package, ${log.bytesSent} B PATCHed (${(log.bytesSent / pkg.size).toFixed(2)}×) in ${log.patches} PATCHes, ` +
      `${log.faults} cuts, reload at ${ackedBeforeReload} B, ${seconds.toFixed(1)} s (seed ${SEED})`,
  );
  // The server's verdict makes the dossier "Đã nộp" in the saved list.
  await page.locator("#save-state .ok").waitFor();
  await page.locator("#new-dossier").click();
  await page.locator("table.saved-list tr", { hasText: "Đã nộp" }).waitFor();
});

test("pause keeps the server's bytes; cancel deletes the upload", async (t) => {
  const { page } = await openPage(t, env.browser, { serviceWorkers: "block" });
  await newPackedDossier(page);
  let location = null;
  let deleted = null; // status of the DELETE, once the server answered
  await page.route("**/files/**", async (route) => {
    try {
      const req = route.request();
      if (req.method() === "PATCH") await delay(60);
      const response = await route.fetch();
      if (req.method() === "DELETE") deleted = response.status();
      if (req.method() === "POST") location = new URL(response.headers()["location"], env.server.url).href;
      await route.fulfill({ response });
    } catch {
      // Paused: the browser dropped this request.
    }
  });
  await setChunkKb(page, CHUNK_KB);
  await page.locator("#upload-send").click();
  await page.locator("#upload-speed").waitFor();
  await page.locator("#upload-eta").waitFor();
  await page.locator("#upload-pause").click();
  await page.locator("#upload-resume").waitFor();
  const head = async () => {
    const r = await fetch(location, { method: "HEAD", headers: { "Tus-Resumable": "1.0.0" } });
    return [r.status, Number(r.headers.get("upload-offset"))];
  };
  await delay(300);
  const [status, paused] = await head();
  assert.equal(status, 200);
  assert.ok(paused > 0, "paused with bytes on the server");
  await delay(300);
  assert.deepEqual(await head(), [200, paused], "nothing is sent while paused");
  await page.locator("#upload-cancel").click();
  await page.locator("#upload-status", { hasText: "Đã hủy gửi." }).waitFor();
  await page.locator("#upload-send").waitFor();
  for (let i = 0; i < 200 && deleted === null; i++) await delay(20);
  assert.equal(deleted, 204);
  const [gone] = await head();
  assert.ok(gone === 404 || gone === 410, `cancelled upload answers ${gone}`);
});
