// The thin journey of issue #2 in a real browser: pick "Đăng ký khai sinh",
// fill the declaration, create its PDF, attach a photo (file input and
// drag-and-drop), package, download, and check the zip from outside.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { useServerAndBrowser, openContext, tempDir, run, fillKhaiSinh, fieldId, CLI } from "./harness.mjs";

let work, photo;
const env = useServerAndBrowser(async () => {
  work = tempDir();
  // A realistic "photo of a paper": a rendered A4 page as JPEG, made by
  // the CLI + poppler so the fixture is not a hand-picked file.
  writeFileSync(join(work, "data.json"), JSON.stringify({
    "applicant.full_name": "Lê Văn Chứng", "applicant.id_number": "049085001234", "applicant.residence": "Quảng Ngãi",
    "applicant.relation": "Bác sĩ", "child.full_name": "Giấy Chứng Sinh Mẫu", "child.birth_date": "01/11/2026",
    "child.sex": "Nữ", "child.ethnicity": "Kinh", "child.nationality": "Việt Nam", "child.birth_place": "Bệnh viện",
    "mother.full_name": "Trần Thị Hoa", "mother.birth_year": "1995", "mother.ethnicity": "Tày",
    "mother.nationality": "Việt Nam", "mother.residence": "Quảng Ngãi",
  }));
  run(CLI, ["form", "--procedure", "khai-sinh", "--data", join(work, "data.json"), "--date", "2026-11-02", "-o", join(work, "paper.pdf")]);
  run("pdftoppm", ["-jpeg", "-r", "150", "-singlefile", join(work, "paper.pdf"), join(work, "photo")]);
  photo = join(work, "photo.jpg");
});

async function openApp(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  // Citizen data stays here: no request to any other origin, no CSP violation.
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(env.server.url) && !url.startsWith("blob:") && !url.startsWith("data:")) errors.push(`request to ${url}`);
  });
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) errors.push(m.text());
  });
  await page.goto(env.server.url);
  await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
  return { page, errors };
}

/** Runs the journey; returns the path of the downloaded zip. */
async function journey(page, { dragAndDrop }) {
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator("#chosen-procedure", { hasText: "Đăng ký khai sinh" }).waitFor();

  // Validation first: an empty required field and "Việt Nam" as ethnicity.
  await page.locator(fieldId("child.ethnicity")).fill("Việt Nam");
  await page.locator("#create-form").click();
  const summary = page.locator(".error-summary");
  await summary.waitFor();
  assert.match(await summary.innerText(), /Dân tộc không phải là "Việt Nam"/);
  assert.ok(await summary.evaluate((el) => el === document.activeElement), "error summary takes focus");

  await fillKhaiSinh(page);
  // "Số bản sao" only applies once copies are requested.
  const copies = page.locator(fieldId("copies"));
  assert.equal(await copies.count(), 0);
  await page.locator(fieldId("copies_requested")).click();
  assert.ok(await page.locator(fieldId("copies_requested")).isChecked());
  await copies.fill("2");
  await page.locator(fieldId("mother.birth_year")).press("Enter"); // Enter submits
  await page.locator("#form-pdf").waitFor();
  assert.equal(await page.locator(".error-summary").count(), 0);
  assert.equal(await page.locator(fieldId("applicant.full_name")).inputValue(), "Nguyễn Văn Bình");

  const paper = page.locator('[data-component="giay-chung-sinh"]');
  if (dragAndDrop) {
    const bytes = [...readFileSync(photo)];
    const dt = await page.evaluateHandle((b) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(b)], "giay-chung-sinh.jpg", { type: "image/jpeg" }));
      return dt;
    }, bytes);
    await paper.locator(".dropzone").dispatchEvent("drop", { dataTransfer: dt });
  } else {
    // A HEIC first: refused with a reason, nothing else lost.
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from("ftypheic\0\0\0\0mif1heic"), Buffer.alloc(64)]);
    await paper.locator('input[type="file"]').setInputFiles({ name: "IMG_0001.HEIC", mimeType: "image/heic", buffer: heic });
    await page.locator(".problem", { hasText: "HEIC" }).waitFor();
    await paper.locator('input[type="file"]').setInputFiles(photo);
  }
  await paper.locator(".thumb img").waitFor();
  assert.equal(await paper.locator(".thumb").count(), 1);
  assert.equal(await page.locator(fieldId("child.birth_place")).inputValue(), "Bệnh viện Đa khoa tỉnh Quảng Ngãi");

  await page.locator("#pack").click();
  const code = await page.locator("#dossier-code").innerText();
  assert.match(code, /^HOSO-\d{6}-\d{4}$/);
  assert.match(await page.locator("#due-date").innerText(), /^\d{2} giờ \d{2} phút, (thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ nhật), ngày \d{2} tháng \d{2} năm \d{4}$/);
  const uploadTime = page.locator("tr", { has: page.locator("th", { hasText: "Thời gian gửi" }) }).locator("td");
  assert.match(await uploadTime.innerText(), /^≈ (\d+ phút )?\d+ giây ở 256 kbit\/s$|^≈ \d+ phút ở 256 kbit\/s$/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download").click()]);
  assert.equal(download.suggestedFilename(), `${code}.zip`);
  const zip = join(tempDir(), download.suggestedFilename());
  await download.saveAs(zip);
  return zip;
}

