// Home pre-fill handoff (issue #4): a citizen fills a declaration on a
// phone, taps "Mang đến quầy", downloads the .hoso file and screenshots
// the QR code(s); a clerk in a fresh browser context imports the file, or
// the pictures of the codes, and the dossier opens filled exactly (the
// clerk's app makes the very same codes from it). Tampered and newer codes
// get a Vietnamese message. zbarimg reads the codes on screen as well.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { useServerAndBrowser, openContext, tempDir, run, fieldId, fillKhaiSinh } from "./harness.mjs";

const env = useServerAndBrowser();

const phone = (t) => openContext(t, env.browser, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2, acceptDownloads: true });

async function openApp(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(env.server.url);
  await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
  return { page, errors };
}

/** The citizen's part: the form made, then the codes shown; returns the parts,
 * a screenshot of each code and the downloaded file. */
async function citizenCodes(page, dir) {
  await page.locator("#create-form").click();
  await page.locator("#form-pdf").waitFor();
  await page.locator("#handoff-show").click();
  const qr = page.locator("#handoff-qr");
  await qr.waitFor();
  const counter = await page.locator("#handoff-counter").innerText();
  const n = Number(counter.match(/Mã 1\/(\d+)/)[1]);
  const parts = [];
  const shots = [];
  for (let i = 1; i <= n; i++) {
    await page.locator("#handoff-counter").filter({ hasText: `Mã ${i}/${n}` }).waitFor();
    parts.push(await qr.getAttribute("data-part"));
    const shot = join(dir, `ma-${i}.png`);
    await qr.screenshot({ path: shot });
    shots.push(shot);
    if (i < n) await page.locator("#handoff-next").click();
  }
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#handoff-file").click()]);
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  // The printable page is a PDF with every code.
  assert.match(await page.locator("#handoff-print").getAttribute("href"), /^blob:/);
  return { parts, shots, file };
}

/** The clerk's part: a fresh context, "Nhận hồ sơ từ công dân" with `files`. */
async function clerkImports(t, files) {
  const context = await openContext(t, env.browser);
  const { page, errors } = await openApp(context);
  await page.locator("#handoff-import").setInputFiles(files);
  return { context, page, errors };
}

/** The codes the clerk's app makes from what it received: equal to the
 * citizen's only if every answer and the place came over exactly. */
async function codesAgain(page) {
  await page.locator("#create-form").click();
  await page.locator("#form-pdf").waitFor();
  await page.locator("#handoff-show").click();
  const parts = [];
  const counter = await page.locator("#handoff-counter").innerText();
  const n = Number(counter.match(/Mã 1\/(\d+)/)[1]);
  for (let i = 1; i <= n; i++) {
    await page.locator("#handoff-counter").filter({ hasText: `Mã ${i}/${n}` }).waitFor();
    parts.push(await page.locator("#handoff-qr").getAttribute("data-part"));
    if (i < n) await page.locator("#handoff-next").click();
  }
  return parts;
}

test("khai sinh: phone to counter by file and by the QR picture, exactly", async (t) => {
  const dir = tempDir();
  const context = await phone(t);
  const { page, errors } = await openApp(context);
  await page.locator('[data-procedure="khai-sinh"] button').tap();
  await page.locator("#chosen-procedure").waitFor();
  await page.locator("#mode-one-page").tap();
  await fillKhaiSinh(page);
  const { parts, shots, file } = await citizenCodes(page, dir);
  assert.equal(parts.length, 1, "a khai sinh fits one code");
  assert.match(parts[0], /^HS1:1\/1:[0-9A-Z $%*+\-./:]+$/, "QR alphanumeric symbols only");
  assert.match(file, /ho-so-khai-sinh-nguyen-van-binh\.hoso$/);
  assert.equal(readFileSync(file, "utf8"), parts.join("\n") + "\n", "the file holds the same text");
  // An independent decoder reads the code off the phone's screen.
  assert.equal(run("zbarimg", ["-q", "--raw", shots[0]]).trim(), parts[0]);
  // And ours, through the CLI.
  const decoded = JSON.parse(run(process.env.HOSO_CLI ?? new URL("../../target/debug/hoso", import.meta.url).pathname, ["handoff", "decode", "--json", shots[0]]));
  assert.equal(decoded.answers["child.full_name"], "Nguyễn Thị Ánh Dương", "NFC");
  assert.deepEqual(errors, []);
  await context.close();

  for (const input of [file, shots[0]]) {
    const clerk = await clerkImports(t, input);
    await clerk.page.locator("#handoff-opened").waitFor();
    assert.equal(await clerk.page.locator("#chosen-procedure").innerText(), "Đăng ký khai sinh");
    const name = await clerk.page.locator(fieldId("child.full_name")).inputValue();
    assert.equal(name, "Nguyễn Thị Ánh Dương");
    assert.equal(name, name.normalize("NFC"));
    assert.equal(await clerk.page.locator(fieldId("child.sex")).inputValue(), "Nữ");
    assert.equal(await clerk.page.locator("#f-place").inputValue(), "Hòa Bình");
    assert.deepEqual(await codesAgain(clerk.page), parts, `every answer came over exactly (${input})`);
    assert.deepEqual(clerk.errors, []);
    await clerk.context.close();
  }
});

