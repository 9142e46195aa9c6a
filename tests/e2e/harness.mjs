// Shared set-up for the end-to-end journeys: serve dist/ on a free loopback
// port, launch Debian's Chromium through playwright-core, and small helpers.
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { before, after } from "node:test";

export const DIST = process.env.HOSO_DIST ?? new URL("../../dist", import.meta.url).pathname;
export const CLI = process.env.HOSO_CLI ?? new URL("../../target/debug/hoso", import.meta.url).pathname;

/** Serves dist/ (or a copy of it) with `hoso serve`, as `./dev run` does; returns { url, stop }. */
export async function serve(dir = DIST) {
  const child = spawn(CLI, ["serve", "--addr", "127.0.0.1:0", "--app", dir, "--data", tempDir()], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  // It announces "hoso serve: http://127.0.0.1:PORT/ …" on stderr.
  const url = await new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`hoso serve did not start: ${seen}`)), 15000);
    child.stderr.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.once("exit", (code) => reject(new Error(`hoso serve exited ${code}: ${seen}`)));
  });
  return { url, stop: () => child.kill() };
}

/** `extraArgs`: more Chromium flags (e.g. a fake camera fed from a file). */
export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
      ...extraArgs,
    ],
  });
}

/** A test file's server: registers the hook that starts it before the
 * file's tests (then runs `setUp`, if given) and the one that stops it
 * after them, passed or failed; `env.server.url`. One hook for all: Node
 * runs a file's `before` hooks concurrently, not one after the other. */
export function useServer(setUp) {
  const env = {};
  before(async () => {
    env.server = await serve();
    await setUp?.(env);
  });
  after(() => env.server?.stop());
  return env;
}

/** useServer() and one Chromium for the file's tests, closed after them: `env.browser`. */
export function useServerAndBrowser(setUp) {
  const env = useServer(async () => {
    env.browser = await launch();
    await setUp?.(env);
  });
  after(() => env.browser?.close());
  return env;
}

/** A fresh browser context for test `t`, closed when the test ends, passed
 * or failed: a failing test leaves no page behind (nor its timers and
 * workers) running into the next one. */
export async function openContext(t, browser, options = {}) {
  const context = await browser.newContext(options);
  t.after(() => context.close().catch(() => {}));
  return context;
}

/** openContext() and its first page. */
export async function openPage(t, browser, options = {}) {
  const context = await openContext(t, browser, options);
  return { context, page: await context.newPage() };
}

export function tempDir() {
  return mkdtempSync(join(tmpdir(), "hoso-e2e-"));
}

export function run(cmd, args) {
  return execFileSync(cmd, args, { encoding: "utf8" });
}

/** Answers typed with diacritics in NFD on purpose: the app must store NFC. */
export const ANSWERS = {
  "applicant.full_name": "nguyễn văn bình",
  "applicant.id_number": "001090012345",
  "applicant.residence": "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi",
  "applicant.relation": "Cha",
  "child.full_name": "Nguyễn Thị Ánh Dương".normalize("NFD"),
  "child.birth_date": "01/11/2026",
  "child.ethnicity": "Kinh",
  "child.birth_place": "Bệnh viện Đa khoa tỉnh Quảng Ngãi",
  "child.home_town": "Xã Tịnh Khê, tỉnh Quảng Ngãi",
  "mother.full_name": "Trần Thị Hoa",
  "mother.birth_year": "1995",
  "mother.ethnicity": "Tày",
  "mother.residence": "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi",
  "father.full_name": "Nguyễn Văn Bình",
  "father.birth_year": "1990",
  "father.ethnicity": "Kinh",
  "father.nationality": "Việt Nam",
  "father.residence": "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi",
};

export const fieldId = (key) => `#f-${key.replaceAll(".", "-")}`;

/** Fills the khai-sinh declaration as a clerk would, by keyboard. */
export async function fillKhaiSinh(page) {
  for (const [key, value] of Object.entries(ANSWERS)) {
    await page.locator(fieldId(key)).fill(value);
  }
  await page.locator(fieldId("child.sex")).selectOption("Nữ");
  await page.locator("#f-place").fill("Hòa Bình");
}

