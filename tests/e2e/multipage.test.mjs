// Issue #5, files with several pages in the app: a multi-page TIFF from a
// flatbed scanner and a scanner-made PDF become one page per paper page,
// in order ("Trang 2/3"), made in the worker by hoso-image's own TIFF and
// PDF readers (the CLI's code; JPEG pages decoded by the browser). A broken
// page is reported while the others arrive; an encrypted PDF is refused
// with its reason; a page is made again from its own page of the shared
// original; the corner editor shows that page; a reload keeps them all;
// the original leaves the store only with its last page; the package's
// PDF has the right page count.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { useServerAndBrowser, openPage, run, openKhaiSinhForm, packAndUnzip, inboxKeys, scannedSheet, greyTiff } from "./harness.mjs";

const env = useServerAndBrowser();

/** A PDF as a scanner writes it: catalog, pages, and per page a content
 * stream drawing one full-page image (`{ dict, data }`). */
function scannerPdf(images, { encrypt = false } = {}) {
  const objects = [];
  const n = images.length;
  objects.push(`<< /Type /Catalog /Pages 2 0 R >>`);
  objects.push(`<< /Type /Pages /Count ${n} /Kids [${images.map((_, i) => `${3 + i * 3} 0 R`).join(" ")}] >>`);
  images.forEach((img, i) => {
    const id = 3 + i * 3;
    const draw = `q 595 0 0 842 0 0 cm /Im0 Do Q`;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 ${id + 2} 0 R >> >> /Contents ${id + 1} 0 R >>`);
    objects.push(Buffer.concat([Buffer.from(`<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`)]));
    objects.push(Buffer.concat([
      Buffer.from(`<< /Type /XObject /Subtype /Image ${img.dict} /Length ${img.data.length} >>\nstream\n`, "latin1"),
      img.data,
      Buffer.from("\nendstream"),
    ]));
  });
  const parts = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  objects.forEach((o, i) => parts.push(Buffer.from(`${i + 1} 0 obj\n`), Buffer.from(o), Buffer.from("\nendobj\n")));
  parts.push(Buffer.from(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encrypt ? " /Encrypt 99 0 R" : ""} >>\n%%EOF\n`));
  return Buffer.concat(parts);
}

const dpiOf = async (thumb) => Number((await thumb.locator(".page-info").innerText()).match(/(\d+) dpi$/)[1]);

