// Chế độ Tập huấn: the whole guided tour in Chromium, offline after the
// first visit (only "Gửi hồ sơ" goes online, to the local `hoso serve`).
// Each step must highlight its control and its "Làm mẫu" must have its
// effect; the tour is left and resumed at the same step across a reload;
// "Làm lại từ đầu" empties the training store; and real dossiers and
// training ones never see each other (IndexedDB and localStorage are read
// directly). With HOSO_SCREENSHOTS=1 every step is saved as
// docs/training/NN-<step>.png (1024×640) for review.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { useServerAndBrowser, openPage, tempDir, run, fieldId } from "./harness.mjs";

const SHOTS = process.env.HOSO_SCREENSHOTS ? new URL("../../docs/training/", import.meta.url).pathname : null;
const TOUR = JSON.parse(readFileSync(new URL("../../data/tour.json", import.meta.url), "utf8"));
const PREFIX = "tap-huan:";

const env = useServerAndBrowser();

/** The drafts stored in one IndexedDB database, as their JSON texts. */
const drafts = (page, name) =>
  page.evaluate(
    (name) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains("drafts")) {
            db.close();
            return resolve([]);
          }
          const all = db.transaction("drafts").objectStore("drafts").getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result.map(String).sort());
          };
          all.onerror = () => reject(all.error);
        };
      }),
    name,
  );

/** localStorage split into real keys and training keys. */
const keys = (page) =>
  page.evaluate((prefix) => {
    const real = {}, training = {};
    for (const k of Object.keys(localStorage).sort()) (k.startsWith(prefix) ? training : real)[k] = localStorage.getItem(k);
    return { real, training };
  }, PREFIX);

/** The one highlighted element matches `selector` (or nothing is highlighted). */
async function assertHighlight(page, selector, step) {
  // The tour looks for its target a few times a second (targets may appear late).
  await page
    .waitForFunction((want) => document.querySelectorAll(".tour-target").length === want, selector ? 1 : 0, { timeout: 3000 })
    .catch(() => {});
  const r = await page.evaluate((selector) => {
    const marked = [...document.querySelectorAll(".tour-target")];
    const want = selector ? document.querySelector(selector) : null;
    const box = marked[0]?.getBoundingClientRect();
    return {
      count: marked.length,
      same: marked[0] === want,
      visible: !!box && box.bottom > 0 && box.top < innerHeight && box.width > 0,
      outline: marked[0] ? getComputedStyle(marked[0]).outlineStyle : null,
    };
  }, selector);
  if (!selector) return assert.equal(r.count, 0, `${step}: nothing highlighted`);
  assert.equal(r.count, 1, `${step}: one highlighted element`);
  assert.ok(r.same, `${step}: ${selector} is the highlighted element`);
  assert.ok(r.visible, `${step}: the highlighted element is scrolled into view`);
  assert.equal(r.outline, "solid", `${step}: the highlight is drawn`);
}

const value = (page, key) => page.locator(fieldId(key)).inputValue();

async function shoot(page, n, id) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(250); // the scroll settles
  await page.screenshot({ path: join(SHOTS, `${String(n).padStart(2, "0")}-${id}.png`) });
}

async function waitForController(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
    }
  });
}

/** WCAG contrast ratio of an element's text against the first opaque background behind it. */
const contrast = (page, selector) =>
  page.locator(selector).first().evaluate((el) => {
    const rgb = (s) => s.match(/[\d.]+/g).map(Number);
    const lum = ([r, g, b]) => {
      const c = [r, g, b].map((v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    let bg = null;
    for (let e = el; e && !bg; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] === 1) bg = c.slice(0, 3);
    }
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg ?? [255, 255, 255])];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });

test("the tour runs offline end to end; reset and separation from real data", async (t) => {
  const { context, page } = await openPage(t, env.browser, { viewport: { width: 1024, height: 640 }, acceptDownloads: true });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => d.accept());
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(env.server.url) && !url.startsWith("blob:") && !url.startsWith("data:")) errors.push(`request to ${url}`);
  });
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) errors.push(m.text());
  });

  // Real work first: one real dossier in the real store.
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator(fieldId("child.full_name")).fill("Nguyễn Thị Thật");
  await page.locator("#save-state .ok").waitFor();
  await page.locator("#new-dossier").click();
  await page.locator("table.saved-list tr", { hasText: "Nguyễn Thị Thật" }).waitFor();
  await page.locator("details.settings summary").click();
  await page.locator("#unit-name").fill("UBND xã Thật");
  await page.locator("#unit-name").dispatchEvent("change");
  await waitForController(page);
  const realDrafts = await drafts(page, "hoso");
  assert.equal(realDrafts.length, 1);
  const realKeys = (await keys(page)).real;
  assert.ok(Object.keys(realKeys).length > 0);
  await assert.rejects(page.locator("#training-banner").waitFor({ timeout: 300 }), "no training banner in real work");

  // Into training from the start screen.
  await page.locator("#training-enter").click();
  await page.waitForURL(/\?tap-huan$/);
  const banner = page.locator("#training-banner");
  await banner.waitFor();
  assert.match(await banner.innerText(), /CHẾ ĐỘ TẬP HUẤN — dữ liệu mẫu/);
  assert.match(await page.title(), /TẬP HUẤN/);
  // Real dossiers are not shown in training.
  assert.equal(await page.locator("table.saved-list tr").count(), 0);

  // The sample papers: the card's QR read by an independent decoder (zbar).
  await page.locator(".training-more summary").click();
  const card = page.locator("a.sample-file", { hasText: "Thẻ căn cước mẫu" });
  const [download] = await Promise.all([page.waitForEvent("download"), card.click()]);
  const cardPath = join(tempDir(), "card.jpg");
  await download.saveAs(cardPath);
  const qr = run("zbarimg", ["--raw", "-q", cardPath]).trim();
  assert.equal(qr, "001196000001||Lê Thị Mẫu|15031996|Nữ|Thôn Mẫu, xã Tập Huấn, thành phố Hà Nội|10082021");
  assert.equal(await page.locator("a.sample-file").count(), 2);
  await page.locator(".training-more summary").click();

  // From here on, no network: the app comes from the service worker.
  await context.setOffline(true);
  await page.reload();
  await banner.waitFor();
  await page.locator(".banner.offline").waitFor();

  const steps = TOUR.steps.map((s) => s.id);
  const tour = page.locator("#tour");
  const at = async (id) => {
    await page.locator(`#tour[data-step="${id}"]`).waitFor();
    const n = steps.indexOf(id) + 1;
    assert.equal(await page.locator("#tour-count").innerText(), `Bước ${n}/${steps.length}`);
    return n;
  };
  const doIt = async () => {
    await page.locator("#tour-do").click();
  };
  const done = () => page.locator("#tour-done").waitFor();
  // → moves on unless a field has the focus (the arrow is the field's then):
  // "Làm mẫu" ends by focusing "Tiếp"; a freshly opened form focuses its
  // first field, and then the button is clicked.
  const inField = () => page.evaluate(() => ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName));
  const next = async () => {
    const leftField = await page
      .waitForFunction(() => !["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName), null, { timeout: 1500 })
      .then(() => true, () => false);
    if (leftField && !(await inField())) await page.keyboard.press("ArrowRight");
    else await page.locator("#tour-next").click();
  };

  // What each step must highlight and do, written independently of tour.json.
  const expected = [
    ["bat-dau", null, null],
    ["chon-thu-tuc", '[data-procedure="khai-sinh"]', async () => {
      await page.locator("#chosen-procedure", { hasText: "Đăng ký khai sinh" }).waitFor();
      await done();
    }],
    ["doc-qr", ".id-card-reader", async () => {
      await page.locator("#card-name", { hasText: "Lê Thị Mẫu" }).waitFor({ timeout: 20_000 });
      assert.equal(await page.locator("#card-id").innerText(), "001196000001");
      await done();
    }],
    ["dien-tu-the", ".id-card", async () => {
      await done();
      assert.equal(await value(page, "applicant.id_number"), "001196000001");
      assert.equal(await value(page, "applicant.full_name"), "Lê Thị Mẫu");
    }],
    ["dien-to-khai", "form.declaration", async () => {
      await done();
      assert.equal(await value(page, "child.full_name"), "Trần Thị Bé Mẫu");
      assert.equal(await value(page, "mother.birth_year"), "1996");
    }],
    ["tao-to-khai", "#create-form", async () => {
      await page.locator("#form-pdf").waitFor();
      await done();
      assert.equal(await page.locator(".error-summary").count(), 0, "the sample declaration has no error");
    }],
    ["chup-giay-to", '[data-component="giay-chung-sinh"]', async () => {
      await page.locator('[data-component="giay-chung-sinh"] .thumb img').waitFor({ timeout: 20_000 });
      await done();
    }],
    ["dong-goi", "#pack", async () => {
      await page.locator("#dossier-code").waitFor();
      await done();
    }],
    ["in-giay-tiep-nhan", "#receipt", null],
    ["gui-ho-so", "#upload", null],
    ["cong-dan-o-nha", "#new-dossier", async () => {
      await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
      await done();
    }],
    ["cong-dan-dien-truoc", '[data-procedure="khai-sinh"]', async () => {
      await page.locator("#form-pdf").waitFor();
      await done();
      assert.equal(await value(page, "child.full_name"), "Trần Thị Bé Mẫu");
      assert.equal(await value(page, "applicant.full_name"), "Lê Thị Mẫu");
    }],
    ["trao-qr", "#handoff-show", null],
    ["nhan-qr", "#handoff-import", null],
    ["ket-thuc", "#training-reset", null],
  ];
  assert.deepEqual(expected.map((e) => e[0]), steps, "the test walks every step of data/tour.json, in order");

  let code;
  for (const [id, target, effect] of expected) {
    const n = await at(id);
    if (id === "trao-qr") {
      // The hand-over by QR (built separately): highlighted and shown when
      // the build has it, explained when not.
      if (await page.locator(target).count()) {
        await assertHighlight(page, target, id);
        await doIt();
        await page.locator("#handoff-qr").waitFor();
      } else {
        await assertHighlight(page, null, id);
        assert.match(await page.locator("#tour-missing").innerText(), /mã QR/);
      }
      await shoot(page, n, id);
      await next();
      continue;
    }
    if (id === "nhan-qr") {
      // The counter's import is on the start screen: "Làm mẫu" goes there.
      assert.match(await page.locator("#tour-missing").innerText(), /màn hình đầu/);
      await doIt();
      await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
      if (await page.locator(target).count()) {
        // A file input hidden for screen readers is shown by its label.
        await assertHighlight(page, 'label[for="handoff-import"]', id);
        await done();
      } else {
        await assertHighlight(page, null, id);
        assert.match(await page.locator("#tour-missing").innerText(), /chưa có chức năng/);
      }
      await shoot(page, n, id);
      await next();
      continue;
    }
    await assertHighlight(page, target, id);
    if (id === "in-giay-tiep-nhan") {
      const [popup] = await Promise.all([context.waitForEvent("page"), doIt()]);
      assert.match(popup.url(), /^blob:/);
      const pdf = await page.locator("#receipt").evaluate(async (a) => new TextDecoder().decode((await (await fetch(a.href)).arrayBuffer()).slice(0, 5)));
      assert.equal(pdf, "%PDF-");
      await popup.close();
    } else if (id === "gui-ho-so") {
      // Only the submission goes online, to the practice portal.
      code = (await page.locator("#dossier-code").innerText()).trim();
      await context.setOffline(false);
      await doIt();
      await page.locator("#upload-done", { hasText: "nguyên vẹn" }).waitFor({ timeout: 30_000 });
      await done();
      await context.setOffline(true);
      const received = await (await fetch(`${env.server.url}/received.json`)).json();
      const record = received.find((r) => r.dossier_code === code);
      assert.ok(record?.intact, `${code} arrived intact at hoso serve`);
    } else if (effect) {
      await doIt();
      await effect();
    }
    if (id === "ket-thuc") assert.ok(await page.locator("#tour-next").isDisabled(), "the last step has no next");
    await shoot(page, n, id);

    if (id === "doc-qr") {
      // Back and forth by keyboard, and by the buttons.
      await page.keyboard.press("ArrowLeft");
      await at("chon-thu-tuc");
      await page.locator("#tour-next").click();
      await at("doc-qr");
    }
    if (id === "dien-tu-the") {
      // Left (Esc) and resumed after a reload, at the same step.
      await page.locator("#save-state .ok").waitFor();
      await page.keyboard.press("Escape");
      await tour.waitFor({ state: "detached" });
      assert.equal(await page.locator(".tour-target").count(), 0, "no highlight once the tour is hidden");
      await page.reload();
      await banner.waitFor();
      await page.locator("#training-tour", { hasText: `bước ${n}` }).click();
      await at("dien-tu-the");
    }
    if (id !== "ket-thuc") await next();
  }

  // Separation while training: the real store and real keys are as they were.
  const trainingDrafts = await drafts(page, "hoso-tap-huan");
  assert.equal(trainingDrafts.length, 2, "the tour made two training dossiers");
  assert.ok(trainingDrafts.every((d) => d.includes("Lê Thị Mẫu")));
  assert.deepEqual(await drafts(page, "hoso"), realDrafts, "real dossiers untouched by training");
  assert.deepEqual((await keys(page)).real, realKeys, "real settings and bookmarks untouched by training");

  // Arrow keys belong to the field being typed in, not to the tour.
  await page.locator("#tour-back").click();
  await at("nhan-qr");
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await page.locator(fieldId("child.full_name")).focus();
  await page.keyboard.press("ArrowRight");
  await at("nhan-qr");
  await page.locator("#save-state .ok").waitFor();

  // Làm lại từ đầu: one click empties the training store and restarts the tour.
  await page.locator("#training-reset").click();
  await page.locator("#training-notice").waitFor();
  await at("bat-dau");
  await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
  assert.equal(await page.locator("table.saved-list tr").count(), 0);
  assert.deepEqual(await drafts(page, "hoso-tap-huan"), []);
  assert.deepEqual(await drafts(page, "hoso"), realDrafts, "reset leaves real dossiers alone");
  assert.deepEqual((await keys(page)).real, realKeys);

  // One new training dossier, then back to real work.
  await next();
  await at("chon-thu-tuc");
  await doIt();
  await done();
  await page.locator("#save-state .ok").waitFor();
  await page.locator("#training-exit").click();
  await page.waitForURL((u) => !u.search.includes("tap-huan"));
  await page.locator("table.saved-list tr", { hasText: "Nguyễn Thị Thật" }).waitFor();
  assert.equal(await page.locator("table.saved-list tr").count(), 1, "only the real dossier in real work");
  assert.equal(await page.locator("#training-banner").count(), 0);

  // Vice versa: erasing all real data leaves the training store alone.
  const trainingBefore = await drafts(page, "hoso-tap-huan");
  const trainingKeysBefore = (await keys(page)).training;
  assert.equal(trainingBefore.length, 1);
  await page.locator("#purge-all").click();
  await page.locator("table.saved-list tr").first().waitFor({ state: "detached" });
  assert.deepEqual(await drafts(page, "hoso"), []);
  assert.deepEqual(await drafts(page, "hoso-tap-huan"), trainingBefore, "training untouched by real work");
  assert.deepEqual((await keys(page)).training, trainingKeysBefore);

  // A trainer's bookmark (#tap-huan) opens training where it was left.
  await page.goto("about:blank");
  await page.goto(`${env.server.url}/#tap-huan`);
  await banner.waitFor();
  await page.locator("#chosen-procedure", { hasText: "Đăng ký khai sinh" }).waitFor();
  assert.match(page.url(), /\?tap-huan$/, "the mode is kept in the query");
  await at("chon-thu-tuc");

  assert.deepEqual(errors, []);
});