/** From the start screen at `url` to a khai-sinh dossier whose declaration
 * is filled and made (#form-pdf shown): where the paper journeys begin. */
export async function openKhaiSinhForm(page, url) {
  await page.goto(url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator("#chosen-procedure", { hasText: "Đăng ký khai sinh" }).waitFor();
  await fillKhaiSinh(page);
  await page.locator("#create-form").click();
  await page.locator("#form-pdf").waitFor();
}

/** Packs the open dossier, downloads the zip, checks it with `hoso verify`
 * and unzips it; returns { zip, dir } (the files are under dir/data/). */
export async function packAndUnzip(page) {
  await page.locator("#pack").click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download").click()]);
  const dir = tempDir();
  const zip = join(dir, download.suggestedFilename());
  await download.saveAs(zip);
  const verified = spawnSync(CLI, ["verify", zip], { encoding: "utf8" });
  if (verified.status !== 0) throw new Error(`hoso verify refused the package: ${verified.stdout}${verified.stderr}`);
  execFileSync("unzip", ["-q", zip, "-d", dir]);
  return { zip, dir };
}

/** Keys in the store's inbox: files waiting and originals kept for re-processing. */
export const inboxKeys = (page) =>
  page.evaluate(async () => {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; r.onblocked = () => ko(new Error("store blocked")); });
    // Closed even when the read fails: a connection left open would block the app's next upgrade.
    try {
      return await new Promise((ok, ko) => { const r = db.transaction("inbox").objectStore("inbox").getAllKeys(); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
    } finally {
      db.close();
    }
  });

/** Waits until the store's inbox holds `n` files (`atLeast`: `n` or more).
 * Polled inside the page with a real await: Playwright's waitForFunction
 * takes a sync predicate only, and an async one passes at once (its
 * promise is truthy), which made tests race the app. */
export const waitForInbox = (page, n, { atLeast = false, timeout = 10_000 } = {}) =>
  page.evaluate(async ({ n, atLeast, timeout }) => {
    const end = Date.now() + timeout;
    for (;;) {
      const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; r.onblocked = () => ko(new Error("store blocked")); });
      let count;
      try {
        count = await new Promise((ok, ko) => { const r = db.transaction("inbox").objectStore("inbox").count(); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
      } finally {
        db.close();
      }
      if (atLeast ? count >= n : count === n) return count;
      if (Date.now() > end) throw new Error(`the inbox holds ${count} files, not ${atLeast ? "at least " : ""}${n}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }, { n, atLeast, timeout });

/** The text of the declaration PDF the page shows (#form-pdf), through
 * pdftotext (`-layout` when `layout`), whitespace runs as one space. */
export async function formPdfText(page, { layout = false } = {}) {
  await page.locator("#form-pdf").waitFor();
  const b64 = await page.evaluate(async () => {
    const bytes = new Uint8Array(await (await fetch(document.querySelector("#form-pdf").href)).arrayBuffer());
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  const file = join(tempDir(), "to-khai.pdf");
  writeFileSync(file, Buffer.from(b64, "base64"));
  return run("pdftotext", [...(layout ? ["-layout"] : []), file, "-"]).replace(/\s+/g, " ");
}

/** A page photo drawn by Chromium itself (text lines on paper; `grain`
 * makes it compress like a real photo), saved as a JPEG; returns its path. */
export async function drawnPhoto(browser, { width = 620, height = 877, lines = 30, grain = false, quality = 0.8 } = {}) {
  const p = await browser.newPage();
  const dataUrl = await p.evaluate(({ width, height, lines, grain, quality }) => {
    const c = document.createElement("canvas");
    c.width = width; c.height = height;
    const g = c.getContext("2d");
    g.fillStyle = "#f4f1ea"; g.fillRect(0, 0, c.width, c.height);
    if (grain) {
      const img = g.getImageData(0, 0, c.width, c.height);
      let s = 12345;
      for (let i = 0; i < img.data.length; i += 4) {
        s = (s * 1103515245 + 12345) >>> 0;
        const v = 200 + (s % 56);
        img.data[i] = v; img.data[i + 1] = v - 10; img.data[i + 2] = v - 30; img.data[i + 3] = 255;
      }
      g.putImageData(img, 0, 0);
    }
    g.fillStyle = "#222"; g.font = "16px serif";
    for (let i = 0; i < lines; i++) g.fillText(`Dòng ${i + 1}: Giấy chứng sinh số ${1000 + i}`, 40, 60 + i * 26);
    return c.toDataURL("image/jpeg", quality);
  }, { width, height, lines, grain, quality });
  await p.close();
  const path = join(tempDir(), "page.jpg");
  writeFileSync(path, Buffer.from(dataUrl.split(",")[1], "base64"));
  return path;
}

/** A scanned A4 sheet at `dpi`, drawn by Chromium: a title with its page
 * number and `lines` text lines. Grey bytes (one per pixel) and a JPEG. */
export async function scannedSheet(page, { dpi, lines, label }) {
  const { grey, jpeg, width, height } = await page.evaluate(({ dpi, lines, label }) => {
    const width = Math.round(8.27 * dpi), height = Math.round(11.69 * dpi), mm = dpi / 25.4;
    const c = document.createElement("canvas");
    c.width = width; c.height = height;
    const g = c.getContext("2d");
    g.fillStyle = "#fbfbf8"; g.fillRect(0, 0, width, height);
    g.fillStyle = "#151515";
    g.font = `bold ${8 * mm}px serif`;
    g.fillText(label, 30 * mm, 30 * mm);
    g.font = `${3.6 * mm}px serif`;
    for (let i = 0; i < lines; i++) g.fillText(`Dòng ${i + 1}: bản sao giấy tờ số ${700 + i}, quét ở ${dpi} dpi`, 20 * mm, (50 + i * 6.5) * mm);
    const rgba = g.getImageData(0, 0, width, height).data;
    const grey = new Uint8Array(width * height);
    for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4 + 1];
    let bin = "";
    for (let i = 0; i < grey.length; i += 0x8000) bin += String.fromCharCode(...grey.subarray(i, i + 0x8000));
    return { grey: btoa(bin), jpeg: c.toDataURL("image/jpeg", 0.85).split(",")[1], width, height };
  }, { dpi, lines, label });
  return { grey: Buffer.from(grey, "base64"), jpeg: Buffer.from(jpeg, "base64"), width, height };
}

/** An uncompressed 8-bit grey TIFF, one directory per page (little-endian). */
export function greyTiff(pages) {
  const parts = [];
  let offset = 8;
  const header = Buffer.alloc(8);
  header.write("II", 0, "latin1");
  header.writeUInt16LE(42, 2);
  parts.push(header);
  const links = [];
  for (const p of pages) {
    const pixels = Buffer.concat([p.grey, Buffer.alloc(p.grey.length % 2)]);
    const dataAt = offset;
    parts.push(pixels);
    offset += pixels.length;
    // [tag, type (3 SHORT, 4 LONG), value]
    const entries = [[256, 4, p.width], [257, 4, p.height], [258, 3, 8], [259, 3, 1], [262, 3, 1],
      [273, 4, dataAt], [277, 3, 1], [278, 4, p.height], [279, 4, p.grey.length]];
    const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
    ifd.writeUInt16LE(entries.length, 0);
    entries.forEach(([tag, type, value], i) => {
      const at = 2 + i * 12;
      ifd.writeUInt16LE(tag, at);
      ifd.writeUInt16LE(type, at + 2);
      ifd.writeUInt32LE(1, at + 4);
      if (type === 3) ifd.writeUInt16LE(value, at + 8); else ifd.writeUInt32LE(value, at + 8);
    });
    links.push({ ifd, at: offset });
    parts.push(ifd);
    offset += ifd.length;
  }
  header.writeUInt32LE(links[0].at, 4);
  links.forEach((l, i) => l.ifd.writeUInt32LE(i + 1 < links.length ? links[i + 1].at : 0, l.ifd.length - 4));
  return Buffer.concat(parts);
}