test("a 3-page TIFF and a scanner PDF become pages in order; a broken page alone fails; re-processing, corners, reload, package", async (tc) => {
  const { page } = await openPage(tc, env.browser, { acceptDownloads: true });
  const errors = [];
  const timings = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("console", (m) => {
    const ms = m.text().match(/^hoso page: (\w+) (\d+) ms$/);
    if (ms) timings.push(Number(ms[2]));
  });
  await openKhaiSinhForm(page, env.server.url);

  const paper = page.locator('[data-component="giay-chung-sinh"]');
  const input = paper.locator('.dropzone input[type="file"]');
  // Point 4: the picker offers scanner files, and the drop zone says so.
  const accept = await input.getAttribute("accept");
  for (const kind of ["image/*", ".tif", ".tiff", ".pdf", "application/pdf"]) assert.ok(accept.split(",").includes(kind), accept);
  assert.match(await paper.locator(".dropzone").innerText(), /TIFF, PDF từ máy quét/);

  // Three pages scanned at 80, 100 and 120 dpi: the dpi tells which source page a made page is.
  const sheets = [];
  for (const [i, dpi] of [80, 100, 120].entries()) sheets.push(await scannedSheet(page, { dpi, lines: 10 + 8 * i, label: `TRANG SỐ ${i + 1}` }));
  const tiff = { name: "quet.tif", mimeType: "image/tiff", buffer: greyTiff(sheets) };
  // The PDF: a JPEG page, a page whose deflated data is broken, a deflated grey page.
  const [a, b] = [await scannedSheet(page, { dpi: 110, lines: 20, label: "PDF 1" }), await scannedSheet(page, { dpi: 90, lines: 30, label: "PDF 3" })];
  const pdf = {
    name: "quet.pdf",
    mimeType: "application/pdf",
    buffer: scannerPdf([
      { dict: `/Width ${a.width} /Height ${a.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode`, data: a.jpeg },
      { dict: `/Width ${b.width} /Height ${b.height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode`, data: Buffer.concat([Buffer.from([0x78, 0x9c]), Buffer.alloc(4000, 0xff)]) },
      { dict: `/Width ${b.width} /Height ${b.height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode`, data: deflateSync(b.grey) },
    ]),
  };
  const locked = { name: "mat-khau.pdf", mimeType: "application/pdf", buffer: scannerPdf([{ dict: `/Width ${b.width} /Height ${b.height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode`, data: deflateSync(b.grey) }], { encrypt: true }) };
  await input.setInputFiles([tiff, pdf, locked]);

  // Progress per page of the file, "Trang k/n" in the pending list.
  await paper.locator(".pending-page", { hasText: "quet.tif · Trang 3/3" }).waitFor({ timeout: 60_000 });
  await page.locator(".problem", { hasText: "quet.pdf · Trang 2/3" }).waitFor({ timeout: 120_000 });
  assert.match(await page.locator(".problem", { hasText: "quet.pdf · Trang 2/3" }).innerText(), /Ảnh bị hỏng/);
  await page.locator(".problem", { hasText: "mat-khau.pdf" }).waitFor({ timeout: 60_000 });
  assert.match(await page.locator(".problem", { hasText: "mat-khau.pdf" }).innerText(), /mật khẩu/);
  await paper.locator(".thumb").nth(4).waitFor({ timeout: 120_000 });
  await paper.locator(".pending-page").first().waitFor({ state: "detached", timeout: 120_000 });
  const thumbs = paper.locator(".thumb");
  const names = () => thumbs.locator("img").evaluateAll((els) => els.map((e) => e.alt));
  assert.deepEqual(await names(), ["quet.tif · Trang 1/3", "quet.tif · Trang 2/3", "quet.tif · Trang 3/3", "quet.pdf · Trang 1/3", "quet.pdf · Trang 3/3"]);
  // In order, each from its own source page: 80, 100, 120 dpi; the PDF's 110 and 90.
  const dpis = [];
  for (let i = 0; i < 5; i++) dpis.push(await dpiOf(thumbs.nth(i)));
  [80, 100, 120, 110, 90].forEach((want, i) => assert.ok(Math.abs(dpis[i] - want) <= 3, `page ${i + 1}: ${dpis[i]} dpi, want ${want}`));
  const shas = await thumbs.evaluateAll((els) => els.map((e) => e.dataset.sha256));
  assert.equal(new Set(shas).size, 5, "five different pages");
  // Both files are kept once each as the originals of their pages; the refused one is not.
  await page.locator("#save-state .ok").waitFor();
  assert.equal((await inboxKeys(page)).length, 2);

  // Made again with another profile: TIFF page 2 stays page 2 (its own 100 dpi source page).
  await thumbs.nth(1).locator("select.reprocess-profile").selectOption("color");
  await thumbs.nth(1).and(page.locator('[data-profile="color"]')).waitFor({ timeout: 60_000 });
  assert.equal(await thumbs.nth(1).locator("img").getAttribute("alt"), "quet.tif · Trang 2/3");
  assert.ok(Math.abs((await dpiOf(thumbs.nth(1))) - 100) <= 3);
  assert.notEqual(await thumbs.nth(1).getAttribute("data-sha256"), shas[1]);
  assert.equal(await thumbs.nth(2).getAttribute("data-sha256"), shas[2], "the other pages are untouched");

  // Chỉnh góc on TIFF page 3: the worker draws that page (the browser shows no TIFF).
  await thumbs.nth(2).locator('[data-tool="corners"]').click();
  const picture = page.locator(".corner-stage img");
  await picture.waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector(".corner-stage img")?.naturalWidth > 0, null, { timeout: 30_000 });
  const [nw, nh] = await picture.evaluate((img) => [img.naturalWidth, img.naturalHeight]);
  assert.deepEqual([nw, nh], [sheets[2].width, sheets[2].height], "page 3's own pixels");
  await page.locator(".corner-cancel").click();

  // A reload keeps all five, in order, with their sources.
  await page.locator("#save-state .ok").waitFor();
  const before = await thumbs.evaluateAll((els) => els.map((e) => e.dataset.sha256));
  await page.reload();
  await thumbs.nth(4).locator("img").waitFor({ timeout: 30_000 });
  assert.deepEqual(await thumbs.evaluateAll((els) => els.map((e) => e.dataset.sha256)), before);
  assert.deepEqual((await names())[4], "quet.pdf · Trang 3/3");
  // After the reload the page is still made from its own page of the original.
  await thumbs.nth(4).locator("select.reprocess-profile").selectOption("color");
  await thumbs.nth(4).and(page.locator('[data-profile="color"]')).waitFor({ timeout: 60_000 });
  assert.ok(Math.abs((await dpiOf(thumbs.nth(4))) - 90) <= 3);

  // The PDF's original stays while one of its pages does, and goes with the last.
  await thumbs.nth(4).locator("button.link", { hasText: "Xóa" }).click();
  await page.locator("#save-state .ok").waitFor();
  assert.equal((await inboxKeys(page)).length, 2);
  await thumbs.nth(3).locator("button.link", { hasText: "Xóa" }).click();
  await page.locator("#save-state .ok").waitFor();
  assert.equal((await inboxKeys(page)).length, 1);

  // The package: the paper's PDF has the three TIFF pages.
  await page.locator("#create-form").click();
  await page.locator("#form-pdf").waitFor();
  await page.waitForTimeout(400);
  const { dir } = await packAndUnzip(page);
  assert.match(run("pdfinfo", [join(dir, "data", "02-giay-chung-sinh.pdf")]), /Pages:\s+3\n/);
  assert.deepEqual(errors, []);
  const per = timings.slice(0, 3);
  console.log(`worker ms per TIFF page (80/100/120 dpi A4 grey): ${per.join(", ")}; all pages: ${timings.join(", ")}`);
});