test("projector display: large text and high contrast, kept per device", async (t) => {
  const { page } = await openPage(t, env.browser, { viewport: { width: 1024, height: 640 } });
  await page.goto(env.server.url);
  const rootSize = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  assert.equal(await rootSize(), "17px");
  // In normal settings, on the start screen.
  await page.locator("#display-zoom").selectOption("150");
  assert.equal(await rootSize(), "25.5px");
  await page.locator("#display-contrast").check();
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains("high-contrast")));
  for (const sel of ["h2", "p.tagline", "button.primary", "small.help", "legend"]) {
    if (await page.locator(sel).count()) assert.ok((await contrast(page, sel)) >= 7, `${sel}: contrast ${await contrast(page, sel)}`);
  }
  await page.reload();
  await page.locator("#display-zoom").waitFor();
  assert.equal(await rootSize(), "25.5px", "zoom kept");
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains("high-contrast")), "contrast kept");

  // In training, from the banner; its choice is its own.
  await page.goto(`${env.server.url}/?tap-huan`);
  await page.locator("#training-banner").waitFor();
  assert.equal(await rootSize(), "17px");
  await page.keyboard.press("Escape"); // the tour hidden while the room is set up
  await page.locator(".training-more summary").click();
  await page.locator("#training-banner #display-zoom").selectOption("200");
  assert.equal(await rootSize(), "34px");
  await page.locator("#training-banner #display-contrast").check();
  await page.locator("#training-tour").click();
  for (const sel of ["#tour-title", "#tour-text", "#tour-next", "#training-banner strong"]) {
    assert.ok((await contrast(page, sel)) >= 7, `${sel}: contrast ${await contrast(page, sel)}`);
  }
  // Reset keeps the room's display settings.
  await page.locator("#training-reset").click();
  await page.locator("#training-notice").waitFor();
  assert.equal(await rootSize(), "34px");
  await page.reload();
  await page.locator("#training-banner").waitFor();
  assert.equal(await rootSize(), "34px");
});
