// Nothing scanned is lost (issue #5, "In the app"; the quality bar): a
// file dropped is kept in the store the moment it is dropped, before its
// turn in the page processor comes, so a tab closed while photos wait
// brings them all back, in order, as they were asked; "Chụp lại" takes
// what the drop zone takes (a multi-page scan gives its first page, and
// the clerk is told); a purge while files wait leaves nothing behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { useServerAndBrowser, openPage, openKhaiSinhForm, drawnPhoto, inboxKeys, waitForInbox, scannedSheet, greyTiff, fieldId, tempDir } from "./harness.mjs";

/** Four 12-megapixel photos, each a few hundred ms in the worker: the later
 * ones wait their turn long enough for a reload to land meanwhile. */
let photos;
const env = useServerAndBrowser(async (env) => {
  photos = [];
  for (let i = 0; i < 4; i++) photos.push(readFileSync(await drawnPhoto(env.browser, { width: 3000, height: 4000, lines: 10 + 10 * i })));
});

/** Drops on `paper` a grey TIFF `name` of `count` scanned sheets ("TRANG SỐ n")
 * at `dpi`, from a file: over 50 MB, more than Playwright hands over as a buffer. */
async function dropScannedTiff(page, paper, name, count, dpi) {
  const sheets = [];
  for (let i = 0; i < count; i++) sheets.push(await scannedSheet(page, { dpi, lines: 20 + i, label: `TRANG SỐ ${i + 1}` }));
  const tiff = join(tempDir(), name);
  writeFileSync(tiff, greyTiff(sheets));
  await paper.locator('.dropzone input[type="file"]').setInputFiles(tiff);
}

const named = (i) => ({ name: `p${i + 1}.jpg`, mimeType: "image/jpeg", buffer: photos[i] });