/** Checks a downloaded package from outside the app. */
function checkPackage(zip) {
  const dir = tempDir();
  execFileSync("unzip", ["-q", zip, "-d", dir]);
  const files = readdirSync(join(dir, "data")).sort();
  assert.deepEqual(files, ["00-giay-tiep-nhan.pdf", "01-to-khai.pdf", "02-giay-chung-sinh.pdf", "dossier.json"]);
  // Every payload file hashes to its manifest line, and every file is listed.
  const manifest = readFileSync(join(dir, "manifest-sha256.txt"), "utf8").trim().split("\n");
  assert.equal(manifest.length, files.length);
  for (const line of manifest) {
    const [hash, path] = line.split(/ +/);
    assert.equal(createHash("sha256").update(readFileSync(join(dir, path))).digest("hex"), hash, path);
  }
  // pdftotext gives back every entered value, in NFC.
  const text = run("pdftotext", [join(dir, "data", "01-to-khai.pdf"), "-"]).normalize("NFC");
  assert.equal(text, run("pdftotext", [join(dir, "data", "01-to-khai.pdf"), "-"]), "PDF text is NFC");
  for (const value of ["Nguyễn Văn Bình", "Nguyễn Thị Ánh Dương", "Trần Thị Hoa", "001090012345", "01/11/2026", "Kinh", "Tày", "Hòa Bình"]) {
    assert.ok(text.includes(value), `pdftotext misses "${value}"`);
  }
  // The receipt: code, applicant and appointment in text; the QR (top left) decodes independently.
  const record0 = JSON.parse(readFileSync(join(dir, "data", "dossier.json"), "utf8"));
  const receiptText = run("pdftotext", [join(dir, "data", "00-giay-tiep-nhan.pdf"), "-"]);
  assert.ok(receiptText.includes(record0.dossier_code), "receipt names the dossier code");
  assert.ok(receiptText.includes("Nguyễn Văn Bình"));
  assert.match(receiptText, /GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ/);
  run("pdftoppm", ["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", join(dir, "data", "00-giay-tiep-nhan.pdf"), join(dir, "receipt")]);
  const qr = run("zbarimg", ["--raw", "-q", join(dir, "receipt.png")]).trim();
  assert.ok(qr.startsWith(`HOSO1|${record0.dossier_code}|1.001193|001090012345|`), qr);
  // The photo page is a real image page: a printed form, so Auto stores it 1-bit G4.
  const images = run("pdfimages", ["-list", join(dir, "data", "02-giay-chung-sinh.pdf")]);
  assert.match(images, /image\s+\d+\s+\d+\s+gray\s+1\s+1\s+ccitt/);
  const record = JSON.parse(readFileSync(join(dir, "data", "dossier.json"), "utf8"));
  assert.equal(record.procedure.id, "khai-sinh");
  assert.equal(record.answers["child.full_name"], "Nguyễn Thị Ánh Dương");
  // The CLI verifier agrees, and catches one changed byte.
  assert.equal(spawnSync(CLI, ["verify", zip]).status, 0);
  const bytes = readFileSync(zip);
  const tampered = Buffer.from(bytes);
  tampered[bytes.indexOf(Buffer.from("%PDF")) + 200] ^= 0x01; // inside the stored receipt PDF
  const bad = join(dir, "tampered.zip");
  writeFileSync(bad, tampered);
  const res = spawnSync(CLI, ["verify", bad], { encoding: "utf8" });
  assert.notEqual(res.status, 0);
  assert.match(res.stdout + res.stderr, /SHA-256 không khớp|KHÔNG nguyên vẹn/);
  return bad;
}

test("clerk journey online: file input, HEIC refused, package verifies", async (t) => {
  const context = await openContext(t, env.browser, { acceptDownloads: true });
  const { page, errors } = await openApp(context);
  const zip = await journey(page, { dragAndDrop: false });
  const tampered = checkPackage(zip);
  // The app's own verifier agrees with hoso verify.
  await page.locator("#new-dossier").click();
  await page.locator("#check-file").setInputFiles(zip);
  await page.locator(".check-report.intact").waitFor();
  assert.equal(await page.locator(".check-report li.ok").count(), 4);
  await page.locator("#check-file").setInputFiles(tampered);
  const broken = page.locator(".check-report.broken");
  await broken.waitFor();
  assert.match(await broken.locator("li.bad").innerText(), /00-giay-tiep-nhan\.pdf[\s\S]*SHA-256 không khớp/);
  assert.deepEqual(errors, []);
});

test("after one visit the journey works offline (service worker), with drag-and-drop", async (t) => {
  const context = await openContext(t, env.browser, { acceptDownloads: true });
  const { page } = await openApp(context);
  // Wait until the service worker controls the page: the precache is complete.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
    }
  });
  await context.setOffline(true);
  await page.reload();
  await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
  await page.locator(".banner.offline").waitFor();
  const zip = await journey(page, { dragAndDrop: true });
  checkPackage(zip);
});

test("the served build holds a manifest and a versioned precache list", async () => {
  const sw = await (await fetch(`${env.server.url}/sw.js`)).text();
  assert.doesNotMatch(sw, /__HOSO_/);
  const list = JSON.parse(sw.match(/const ASSETS = (\[.*\]);/)[1]);
  assert.ok(list.includes("/index.html"));
  assert.ok(list.some((a) => /\/hoso-app-[0-9a-f]+_bg\.wasm$/.test(a)), list.join(" "));
  const manifest = await (await fetch(`${env.server.url}/manifest.webmanifest`)).json();
  assert.equal(manifest.short_name, "Hồ sơ số");
  assert.ok(existsSync(CLI));
});
