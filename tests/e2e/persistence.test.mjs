// Nothing typed or scanned is lost to a reload, and a shared PC can be
// purged: the dossier is saved on every change, reopened where work
// stopped (page blobs checked by hash), listed and searchable.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openContext, openPage, fillKhaiSinh, fieldId, tempDir, drawnPhoto, waitForInbox } from "./harness.mjs";
import { join } from "node:path";
import { writeFileSync, readFileSync } from "node:fs";

let photo;
const env = useServerAndBrowser(async () => {
  photo = await drawnPhoto(env.browser);
});

/** SHA-256 of every page thumbnail's bytes, in order (the stored JPEGs). */
const pageHashes = (page) =>
  page.$$eval(".thumb img", async (imgs) =>
    Promise.all(imgs.map(async (img) => {
      const buf = await (await fetch(img.src)).arrayBuffer();
      return [...new Uint8Array(await crypto.subtle.digest("SHA-256", buf))].map((b) => b.toString(16).padStart(2, "0")).join("");
    })),
  );

test("a reload resumes the dossier exactly; list, search, purge", async (t) => {
  const { page } = await openPage(t, env.browser);
  page.on("dialog", (d) => d.accept());
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await fillKhaiSinh(page);
  await page.locator("#create-form").click();
  await page.locator("#form-pdf").waitFor();
  const paper = page.locator('[data-component="giay-chung-sinh"] .dropzone input[type="file"]');
  await paper.setInputFiles(photo);
  await page.locator(".thumb img").first().waitFor();
  await paper.setInputFiles(photo);
  await page.locator(".thumb").nth(1).waitFor();
  // An answer changed last makes the declaration stale; Enter makes it again.
  await page.locator(fieldId("child.home_town")).fill("Xã Tịnh Khê");
  assert.equal(await page.locator("#form-pdf").count(), 0);
  await page.locator(fieldId("child.home_town")).press("Enter");
  await page.locator("#form-pdf").waitFor();
  await page.locator("#save-state .ok").waitFor();
  const before = await pageHashes(page);
  assert.equal(before.length, 2);

  await page.reload();
  await page.locator("#chosen-procedure", { hasText: "Đăng ký khai sinh" }).waitFor();
  await page.locator(".thumb").nth(1).waitFor();
  assert.equal(await page.locator(fieldId("child.home_town")).inputValue(), "Xã Tịnh Khê");
  assert.equal(await page.locator(fieldId("applicant.full_name")).inputValue(), "Nguyễn Văn Bình");
  assert.equal(await page.locator(fieldId("child.sex")).inputValue(), "Nữ");
  assert.equal(await page.locator("#f-place").inputValue(), "Hòa Bình");
  assert.deepEqual(await pageHashes(page), before, "page blobs come back byte for byte");
  await page.locator("#form-pdf").waitFor(); // the declaration was done before the reload

  // Remove one page; the removal is saved too.
  await page.locator(".thumb button").first().click();
  await page.locator("#save-state .ok").waitFor();
  await page.reload();
  await page.locator(".thumb img").first().waitFor();
  assert.equal(await page.locator(".thumb").count(), 1);

  // Back to the list: found with and without diacritics, status shown.
  await page.locator("#new-dossier").click();
  const rows = page.locator("table.saved-list tr");
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /Nguyễn Văn Bình[\s\S]*Đăng ký khai sinh[\s\S]*Nháp/);
  await page.locator("#saved-search").fill("nguyen van binh");
  assert.equal(await rows.count(), 1);
  await page.locator("#saved-search").fill("001090012345");
  assert.equal(await rows.count(), 1);
  await page.locator("#saved-search").fill("tran van khong");
  assert.equal(await rows.count(), 0);
  await page.locator("#saved-search").fill("");
  await rows.first().locator("button.open").click();
  await page.locator(".thumb img").first().waitFor();
  assert.equal(await page.locator(fieldId("child.home_town")).inputValue(), "Xã Tịnh Khê");

  // Purge everything (the dialog is accepted) right after an edit, while
  // its autosave is still waiting: nothing is left after a reload.
  await page.locator(fieldId("child.home_town")).fill("Xã Tịnh Khê, tỉnh Quảng Ngãi");
  await page.evaluate(() => document.querySelector("#purge-all").click()); // well within the 250 ms
  await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
  await page.waitForTimeout(600); // past the autosave delay: a save left waiting would land now
  await page.reload();
  await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
  await page.locator(".saved .help").waitFor();
  assert.equal(await page.locator("table.saved-list tr").count(), 0);
  const left = await page.evaluate(async () => {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    const count = (name) => new Promise((ok) => { const r = db.transaction(name).objectStore(name).count(); r.onsuccess = () => ok(r.result); });
    return [await count("drafts"), await count("pages")];
  });
  assert.deepEqual(left, [0, 0]);
});

