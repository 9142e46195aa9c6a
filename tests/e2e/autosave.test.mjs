// "Đã lưu" tells the truth: it shows only once the latest change is in
// IndexedDB (a change waiting for the debounce says "Đang lưu…"), a tab
// hidden or closed right after a keystroke still stores it, and each
// paper's scan choices (Cách lưu, Khổ giấy) come back with the draft.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openPage, fieldId, drawnPhoto, fillKhaiSinh, formPdfText } from "./harness.mjs";

const env = useServerAndBrowser();

/** The stored drafts, read straight from IndexedDB (no PIN: plain JSON). */
const storedDrafts = (page) =>
  page.evaluate(async () => {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    const all = await new Promise((ok) => { const r = db.transaction("drafts").objectStore("drafts").getAll(); r.onsuccess = () => ok(r.result); });
    db.close();
    return all.map((s) => JSON.parse(s));
  });

const storedAnswer = async (page, key) => (await storedDrafts(page))[0]?.answers[key];

async function startKhaiSinh(page) {
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator(fieldId("child.full_name")).fill("Lê Thị Mai");
  await page.locator("#save-state .ok").waitFor();
}

test("Đã lưu only once the latest change is stored; typing stays debounced", async (t) => {
  const { page } = await openPage(t, env.browser);
  await startKhaiSinh(page);
  const field = page.locator(fieldId("child.home_town"));
  for (const value of ["Xã Tịnh Khê", "Xã Tịnh Ấn Tây"]) {
    await field.fill(value);
    // At once, before the debounce: not "Đã lưu" but "Đang lưu…".
    assert.equal(await page.locator("#save-state .ok").count(), 0, `"Đã lưu" shown while "${value}" waits`);
    assert.equal(await page.locator("#save-state .saving").innerText(), "Đang lưu…");
    await page.locator("#save-state .ok").waitFor();
    assert.equal(await storedAnswer(page, "child.home_town"), value, "what Đã lưu promised is in the store");
  }
  // Key by key: still one save after the last key, and Đã lưu only then.
  await field.fill("");
  await field.pressSequentially("Thôn Đông", { delay: 20 });
  assert.equal(await page.locator("#save-state .ok").count(), 0);
  await page.locator("#save-state .ok").waitFor();
  assert.equal(await storedAnswer(page, "child.home_town"), "Thôn Đông");
});

test("a tab hidden or closed right after a keystroke stores it at once", async (t) => {
  const { context, page } = await openPage(t, env.browser);
  await startKhaiSinh(page);
  // Hidden (another tab, minimised): the waiting save is written now, not
  // in 250 ms; a read made after the event queues behind that write.
  await page.locator(fieldId("child.home_town")).fill("Ấp Mỹ Hòa");
  const stored = await page.evaluate(async () => {
    Object.defineProperty(document, "hidden", { value: true, configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
    const db = await new Promise((ok) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); });
    const all = await new Promise((ok) => { const r = db.transaction("drafts").objectStore("drafts").getAll(); r.onsuccess = () => ok(r.result); });
    db.close();
    return JSON.parse(all[0]).answers["child.home_town"];
  });
  assert.equal(stored, "Ấp Mỹ Hòa");
  // Closed: the tab is gone before the debounce would have fired.
  await page.locator(fieldId("child.birth_place")).fill("Trạm y tế xã Hòa Bình");
  const closed = new Promise((ok) => page.once("close", ok));
  await page.close({ runBeforeUnload: true });
  await closed;
  const again = await context.newPage();
  await again.goto(env.server.url);
  assert.equal(await storedAnswer(again, "child.birth_place"), "Trạm y tế xã Hòa Bình");
  await again.locator("#chosen-procedure").waitFor();
  assert.equal(await again.locator(fieldId("child.birth_place")).inputValue(), "Trạm y tế xã Hòa Bình");
});

test("a paper's Cách lưu and Khổ giấy are kept with the draft and used after a reload", async (t) => {
  const { page } = await openPage(t, env.browser);
  await startKhaiSinh(page);
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  await paper.locator("select.scan-profile").selectOption("text");
  await paper.locator("select.scan-paper").selectOption("a5");
  await page.locator("#save-state .ok").waitFor();
  const choices = (await storedDrafts(page))[0].capture;
  assert.deepEqual(choices, { "giay-chung-sinh": { profile: "text", paper: "a5" } });
  await page.reload();
  await page.locator("#chosen-procedure").waitFor();
  assert.equal(await paper.locator("select.scan-profile").inputValue(), "text");
  assert.equal(await paper.locator("select.scan-paper").inputValue(), "a5");
  // Other papers keep the defaults.
  const other = page.locator(".card.paper:not([data-component=\"giay-chung-sinh\"])").first();
  if (await other.count()) assert.equal(await other.locator("select.scan-profile").inputValue(), "auto");
  // The next photo is made with them.
  await paper.locator(".dropzone input").setInputFiles(await drawnPhoto(env.browser));
  await paper.locator(".thumb img").waitFor({ timeout: 60_000 });
  assert.equal(await paper.locator(".thumb").getAttribute("data-profile"), "text");
  await page.locator("#save-state .ok").waitFor();
  const scan = (await storedDrafts(page))[0].pages[0].scan;
  assert.equal(scan.asked, "text");
  assert.equal(scan.paper, "a5");
  // Back to the defaults: nothing is kept for the paper.
  await paper.locator("select.scan-profile").selectOption("auto");
  await paper.locator("select.scan-paper").selectOption("auto");
  await page.locator("#save-state .ok").waitFor();
  assert.equal((await storedDrafts(page))[0].capture, undefined);
});

test("a declaration made on one day is still dated that day when the dossier is reopened days later", async (t) => {
  const { page } = await openPage(t, env.browser);
  const pdfText = async () => (await formPdfText(page)).normalize("NFC");
  // 20 Nov, 10:00 in Vietnam.
  await page.clock.setFixedTime(new Date("2026-11-20T03:00:00Z"));
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await fillKhaiSinh(page);
  await page.locator("#create-form").click();
  assert.match(await pdfText(), /ngày 20 tháng 11 năm 2026/);
  await page.locator("#save-state .ok").waitFor();
  // Three days later the clerk reopens it to add the papers.
  await page.clock.setFixedTime(new Date("2026-11-23T03:00:00Z"));
  await page.reload();
  await page.locator("#chosen-procedure").waitFor();
  const text = await pdfText();
  assert.match(text, /ngày 20 tháng 11 năm 2026/);
  assert.doesNotMatch(text, /ngày 23 tháng 11/);
});