test("photos dropped one after another come back after a reload while they wait: all, in order, as asked", async (t) => {
  const { page } = await openPage(t, env.browser);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await openKhaiSinhForm(page, env.server.url);
  await page.locator("#save-state .ok").waitFor();
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  await paper.locator(".scan-profile").selectOption("color");
  const input = paper.locator('.dropzone input[type="file"]');
  // One drop after the other: four batches in line.
  for (let i = 0; i < 4; i++) await input.setInputFiles(named(i));
  // All four pending at once.
  assert.equal(await paper.locator(".pending-page").count(), 4);
  // Another choice for the paper's next photos: the waiting ones keep the one they were dropped with.
  await paper.locator(".scan-profile").selectOption("text");
  // Reload from inside the page once the four are kept (or, without that,
  // once the first page is made: the later ones are then still waiting).
  const before = await page.evaluate(async () => {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    let kept = 0;
    // At most a minute (then the assertions below say what was missing): a
    // loop with no way out hangs the whole run, all processes idle.
    for (const until = Date.now() + 60_000; Date.now() < until; ) {
      kept = await new Promise((ok, ko) => { const r = db.transaction("inbox").objectStore("inbox").count(); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
      if (kept >= 4 || document.querySelector(".thumb")) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    const made = document.querySelectorAll(".thumb").length;
    db.close();
    setTimeout(() => location.reload(), 0);
    return { kept, made };
  });
  assert.ok(before.made < 4 && (before.kept >= 4 || before.made > 0), `not reloaded while they waited: ${JSON.stringify(before)}`);
  await page.waitForLoadState("load");
  await page.locator("#chosen-procedure").waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-component="giay-chung-sinh"] .thumb img').length >= 4, null, { timeout: 90_000 });
  // Nothing more arrives (no page made twice).
  await page.waitForFunction(() => !document.querySelector(".pending-page"), null, { timeout: 30_000 });
  const thumbs = paper.locator(".thumb");
  const names = await thumbs.locator("img").evaluateAll((imgs) => imgs.map((i) => i.alt));
  assert.deepEqual(names, ["p1.jpg", "p2.jpg", "p3.jpg", "p4.jpg"]);
  const profiles = await thumbs.evaluateAll((items) => items.map((i) => i.dataset.profile));
  assert.deepEqual(profiles, ["color", "color", "color", "color"], "made again without the profile chosen at the drop");
  // Saved as pages, each keeping its original, nothing else left waiting.
  await page.locator("#save-state .ok").waitFor();
  assert.equal((await inboxKeys(page)).length, 4);
  assert.deepEqual(errors, []);
});

test("Chụp lại takes scanner files: a 3-page TIFF gives its first page and says so; a file refused leaves nothing behind", async (t) => {
  const { page } = await openPage(t, env.browser);
  await openKhaiSinhForm(page, env.server.url);
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  await paper.locator('.dropzone input[type="file"]').setInputFiles({ name: "anh.jpg", mimeType: "image/jpeg", buffer: readFileSync(await drawnPhoto(env.browser)) });
  const thumb = paper.locator(".thumb");
  await thumb.locator("img").waitFor({ timeout: 30_000 });
  const retake = thumb.locator('[data-tool="retake"] input');
  // The same files as the drop zone.
  const accept = (await retake.getAttribute("accept")).split(",");
  for (const kind of ["image/*", ".tif", ".tiff", ".pdf"]) assert.ok(accept.includes(kind), accept.join(","));

  const sheets = [];
  for (const [i, dpi] of [80, 100, 120].entries()) sheets.push(await scannedSheet(page, { dpi, lines: 10 + 8 * i, label: `TRANG SỐ ${i + 1}` }));
  await retake.setInputFiles({ name: "quet.tif", mimeType: "image/tiff", buffer: greyTiff(sheets) });
  await paper.locator('.thumb img[alt="quet.tif"]').waitFor({ timeout: 30_000 });
  assert.equal(await paper.locator(".thumb").count(), 1, "a retake replaces one page");
  // Page 1 of the file (scanned at 80 dpi) replaced it.
  assert.match(await thumb.locator(".page-info").innerText(), / 80 dpi$/);
  const note = page.locator(".problem", { hasText: "quet.tif" });
  await note.waitFor();
  assert.match(await note.innerText(), /Tệp có 3 trang: đã dùng trang 1 thay cho trang chụp lại, 2 trang còn lại không được thêm/);

  // A retake the processor refuses: the page stays, and the refused file
  // is not kept (it would come back as a new page when the dossier reopens).
  await page.locator("#save-state .ok").waitFor();
  const keys = (await inboxKeys(page)).sort();
  await thumb.locator('[data-tool="retake"] input').setInputFiles({ name: "hong.pdf", mimeType: "application/pdf", buffer: Buffer.from("không phải PDF") });
  await page.locator(".problem", { hasText: "hong.pdf" }).waitFor({ timeout: 30_000 });
  assert.equal(await paper.locator('.thumb img[alt="quet.tif"]').count(), 1);
  await page.waitForFunction(() => !document.querySelector(".pending-page, [aria-busy=true]"));
  await page.waitForTimeout(300); // the clean-up after the refusal
  assert.deepEqual((await inboxKeys(page)).sort(), keys);
  await page.reload();
  await page.locator("#chosen-procedure").waitFor();
  await page.waitForTimeout(1500); // a page made from a left-over file would be back by now
  assert.deepEqual(await paper.locator(".thumb img").evaluateAll((imgs) => imgs.map((i) => i.alt)), ["quet.tif"]);
});

test("a purge while dropped photos wait their turn leaves nothing: no page, no kept file, nothing after a reload", async (t) => {
  const { page } = await openPage(t, env.browser);
  page.on("dialog", (d) => d.accept());
  await openKhaiSinhForm(page, env.server.url);
  await page.locator("#save-state .ok").waitFor();
  const input = page.locator('[data-component="giay-chung-sinh"] .dropzone input[type="file"]');
  for (let i = 0; i < 4; i++) await input.setInputFiles(named(i));
  await page.evaluate(() => document.querySelector("#purge-all").click());
  await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
  // Long enough for all four to have been made, had they gone on.
  await page.waitForTimeout(4000);
  assert.deepEqual(await inboxKeys(page), []);
  await page.reload();
  await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
  await page.waitForTimeout(1000);
  assert.equal(await page.locator("#chosen-procedure").count(), 0);
  assert.equal(await page.locator("table.saved-list tr").count(), 0);
  assert.deepEqual(await inboxKeys(page), []);
});

test("a retake still being made when the tab closes comes back in place, not as a new page", async (t) => {
  const { page } = await openPage(t, env.browser);
  await openKhaiSinhForm(page, env.server.url);
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  await paper.locator('.dropzone input[type="file"]').setInputFiles({ name: "anh.jpg", mimeType: "image/jpeg", buffer: readFileSync(await drawnPhoto(env.browser)) });
  await paper.locator(".thumb img").waitFor({ timeout: 30_000 });
  await page.locator("#save-state .ok").waitFor();
  await paper.locator('.thumb [data-tool="retake"] input').setInputFiles({ name: "moi.jpg", mimeType: "image/jpeg", buffer: photos[3] });
  // Reload the moment the new file is kept (the page's original and it).
  const shown = await page.evaluate(async () => {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    // At most a minute: a loop with no way out would hang the whole run.
    for (const until = Date.now() + 60_000; Date.now() < until; ) {
      const n = await new Promise((ok, ko) => { const r = db.transaction("inbox").objectStore("inbox").count(); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
      if (n >= 2) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    db.close();
    const names = [...document.querySelectorAll(".thumb img")].map((i) => i.alt);
    setTimeout(() => location.reload(), 0);
    return names;
  });
  assert.deepEqual(shown, ["anh.jpg"], "the retake was done before the reload");
  await page.waitForLoadState("load");
  await paper.locator('.thumb img[alt="moi.jpg"]').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector(".pending-page, [aria-busy=true]"));
  assert.deepEqual(await paper.locator(".thumb img").evaluateAll((imgs) => imgs.map((i) => i.alt)), ["moi.jpg"]);
  // The replaced photo's original goes with the next save; the new one stays with its page.
  await page.locator("#save-state .ok").waitFor();
  await waitForInbox(page, 1);
});

test("a scan file whose first pages were saved when the tab closed gets its other pages on reopening; a page removed later stays removed", async (t) => {
  const { page } = await openPage(t, env.browser);
  await openKhaiSinhForm(page, env.server.url);
  await page.locator("#save-state .ok").waitFor();
  const logs = [];
  page.on("console", (m) => logs.push(m.text()));
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  // Eight pages, each ≈ 230 ms on an idle machine: the autosave's debounce
  // (250 ms), reset by every page, would save none before the last; its
  // longest wait (1 s) saves some while the others are still to come.
  const count = 8;
  await dropScannedTiff(page, paper, "quet.tif", count, 300);
  // Reload once a page of it is saved while others are still to come.
  const before = await page.evaluate(async () => {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    let saved = 0;
    // At most a minute: a page never made must fail the test, not hang it.
    for (const until = Date.now() + 60_000; Date.now() < until; ) {
      saved = await new Promise((ok, ko) => { const r = db.transaction("pages").objectStore("pages").count(); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
      if (saved > 0 || !document.querySelector(".pending-page")) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    const pending = document.querySelectorAll(".pending-page").length;
    db.close();
    setTimeout(() => location.reload(), 0);
    return { saved, pending };
  });
  assert.ok(before.saved > 0 && before.pending > 0, `not reloaded half way: ${JSON.stringify(before)}\n${logs.join("\n")}`);
  await page.waitForLoadState("load");
  await page.locator("#chosen-procedure").waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-component="giay-chung-sinh"] .thumb img').length >= n, count, { timeout: 90_000 });
  await page.waitForFunction(() => !document.querySelector(".pending-page"), null, { timeout: 30_000 });
  const names = () => paper.locator(".thumb img").evaluateAll((imgs) => imgs.map((i) => i.alt));
  assert.deepEqual(await names(), Array.from({ length: count }, (_, i) => `quet.tif · Trang ${i + 1}/${count}`));

  // All made: a page removed now is not made again on reopening.
  await paper.locator(".thumb").nth(1).getByRole("button", { name: /^Xóa/ }).click();
  await page.locator("#save-state .ok").waitFor();
  await page.waitForTimeout(300);
  await page.reload();
  await page.locator("#chosen-procedure").waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-component="giay-chung-sinh"] .thumb img').length >= n, count - 1);
  await page.waitForTimeout(2000); // a page made again would be back by now
  assert.deepEqual(await names(), Array.from({ length: count }, (_, i) => `quet.tif · Trang ${i + 1}/${count}`).filter((_, i) => i !== 1));
});

test("a scan page removed while the file's other pages are still being made stays removed after the tab closes", async (t) => {
  const { page } = await openPage(t, env.browser);
  await openKhaiSinhForm(page, env.server.url);
  await page.locator("#save-state .ok").waitFor();
  const logs = [];
  page.on("console", (m) => logs.push(m.text()));
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  const count = 4;
  await dropScannedTiff(page, paper, "xoa.tif", count, 400);
  // The first page removed once it is saved, and the tab reloaded once
  // that removal is saved too, while later pages are still to come.
  const before = await page.evaluate(async (count) => {
    const first = `Xóa xoa.tif · Trang 1/${count}`;
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    const saved = () => new Promise((ok, ko) => {
      const r = db.transaction("drafts").objectStore("drafts").getAll();
      r.onsuccess = () => ok(r.result.flatMap((d) => JSON.parse(d).pages.map((p) => p.source_name)));
      r.onerror = ko;
    });
    // What waits for the autosave's timer is written at once, as when the
    // tab is hidden: pages come every ≈ 230 ms, and the timer alone may
    // not fire before the last one.
    const flush = () => {
      Object.defineProperty(document, "hidden", { value: true, configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    };
    let removed = false, names = [];
    // At most a minute: a page never made must fail the test, not hang it.
    for (const until = Date.now() + 60_000; Date.now() < until; ) {
      names = await saved();
      const firstSaved = names.some((n) => n.endsWith(`Trang 1/${count}`));
      const button = [...document.querySelectorAll(".thumb button")].find((b) => b.getAttribute("aria-label") === first);
      if (!removed && firstSaved) {
        button.click();
        removed = true;
      } else if (removed && !firstSaved) break;
      if (button || removed) flush();
      if (!document.querySelector(".pending-page")) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    const pending = document.querySelectorAll(".pending-page").length;
    db.close();
    setTimeout(() => location.reload(), 0);
    return { removed, names, pending };
  }, count);
  assert.ok(before.removed && before.pending > 0, `not reloaded half way: ${JSON.stringify(before)}\n${logs.join("\n")}`);
  await page.waitForLoadState("load");
  await page.locator("#chosen-procedure").waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-component="giay-chung-sinh"] .thumb img').length >= n, count - 1, { timeout: 90_000 });
  await page.waitForFunction(() => !document.querySelector(".pending-page"), null, { timeout: 30_000 });
  await page.waitForTimeout(1000); // a page made again would be back by now
  const names = await paper.locator(".thumb img").evaluateAll((imgs) => imgs.map((i) => i.alt));
  assert.deepEqual(names, Array.from({ length: count }, (_, i) => `xoa.tif · Trang ${i + 1}/${count}`).slice(1));
  // Every page left can still be made again from the kept file.
  assert.equal(await paper.locator(".reprocess-profile").count(), count - 1);
  assert.equal((await inboxKeys(page)).length, 1);
});

test("storage full when a photo is dropped: the clerk is told at once, the page is still made, and saved once there is room", async (t) => {
  const { page } = await openPage(t, env.browser);
  await openKhaiSinhForm(page, env.server.url);
  await page.locator("#save-state .ok").waitFor();
  // The disk full: every write of the store refused as the browser does
  // (Chromium's quota override does not reach IndexedDB writes).
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      if (window.hosoFull) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return put.apply(this, args);
    };
    window.hosoFull = true;
  });
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  await paper.locator('.dropzone input[type="file"]').setInputFiles(named(0));
  const note = page.locator(".problem", { hasText: "p1.jpg" });
  await note.waitFor();
  assert.match(await note.innerText(), /Bộ nhớ của trình duyệt đã đầy/);
  // Still made, from memory.
  await paper.locator('.thumb img[alt="p1.jpg"]').waitFor({ timeout: 30_000 });
  await page.locator("#save-state .problem").waitFor(); // its save failed too, and says so
  // Room again (a dossier deleted elsewhere): the next change saves the page too.
  await page.evaluate(() => { window.hosoFull = false; });
  await page.locator(fieldId("child.home_town")).fill("Xã Tịnh Khê, tỉnh Quảng Ngãi.");
  await page.locator("#save-state .ok").waitFor();
  await page.reload();
  await page.locator("#chosen-procedure").waitFor();
  await paper.locator('.thumb img[alt="p1.jpg"]').waitFor({ timeout: 30_000 });
  // Its original was kept with that save too: the page can still be made
  // again with other settings after the tab closed.
  assert.equal((await inboxKeys(page)).length, 1);
  const other = (await paper.locator(".thumb").getAttribute("data-profile")) === "color" ? "text" : "color";
  await paper.locator(".reprocess-profile").selectOption(other);
  await paper.locator(`.thumb[data-profile="${other}"]`).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator(".problem", { hasText: "p1.jpg" }).count(), 0);
});

test("under a PIN, dropped photos are kept sealed at once, and after a reload and the PIN they all come back", async (t) => {
  const { page } = await openPage(t, env.browser);
  await page.goto(env.server.url);
  await page.locator(".settings summary").click();
  await page.locator("#new-pin").fill("246810");
  await page.locator("#new-pin-again").fill("246810");
  await page.locator("#set-pin").click();
  await page.locator("#lock-now").waitFor();
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator("#chosen-procedure").waitFor();
  await page.locator("#save-state .ok").waitFor();
  const input = page.locator('[data-component="giay-chung-sinh"] .dropzone input[type="file"]');
  for (let i = 0; i < 3; i++) await input.setInputFiles(named(i));
  // Reload once the three are kept (sealed, no photo bytes in the clear).
  const types = await page.evaluate(async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); });
    let values = [];
    for (;;) {
      values = await new Promise((ok) => { const r = db.transaction("inbox").objectStore("inbox").getAll(); r.onsuccess = () => ok(r.result); });
      if (values.length >= 3 || document.querySelector(".thumb")) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    db.close();
    setTimeout(() => location.reload(), 0);
    return values.map((v) => v.data.type);
  });
  assert.deepEqual(types, Array(3).fill("application/x-hoso-sealed"));
  await page.waitForLoadState("load");
  await page.locator("#unlock-pin").fill("246810");
  await page.locator("#unlock").click();
  await page.waitForFunction(() => document.querySelectorAll('[data-component="giay-chung-sinh"] .thumb img').length >= 3, null, { timeout: 90_000 });
  const names = await page.locator('[data-component="giay-chung-sinh"] .thumb img').evaluateAll((imgs) => imgs.map((i) => i.alt));
  assert.deepEqual(names, ["p1.jpg", "p2.jpg", "p3.jpg"]);
});

