// Issue #5 in the app: photos become compliant pages in the page
// processor (web worker, hoso-image's pipeline, as `hoso scan`): the sheet
// is found on the table and flattened to A4, the seal stays red in Mixed,
// bad files are refused with a Vietnamese reason while the others go on,
// a page is made again with another profile, progress is shown, and pages
// survive a reload and package into a PDF that `hoso verify` accepts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useServerAndBrowser, openPage, run, openKhaiSinhForm, packAndUnzip, inboxKeys } from "./harness.mjs";

const env = useServerAndBrowser();

/** A phone photo (JPEG) of an A4 sheet lying turned on a dark wooden
 * table, drawn by Chromium: text lines, and with `seal` a red seal and a
 * blue signature at the lower right. Returns a file for setInputFiles. */
async function tablePhoto(page, { width, height, seal, name }) {
  const dataUrl = await page.evaluate(({ width, height, seal }) => {
    const c = document.createElement("canvas");
    c.width = width; c.height = height;
    const g = c.getContext("2d");
    // Table: dark wood grain.
    g.fillStyle = "#4a3322"; g.fillRect(0, 0, width, height);
    for (let y = 0; y < height; y += 6) {
      g.fillStyle = `rgba(${90 + (y * 7) % 40}, ${60 + (y * 3) % 25}, 40, 0.35)`;
      g.fillRect(0, y, width, 3);
    }
    // The sheet: A4, 80 % of the frame's height, turned 7°.
    const sh = height * 0.8, sw = sh * 210 / 297, mm = sh / 297;
    g.save();
    g.translate(width / 2, height / 2);
    g.rotate(7 * Math.PI / 180);
    g.translate(-sw / 2, -sh / 2);
    g.fillStyle = "#f6f4ee"; g.fillRect(0, 0, sw, sh);
    g.fillStyle = "#1c1c20";
    g.font = `bold ${5 * mm}px serif`;
    g.fillText("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 40 * mm, 25 * mm);
    g.font = `${3.6 * mm}px serif`;
    for (let i = 0; i < 34; i++) g.fillText(`Dòng ${i + 1}: Giấy chứng sinh số ${1000 + i}, nơi sinh Bệnh viện Đa khoa`, 20 * mm, (45 + i * 6.2) * mm);
    if (seal) {
      // Con dấu: a thick red ring with a star, over the last lines; a blue signature.
      g.strokeStyle = "#cd232d"; g.fillStyle = "#cd232d"; g.lineWidth = 2.2 * mm;
      g.beginPath(); g.arc(150 * mm, 250 * mm, 19 * mm, 0, 2 * Math.PI); g.stroke();
      g.lineWidth = 1 * mm;
      g.beginPath(); g.arc(150 * mm, 250 * mm, 13 * mm, 0, 2 * Math.PI); g.stroke();
      g.beginPath();
      for (let k = 0; k < 10; k++) {
        const r = (k % 2 ? 3 : 8) * mm, a = -Math.PI / 2 + k * Math.PI / 5;
        g.lineTo(150 * mm + r * Math.cos(a), 250 * mm + r * Math.sin(a));
      }
      g.fill();
      g.strokeStyle = "#1e37af"; g.lineWidth = 0.8 * mm;
      g.beginPath(); g.moveTo(120 * mm, 262 * mm);
      g.bezierCurveTo(135 * mm, 240 * mm, 150 * mm, 280 * mm, 175 * mm, 255 * mm); g.stroke();
    }
    g.restore();
    return c.toDataURL("image/jpeg", 0.9);
  }, { width, height, seal });
  return { name, mimeType: "image/jpeg", buffer: Buffer.from(dataUrl.split(",")[1], "base64") };
}

/** Red pixels (seal ink) in a PPM file. */
function redPixels(ppm) {
  const bytes = readFileSync(ppm);
  // P6\n<w> <h>\n255\n then RGB.
  const header = bytes.subarray(0, 40).toString("latin1").match(/^P6\s+(\d+)\s+(\d+)\s+255\s/);
  const start = header[0].length;
  let red = 0;
  for (let i = start; i + 2 < bytes.length; i += 3) {
    if (bytes[i] > 150 && bytes[i + 1] < 110 && bytes[i + 2] < 110) red++;
  }
  return red;
}

test("photos on a table become flattened pages in the worker: profiles, progress, bad files, re-processing, reload, package", async (tc) => {
  const { page } = await openPage(tc, env.browser, { acceptDownloads: true });
  const errors = [];
  const timings = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("console", (m) => {
    const t = m.text();
    const ms = t.match(/^hoso page: (\w+) (\d+) ms$/);
    if (ms) timings.push({ profile: ms[1], ms: Number(ms[2]) });
  });
  await openKhaiSinhForm(page, env.server.url);

  const paper = page.locator('[data-component="giay-chung-sinh"]');
  // Default profile: Tự động; paper: Tự nhận.
  assert.equal(await paper.locator("select.scan-profile").inputValue(), "auto");
  assert.equal(await paper.locator("select.scan-paper").inputValue(), "auto");

  // A 12-megapixel photo of a sealed page, a plain one, a HEIC and a truncated JPEG, all at once.
  const sealed = await tablePhoto(page, { width: 4000, height: 3000, seal: true, name: "giay-co-dau.jpg" });
  const plain = await tablePhoto(page, { width: 1600, height: 1200, seal: false, name: "trang-chu.jpg" });
  const heic = { name: "IMG_0001.HEIC", mimeType: "image/heic", buffer: Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from("ftypheic\0\0\0\0mif1heic"), Buffer.alloc(64)]) };
  const cut = { name: "hong.jpg", mimeType: "image/jpeg", buffer: plain.buffer.subarray(0, 3000) };
  await paper.locator('input[type="file"]').setInputFiles([sealed, heic, plain, cut]);

  // A progress bar per page while the worker works; the page stays responsive.
  await paper.locator(".pending-page progress").first().waitFor();
  const typed = "Bệnh viện Phụ sản";
  await page.locator("#f-child-birth_place").fill(typed);
  assert.equal(await page.locator("#f-child-birth_place").inputValue(), typed);

  await page.locator(".problem", { hasText: "HEIC" }).waitFor({ timeout: 60_000 });
  await page.locator(".problem", { hasText: "hong.jpg" }).waitFor({ timeout: 60_000 });
  assert.match(await page.locator(".problem", { hasText: "hong.jpg" }).innerText(), /Ảnh bị hỏng/);
  await paper.locator(".thumb").nth(1).waitFor({ timeout: 120_000 });
  await paper.locator(".pending-page").first().waitFor({ state: "detached", timeout: 120_000 });
  assert.equal(await paper.locator(".thumb").count(), 2, "the good pages survive the bad files");
  const first = paper.locator(".thumb").nth(0);
  const second = paper.locator(".thumb").nth(1);
  assert.equal(await first.getAttribute("data-profile"), "mixed", "a sealed page keeps its colour");
  assert.equal(await second.getAttribute("data-profile"), "text");
  // Per page: profile, size, pixels and dpi; per paper and dossier: size and upload time.
  assert.match(await first.locator(".page-info").innerText(), /^Hỗn hợp · \d+ KB · \d+ × \d+ px · \d+ dpi$/);
  assert.match(await second.locator(".page-info").innerText(), /^Văn bản · \d+ KB · /);
  // Under 200 dpi the clerk is told (the 2 MP photo), not over it (the 12 MP one).
  assert.equal(await first.locator(".page-warn").count(), 0, "a 12 MP photo holds 200 dpi");
  assert.match(await second.locator(".page-warn").innerText(), /^Chỉ \d+ dpi \(cần từ 200 dpi\)/);
  assert.match(await paper.locator(".size-total").innerText(), /^Giấy này: 2 trang · \d+ KB · ≈ \d+ giây ở 256 kbit\/s$/);
  assert.match(await page.locator('[data-testid="dossier-size"]').innerText(), /^Cả hồ sơ: 2 trang · /);
  const [w, h] = (await first.locator(".page-info").innerText()).match(/(\d+) × (\d+) px/).slice(1).map(Number);
  assert.ok(Math.abs(h / w - 297 / 210) < 0.01, `flattened to A4 proportions: ${w} × ${h}`);

  // Made again with another profile: same place, new encoding, progress meanwhile.
  await second.locator("select.reprocess-profile").selectOption("color");
  await paper.locator('.thumb[data-profile="color"]').waitFor({ timeout: 60_000 });
  assert.equal(await paper.locator(".thumb").count(), 2);
  assert.equal(await paper.locator(".thumb").nth(1).getAttribute("data-profile"), "color");
  assert.match(await paper.locator(".thumb").nth(1).locator(".page-info").innerText(), /^Màu · /);

  // Saved, then a reload brings both pages back as they were.
  await page.locator("#save-state .ok").waitFor();
  await page.reload();
  await paper.locator(".thumb img").nth(1).waitFor({ timeout: 30_000 });
  assert.deepEqual(
    await paper.locator(".thumb").evaluateAll((els) => els.map((e) => e.dataset.profile)),
    ["mixed", "color"],
  );
  // The originals of the two pages are kept (the refused files are not).
  assert.equal((await inboxKeys(page)).length, 2);
  // The original is kept: the page can still be made again after the reload.
  await paper.locator(".thumb").nth(1).locator("select.reprocess-profile").selectOption("text");
  await paper.locator(".thumb").nth(1).and(page.locator('[data-profile="text"]')).waitFor({ timeout: 60_000 });

  // The package: true A4 pages, MRC for the sealed one, 1-bit G4 for the text one.
  // Typing while pages were made changed the declaration: its PDF is made again.
  await page.locator("#create-form").click();
  await page.locator("#form-pdf").waitFor();
  await page.waitForTimeout(400);
  const { dir } = await packAndUnzip(page);
  const pdf = join(dir, "data", "02-giay-chung-sinh.pdf");
  const info = run("pdfinfo", ["-f", "1", "-l", "2", pdf]);
  assert.match(info, /Pages:\s+2\n/);
  for (const n of [1, 2]) {
    const [pw, ph] = info.match(new RegExp(`Page\\s+${n} size:\\s+([\\d.]+) x ([\\d.]+) pts`)).slice(1).map(Number);
    assert.ok(Math.abs(pw - 595.3) < 3 && Math.abs(ph - 841.9) < 3, `page ${n} is A4: ${pw} × ${ph} pts`);
  }
  const mixed = run("pdfimages", ["-list", "-f", "1", "-l", "1", pdf]);
  assert.match(mixed, /ccitt/, "MRC mask is 1-bit G4");
  assert.match(mixed, /jpeg/, "MRC colour layers are JPEG");
  const text = run("pdfimages", ["-list", "-f", "2", "-l", "2", pdf]);
  assert.match(text, /image\s+\d+\s+\d+\s+gray\s+1\s+1\s+ccitt/, "the text page is 1-bit G4");
  // The seal is still red on the packaged page.
  run("pdftoppm", ["-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, join(dir, "sealed")]);
  assert.ok(redPixels(join(dir, "sealed.ppm")) > 300, "seal stays red");
  run("pdftoppm", ["-r", "60", "-f", "2", "-l", "2", "-singlefile", pdf, join(dir, "plain")]);
  assert.equal(redPixels(join(dir, "plain.ppm")), 0);

  // Packaged: the originals are no longer kept, and the pages can no longer be made again.
  await page.locator("#save-state .ok").waitFor();
  assert.deepEqual(await inboxKeys(page), []);
  assert.equal(await paper.locator("select.reprocess-profile").count(), 0);

  const record = JSON.parse(readFileSync(join(dir, "data", "dossier.json"), "utf8"));
  assert.equal(record.components.find((c) => c.id === "giay-chung-sinh")?.pages, 2);
  assert.deepEqual(errors, []);
  const big = timings.filter((t) => t.profile === "mixed");
  console.log(`worker ms/page: ${JSON.stringify(timings)} (12 MP sealed photo: ${big.map((t) => t.ms).join(", ")} ms)`);
});

test("a page's kept original is sealed with the pages when a PIN is set, and removed by a purge", async (t) => {
  const { page } = await openPage(t, env.browser);
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator("#chosen-procedure").waitFor();
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  await paper.locator(".dropzone input").setInputFiles(await tablePhoto(page, { width: 1200, height: 900, seal: false, name: "a.jpg" }));
  await paper.locator(".thumb img").waitFor({ timeout: 60_000 });
  await page.locator("#save-state .ok").waitFor();
  const inboxTypes = () =>
    page.evaluate(async () => {
      const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
      const values = await new Promise((ok) => { const r = db.transaction("inbox").objectStore("inbox").getAll(); r.onsuccess = () => ok(r.result); });
      db.close();
      return values.map((v) => v.data.type);
    });
  assert.deepEqual(await inboxTypes(), ["application/octet-stream"]);
  await page.locator("#new-dossier").click();
  await page.locator(".settings summary").click();
  await page.locator("#new-pin").fill("246810");
  await page.locator("#new-pin-again").fill("246810");
  await page.locator("#set-pin").click();
  await page.locator("#lock-now").waitFor();
  assert.deepEqual(await inboxTypes(), ["application/x-hoso-sealed"]);
  // "Xóa toàn bộ" takes the originals too.
  page.on("dialog", (d) => d.accept());
  await page.locator("#purge-all").click();
  await page.locator(".saved .help").waitFor();
  assert.deepEqual(await inboxTypes(), []);
});
