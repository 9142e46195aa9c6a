// Shared counter PCs: a PIN encrypts stored personal data at rest (a wrong
// PIN opens nothing), citizen mode stores nothing, finished dossiers are
// auto-deleted after the configured number of days.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openPage, fillKhaiSinh, fieldId } from "./harness.mjs";

const env = useServerAndBrowser();

/** Raw IndexedDB contents: draft records as stored, and page blob types. */
const rawStore = (page) =>
  page.evaluate(async () => {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    const all = (name) => new Promise((ok) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); });
    const drafts = await all("drafts");
    const pages = await all("pages");
    const people = await all("people");
    const pageText = await Promise.all(pages.map(async (b) => new TextDecoder("latin1").decode(await b.arrayBuffer())));
    db.close();
    return { drafts, people, pageTypes: pages.map((b) => b.type), pageText };
  });

async function photo(page) {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 400; c.height = 560;
    const g = c.getContext("2d");
    g.fillStyle = "#fff"; g.fillRect(0, 0, 400, 560);
    g.fillStyle = "#000"; g.font = "18px serif"; g.fillText("Giấy chứng sinh — PHOTO-MARKER", 20, 60);
    return c.toDataURL("image/jpeg", 0.9);
  });
  return { name: "p.jpg", mimeType: "image/jpeg", buffer: Buffer.from(dataUrl.split(",")[1], "base64") };
}

test("PIN lock: data encrypted at rest, wrong PIN refused, right PIN restores everything", async (t) => {
  const { page } = await openPage(t, env.browser);
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await fillKhaiSinh(page);
  await page.locator('[data-component="giay-chung-sinh"] .dropzone input[type="file"]').setInputFiles(await photo(page));
  await page.locator(".thumb img").first().waitFor();
  await page.locator("#save-state .ok").waitFor();
  let raw = await rawStore(page);
  assert.match(raw.drafts[0], /Trần Thị Hoa/, "plain before a PIN is set");

  await page.locator("#new-dossier").click();
  await page.locator(".settings summary").click();
  await page.locator("#new-pin").fill("12");
  await page.locator("#new-pin-again").fill("12");
  await page.locator("#set-pin").click();
  await page.locator(".settings .problem", { hasText: "4 đến 12 chữ số" }).waitFor();
  await page.locator("#new-pin").fill("246810");
  await page.locator("#new-pin-again").fill("246811");
  await page.locator("#set-pin").click();
  await page.locator(".settings .problem", { hasText: "không giống nhau" }).waitFor();
  await page.locator("#new-pin-again").fill("246810");
  await page.locator("#set-pin").click();
  await page.locator("#lock-now").waitFor();

  raw = await rawStore(page);
  assert.equal(raw.drafts.length, 1);
  assert.ok(raw.drafts[0].startsWith("enc1:"), "record encrypted");
  assert.ok(raw.people.length > 0 && raw.people.every((p) => p.startsWith("enc1:")), "people encrypted");
  assert.doesNotMatch(raw.drafts[0], /Hoa|001090012345/);
  assert.deepEqual(raw.pageTypes, ["application/x-hoso-sealed"]);
  assert.ok(!raw.pageText[0].includes("JFIF") && !raw.pageText[0].startsWith("\xff\xd8"), "page blob is not a JPEG any more");

  // Locked after a reload; a wrong PIN opens nothing.
  await page.reload();
  await page.locator("#unlock-pin").waitFor();
  assert.equal(await page.locator("table.saved-list").count(), 0);
  await page.locator("#unlock-pin").fill("000000");
  await page.locator("#unlock").click();
  await page.locator(".lock .problem", { hasText: "Mã PIN không đúng" }).waitFor();
  await page.locator("#unlock-pin").fill("246810");
  await page.locator("#unlock").click();
  // It resumes the dossier that was open before (none: we were on the list) and lists it.
  const row = page.locator("table.saved-list tr").first();
  await row.waitFor();
  assert.match(await row.innerText(), /Nguyễn Văn Bình/);
  await row.locator("button.open").click();
  await page.locator(".thumb img").first().waitFor();
  assert.equal(await page.locator(fieldId("mother.full_name")).inputValue(), "Trần Thị Hoa");

  // New work while unlocked is stored encrypted too; "Khóa ngay" locks at once.
  await page.locator(fieldId("child.home_town")).fill("Xã Tịnh Khê");
  await page.locator("#save-state .ok").waitFor();
  raw = await rawStore(page);
  assert.ok(raw.drafts.every((d) => d.startsWith("enc1:")));
  await page.locator("#new-dossier").click();
  await page.locator(".settings summary").click();
  await page.locator("#lock-now").click();
  await page.locator("#unlock-pin").waitFor();

  // Removing the PIN decrypts everything back.
  await page.locator("#unlock-pin").fill("246810");
  await page.locator("#unlock").click();
  await page.locator("table.saved-list tr").first().waitFor();
  await page.locator(".settings summary").click();
  await page.locator("#remove-pin").click();
  await page.locator("#set-pin").waitFor();
  raw = await rawStore(page);
  assert.match(raw.drafts[0], /Xã Tịnh Khê/);
  assert.deepEqual(raw.pageTypes, ["application/x-hoso-page"]);
});

test("citizen mode stores nothing; auto-delete removes old finished dossiers", async (tc) => {
  const { page } = await openPage(tc, env.browser);
  await page.goto(env.server.url);
  await page.locator(".settings summary").click();
  await page.locator("#citizen-mode").check();
  await page.locator(".banner.citizen").waitFor();
  await page.locator('[data-procedure="khai-sinh"] button').click();
  // Citizen mode opens the step-by-step presentation; the one-page one types faster here.
  await page.locator("#mode-one-page").click();
  await fillKhaiSinh(page);
  await page.waitForTimeout(800);
  assert.equal((await rawStore(page)).drafts.length, 0, "nothing written in citizen mode");
  await page.reload();
  await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
  await page.locator(".settings summary").click();
  await page.locator("#citizen-mode").uncheck();

  // A packaged dossier last changed 3 days ago, and a draft as old: with a
  // 2-day setting only the packaged one goes.
  await page.locator("#auto-delete").fill("2");
  await page.locator("#auto-delete").dispatchEvent("change");
  await page.evaluate(async () => {
    const old = Date.now() - 3 * 86400000;
    const rec = (id, code) => JSON.stringify({ schema: 1, id, procedure: "khai-sinh", answers: { "applicant.full_name": id }, created_ms: old, updated_ms: old, packed_code: code });
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    await new Promise((ok) => {
      const t = db.transaction("drafts", "readwrite");
      t.objectStore("drafts").put(rec("aaa-old-packed", "HOSO-261119-0001"), "aaa-old-packed");
      t.objectStore("drafts").put(rec("bbb-old-draft", null), "bbb-old-draft");
      t.oncomplete = ok;
    });
    db.close();
  });
  await page.reload();
  const rows = page.locator("table.saved-list tr");
  await rows.first().waitFor();
  await page.waitForTimeout(300);
  const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.draft));
  assert.deepEqual(ids, ["bbb-old-draft"]);
});
