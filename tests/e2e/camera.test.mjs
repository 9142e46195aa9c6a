// The live camera path: Chromium's fake capture device plays a video file
// (YUV4MPEG2, written here) of an ID card held at a tilt; the scanner reads
// its QR in the background decoder (web worker) and, after the clerk
// confirms, the applicant is filled. Also: the decoder is loaded only when
// scanning starts, the camera is off afterwards, a QR that is not an ID
// card keeps the scanner open with a message, camera errors are explained,
// and the decoder works offline from the service worker's cache.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import QRCode from "qrcode";
import { useServer, launch, tempDir, fieldId } from "./harness.mjs";

const CARD = "001090012345||Nguyễn Văn Bình|15031990|Nam|Thôn Đông Hưng, Xã Hòa Bình, Tỉnh Quảng Ngãi|01022021";
const W = 960, H = 540, FRAMES = 12;

/**
 * A Y4M (4:2:0) clip: a desk, a light card turned by `degrees`, its QR
 * (from an independent encoder) in the card's top right, a little shake
 * between frames and sensor noise. Rendered by inverse mapping with 2×2
 * supersampling, so module edges are soft like a real camera's.
 */
function cardVideo(text, { degrees = 9, module = 0.0055 } = {}) {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const quiet = 2;
  // Card units: 1 = card width (85.6 mm); `module` is a QR module in them
  // (0.0055 ≈ 0.47 mm, about 3 px on screen).
  const cardW = 1, cardH = 54 / 85.6;
  const qrSide = (n + 2 * quiet) * module;
  const qrX = cardW - 0.04 - qrSide, qrY = 0.05;
  const cardPx = W * 0.62; // card width on screen
  const t = (degrees * Math.PI) / 180;
  const [c, s] = [Math.cos(t), Math.sin(t)];
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) % 1000) / 1000;

  // Luma of a point in card units: desk outside, card, QR modules.
  function sample(u, v) {
    if (u < 0 || v < 0 || u > cardW || v > cardH) return 70 + 20 * Math.sin(u * 9 + v * 5);
    const mx = Math.floor((u - qrX) / module) - quiet, my = Math.floor((v - qrY) / module) - quiet;
    if (mx >= 0 && my >= 0 && mx < n && my < n) return qr.modules.get(my, mx) ? 35 : 225;
    // Printed text lines on the card's left two thirds.
    if (u > 0.05 && u < 0.62 && v > 0.2 && (Math.floor(v * 60) % 4 === 0)) return 90;
    return 205 + 20 * u;
  }

  const header = `YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`;
  const frameSize = W * H * 3 / 2;
  const out = Buffer.alloc(header.length + FRAMES * (6 + frameSize));
  let at = out.write(header, 0, "latin1");
  for (let f = 0; f < FRAMES; f++) {
    at += out.write("FRAME\n", at, "latin1");
    const dx = (f % 4) - 1.5, dy = ((f * 7) % 5) - 2; // hand shake, pixels
    const cx = W / 2 + dx, cy = H / 2 + dy;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let sum = 0;
        for (const [ox, oy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) {
          // Screen → card: undo the rotation about the screen centre, then the scale.
          const px = x + ox - cx, py = y + oy - cy;
          const rx = c * px + s * py, ry = -s * px + c * py;
          sum += sample(rx / cardPx + cardW / 2, ry / cardPx + cardH / 2);
        }
        out[at + y * W + x] = Math.max(0, Math.min(255, Math.round(sum / 4 + (rand() - 0.5) * 16)));
      }
    }
    at += W * H;
    out.fill(128, at, at + W * H / 2); // no colour
    at += W * H / 2;
  }
  return out;
}

let dir;
const env = useServer(async () => {
  dir = tempDir();
});