test("a photo whose file is gone from its disk before its turn (a USB stick pulled out) is made from the copy kept at the drop", async (t) => {
  const { page } = await openPage(t, env.browser);
  await openKhaiSinhForm(page, env.server.url);
  await page.locator("#save-state .ok").waitFor();
  // Files on disk, as a clerk picks them from a stick.
  const dir = tempDir();
  const paths = [0, 1, 2, 3].map((i) => { const p = join(dir, `p${i + 1}.jpg`); writeFileSync(p, photos[i]); return p; });
  const input = page.locator('[data-component="giay-chung-sinh"] .dropzone input[type="file"]');
  await input.setInputFiles(paths);
  await waitForInbox(page, 4, { atLeast: true });
  // Four photos, so the last one's turn is still ≥ 3 pages away (≈ 1 s) when all are kept.
  const made = await page.locator(".thumb").count();
  unlinkSync(paths[3]);
  assert.ok(made < 4, "the last photo was made before its file was removed");
  const logs = [];
  page.on("console", (m) => logs.push(m.text()));
  await page
    .waitForFunction(() => document.querySelectorAll('[data-component="giay-chung-sinh"] .thumb img, .problem').length >= 4, null, { timeout: 60_000 })
    .catch((e) => assert.fail(`${e.message}\n${logs.join("\n")}`));
  assert.deepEqual(await page.locator(".problem").allTextContents(), [], logs.join("\n"));
  assert.deepEqual(await page.locator(".thumb img").evaluateAll((imgs) => imgs.map((i) => i.alt)), ["p1.jpg", "p2.jpg", "p3.jpg", "p4.jpg"]);
  assert.equal(await page.locator(".problem").count(), 0);
});

test("Hồ sơ mới right after a drop: the waiting photos are made when that dossier is reopened", async (t) => {
  const { page } = await openPage(t, env.browser);
  await openKhaiSinhForm(page, env.server.url);
  await page.locator("#save-state .ok").waitFor();
  const input = page.locator('[data-component="giay-chung-sinh"] .dropzone input[type="file"]');
  for (let i = 0; i < 3; i++) await input.setInputFiles(named(i));
  await page.locator("#new-dossier").click();
  const row = page.locator("table.saved-list tr").first();
  await row.waitFor();
  await page.waitForTimeout(3000); // the photos' turns pass while no dossier is open
  await row.locator("button.open").click();
  await page.locator("#chosen-procedure").waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-component="giay-chung-sinh"] .thumb img').length >= 3, null, { timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector(".pending-page"));
  assert.deepEqual(await page.locator(".thumb img").evaluateAll((imgs) => imgs.map((i) => i.alt)), ["p1.jpg", "p2.jpg", "p3.jpg"]);
});
