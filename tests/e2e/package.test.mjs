// A dossier packaged while a required paper is missing: only once the
// clerk has written why (keyboard only), the reason recorded in
// dossier.json and kept across a reload (same package bytes), and the
// phiếu yêu cầu bổ sung printed with every value readable back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { useServerAndBrowser, openPage, fillKhaiSinh, tempDir, run, CLI } from "./harness.mjs";

const env = useServerAndBrowser();

/** The bytes behind a link the page made (a blob: URL), saved to a file. */
async function saveLink(page, selector, name) {
  const b64 = await page.locator(selector).evaluate(async (a) => {
    const buf = new Uint8Array(await (await fetch(a.href)).arrayBuffer());
    let s = "";
    for (const b of buf) s += String.fromCharCode(b);
    return btoa(s);
  });
  const path = join(tempDir(), name);
  writeFileSync(path, Buffer.from(b64, "base64"));
  return path;
}

const REASON = "Sinh tại nhà, người nộp hẹn mang giấy cam đoan về việc sinh";

test("missing birth certificate: pack only with a reason, recorded, printed on the phiếu", async (t) => {
  const { context, page } = await openPage(t, env.browser);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await fillKhaiSinh(page);
  await page.locator("#create-form").click();
  await page.locator("#form-pdf").waitFor();

  // No photo of the birth certificate: packing waits for a reason.
  const reason = page.locator("#missing-reason-giay-chung-sinh");
  await reason.waitFor();
  assert.equal(await page.locator("#pack").isDisabled(), true);
  assert.equal(await page.locator("#print-supplement").isDisabled(), true);
  assert.match(await page.locator("#missing-papers").innerText(), /Lý do thiếu: Giấy chứng sinh/);
  await reason.fill("   ");
  assert.equal(await page.locator("#pack").isDisabled(), true, "blank is no reason");

  // Keyboard only: type the reason, Enter packs.
  await reason.focus();
  await page.keyboard.type(REASON);
  assert.equal(await page.locator("#pack").isDisabled(), false);
  await page.keyboard.press("Enter");
  const code = (await page.locator("#dossier-code").innerText()).trim();
  assert.match(code, /^HOSO-\d{6}-\d{4}$/);
  assert.match(await page.locator("#packed-without").innerText(), new RegExp(`Giấy chứng sinh \\(${REASON}\\)`));

  const zip = await saveLink(page, "#download", `${code}.zip`);
  const report = JSON.parse(run(CLI, ["verify", "--json", zip]));
  assert.equal(report.intact, true);
  assert.deepEqual(report.files.map((f) => f.path), ["data/00-giay-tiep-nhan.pdf", "data/01-to-khai.pdf", "data/dossier.json"]);
  const record = JSON.parse(run("unzip", ["-p", zip, "data/dossier.json"]));
  assert.deepEqual(record.missing, [{ id: "giay-chung-sinh", name: "Giấy chứng sinh", reason: REASON }]);
  assert.equal(record.components[0].origin, "e-form");
  assert.match(record.components[0].digitized_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);

  // The phiếu yêu cầu bổ sung, opened in a new tab and linked.
  const popup = context.waitForEvent("page");
  await page.locator("#print-supplement").click();
  await (await popup).close();
  const phieu = await saveLink(page, "#supplement", "phieu.pdf");
  run("qpdf", ["--check", phieu]);
  const text = run("pdftotext", [phieu, "-"]).split(/\s+/).join(" ");
  for (const value of [
    "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    `Mã hồ sơ: ${code}`,
    "Hồ sơ của: Nguyễn Văn Bình",
    "Số định danh cá nhân: 001090012345",
    "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã thủ tục 1.001193)",
    `1. Giấy chứng sinh Lý do: ${REASON}`,
    "Hòa Bình, ngày",
  ]) {
    assert.ok(text.includes(value), `phiếu lacks ${JSON.stringify(value)}:\n${text}`);
  }

  // A reload brings the reason back and re-packs the same bytes.
  const before = run("sha256sum", [zip]).split(" ")[0];
  await page.locator("#save-state .ok").waitFor();
  await page.reload();
  await page.locator("#dossier-code", { hasText: code }).waitFor();
  assert.equal(await page.locator("#missing-reason-giay-chung-sinh").inputValue(), REASON);
  const again = await saveLink(page, "#download", "again.zip");
  assert.equal(run("sha256sum", [again]).split(" ")[0], before, "same reason, same package");

  // Clearing the reason takes the package back.
  await page.locator("#missing-reason-giay-chung-sinh").fill("");
  assert.equal(await page.locator("#dossier-code").count(), 0);
  assert.equal(await page.locator("#pack").isDisabled(), true);
  assert.deepEqual(errors, []);
});

test("the dossier code follows the counter's pattern from the settings", async (t) => {
  const { page } = await openPage(t, env.browser);
  await page.goto(env.server.url);
  await page.locator("details.settings summary").click();
  await page.locator("#unit-id").fill("000.00.01.H01");
  await page.locator("#unit-id").dispatchEvent("change");
  const format = page.locator("#code-format");
  await format.fill("{unit}-{ngay}-{seq}");
  await format.dispatchEvent("change");
  await page.locator("#code-format-example", { hasText: "chỗ sai: {ngay}" }).waitFor();
  await format.fill("{unit}.{yyyy}{MM}{dd}.{seq}");
  await format.dispatchEvent("change");
  const example = (await page.locator("#code-format-example code").innerText()).trim();
  assert.match(example, /^000\.00\.01\.H01\.\d{8}\.0001$/);

  await page.locator('[data-procedure="khai-sinh"] button').click();
  await fillKhaiSinh(page);
  await page.locator("#create-form").click();
  await page.locator("#form-pdf").waitFor();
  await page.locator("#missing-reason-giay-chung-sinh").fill(REASON);
  await page.locator("#pack").click();
  const code = (await page.locator("#dossier-code").innerText()).trim();
  assert.match(code, /^000\.00\.01\.H01\.\d{8}\.\d{4}$/);
  assert.equal(code.slice(0, 23), example.slice(0, 23), "today's date in the code");
  const zip = await saveLink(page, "#download", "coded.zip");
  assert.equal(JSON.parse(run(CLI, ["verify", "--json", zip])).external_identifier, code);
});
