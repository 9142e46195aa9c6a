// Address pickers (34 provinces, 3,321 communes since 07/2025): picked by
// keyboard alone with names typed without diacritics, the commune list
// limited to the chosen province, the NFC line printed on the form; an old
// three-level address from an ID card converted, both shown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import QRCode from "qrcode";
import { useServerAndBrowser, openPage, tempDir, fieldId, fillKhaiSinh, formPdfText } from "./harness.mjs";

let dir;
const env = useServerAndBrowser(async () => {
  dir = tempDir();
});

const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? "");
const options = (page, id) => page.locator(`#${id}-list [role=option]`).allInnerTexts();

test("province and commune picked by keyboard, typed without diacritics", async (t) => {
  const { page } = await openPage(t, env.browser);
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await fillKhaiSinh(page);
  const base = fieldId("applicant.residence").slice(1);

  // Detail line, then Tab into the province.
  await page.locator(`#${base}`).fill("");
  await page.locator(`#${base}`).focus();
  await page.keyboard.type("Số 5 ngõ 3");
  await page.keyboard.press("Tab");
  assert.equal(await focusedId(page), `${base}-province`);

  // "hai": several provinces; ArrowDown moves to the second, Enter takes it.
  await page.keyboard.type("hai");
  await page.locator(`#${base}-province-list [role=option]`).first().waitFor();
  const hai = await options(page, `${base}-province`);
  // Prefix matches first (Hải Phòng), then matches inside a word (Thái Nguyên).
  assert.equal(hai[0], "Thành phố Hải Phòng");
  assert.ok(hai.length >= 2, hai.join(" | "));
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.locator(`#${base}-province`).getAttribute("aria-activedescendant"), `${base}-province-opt-1`);
  await page.keyboard.press("Enter");
  assert.equal(await page.locator(`#${base}-province`).inputValue(), hai[1]);
  assert.equal(await focusedId(page), `${base}-province`, "Enter on the list picks, it does not submit");

  // The commune list belongs to that province: Ba Đình (Hà Nội) is not there.
  await page.keyboard.press("Tab");
  await page.keyboard.type("ba dinh");
  await page.locator(`#${base}-commune-list .combo-empty`).waitFor();

  // Back to the province: Hà Nội, typed without diacritics; the commune typed so far is dropped.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("ha noi");
  await page.locator(`#${base}-province-list [role=option]`).first().waitFor();
  assert.equal((await options(page, `${base}-province`))[0], "Thành phố Hà Nội");
  await page.keyboard.press("Enter");
  assert.equal(await page.locator(`#${base}-province`).inputValue(), "Thành phố Hà Nội");

  await page.keyboard.press("Tab");
  assert.equal(await focusedId(page), `${base}-commune`);
  await page.keyboard.press("Control+A");
  await page.keyboard.type("BA DINH");
  await page.locator(`#${base}-commune-list [role=option]`).first().waitFor();
  assert.equal((await options(page, `${base}-commune`))[0], "Phường Ba Đình");
  await page.keyboard.press("Enter");
  assert.equal(await page.locator(`#${base}-commune`).inputValue(), "Phường Ba Đình");
  // Tab moves on, nothing else changes.
  await page.keyboard.press("Tab");
  assert.notEqual(await focusedId(page), `${base}-commune`);
  assert.equal(await page.locator(`#${base}-units`).count(), 0, "no warning for picked units");

  // Typed and left with Tab: an exact name or short name counts as picked (mother's residence).
  const mom = fieldId("mother.residence").slice(1);
  await page.locator(`#${mom}-province`).focus();
  await page.keyboard.type("tp hcm");
  await page.keyboard.press("Tab");
  assert.equal(await page.locator(`#${mom}-province`).inputValue(), "Thành phố Hồ Chí Minh");
  // A name that is no unit is kept, and flagged.
  await page.keyboard.type("xa khong co");
  await page.keyboard.press("Tab");
  assert.equal(await page.locator(`#${mom}-commune`).inputValue(), "xa khong co");
  await page.locator(`#${mom}-units`, { hasText: "Chưa có trong danh sách" }).waitFor();
  assert.equal(await page.locator(`#${mom}-commune`).getAttribute("aria-invalid"), "true");

  // A number typed is text, not a unit's code picked by accident.
  const dad = fieldId("father.residence").slice(1);
  await page.locator(`#${dad}-commune`).focus();
  await page.keyboard.type("4");
  await page.keyboard.press("Tab");
  assert.equal(await page.locator(`#${dad}-commune`).inputValue(), "4");
  await page.locator(`#${dad}-commune`).fill("");
  await page.locator(`#${dad}-commune`).press("Tab");

  // The form prints the NFC line.
  await page.locator(`#${mom}-commune`).fill("");
  await page.locator(`#${mom}-commune`).press("Tab");
  await page.locator("#create-form").click();
  const text = await formPdfText(page, { layout: true });
  assert.ok(text.includes("Số 5 ngõ 3, Phường Ba Đình, Thành phố Hà Nội"), text);
  assert.ok(text.includes("Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi"), "a free-text address still prints whole");
});

