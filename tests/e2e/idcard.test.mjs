// "The citizen only shows the ID card": the QR on a photographed card fills
// the applicant after the clerk confirms; typed answers are never replaced
// silently; wrong codes and codeless photos get a clear message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import QRCode from "qrcode";
import { useServerAndBrowser, openPage, tempDir, fieldId } from "./harness.mjs";

const CARD = "001090012345||Nguyễn Văn Bình|15031990|Nam|Thôn Đông Hưng, Xã Hòa Bình, Tỉnh Quảng Ngãi|01022021";
let dir;
const env = useServerAndBrowser(async () => {
  dir = tempDir();
});

/** A photo-like card: the QR (made by an independent encoder) in the top right of a card, as JPEG. */
async function cardPhoto(page, text, name) {
  const qr = text ? await QRCode.toDataURL(text, { errorCorrectionLevel: "M", margin: 2, scale: 4 }) : null;
  const dataUrl = await page.evaluate(async (qr) => {
    const c = document.createElement("canvas");
    c.width = 1200; c.height = 760;
    const g = c.getContext("2d");
    g.fillStyle = "#dfe9f3"; g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = "#123"; g.font = "bold 34px serif";
    g.fillText("CĂN CƯỚC CÔNG DÂN", 330, 90);
    g.font = "26px serif";
    g.fillText("Họ và tên / Full name: NGUYỄN VĂN BÌNH", 330, 300);
    if (qr) {
      const img = new Image();
      img.src = qr;
      await img.decode();
      g.drawImage(img, 930, 40, 230, 230);
    }
    return c.toDataURL("image/jpeg", 0.85);
  }, qr);
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(dataUrl.split(",")[1], "base64"));
  return file;
}

test("ID card QR fills the applicant after confirmation", async (t) => {
  const { page } = await openPage(t, env.browser);
  const dialogs = [];
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator(fieldId("applicant.full_name")).fill("Trần Văn Khác");

  // First a photo with no code, then a QR that is not an ID card.
  await page.locator("#card-file").setInputFiles(await cardPhoto(page, null, "no-qr.jpg"));
  await page.locator(".id-card-reader .problem", { hasText: "Không tìm thấy mã QR" }).waitFor();
  await page.locator("#card-file").setInputFiles(await cardPhoto(page, "https://example.invalid/xyz", "url.jpg"));
  await page.locator(".id-card-reader .problem", { hasText: "không phải mã QR của thẻ căn cước" }).waitFor();

  await page.locator("#card-file").setInputFiles(await cardPhoto(page, CARD, "card.jpg"));
  await page.locator("#card-name", { hasText: "Nguyễn Văn Bình" }).waitFor();
  assert.equal(await page.locator("#card-id").innerText(), "001090012345");

  // Declining the overwrite keeps what was typed.
  page.once("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.locator("#card-apply").click();
  assert.match(dialogs[0], /Họ, chữ đệm, tên người yêu cầu/);
  assert.equal(await page.locator(fieldId("applicant.full_name")).inputValue(), "Trần Văn Khác");

  page.once("dialog", (d) => d.accept());
  await page.locator("#card-apply").click();
  await page.locator(".id-card").waitFor({ state: "detached" });
  assert.equal(await page.locator(fieldId("applicant.full_name")).inputValue(), "Nguyễn Văn Bình");
  assert.equal(await page.locator(fieldId("applicant.id_number")).inputValue(), "001090012345");
  // The address picker shows "detail, commune, province" in its three inputs.
  const residence = fieldId("applicant.residence");
  assert.equal(await page.locator(residence).inputValue(), "Thôn Đông Hưng");
  assert.equal(await page.locator(`${residence}-commune`).inputValue(), "Xã Hòa Bình");
  assert.equal(await page.locator(`${residence}-province`).inputValue(), "Tỉnh Quảng Ngãi");
});
