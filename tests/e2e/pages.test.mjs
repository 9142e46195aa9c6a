// The page list and the corner editor: pages reordered by keyboard and by
// drag reach the packaged PDF in that order and survive a reload; a page
// moves to another paper; rotate turns a page; the corner editor works by
// keyboard alone (the page is made again), shows its magnifier while a
// corner is dragged, and Esc leaves the page as it was; retake replaces a
// page in place.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { useServerAndBrowser, openContext, openPage, fillKhaiSinh, tempDir, drawnPhoto, run, CLI } from "./harness.mjs";

let photos;
const env = useServerAndBrowser(async () => {
  // Three pages told apart by their pixel size.
  photos = {
    a: await drawnPhoto(env.browser, { width: 620, height: 877, lines: 20 }),
    b: await drawnPhoto(env.browser, { width: 560, height: 792, lines: 25 }),
    c: await drawnPhoto(env.browser, { width: 500, height: 707, lines: 30 }),
  };
});

const PAPER = '[data-component="giay-chung-sinh"]';

async function openDossier(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("dialog", (d) => d.accept());
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await fillKhaiSinh(page);
  await page.locator("#create-form").click();
  await page.locator("#form-pdf").waitFor();
  return { page, errors };
}

/** Attaches files one by one under the given names, waiting for each page. */
async function attach(page, files) {
  const input = page.locator(`${PAPER} input[type="file"]`).first();
  let n = await page.locator(`${PAPER} .thumb`).count();
  for (const [name, path] of files) {
    await input.setInputFiles({ name, mimeType: "image/jpeg", buffer: readFileSync(path) });
    n += 1;
    await page.locator(`${PAPER} .thumb`).nth(n - 1).waitFor();
  }
  await idle(page);
}

/** No page being made (new or again). */
const idle = (page) =>
  page.waitForFunction(() => !document.querySelector('.pending-page, .thumb[aria-busy="true"]'), null, { timeout: 60000 });

/** The latest change is stored ("Đã lưu" shows only then). */
async function saved(page) {
  await page.locator("#save-state .ok").waitFor();
}

/** Source names of a paper's pages, in shown order. */
const order = (page, paper = PAPER) => page.locator(`${paper} .thumb img`).evaluateAll((imgs) => imgs.map((i) => i.alt));

/** "620 × 877" of a page's info line. */
const dims = async (thumb) => {
  const m = (await thumb.locator(".page-info").innerText()).match(/(\d+) × (\d+) px/);
  return [Number(m[1]), Number(m[2])];
};

/** Packs, downloads and unzips; returns the folder and zip. */
async function pack(page) {
  await page.locator("#pack").click();
  await page.locator("#dossier-code").waitFor();
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download").click()]);
  const dir = tempDir();
  const zip = join(dir, "p.zip");
  await download.saveAs(zip);
  execFileSync("unzip", ["-q", zip, "-d", dir]);
  return { dir, zip };
}

/** "width x height" of each page's first image (MRC pages hold several) in a paper's PDF. */
function pdfPages(dir, component) {
  const file = readdirSync(join(dir, "data")).find((f) => f.endsWith(`-${component}.pdf`));
  const rows = run("pdfimages", ["-list", join(dir, "data", file)]).trim().split("\n").slice(2).map((l) => l.trim().split(/\s+/));
  const pages = [];
  for (const r of rows) if (!pages[Number(r[0]) - 1]) pages[Number(r[0]) - 1] = `${r[3]}x${r[4]}`;
  return pages;
}