test("a page removed before the first save stays removed: its original leaves the store too", async (t) => {
  const { page } = await openPage(t, env.browser);
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator("#save-state .ok").waitFor();
  const paper = page.locator('[data-component="giay-chung-sinh"] .dropzone input[type="file"]');
  await paper.setInputFiles(photo);
  // Removed at once: well inside the autosave's 250 ms debounce.
  await page.locator(".thumb button", { hasText: "Xóa" }).first().click();
  assert.equal(await page.locator(".thumb").count(), 0);
  await page.locator("#save-state .ok").waitFor();
  const inbox = () => page.evaluate(async () => {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    const n = await new Promise((ok, ko) => { const r = db.transaction("inbox").objectStore("inbox").count(); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    db.close();
    return n;
  });
  assert.equal(await inbox(), 0, "the removed page's original is still in the inbox");
  await page.reload();
  await page.locator("#chosen-procedure", { hasText: "Đăng ký khai sinh" }).waitFor();
  await page.waitForTimeout(1500); // a page remade from the inbox would be back by now
  assert.equal(await page.locator(".thumb").count(), 0);
});

test(`"Hồ sơ mới" right after a keystroke keeps it: the last change is saved and listed, and the start screen opens no dossier`, async (t) => {
  const { page } = await openPage(t, env.browser);
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator("#save-state .ok").waitFor();
  // Typed and left at once: well inside the autosave's 250 ms debounce.
  await page.locator(fieldId("child.full_name")).fill("Phạm Minh Vội");
  await page.locator("#new-dossier").click();
  const row = page.locator("table.saved-list tr", { hasText: "Phạm Minh Vội" });
  await row.waitFor({ timeout: 5000 });
  await page.reload();
  await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
  await row.waitFor();
  assert.equal(await page.locator("#chosen-procedure").count(), 0, "the dossier left is not reopened by a reload");
});

test("a corrupt stored record is reported and the others still open", async (tc) => {
  const { page } = await openPage(tc, env.browser);
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-tu"] button').click();
  await page.locator(fieldId("applicant.full_name")).fill("Lê Thị Mai");
  await page.locator("#save-state .ok").waitFor();
  await page.locator("#new-dossier").click();
  await page.locator("table.saved-list tr").first().waitFor();
  await page.evaluate(async () => {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    await new Promise((ok) => { const t = db.transaction("drafts", "readwrite"); t.objectStore("drafts").put('{"schema":1,"id":', "broken"); t.oncomplete = ok; });
  });
  await page.reload();
  await page.locator(".problem", { hasText: "bị hỏng" }).waitFor();
  assert.equal(await page.locator("table.saved-list tr").count(), 1);
  assert.match(await page.locator("table.saved-list tr").first().innerText(), /Lê Thị Mai/);
});

test("when storage is full the clerk is told and nothing on screen is lost", async (t) => {
  const context = await openContext(t, env.browser);
  // Chromium's CDP quota override has no effect on IndexedDB here, so the
  // browser's refusal is injected where it surfaces: a put() that throws
  // QuotaExceededError while window.__storageFull is set.
  await context.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      if (window.__storageFull) throw new DOMException("quota", "QuotaExceededError");
      return put.apply(this, args);
    };
  });
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await fillKhaiSinh(page);
  await page.locator("#save-state .ok").waitFor();
  await page.evaluate(() => (window.__storageFull = true));
  await page.locator('[data-component="giay-chung-sinh"] .dropzone input[type="file"]').setInputFiles(photo);
  await page.locator("#save-state .problem", { hasText: "Bộ nhớ của trình duyệt đã đầy" }).waitFor();
  assert.equal(await page.locator(".thumb").count(), 1, "the page stays on screen");
  // Typed in NFD (harness), held in NFC.
  assert.equal(await page.locator(fieldId("child.full_name")).inputValue(), "Nguyễn Thị Ánh Dương".normalize("NFC"));
  // Space again (the clerk purged elsewhere): the next save stores everything.
  await page.evaluate(() => (window.__storageFull = false));
  await page.locator(fieldId("child.home_town")).fill("Xã Tịnh Khê");
  await page.locator("#save-state .ok").waitFor();
  await page.reload();
  await page.locator(".thumb img").first().waitFor();
  assert.equal(await page.locator(fieldId("child.home_town")).inputValue(), "Xã Tịnh Khê");
});