test("an old address from an ID card is converted, both shown", async (t) => {
  const { page } = await openPage(t, env.browser);
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  const old = "Thôn Đông, Xã Hòa Bình, Huyện Kỳ Sơn, Tỉnh Hòa Bình";
  const file = join(dir, "card.png");
  await QRCode.toFile(file, `001090012345||Nguyễn Văn Bình|15031990|Nam|${old}|01022021`, { scale: 6, margin: 4 });
  await page.locator("#card-file").setInputFiles(file);
  await page.locator("#card-name", { hasText: "Nguyễn Văn Bình" }).waitFor();
  assert.equal(await page.locator("#card-address").innerText(), old);
  // Hòa Bình province merged into Phú Thọ; the commune per vietnamadminunits (data/units/old.txt).
  await page.locator("#card-new-address").waitFor();
  assert.equal(await page.locator("#card-new-address").innerText(), "Thôn Đông, Phường Tân Hòa, Tỉnh Phú Thọ");

  await page.locator("#card-apply").click();
  await page.locator(".id-card").waitFor({ state: "detached" });
  const base = fieldId("applicant.residence").slice(1);
  assert.equal(await page.locator(`#${base}`).inputValue(), "Thôn Đông");
  assert.equal(await page.locator(`#${base}-commune`).inputValue(), "Phường Tân Hòa");
  assert.equal(await page.locator(`#${base}-province`).inputValue(), "Tỉnh Phú Thọ");
  assert.equal(await page.locator(`#${base}-old`).innerText(), `Địa chỉ cũ: ${old}`);
});

test("an old address typed in the detail line is offered in the new units", async (t) => {
  const { page } = await openPage(t, env.browser);
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  const base = fieldId("applicant.residence").slice(1);
  const old = "So 7, P. Phuc Xa, Q. Ba Dinh, Ha Noi";
  await page.locator(`#${base}`).focus();
  await page.keyboard.type(old);
  await page.keyboard.press("Tab");
  await page.locator(`#${base}-new`).waitFor();
  assert.equal(await page.locator(`#${base}-new`).innerText(), "So 7, Phường Hồng Hà, Thành phố Hà Nội");
  await page.locator(`#${base}-use-new`).focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.locator(`#${base}`).inputValue(), "So 7");
  assert.equal(await page.locator(`#${base}-commune`).inputValue(), "Phường Hồng Hà");
  assert.equal(await page.locator(`#${base}-province`).inputValue(), "Thành phố Hà Nội");
  assert.equal(await page.locator(`#${base}-old`).innerText(), `Địa chỉ cũ: ${old}`);
  assert.equal(await page.locator(`#${base}-new`).count(), 0, "the offer is gone once taken");
});

test("offline after one visit the unit lists still load (precached, fetched on first focus)", async (t) => {
  const { context, page } = await openPage(t, env.browser);
  const requested = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(env.server.url);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
    }
  });
  await context.setOffline(true);
  await page.reload();
  await page.locator('[data-procedure="khai-sinh"] button').click();
  requested.length = 0;
  const base = fieldId("applicant.residence").slice(1);
  await page.locator(`#${base}-province`).focus();
  await page.keyboard.type("da nang");
  await page.locator(`#${base}-province-list [role=option]`).first().waitFor();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await page.keyboard.type("hai chau");
  await page.keyboard.press("Enter");
  assert.equal(await page.locator(`#${base}-commune`).inputValue(), "Phường Hải Châu");
  assert.equal(await page.locator(`#${base}-province`).inputValue(), "Thành phố Đà Nẵng");
  // Only the new-unit list was needed, not the old-address table.
  assert.deepEqual(requested.filter((p) => p.startsWith("/units/")), ["/units/new.txt"]);
});