test("reorder by keyboard and by drag: the package follows, a reload keeps it", async (t) => {
  const context = await openContext(t, env.browser, { acceptDownloads: true });
  const { page, errors } = await openDossier(context);
  await attach(page, [["a.jpg", photos.a], ["b.jpg", photos.b], ["c.jpg", photos.c]]);
  assert.deepEqual(await order(page), ["a.jpg", "b.jpg", "c.jpg"]);
  await saved(page);
  // Each page's image size, by name, as the list shows it.
  const thumb = (name) => page.locator(`${PAPER} .thumb`, { has: page.locator(`img[alt="${name}"]`) });
  const image = {};
  for (const name of ["a.jpg", "b.jpg", "c.jpg"]) image[name] = (await dims(thumb(name))).join("x");
  assert.equal(new Set(Object.values(image)).size, 3, "three pages told apart by size");

  // Keyboard: Alt+↑ on c's "Lên", then Enter on it (focus stays on the moved page's button).
  await thumb("c.jpg").locator('[data-tool="up"]').focus();
  await page.keyboard.press("Alt+ArrowUp");
  await page.waitForFunction(() => document.querySelector(".thumb:nth-child(2) img")?.alt === "c.jpg");
  assert.deepEqual(await order(page), ["a.jpg", "c.jpg", "b.jpg"]);
  assert.equal(await page.evaluate(() => document.activeElement.closest(".thumb")?.querySelector("img").alt), "c.jpg");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector(".thumb:nth-child(1) img")?.alt === "c.jpg");
  assert.deepEqual(await order(page), ["c.jpg", "a.jpg", "b.jpg"]);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.tool), "up");
  assert.match(await page.locator(`${PAPER} .sr[aria-live]`).innerText(), /Đã chuyển trang tới vị trí 1\/3/);
  // Alt+↓ moves it back down, Alt+↑ up again.
  await page.keyboard.press("Alt+ArrowDown");
  await page.waitForFunction(() => document.querySelector(".thumb:nth-child(2) img")?.alt === "c.jpg");
  assert.deepEqual(await order(page), ["a.jpg", "c.jpg", "b.jpg"]);
  await page.keyboard.press("Alt+ArrowUp");
  await page.waitForFunction(() => document.querySelector(".thumb:nth-child(1) img")?.alt === "c.jpg");
  // At the top, Lên does nothing.
  await page.keyboard.press("Enter");
  assert.deepEqual(await order(page), ["c.jpg", "a.jpg", "b.jpg"]);
  assert.equal(await thumb("c.jpg").locator('[data-tool="up"]').getAttribute("aria-disabled"), "true");

  // Drag: c dropped on the right half of b → last.
  const target = await thumb("b.jpg").boundingBox();
  await thumb("c.jpg").locator("img").dragTo(thumb("b.jpg"), { targetPosition: { x: target.width - 5, y: target.height / 2 } });
  await page.waitForFunction(() => document.querySelector(".thumb:nth-child(3) img")?.alt === "c.jpg");
  assert.deepEqual(await order(page), ["a.jpg", "b.jpg", "c.jpg"]);
  // And b dropped on the left half of a → first.
  await thumb("b.jpg").locator("img").dragTo(thumb("a.jpg"), { targetPosition: { x: 5, y: 20 } });
  await page.waitForFunction(() => document.querySelector(".thumb:nth-child(1) img")?.alt === "b.jpg");
  assert.deepEqual(await order(page), ["b.jpg", "a.jpg", "c.jpg"]);
  const reordered = await pack(page);
  assert.deepEqual(pdfPages(reordered.dir, "giay-chung-sinh"), [image["b.jpg"], image["a.jpg"], image["c.jpg"]]);


  // Moved to another paper ("Văn bản ủy quyền"), then a reload keeps both orders.
  await thumb("a.jpg").locator('[data-tool="move"]').selectOption("van-ban-uy-quyen");
  await page.locator('[data-component="van-ban-uy-quyen"] .thumb img[alt="a.jpg"]').waitFor();
  assert.deepEqual(await order(page), ["b.jpg", "c.jpg"]);
  await saved(page);
  await page.reload();
  await page.locator(`${PAPER} .thumb`).nth(1).waitFor();
  assert.deepEqual(await order(page), ["b.jpg", "c.jpg"]);
  assert.deepEqual(await order(page, '[data-component="van-ban-uy-quyen"]'), ["a.jpg"]);
  // The package has them in that order.
  const packed = await pack(page);
  assert.deepEqual(pdfPages(packed.dir, "giay-chung-sinh"), [image["b.jpg"], image["c.jpg"]]);
  assert.deepEqual(pdfPages(packed.dir, "van-ban-uy-quyen"), [image["a.jpg"]]);
  assert.equal(spawnSync(CLI, ["verify", packed.zip]).status, 0);
  assert.deepEqual(errors, []);
});