test("backup to a file and back: verified before anything is written", async (t) => {
  const { page } = await openPage(t, env.browser, { acceptDownloads: true });
  page.on("dialog", (d) => d.accept());
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await fillKhaiSinh(page);
  await page.locator('[data-component="giay-chung-sinh"] .dropzone input[type="file"]').setInputFiles(photo);
  await page.locator(".thumb img").first().waitFor();
  await page.locator("#save-state .ok").waitFor();
  const hashes = await pageHashes(page);
  await page.locator("#new-dossier").click();
  await page.locator("table.saved-list tr").first().waitFor();

  // One dossier's backup is named after its person.
  await page.locator("table.saved-list tr button.export").first().click();
  await page.locator("#backup-download", { hasText: "nguyen-van-binh" }).waitFor();
  await page.locator("#export-all").click();
  await page.locator("#backup-download", { hasText: /^hoso-sao-luu-\d{8}\.zip$/ }).waitFor();
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#backup-download").click()]);
  assert.match(download.suggestedFilename(), /^hoso-sao-luu-\d{8}\.zip$/);
  const file = join(tempDir(), download.suggestedFilename());
  await download.saveAs(file);
  // The photo the page was made from travels with it.
  assert.ok(readFileSync(file).includes("data/originals/"), "no original in the backup");

  // A copy with one changed byte is refused and writes nothing.
  const bytes = readFileSync(file);
  const bad = Buffer.from(bytes);
  bad[bytes.indexOf(Buffer.from([0xff, 0xd8, 0xff])) + 400] ^= 0x01;
  const badFile = join(tempDir(), "hong.zip");
  writeFileSync(badFile, bad);

  await page.locator("#purge-all").click();
  await page.locator(".saved .help").waitFor();
  await page.locator("#import-file").setInputFiles(badFile);
  await page.locator(".problem", { hasText: "SHA-256 không khớp" }).waitFor();
  assert.equal(await page.locator("table.saved-list tr").count(), 0);

  await page.locator("#import-file").setInputFiles(file);
  await page.locator(".notice", { hasText: "Đã nhập hồ sơ từ tệp sao lưu: 1" }).waitFor();
  const row = page.locator("table.saved-list tr").first();
  assert.match(await row.innerText(), /Nguyễn Văn Bình/);
  await row.locator("button.open").click();
  await page.locator(".thumb img").first().waitFor();
  assert.deepEqual(await pageHashes(page), hashes);
  // Restored with its original: the page can be made again with other settings.
  const thumb = page.locator(".thumb").first();
  const other = (await thumb.getAttribute("data-profile")) === "color" ? "text" : "color";
  await thumb.locator(".reprocess-profile").selectOption(other);
  await page.locator(`.thumb[data-profile="${other}"]`).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator(".problem").count(), 0);
});

