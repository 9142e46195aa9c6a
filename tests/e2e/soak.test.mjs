// Nothing committed is ever lost: 50 seeded random runs of typing and
// scanning, each ended by a reload, a closed page or a killed browser at a
// random moment. Before each disruption the stored state is read straight
// from IndexedDB; after reopening, the app must show at least that (every
// stored answer, every stored page byte for byte) and nothing else than
// what was being done.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";
import { useServer, tempDir, fieldId, fillKhaiSinh } from "./harness.mjs";

const RUNS = 50;
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const FIELDS = ["child.home_town", "child.birth_place", "applicant.residence", "mother.residence", "father.full_name"];

const env = useServer();

function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sha = (page, buffers) => page.evaluate(async (list) => Promise.all(list.map(async (b) => {
  const d = await crypto.subtle.digest("SHA-256", new Uint8Array(b));
  return [...new Uint8Array(d)].map((x) => x.toString(16).padStart(2, "0")).join("");
})), buffers);

/** What IndexedDB holds now: the current draft's answers and the hashes of its page blobs. */
const snapshot = (page) => page.evaluate(async () => {
  const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
  const all = (name) => new Promise((ok) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); });
  const drafts = (await all("drafts")).map((s) => JSON.parse(s));
  const blobs = await all("pages");
  const hashes = await Promise.all(blobs.map(async (b) => {
    const d = await crypto.subtle.digest("SHA-256", await b.arrayBuffer());
    return [...new Uint8Array(d)].map((x) => x.toString(16).padStart(2, "0")).join("");
  }));
  db.close();
  return { answers: drafts[0]?.answers ?? {}, pages: hashes.sort() };
});

/** SHA-256 of the stored blob of every page shown (the app checks it when it reads the blob back). */
const shownHashes = (page) => page.$$eval(".thumb", (items) => items.map((li) => li.dataset.sha256));

async function photo(page, n) {
  const url = await page.evaluate((n) => {
    const c = document.createElement("canvas");
    c.width = 500; c.height = 700;
    const g = c.getContext("2d");
    g.fillStyle = "#fbfaf5"; g.fillRect(0, 0, 500, 700);
    g.fillStyle = "#111"; g.font = "22px serif";
    for (let i = 0; i < 20; i++) g.fillText(`Trang ${n} — dòng ${i}`, 30, 50 + i * 30);
    return c.toDataURL("image/jpeg", 0.9);
  }, n);
  return { name: `trang-${n}.jpg`, mimeType: "image/jpeg", buffer: Buffer.from(url.split(",")[1], "base64") };
}

test(`soak: ${RUNS} random disruptions while typing and scanning lose nothing committed`, { timeout: 600_000 }, async (t) => {
  const profile = tempDir();
  const random = rng(20261122);
  const open = async () => {
    const context = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", args: ARGS });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(env.server.url);
    return { context, page };
  };
  let { context, page } = await open();
  t.after(() => context.close().catch(() => {})); // the current one, even when an assertion fails
  await page.locator('[data-procedure="khai-sinh"] button').click();
  await fillKhaiSinh(page);
  await page.waitForTimeout(500);

  const counts = { reload: 0, close: 0, kill: 0, pages: 0, typed: 0 };
  for (let run = 0; run < RUNS; run++) {
    await page.locator("#chosen-procedure").waitFor({ timeout: 20_000 });
    let typed = null, added = null;
    if (random() < 0.6) {
      typed = { key: FIELDS[Math.floor(random() * FIELDS.length)], value: `Giá trị ${run} – ${Math.floor(random() * 1e6)} ấp Đông` };
      await page.locator(fieldId(typed.key)).fill(typed.value);
      counts.typed++;
    } else {
      const p = await photo(page, run);
      added = (await sha(page, [[...p.buffer]]))[0];
      await page.locator('[data-component="giay-chung-sinh"] .dropzone input[type="file"]').setInputFiles(p);
      counts.pages++;
    }
    await page.waitForTimeout(Math.floor(random() * 700));
    const before = await snapshot(page);
    const how = ["reload", "close", "kill"][Math.floor(random() * 3)];
    counts[how]++;
    if (how === "reload") {
      await page.reload();
    } else if (how === "close") {
      await page.close({ runBeforeUnload: false });
      page = await context.newPage();
      await page.goto(env.server.url);
    } else {
      // SIGKILL the browser: no unload, no flush beyond what IndexedDB committed.
      // "--" so pkill reads the pattern as a pattern, not an option.
      execFileSync("pkill", ["-9", "-f", "--", `--user-data-dir=${profile}`]);
      await context.close().catch(() => {});
      ({ context, page } = await open());
    }
    // Reopened where work stopped, after a kill too: the "open dossier"
    // marker is written in IndexedDB in the same transaction as the record.
    await page.locator("#chosen-procedure").waitFor({ timeout: 20_000 });
    await page.waitForTimeout(300);
    // Every stored answer is shown (or the one being typed, if it landed after the snapshot).
    for (const [key, value] of Object.entries(before.answers)) {
      if (!FIELDS.includes(key)) continue;
      const shown = await page.locator(fieldId(key)).inputValue();
      assert.ok(shown === value || (typed && typed.key === key && shown === typed.value), `run ${run} (${how}): ${key} = "${shown}", stored "${value}"`);
    }
    // Every stored page comes back byte for byte; nothing foreign appears (in-flight pages are redone).
    await page.waitForFunction(() => !document.querySelector(".pending-page"), null, { timeout: 20_000 });
    const shown = await shownHashes(page);
    for (const h of before.pages) assert.ok(shown.includes(h), `run ${run} (${how}): stored page ${h.slice(0, 8)} missing`);
    // At most the page that was being added besides what was stored (redone from the inbox).
    assert.ok(shown.length <= before.pages.length + (added ? 1 : 0), `run ${run} (${how}): ${shown.length} pages shown, ${before.pages.length} stored`);
  }
  console.log(`soak: ${RUNS} runs`, counts);
});