test("a long declaration: several codes, stepped, read back from pictures in any order", async (t) => {
  const dir = tempDir();
  const context = await phone(t);
  const { page } = await openApp(context);
  await page.locator('[data-procedure="chung-thuc-ban-sao"] button').tap();
  await page.locator("#chosen-procedure").waitFor();
  await page.locator("#mode-one-page").tap();
  const words = "bản chính còn nguyên vẹn có dấu giáp lai trường trung học phổ thông cần gấp nộp hồ sơ xin việc ở Đà Nẵng người ký điểm chỉ ủy ban nhân dân xã phường tỉnh Quảng Ngãi học bạ bằng tốt nghiệp giấy khai sinh kết hôn trích lục sổ hộ tịch Nguyễn Trần Lê Phạm Huỳnh Hoàng Võ Đặng Bùi Đỗ Hồ Ngô thôn tổ dân phố đường hẻm kiệt".split(" ");
  let s = 5;
  const lines = [];
  for (let l = 0; l < 40; l++) {
    const line = [];
    for (let w = 0; w < 25; w++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      line.push(words[s % words.length]);
    }
    lines.push(line.join(" "));
  }
  const note = lines.join("\n");
  const answers = {
    "applicant.full_name": "Trương Minh Khoa",
    "applicant.id_number": "051002004444",
    "applicant.residence": "Tổ dân phố 5, phường Nghĩa Lộ, tỉnh Quảng Ngãi",
    "document.name": "Bằng tốt nghiệp trung học phổ thông",
    "document.issuer": "Sở Giáo dục và Đào tạo tỉnh Quảng Ngãi",
    "document.pages": "1",
    "copies": "3",
    "note": note,
  };
  for (const [key, value] of Object.entries(answers)) await page.locator(fieldId(key)).fill(value);
  const { parts, shots } = await citizenCodes(page, dir);
  assert.ok(parts.length >= 3, `${parts.length} codes`);
  for (const [i, shot] of shots.entries()) assert.equal(run("zbarimg", ["-q", "--raw", shot]).trim(), parts[i]);
  await context.close();

  // Two pictures first: counted, the missing one named; then the rest in reverse.
  const order = [...shots].reverse();
  const clerk = await clerkImports(t, order.slice(0, 2));
  const progress = clerk.page.locator("#handoff-progress");
  await progress.filter({ hasText: `Đã nhận 2/${parts.length} mã` }).waitFor();
  assert.match(await progress.innerText(), /Còn thiếu mã 1/);
  await clerk.page.locator("#handoff-import").setInputFiles(order.slice(2));
  await clerk.page.locator("#handoff-opened").waitFor();
  assert.equal(await clerk.page.locator(fieldId("note")).inputValue(), note, "long Vietnamese text, line breaks kept");
  assert.deepEqual(await codesAgain(clerk.page), parts);
  assert.deepEqual(clerk.errors, []);
  await clerk.context.close();
});

test("tampered, newer and foreign files get a Vietnamese message and open nothing", async (t) => {
  const dir = tempDir();
  const context = await phone(t);
  const { page } = await openApp(context);
  await page.locator('[data-procedure="khai-sinh"] button').tap();
  await page.locator("#mode-one-page").tap();
  await fillKhaiSinh(page);
  const { file } = await citizenCodes(page, dir);
  await context.close();
  const good = readFileSync(file, "utf8").trim();
  const at = good.length - 4;
  const cases = [
    [good.slice(0, at) + (good[at] === "A" ? "B" : "A") + good.slice(at + 1), /bị hỏng hoặc đã bị sửa/],
    [good.replace("HS1:", "HS2:"), /phiên bản mới hơn/],
    ["Xin chào", /không phải mã hồ sơ khai trước/],
  ];
  for (const [content, message] of cases) {
    const path = join(tempDir(), "ho-so.hoso");
    writeFileSync(path, content + "\n");
    const clerk = await clerkImports(t, path);
    const problem = clerk.page.locator("#handoff-problem");
    await problem.waitFor();
    assert.match(await problem.innerText(), message);
    assert.equal(await clerk.page.locator("#chosen-procedure").count(), 0, "no dossier opened");
    await clerk.context.close();
  }
});