/** Writes, on a page of the origin that is not the app, the IndexedDB an
 * older release left: layout `version` with `stores`, and one draft record
 * (schema 1) in "drafts". */
async function writeOldStore(page, version, stores, { id, procedure, answers }) {
  await page.goto(`${env.server.url}/manifest.webmanifest`);
  await page.evaluate(async ({ version, stores, rec }) => {
    const db = await new Promise((ok, ko) => {
      const r = indexedDB.open("hoso", version);
      r.onupgradeneeded = () => stores.forEach((n) => r.result.createObjectStore(n));
      r.onsuccess = () => ok(r.result);
      r.onerror = ko;
    });
    const now = Date.now();
    const record = { schema: 1, ...rec, created_ms: now, updated_ms: now };
    await new Promise((ok) => { const t = db.transaction("drafts", "readwrite"); t.objectStore("drafts").put(JSON.stringify(record), record.id); t.oncomplete = ok; });
    db.close();
  }, { version, stores, rec: { id, procedure, answers } });
}

test("a store from the previous layout (v1) is upgraded with its data, and a page in flight is redone", async (t) => {
  const { page } = await openPage(t, env.browser);
  // A v1 store as the first release left it: drafts + pages, no inbox.
  await writeOldStore(page, 1, ["drafts", "pages"], { id: "19b0000000-abcdef", procedure: "khai-tu", answers: { "applicant.full_name": "Phạm Văn Cũ" } });
  await page.goto(env.server.url);
  const row = page.locator("table.saved-list tr").first();
  await row.waitFor();
  assert.match(await row.innerText(), /Phạm Văn Cũ/);
  const layout = await page.evaluate(async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); });
    const out = { version: db.version, stores: [...db.objectStoreNames].sort() };
    db.close();
    return out;
  });
  assert.deepEqual(layout, { version: 4, stores: ["drafts", "inbox", "meta", "pages", "people"] });

  // A large photo is picked; the tab is reloaded while it is being processed.
  await row.locator("button.open").click();
  await page.locator("#chosen-procedure").waitFor();
  const big = await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 6000; c.height = 4500; // 27 MP: long enough to process that the reload lands mid-way
    const g = c.getContext("2d");
    g.fillStyle = "#f5f2ea"; g.fillRect(0, 0, 6000, 4500);
    g.fillStyle = "#222"; g.font = "60px serif";
    for (let i = 0; i < 40; i++) g.fillText(`Giấy báo tử — dòng ${i}`, 100, 100 + i * 70);
    return c.toDataURL("image/jpeg", 0.92);
  });
  await page.locator('[data-component="giay-bao-tu"] .dropzone input[type="file"]').setInputFiles({ name: "bao-tu.jpg", mimeType: "image/jpeg", buffer: Buffer.from(big.split(",")[1], "base64") });
  // Reload from inside the page the moment the original is in the inbox.
  const thumbsBefore = await page.evaluate(async () => {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    // At most a minute: a loop with no way out would hang the whole run.
    for (const until = Date.now() + 60_000; Date.now() < until; ) {
      const n = await new Promise((ok, ko) => { const r = db.transaction("inbox").objectStore("inbox").count(); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
      if (n > 0) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    const shown = document.querySelectorAll(".thumb").length;
    setTimeout(() => location.reload(), 0);
    return shown;
  });
  await page.waitForLoadState("load");
  await page.locator('[data-component="giay-bao-tu"] .thumb img').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-component="giay-bao-tu"] .thumb').count(), 1);
  assert.equal(thumbsBefore, 0, "reloaded while the page was still being processed");
  // Once saved, the original stays as the page's own (to make it again
  // with other settings), not as a file waiting: a reload makes nothing more.
  await page.locator("#save-state .ok").waitFor();
  await waitForInbox(page, 1);
  await page.reload();
  await page.locator('[data-component="giay-bao-tu"] .thumb img').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000); // a page wrongly redone from the inbox would show as pending by now
  assert.equal(await page.locator(".pending-page").count(), 0);
  assert.equal(await page.locator('[data-component="giay-bao-tu"] .thumb').count(), 1);
  await waitForInbox(page, 1);
});