/** A TIFF of `pages` ({ width, height, data, tags }: one strip each, its
 * `data` as stored; `tags` [tag, type (3 SHORT, 4 LONG), value] beyond the
 * size and the strip), little-endian. */
function stripTiff(pages) {
  const parts = [Buffer.from("II*\0\0\0\0\0", "latin1")];
  let offset = 8;
  const dirs = [];
  for (const p of pages) {
    const dataAt = offset;
    const data = Buffer.concat([p.data, Buffer.alloc(p.data.length % 2)]);
    parts.push(data);
    offset += data.length;
    const entries = [[256, 4, p.width], [257, 4, p.height], [273, 4, dataAt], [278, 4, p.height], [279, 4, p.data.length], ...p.tags]
      .sort((x, y) => x[0] - y[0]);
    const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
    ifd.writeUInt16LE(entries.length, 0);
    entries.forEach(([tag, type, value], i) => {
      ifd.writeUInt16LE(tag, 2 + i * 12);
      ifd.writeUInt16LE(type, 4 + i * 12);
      ifd.writeUInt32LE(1, 6 + i * 12);
      if (type === 3) ifd.writeUInt16LE(value, 10 + i * 12); else ifd.writeUInt32LE(value, 10 + i * 12);
    });
    dirs.push({ ifd, at: offset });
    parts.push(ifd);
    offset += ifd.length;
  }
  parts[0].writeUInt32LE(dirs[0].at, 4);
  dirs.forEach((d, i) => d.ifd.writeUInt32LE(i + 1 < dirs.length ? dirs[i + 1].at : 0, d.ifd.length - 4));
  return Buffer.concat(parts);
}

test("a JPEG-compressed TIFF turned by its Orientation tag and a Deflate TIFF are read in the worker", async (tc) => {
  const { page } = await openPage(tc, env.browser);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await openKhaiSinhForm(page, env.server.url);
  const paper = page.locator('[data-component="giay-chung-sinh"]');
  const input = paper.locator('.dropzone input[type="file"]');

  // Stored upright as a portrait sheet, tagged Orientation 6: shown turned a
  // quarter clockwise, landscape. Compression 7, YCbCr, the browser's JPEG as the one strip.
  const turned = await scannedSheet(page, { dpi: 90, lines: 12, label: "JPEG XOAY" });
  const jpegTiff = stripTiff([{ width: turned.width, height: turned.height, data: turned.jpeg,
    tags: [[258, 3, 8], [259, 3, 7], [262, 3, 6], [274, 3, 6], [277, 3, 3]] }]);
  // Two grey pages, Deflate (zlib) compressed, at 80 and 100 dpi.
  const flat = [await scannedSheet(page, { dpi: 80, lines: 9, label: "NÉN 1" }), await scannedSheet(page, { dpi: 100, lines: 14, label: "NÉN 2" })];
  const deflateTiff = stripTiff(flat.map((s) => ({ width: s.width, height: s.height, data: deflateSync(s.grey),
    tags: [[258, 3, 8], [259, 3, 8], [262, 3, 1], [277, 3, 1]] })));
  await input.setInputFiles([
    { name: "xoay.tif", mimeType: "image/tiff", buffer: jpegTiff },
    { name: "nen.tif", mimeType: "image/tiff", buffer: deflateTiff },
  ]);

  const thumbs = paper.locator(".thumb");
  await thumbs.nth(2).waitFor({ timeout: 120_000 });
  await paper.locator(".pending-page").first().waitFor({ state: "detached", timeout: 120_000 });
  assert.deepEqual(await page.locator(".problem").allInnerTexts(), []);
  const names = await thumbs.locator("img").evaluateAll((els) => els.map((e) => e.alt));
  assert.equal(names.length, 3, names.join(" | "));
  assert.deepEqual(names.slice(1), ["nen.tif · Trang 1/2", "nen.tif · Trang 2/2"]);
  assert.ok(Math.abs((await dpiOf(thumbs.nth(1))) - 80) <= 3);
  assert.ok(Math.abs((await dpiOf(thumbs.nth(2))) - 100) <= 3);

  // The JPEG page's own pixels, as the corner editor shows them: upright, landscape.
  await thumbs.nth(0).locator('[data-tool="corners"]').click();
  await page.waitForFunction(() => document.querySelector(".corner-stage img")?.naturalWidth > 0, null, { timeout: 60_000 });
  const size = await page.locator(".corner-stage img").evaluate((img) => [img.naturalWidth, img.naturalHeight]);
  assert.deepEqual(size, [turned.height, turned.width], "turned a quarter: the stored height is the width");
  await page.locator(".corner-cancel").click();
  // And the Deflate page 2 is its own 100 dpi sheet.
  await thumbs.nth(2).locator('[data-tool="corners"]').click();
  await page.waitForFunction(() => document.querySelector(".corner-stage img")?.naturalWidth > 0, null, { timeout: 60_000 });
  assert.deepEqual(await page.locator(".corner-stage img").evaluate((img) => [img.naturalWidth, img.naturalHeight]), [flat[1].width, flat[1].height]);
  assert.deepEqual(errors, []);
});