test("rotate turns a page; the corner editor by keyboard re-makes it; the loupe shows while dragging; Esc changes nothing; retake replaces in place", async (tc) => {
  const context = await openContext(tc, env.browser, { acceptDownloads: true });
  const { page, errors } = await openDossier(context);
  await attach(page, [["a.jpg", photos.a]]);
  const thumb = page.locator(`${PAPER} .thumb`).first();
  const [w, h] = await dims(thumb);
  assert.ok(h > w, `${w}×${h} upright`);

  // Xoay 90°: width and height swap, on screen and in the package.
  await thumb.locator('[data-tool="rotate"]').click();
  await page.waitForFunction(([w, h]) => document.querySelector(".thumb .page-info")?.innerText.includes(`${h} × ${w} px`), [w, h], { timeout: 60000 });
  await idle(page);
  assert.deepEqual(await dims(thumb), [h, w]);
  await thumb.locator('[data-tool="rotate"]').click();
  await thumb.locator('[data-tool="rotate"]').click();
  await thumb.locator('[data-tool="rotate"]').click();
  await page.waitForFunction(([w, h]) => document.querySelector(".thumb .page-info")?.innerText.includes(`${w} × ${h} px`), [w, h], { timeout: 60000 });
  await idle(page);

  // Esc cancels: nothing changes.
  const before = { info: await thumb.locator(".page-info").innerText(), src: await thumb.locator("img").getAttribute("src") };
  await thumb.locator('[data-tool="corners"]').focus();
  await page.keyboard.press("Enter");
  const editor = page.locator(".corner-editor");
  await editor.waitFor();
  await page.waitForFunction(() => document.activeElement?.dataset.corner === "0");
  // Tab stays inside the dialog.
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "corner-cancel");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.corner), "0");
  await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.press("Escape");
  await editor.waitFor({ state: "detached" });
  await page.waitForFunction(() => document.activeElement?.dataset.tool === "corners", null, { timeout: 2000 }); // focus back on Chỉnh góc
  await page.waitForTimeout(300);
  assert.equal(await page.locator(".thumb[aria-busy=\"true\"], .pending-page").count(), 0);
  assert.deepEqual({ info: await thumb.locator(".page-info").innerText(), src: await thumb.locator("img").getAttribute("src") }, before);

  // Dragging a corner with the mouse shows the loupe (on the far side), and moves the handle.
  await page.keyboard.press("Enter");
  await editor.waitFor();
  await page.waitForFunction(() => document.activeElement?.dataset.corner === "0");
  const loupe = editor.locator("canvas.loupe");
  const handle = editor.locator('[data-corner="2"]');
  const box = await handle.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x - 30, box.y - 40, { steps: 6 });
  assert.ok(await loupe.isVisible(), "loupe visible while dragging");
  assert.match(await loupe.getAttribute("class"), /\bleft\b/, "loupe away from a right-hand corner");
  assert.match(await handle.getAttribute("class"), /\bactive\b/);
  // It shows the photo, not an empty box.
  const shades = await loupe.evaluate((c) => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4) seen.add(d[i] >> 4);
    return seen.size;
  });
  assert.ok(shades >= 3, `loupe shows the photo (${shades} shades)`);
  await page.mouse.up();
  const moved = await handle.boundingBox();
  assert.ok(moved.x < box.x - 20 && moved.y < box.y - 30, "handle followed the pointer");
  await page.keyboard.press("Escape");
  await editor.waitFor({ state: "detached" });
  assert.deepEqual({ info: await thumb.locator(".page-info").innerText(), src: await thumb.locator("img").getAttribute("src") }, before);

  // Keyboard only: Tab to corners, arrows move them, Enter applies → the page is made again, smaller.
  await thumb.locator('[data-tool="corners"]').focus();
  await page.keyboard.press("Enter");
  await editor.waitFor();
  await page.waitForFunction(() => document.activeElement?.dataset.corner === "0");
  for (let i = 0; i < 4; i++) await page.keyboard.press("Shift+ArrowRight");
  for (let i = 0; i < 4; i++) await page.keyboard.press("Shift+ArrowDown");
  assert.ok(await loupe.isVisible(), "loupe follows the focused corner");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.corner), "1");
  await page.keyboard.press("Tab");
  for (let i = 0; i < 4; i++) await page.keyboard.press("Shift+ArrowLeft");
  for (let i = 0; i < 4; i++) await page.keyboard.press("Shift+ArrowUp");
  const label = await page.evaluate(() => document.activeElement.getAttribute("aria-label"));
  assert.match(label, /^Góc dưới bên phải \(\d+, \d+\)$/);
  const t0 = Date.now();
  await page.keyboard.press("Enter");
  await editor.waitFor({ state: "detached" });
  await page.waitForFunction((info) => {
    const t = document.querySelector(".thumb");
    return t?.getAttribute("aria-busy") === "false" && t.querySelector(".page-info").innerText !== info;
  }, before.info, { timeout: 60000 });
  const ms = Date.now() - t0;
  console.log(`# re-processed after apply in ${ms} ms`);
  const [w2, h2] = await dims(thumb);
  assert.notDeepEqual([w2, h2], [w, h], "a smaller sheet was cut out");
  assert.notEqual(await thumb.locator("img").getAttribute("src"), before.src);

  // "Tự động dò lại": back to detection (this photo shows no sheet edge: the whole photo).
  await thumb.locator('[data-tool="corners"]').click();
  await editor.waitFor();
  await editor.locator(".corner-redetect").click();
  await editor.waitFor({ state: "detached" });
  await page.waitForFunction(([w, h]) => document.querySelector(".thumb .page-info")?.innerText.includes(`${w} × ${h} px`), [w, h], { timeout: 60000 });
  await idle(page);

  // The new page is what gets packaged (and then the originals are let go: no more Chỉnh góc).
  let packed = await pack(page);
  assert.deepEqual(pdfPages(packed.dir, "giay-chung-sinh"), [`${w}x${h}`]);
  assert.equal(await thumb.locator('[data-tool="corners"]').count(), 0);

  // Chụp lại: another file replaces the page in place.
  await attach(page, [["c.jpg", photos.c]]);
  assert.deepEqual(await order(page), ["a.jpg", "c.jpg"]);
  await thumb.locator('[data-tool="retake"] input').setInputFiles({ name: "b.jpg", mimeType: "image/jpeg", buffer: readFileSync(photos.b) });
  await page.waitForFunction(() => document.querySelector(".thumb img")?.alt === "b.jpg", null, { timeout: 60000 });
  await idle(page);
  assert.deepEqual(await order(page), ["b.jpg", "c.jpg"]);
  assert.deepEqual(await dims(thumb), [560, 792]);
  packed = await pack(page);
  assert.deepEqual(pdfPages(packed.dir, "giay-chung-sinh"), ["560x792", "500x707"]);
  assert.deepEqual(errors, []);
});

