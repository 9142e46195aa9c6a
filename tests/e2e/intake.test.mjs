// Intake (issue #3): one form model, two presentations. A clerk fills a
// declaration by keyboard only (Tab, typing, Enter — no mouse) from the
// procedure list to the printed form; a citizen on a 390×844 touch phone
// goes step by step to "Kiểm tra lại" and the form; validation across
// answers (ID number vs birth year and sex, under-age marriage, future and
// out-of-order dates) shows in the summary on top and beside the field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { useServerAndBrowser, openContext, tempDir, run, fieldId } from "./harness.mjs";

const env = useServerAndBrowser();

/** Today in Vietnam (the app dates everything in UTC+7). */
function todayVn() {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}
const dmy = (y, m, d) => `${String(d).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`;
/** A date `years` before today, shifted by `days` (calendar arithmetic in UTC). */
function yearsAgo(years, days = 0) {
  const t = todayVn();
  const d = new Date(Date.UTC(t.y - years, t.m - 1, t.d + days));
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}
/** A 12-digit ID number for someone born in `year` of `sex`, registered in Hà Nội (001). */
const idFor = (year, sex) => `001${Math.floor((year - 1900) / 100) * 2 + (sex === "Nữ" ? 1 : 0)}${String(year % 100).padStart(2, "0")}012345`;

async function openApp(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(env.server.url);
  await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
  return { page, errors };
}

const active = (page) => page.evaluate(() => document.activeElement?.id || "");

/** Tab (keyboard only) until the element matching `selector` has focus; fails after `max` presses. */
async function tabTo(page, selector, max = 60) {
  for (let i = 0; i <= max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
    if (i < max) await page.keyboard.press("Tab");
  }
  assert.fail(`${selector} not reached by Tab (focus on #${await active(page)})`);
}

/** Types answers in form order by keyboard: Tab to each field, select its text, type.
 * A value { down: n } picks the n-th option of a select with the arrow key. */
async function typeAnswers(page, answers) {
  for (const [key, value] of answers) {
    // Forward only, a few stops at most (address pickers sit beside addresses).
    await tabTo(page, fieldId(key), 14);
    if (typeof value === "object") {
      for (let i = 0; i < value.down; i++) await page.keyboard.press("ArrowDown");
    } else {
      await page.keyboard.press("Control+A");
      await page.keyboard.type(value);
    }
  }
}

/** The created declaration's text, through the blob the app links to, and `qpdf --check`. */
async function pdfText(page) {
  const bytes = await page.locator("#form-pdf").evaluate(async (a) => Array.from(new Uint8Array(await (await fetch(a.href)).arrayBuffer())));
  const dir = tempDir();
  const pdf = join(dir, "to-khai.pdf");
  writeFileSync(pdf, Buffer.from(bytes));
  assert.match(run("qpdf", ["--check", pdf]), /No syntax or stream encoding errors/);
  return run("pdftotext", ["-enc", "UTF-8", pdf, "-"]).split(/\s+/).join(" ");
}

/** Chooses a procedure from the list by keyboard only. */
async function chooseByKeyboard(page, id) {
  await tabTo(page, `[data-procedure="${id}"] button`, 80);
  await page.keyboard.press("Enter");
  await page.locator("#chosen-procedure").waitFor();
}