test("a person declared once is offered again in the next dossier", async (t) => {
  const { page } = await openPage(t, env.browser);
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await fillKhaiSinh(page);
  await page.locator("#save-state .ok").waitFor();
  await page.locator("#new-dossier").click();
  await page.locator('[data-procedure="khai-tu"] button').click();
  await page.locator("#people-search").fill("nguyen van binh");
  const person = page.locator('li[data-person="001090012345"]');
  await person.waitFor();
  await person.locator("select").selectOption("applicant");
  await person.locator("button").click();
  assert.equal(await page.locator(fieldId("applicant.full_name")).inputValue(), "Nguyễn Văn Bình");
  assert.equal(await page.locator(fieldId("applicant.id_number")).inputValue(), "001090012345");
  assert.equal(await page.locator(fieldId("applicant.residence")).inputValue(), "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi");
});

test("a store from layout v2 (with an inbox entry) is upgraded with everything kept", async (t) => {
  const { page } = await openPage(t, env.browser);
  const id = "19b1111111-fedcba";
  await writeOldStore(page, 2, ["drafts", "pages", "inbox"], { id, procedure: "khai-sinh", answers: { "applicant.full_name": "Đỗ Thị Hai", "applicant.id_number": "001190012345" } });
  await page.goto(env.server.url);
  const row = page.locator(`table.saved-list tr[data-draft="${id}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /Đỗ Thị Hai/);
  const layout = await page.evaluate(async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); });
    const out = { version: db.version, stores: [...db.objectStoreNames].sort() };
    db.close();
    return out;
  });
  assert.deepEqual(layout, { version: 4, stores: ["drafts", "inbox", "meta", "pages", "people"] });
});

test("layout v3 kept the open dossier in localStorage: after the upgrade it reopens, and the marker moves into the store", async (t) => {
  const { page } = await openPage(t, env.browser);
  const id = "19b2222222-abcabc";
  await writeOldStore(page, 3, ["drafts", "pages", "inbox", "people"], { id, procedure: "khai-tu", answers: { "applicant.full_name": "Vũ Văn Ba" } });
  await page.evaluate((id) => localStorage.setItem("hoso.current", id), id);
  await page.goto(env.server.url);
  await page.locator("#chosen-procedure").waitFor();
  assert.equal(await page.locator(fieldId("applicant.full_name")).inputValue(), "Vũ Văn Ba");
  await page.locator("#save-state .ok").waitFor(); // the autosave of the reopened dossier
  const after = await page.evaluate(async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); });
    const current = await new Promise((ok) => { const r = db.transaction("meta").objectStore("meta").get("current"); r.onsuccess = () => ok(r.result); });
    return { current, legacy: localStorage.getItem("hoso.current") };
  });
  assert.deepEqual(after, { current: id, legacy: null });
});

test("a newer layout opened in another tab is not kept waiting by a tab already open", async (t) => {
  const { context, page } = await openPage(t, env.browser);
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').waitFor();
  const other = await context.newPage();
  await other.goto(`${env.server.url}/manifest.webmanifest`);
  const outcome = await other.evaluate(async () => {
    // The app's store is open (layout 4) in the first tab.
    for (const until = Date.now() + 10_000; Date.now() < until; ) {
      if ((await indexedDB.databases()).some((d) => d.name === "hoso" && d.version >= 4)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return new Promise((ok) => {
      let blocked = false;
      const r = indexedDB.open("hoso", 99);
      r.onblocked = () => { blocked = true; };
      r.onsuccess = () => { r.result.close(); ok({ opened: true, blocked }); };
      r.onerror = () => ok({ opened: false, error: String(r.error) });
      setTimeout(() => ok({ opened: false, blocked }), 5000);
    });
  });
  assert.equal(outcome.opened, true, `the upgrade waited on the open tab: ${JSON.stringify(outcome)}`);
});