/** Chromium whose only camera plays `video` (auto-allowed), closed when test `t` ends. */
async function withCamera(t, video, name) {
  const file = join(dir, name);
  writeFileSync(file, video);
  const browser = await launch([
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-video-capture=${file}`,
  ]);
  t.after(() => browser.close());
  return browser;
}

/** Keeps every camera stream the page opens, to check they get stopped. */
function recordStreams() {
  const streams = (window.__streams = []);
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    const s = await original(c);
    streams.push(s);
    return s;
  };
}

async function openForm(page) {
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator(fieldId("applicant.full_name")).waitFor();
}

test("the camera reads a tilted ID card and fills the applicant after confirmation", async (t) => {
  const browser = await withCamera(t, cardVideo(CARD), "card.y4m");
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addInitScript(recordStreams);
  // The decoder is not part of the first load (it starts, and warms up,
  // once a dossier's papers are on screen).
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').waitFor();
  assert.ok(!requests.some((p) => p.includes("hoso-worker")), requests.join(" "));
  await openForm(page);
  await page.locator(fieldId("applicant.full_name")).fill("Trần Văn Khác");

  await page.locator("#card-camera").click();
  await page.locator("#card-scanner video").waitFor();
  await page.locator("#card-name", { hasText: "Nguyễn Văn Bình" }).waitFor({ timeout: 30000 });
  assert.equal(await page.locator("#card-id").innerText(), "001090012345");
  // Loaded on demand; the scanner closed and the camera is off.
  assert.ok(requests.includes("/hoso-worker_bg.wasm"), requests.join(" "));
  assert.equal(await page.locator("#card-scanner").count(), 0);
  const states = await page.evaluate(() => window.__streams.flatMap((s) => s.getTracks().map((t) => t.readyState)));
  assert.ok(states.length >= 1);
  assert.deepEqual([...new Set(states)], ["ended"]);

  // Nothing typed is replaced without a yes.
  const dialogs = [];
  page.once("dialog", (d) => { dialogs.push(d.message()); d.accept(); });
  await page.locator("#card-apply").click();
  await page.locator(".id-card").waitFor({ state: "detached" });
  assert.match(dialogs[0], /Họ, chữ đệm, tên người yêu cầu/);
  assert.equal(await page.locator(fieldId("applicant.full_name")).inputValue(), "Nguyễn Văn Bình");
  assert.equal(await page.locator(fieldId("applicant.id_number")).inputValue(), "001090012345");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a QR that is not an ID card keeps scanning; closing turns the camera off", async (t) => {
  const browser = await withCamera(t, cardVideo("https://example.invalid/not-a-card", { degrees: -6 }), "url.y4m");
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  await page.addInitScript(recordStreams);
  await openForm(page);
  await page.locator("#card-camera").click();
  await page.locator("#card-scanner .problem", { hasText: "không phải mã QR của thẻ căn cước" }).waitFor({ timeout: 30000 });
  // Still live: the preview and the close button are there.
  assert.equal(await page.locator("#card-scanner video").count(), 1);
  await page.locator("#card-scanner-close").click();
  await page.locator("#card-scanner").waitFor({ state: "detached" });
  const states = await page.evaluate(() => window.__streams.flatMap((s) => s.getTracks().map((t) => t.readyState)));
  assert.deepEqual([...new Set(states)], ["ended"]);
  await context.close();
});

test("camera refusals get a clear Vietnamese reason", async (t) => {
  const browser = await withCamera(t, cardVideo(CARD), "card2.y4m");
  for (const [name, expected] of [
    ["NotAllowedError", /chưa được phép dùng camera/],
    ["NotFoundError", /Không tìm thấy camera/],
    ["NotReadableError", /chương trình khác dùng/],
  ]) {
    const context = await browser.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    // The browser's own refusal, as getUserMedia reports it.
    await page.addInitScript((name) => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("refused", name));
    }, name);
    await openForm(page);
    await page.locator("#card-camera").click();
    const alert = page.locator("#card-scanner-error");
    await alert.waitFor();
    assert.match(await alert.innerText(), expected);
    await context.close();
  }
});

test("after one visit the decoder works offline (precached by the service worker)", async (t) => {
  const browser = await withCamera(t, cardVideo(CARD, { degrees: 4 }), "card3.y4m");
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
    }
  });
  const sw = await (await fetch(`${env.server.url}/sw.js`)).text();
  for (const f of ["/hoso-worker_loader.js", "/hoso-worker.js", "/hoso-worker_bg.wasm"]) assert.ok(sw.includes(`"${f}"`), f);
  await context.setOffline(true);
  await page.reload();
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator("#card-camera").click();
  await page.locator("#card-name", { hasText: "Nguyễn Văn Bình" }).waitFor({ timeout: 30000 });
  await context.close();
});