test("clerk, keyboard only: khai sinh from the procedure list to the printed form", async (t) => {
  const context = await openContext(t, env.browser, { viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openApp(context);
  await chooseByKeyboard(page, "khai-sinh");
  // One screen for the clerk, and the cursor is already in the first answer.
  assert.equal(await page.locator("#mode-one-page").getAttribute("aria-pressed"), "true");
  assert.equal(await active(page), "f-applicant-full_name");
  await typeAnswers(page, [
    ["applicant.full_name", "trần văn toàn"],
    ["applicant.id_number", "001088004567"],
    ["applicant.residence", "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi"],
    ["applicant.relation", "Cha"],
    ["child.full_name", "trần gia bảo"],
    ["child.birth_date", "02/11/2026"],
    ["child.sex", { down: 1 }],
    ["child.ethnicity", "Kinh"],
    ["child.birth_place", "Trạm y tế xã Hòa Bình"],
    ["mother.full_name", "lê thị thu"],
    ["mother.birth_year", "1992"],
    ["mother.ethnicity", "Tày"],
    ["mother.residence", "Thôn Đông Hưng, xã Hòa Bình"],
    ["place", "Hòa Bình"],
  ]);
  // The review lists the answers as they will print, each with its "Sửa".
  const review = page.locator(".review");
  assert.match(await review.innerText(), /Trần Gia Bảo/);
  // Declared once: the applicant is the father ("Cha"), so the father's name and address are his.
  assert.equal(await review.locator('[data-key="father.full_name"] .value').innerText(), "Trần Văn Toàn");
  assert.equal(await page.locator(fieldId("father.residence")).inputValue(), "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi");
  assert.equal(await review.locator('[data-key="child.sex"] .value').innerText(), "Nam");
  // Enter in the last answer creates the declaration.
  await page.keyboard.press("Enter");
  await page.locator("#form-pdf").waitFor();
  const text = await pdfText(page);
  for (const v of ["TỜ KHAI ĐĂNG KÝ KHAI SINH", "Trần Văn Toàn", "001088004567", "Trần Gia Bảo", "02/11/2026", "Nam", "Lê Thị Thu", "1992", "Tày", "Hòa Bình, ngày"]) {
    assert.ok(text.includes(v), `${v} missing from the PDF: ${text}`);
  }
  assert.deepEqual(errors, []);
});

test("clerk, keyboard only: kết hôn with errors fixed from the summary, then printed", async (t) => {
  const context = await openContext(t, env.browser, { viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openApp(context);
  await chooseByKeyboard(page, "ket-hon");
  assert.equal(await active(page), "f-bride-full_name");
  const groom = yearsAgo(20, 1); // 20th birthday tomorrow: 19 full years today
  await typeAnswers(page, [
    ["bride.full_name", "phạm thị thu hương"],
    ["bride.birth_date", "04/03/1998"],
    ["bride.ethnicity", "Kinh"],
    ["bride.residence", "Tổ dân phố 3, phường Trần Phú, tỉnh Quảng Ngãi"],
    ["bride.id_number", "051198004321"],
    ["groom.full_name", "đinh công thái sơn nguyên vũ hoàng minh trường"],
    ["groom.birth_date", dmy(groom.y, groom.m, groom.d)],
    ["groom.ethnicity", "Hrê"],
    ["groom.residence", "Thôn Nước Lác, xã Sơn Hà, tỉnh Quảng Ngãi"],
    ["groom.id_number", idFor(groom.y, "Nữ")],
  ]);
  await page.keyboard.press("Enter");
  const summary = page.locator(".error-summary");
  await summary.waitFor();
  assert.ok(await summary.evaluate((el) => el === document.activeElement), "the summary takes focus");
  const said = await summary.innerText();
  assert.match(said, /Bên nam Đinh Công Thái Sơn Nguyên Vũ Hoàng Minh Trường mới 19 tuổi vào ngày đăng ký .* chưa đủ 20 tuổi/);
  assert.match(said, /giới tính Nữ \(chữ số thứ 4\), khác giới tính đã ghi/);
  // From the summary to the field by keyboard: Tab to the link, Enter.
  await tabTo(page, '.error-summary a[data-key="groom.birth_date"]', 5);
  await page.keyboard.press("Enter");
  assert.equal(await active(page), "f-groom-birth_date");
  const of20 = yearsAgo(21);
  await page.keyboard.press("Control+A");
  await page.keyboard.type(dmy(of20.y, of20.m, of20.d));
  await tabTo(page, fieldId("groom.id_number"), 10);
  await page.keyboard.press("Control+A");
  await page.keyboard.type(idFor(of20.y, "Nam"));
  await page.keyboard.press("Enter");
  await page.locator("#form-pdf").waitFor();
  assert.equal(await summary.count(), 0);
  const text = await pdfText(page);
  for (const v of ["TỜ KHAI ĐĂNG KÝ KẾT HÔN", "Phạm Thị Thu Hương", "Đinh Công Thái Sơn Nguyên Vũ Hoàng Minh Trường", "Hrê", idFor(of20.y, "Nam"), "051198004321"]) {
    assert.ok(text.includes(v), `${v} missing from the PDF: ${text}`);
  }
  // "Sửa" on the review goes back to the field, by keyboard too.
  await tabTo(page, "#edit-bride-residence", 80);
  await page.keyboard.press("Enter");
  assert.equal(await active(page), "f-bride-residence");
  // Declared once, used everywhere: the package (no paper is required here)
  // names the bride, who signs first, on the receipt and in dossier.json.
  await tabTo(page, "#pack", 150);
  await page.keyboard.press("Enter");
  await tabTo(page, "#download", 40);
  const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  const zip = join(tempDir(), "ket-hon.zip");
  await download.saveAs(zip);
  const record = JSON.parse(run("unzip", ["-p", zip, "data/dossier.json"]));
  assert.deepEqual(record.applicant, {
    full_name: "Phạm Thị Thu Hương", id_number: "051198004321", residence: "Tổ dân phố 3, phường Trần Phú, tỉnh Quảng Ngãi",
  });
  assert.equal(record.answers["groom.full_name"], "Đinh Công Thái Sơn Nguyên Vũ Hoàng Minh Trường");
  const receipt = join(tempDir(), "receipt.pdf");
  writeFileSync(receipt, execFileSync("unzip", ["-p", zip, "data/00-giay-tiep-nhan.pdf"]));
  const receiptText = run("pdftotext", ["-enc", "UTF-8", receipt, "-"]).split(/\s+/).join(" ");
  assert.ok(receiptText.includes("Phạm Thị Thu Hương") && receiptText.includes("051198004321"), receiptText);
  assert.deepEqual(errors, []);
});

test("citizen on a 390×844 touch phone: step by step to the review and the form", async (t) => {
  const context = await openContext(t, env.browser, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const { page, errors } = await openApp(context);
  await page.locator('[data-procedure="khai-tu"] button').tap();
  await page.locator("#chosen-procedure").waitFor();
  // A phone starts step by step; one group per screen with its help.
  assert.equal(await page.locator("#mode-wizard").getAttribute("aria-pressed"), "true");
  const count = page.locator("#step-count");
  assert.equal(await count.innerText(), "Bước 1/4");
  assert.match(await page.locator(".group-help").innerText(), /Người đứng tên làm thủ tục/);
  assert.equal(await page.locator(fieldId("deceased.full_name")).count(), 0, "one group per screen");
  const noSideScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(await noSideScroll(), "nothing wider than the phone");
  // Large touch targets.
  for (const sel of ["#wizard-next", fieldId("applicant.full_name"), "#mode-one-page"]) {
    const box = await page.locator(sel).boundingBox();
    assert.ok(box.height >= 44, `${sel} is ${box.height}px tall`);
  }
  // Next on an empty screen: errors on top and beside the fields, no step further.
  await page.locator("#wizard-next").tap();
  await page.locator(".error-summary").waitFor();
  assert.equal(await count.innerText(), "Bước 1/4");
  assert.match(await page.locator(".field.has-error small.error").first().innerText(), /Chưa nhập thông tin bắt buộc/);

  await page.locator(fieldId("applicant.full_name")).fill("lê văn hùng");
  await page.locator(fieldId("applicant.id_number")).fill("051080001111");
  await page.locator(fieldId("applicant.residence")).fill("Thôn An Hải, xã Lý Sơn, tỉnh Quảng Ngãi");
  await page.locator(fieldId("applicant.relation")).fill("Con");
  await page.locator("#wizard-next").tap();
  await count.filter({ hasText: "Bước 2/4" }).waitFor();
  assert.equal(await page.locator(".error-summary").count(), 0);
  assert.equal(await active(page), "f-deceased-full_name", "the next screen starts at its first answer");

  await page.locator(fieldId("deceased.full_name")).fill("lê văn tư");
  await page.locator(fieldId("deceased.birth_date")).fill("10/04/1940");
  await page.locator(fieldId("deceased.sex")).selectOption("Nam");
  await page.locator(fieldId("deceased.ethnicity")).fill("Kinh");
  await page.locator(fieldId("deceased.id_number")).fill("051040002222");
  await page.locator(fieldId("deceased.last_residence")).fill("Thôn An Hải, xã Lý Sơn");
  await page.locator(fieldId("deceased.death_date")).fill("09/04/1940");
  await page.locator(fieldId("deceased.death_place")).fill("Tại nhà");
  await page.locator(fieldId("deceased.cause")).fill("Già yếu");
  // Enter goes on too; a death before the birth stops it.
  await page.locator(fieldId("deceased.cause")).press("Enter");
  await page.locator(".error-summary").waitFor();
  const death = page.locator(`${fieldId("deceased.death_date")} ~ small.error`);
  assert.match(await death.innerText(), /Ngày chết \(09\/04\/1940\) không thể trước ngày sinh \(10\/04\/1940\) của người đã chết Lê Văn Tư/);
  assert.equal(await count.innerText(), "Bước 2/4");
  await page.locator(fieldId("deceased.death_date")).fill("18/11/2025");
  await page.locator("#wizard-next").tap();
  await count.filter({ hasText: "Bước 3/4" }).waitFor();
  await page.locator("#wizard-back").tap();
  await count.filter({ hasText: "Bước 2/4" }).waitFor();
  assert.equal(await page.locator(fieldId("deceased.full_name")).inputValue(), "Lê Văn Tư", "names capitalised, nothing lost going back");
  await page.locator("#wizard-next").tap();
  await count.filter({ hasText: "Bước 3/4" }).waitFor();
  await page.locator("#wizard-next").tap();

  // Kiểm tra lại: every answer grouped as on the form, with "Sửa".
  await count.filter({ hasText: "Bước 4/4" }).waitFor();
  const review = page.locator(".review");
  assert.match(await review.locator("h3").innerText(), /Kiểm tra lại/);
  assert.equal(await review.locator('[data-key="deceased.death_date"] .value').innerText(), "18/11/2025");
  assert.equal(await review.locator('[data-key="applicant.full_name"] .value').innerText(), "Lê Văn Hùng");
  assert.ok(await noSideScroll(), "the review fits the phone");
  await page.locator("#edit-deceased-cause").tap();
  await count.filter({ hasText: "Bước 2/4" }).waitFor();
  assert.equal(await active(page), "f-deceased-cause", "Sửa lands on the field, focused");
  await page.locator(fieldId("deceased.cause")).fill("Bệnh tuổi già");
  await page.locator("#wizard-next").tap();
  await count.filter({ hasText: "Bước 3/4" }).waitFor();
  await page.locator("#wizard-next").tap();
  await count.filter({ hasText: "Bước 4/4" }).waitFor();
  await page.locator("#f-place").fill("Lý Sơn");
  await page.locator("#create-form").tap();
  await page.locator("#form-pdf").waitFor();
  const text = await pdfText(page);
  for (const v of ["TỜ KHAI ĐĂNG KÝ KHAI TỬ", "Lê Văn Hùng", "Lê Văn Tư", "18/11/2025", "Bệnh tuổi già", "Lý Sơn, ngày"]) {
    assert.ok(text.includes(v), `${v} missing from the PDF: ${text}`);
  }
  // The toggle shows the same answers on one page.
  await page.locator("#mode-one-page").tap();
  assert.equal(await page.locator(fieldId("deceased.cause")).inputValue(), "Bệnh tuổi già");
  assert.deepEqual(errors, []);
});

test("validation: ID number vs birth year and sex, under-age marriage, a future date — on top and inline", async (tc) => {
  const context = await openContext(tc, env.browser, { viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openApp(context);
  await page.locator('[data-procedure="ket-hon"] button').click();
  const bride = yearsAgo(18, 1); // 18th birthday tomorrow
  const fill = async (pairs) => { for (const [k, v] of pairs) await page.locator(fieldId(k)).fill(v); };
  await fill([
    ["bride.full_name", "Hà Thị Mỹ"], ["bride.birth_date", dmy(bride.y, bride.m, bride.d)], ["bride.ethnicity", "Kinh"],
    ["bride.residence", "Xã Hòa Bình"], ["bride.id_number", idFor(bride.y, "Nữ")],
    ["groom.full_name", "Vũ Văn Nam"], ["groom.birth_date", "01/05/1990"], ["groom.ethnicity", "Kinh"],
    ["groom.residence", "Xã Hòa Bình"], ["groom.id_number", idFor(1991, "Nam")],
  ]);
  await page.locator("#create-form").click();
  const summary = page.locator(".error-summary");
  await summary.waitFor();
  const inline = (key) => page.locator(`${fieldId(key)} ~ small.error`).innerText();
  assert.match(await summary.innerText(), /Bên nữ · Ngày, tháng, năm sinh: Bên nữ Hà Thị Mỹ mới 17 tuổi vào ngày đăng ký/);
  assert.match(await inline("bride.birth_date"), /chưa đủ 18 tuổi theo điểm a khoản 1 Điều 8 Luật Hôn nhân và gia đình 2014/);
  assert.match(await summary.innerText(), /Bên nam · Số định danh cá nhân: Số định danh cá nhân ứng với năm sinh 1991/);
  assert.match(await inline("groom.id_number"), /năm sinh 1991 \(chữ số thứ 4–6\), khác năm sinh 1990/);
  assert.equal(await page.locator(`${fieldId("groom.id_number")}[aria-invalid="true"]`).count(), 1);
  // The link in the summary takes the clerk to the field.
  await summary.locator('a[data-key="groom.id_number"]').click();
  assert.equal(await active(page), "f-groom-id_number");

  // Khai tử: a death date still to come, and an ID of the other sex.
  await page.locator("#new-dossier").click();
  await page.locator('[data-procedure="khai-tu"] button').click();
  const t = todayVn();
  const tomorrow = new Date(Date.UTC(t.y, t.m - 1, t.d + 1));
  await fill([
    ["deceased.full_name", "Lê Văn Tư"], ["deceased.birth_date", "10/04/1940"], ["deceased.id_number", "051140002222"],
    ["deceased.death_date", dmy(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate())],
  ]);
  await page.locator(fieldId("deceased.sex")).selectOption("Nam");
  await page.locator("#create-form").click();
  await summary.waitFor();
  assert.match(await summary.innerText(), /Đã chết vào ngày: Ngày này chưa đến/);
  assert.match(await inline("deceased.death_date"), /Ngày này chưa đến/);
  assert.match(await inline("deceased.id_number"), /giới tính Nữ \(chữ số thứ 4\), khác giới tính đã ghi/);
  assert.deepEqual(errors, []);
});

test("citizen mode starts step by step on a wide screen too", async (t) => {
  const context = await openContext(t, env.browser, { viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openApp(context);
  await page.locator(".settings summary").click();
  await page.locator("#citizen-mode").check();
  await page.locator(".banner.citizen").waitFor();
  await page.locator('[data-procedure="chung-thuc-ban-sao"] button').click();
  assert.equal(await page.locator("#mode-wizard").getAttribute("aria-pressed"), "true");
  assert.equal(await page.locator("#step-count").innerText(), "Bước 1/3");
  assert.match(await page.locator("#step-title").innerText(), /Người yêu cầu/);
  assert.equal(await page.locator("#create-form").count(), 0, "Tạo tờ khai only after Kiểm tra lại");
  assert.deepEqual(errors, []);
});