test("on a phone: a corner dragged by finger, the loupe shows meanwhile; Lên by tap", async (tc) => {
  const { context, page } = await openPage(tc, env.browser, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await attach(page, [["a.jpg", photos.a], ["b.jpg", photos.b]]);
  await page.locator(`${PAPER} .thumb`).nth(1).locator('[data-tool="up"]').tap();
  await page.waitForFunction(() => document.querySelector(".thumb:nth-child(1) img")?.alt === "b.jpg");

  const thumb = page.locator(`${PAPER} .thumb`).first();
  const before = await thumb.locator(".page-info").innerText();
  await thumb.locator('[data-tool="corners"]').tap();
  const editor = page.locator(".corner-editor");
  await editor.locator('[data-corner="1"]').waitFor();
  await page.waitForFunction(() => document.activeElement?.dataset.corner === "0");
  const handle = editor.locator('[data-corner="1"]');
  await handle.scrollIntoViewIfNeeded();
  const box = await handle.boundingBox();
  // A finger 10 px off the handle's centre still takes it (touch radius).
  const start = { x: box.x + box.width / 2 - 10, y: box.y + box.height / 2 + 8 };
  const cdp = await context.newCDPSession(page);
  const touch = (type, p) => cdp.send("Input.dispatchTouchEvent", { type, touchPoints: p ? [{ x: p.x, y: p.y }] : [] });
  await touch("touchStart", start);
  for (let i = 1; i <= 5; i++) await touch("touchMove", { x: start.x - 6 * i, y: start.y + 8 * i });
  assert.ok(await editor.locator("canvas.loupe").isVisible(), "loupe visible under a finger drag");
  assert.match(await handle.getAttribute("class"), /\bactive\b/);
  await touch("touchEnd");
  const moved = await handle.boundingBox();
  assert.ok(moved.x < box.x - 20 && moved.y > box.y + 30, `handle followed the finger: ${JSON.stringify([box, moved])}`);
  // Released: the handle is no longer the dragged one (the focused first corner is active).
  assert.doesNotMatch(await handle.getAttribute("class"), /\bactive\b/);
  // Chromium's gesture detector makes no click of a tap right after another touch.
  await page.waitForTimeout(400);
  await editor.locator(".corner-apply").tap();
  await editor.waitFor({ state: "detached" });
  await page.waitForFunction((b) => {
    const t = document.querySelector(".thumb");
    return t?.getAttribute("aria-busy") === "false" && t.querySelector(".page-info").innerText !== b;
  }, before, { timeout: 60000 });
  assert.equal(await page.locator(`${PAPER} .thumb img`).first().getAttribute("alt"), "b.jpg");
  assert.deepEqual(errors, []);
});
