// The app's page time as the clerk gets it: photos dropped on a paper of
// the khai-sinh dossier, one at a time, in the built app served by
// `hoso serve`, headless Chromium. For each page the worker logs where its
// time went ("hoso worker steps: bitmap … · pixels … · rgb … · sheet_found
// … · encoded … ms", then "pack … ms") and the page logs the worker's
// total ("hoso page: <profile> <ms> ms"); we add the wall time from the
// drop to the thumbnail on screen, and the page's own breakdown of it
// ("hoso page steps: waited … · read … · turn … · worker … · stored … ·
// made … · listed … ms": the file's turn, reading it, the worker's line,
// the worker's round trip, the original's storing not yet done by then,
// the page item made, the dossier updated). The first page of a fresh
// worker is listed apart (its wasm memory grows then). The app warms the
// worker up when the papers appear ("hoso worker warm-up: …"); the first
// drop waits for it unless WARM=0 (a clerk dropping at once).
// Printed, never asserted.
// Usage (from bench/scan-app.sh): node bench/scan-app.mjs PHOTO.jpg…
import { serve, launch, openKhaiSinhForm } from "../tests/e2e/harness.mjs";

const photos = process.argv.slice(2);
const profiles = (process.env.PROFILES ?? "auto,text,color,mixed").split(",");
const reps = Number(process.env.REPS ?? 2);
const warm = process.env.WARM !== "0";
if (photos.length === 0) throw new Error("usage: node bench/scan-app.mjs PHOTO.jpg…");

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

const server = await serve();
const browser = await launch();
const rows = [];
try {
  for (const profile of profiles) {
    const context = await browser.newContext();
    const page = await context.newPage();
    // In the page: when a file input changed (the drop as the app gets it)
    // and when each thumbnail image loaded, apart from Playwright's own
    // time to hand a file over.
    await page.addInitScript(() => {
      window.__hosoChanged = [];
      window.__hosoShown = [];
      document.addEventListener("change", (e) => e.target?.type === "file" && window.__hosoChanged.push(performance.now()), true);
      document.addEventListener("load", (e) => e.target?.closest?.(".thumb") && window.__hosoShown.push(performance.now()), true);
    });
    const logs = [];
    page.on("console", (m) => logs.push(m.text()));
    // The worker's own lines (Playwright ≥ 1.56 gives them on the Worker).
    page.on("worker", (w) => w.on("console", (m) => logs.push(m.text())));
    await openKhaiSinhForm(page, server.url);
    const paper = page.locator('[data-component="giay-chung-sinh"]');
    await paper.locator("select.scan-profile").selectOption(profile);
    const warmLines = () => logs.filter((l) => l.startsWith("hoso worker warm-up:"));
    if (warm) {
      // Every profile warmed (the dossier's other papers are on Tự động), or 30 s.
      for (let t = 0; t < 300 && warmLines().length < 4; t++) await page.waitForTimeout(100);
    }
    const warmed = warmLines().map((l) => l.replace("hoso worker warm-up: ", ""));
    const pages = [];
    let n = 0;
    for (let r = 0; r < reps; r++) {
      for (const photo of photos) {
        const before = logs.length;
        const start = Date.now();
        await page.locator("#file-giay-chung-sinh").setInputFiles(photo);
        n += 1;
        await paper.locator(".thumb img").nth(n - 1).waitFor({ timeout: 300_000 });
        const wall = Date.now() - start;
        const inPage = await page.evaluate(() => window.__hosoShown.at(-1) - window.__hosoChanged.at(-1));
        // The worker's "pack" line may come just after the thumbnail.
        await page.waitForTimeout(100);
        const mine = logs.slice(before);
        const steps = {};
        const side = {};
        for (const line of mine) {
          const m = line.match(/^hoso (worker|page) steps: (.*) ms$/);
          if (!m) continue;
          for (const part of m[2].split(" · ")) {
            const [name, ms] = part.split(" ");
            (m[1] === "worker" ? steps : side)[name] = Number(ms);
          }
        }
        const total = mine.map((l) => l.match(/^hoso page: (\w+) (\d+) ms$/)).find(Boolean);
        pages.push({ photo, wall, worker: total ? Number(total[2]) : NaN, chose: total?.[1] ?? "?", steps, side, inPage });
      }
    }
    await context.close();
    rows.push({ profile, pages, warmed });
  }
} finally {
  await browser.close();
  server.stop();
}

const steps = ["bitmap", "pixels", "rgb", "sheet_found", "encoded", "pack"];
console.log(`| profile | pages | worker ms/page (median) | ${steps.join(" | ")} | drop → thumbnail ms | first page of the worker, ms | auto chose |`);
console.log(`|---|---:|---:|${steps.map(() => "---:").join("|")}|---:|---:|---|`);
for (const { profile, pages } of rows) {
  const rest = pages.slice(1);
  const cell = (f) => median(rest.map(f)).toFixed(0);
  const chose = profile === "auto" ? [...new Set(pages.map((p) => p.chose))].sort().join(", ") : "";
  console.log(
    `| ${profile} | ${rest.length} | ${cell((p) => p.worker)} | ${steps.map((s) => cell((p) => p.steps[s] ?? NaN)).join(" | ")} | ${cell((p) => p.wall)} | ${pages[0].worker} | ${chose} |`,
  );
}

console.log();
const sides = ["waited", "read", "turn", "worker", "stored", "made", "listed"];
console.log(`| profile | ${sides.join(" | ")} | change → thumbnail loaded, in the page | drop → thumbnail ms | first page: ${sides.join(" / ")} / in the page / wall |`);
console.log(`|---|${sides.map(() => "---:").join("|")}|---:|---:|---|`);
for (const { profile, pages } of rows) {
  const rest = pages.slice(1);
  // A step a page did not take (e.g. "stored": its file was kept at the drop) shows as –.
  const cell = (f) => { const m = median(rest.map(f)); return Number.isNaN(m) ? "–" : m.toFixed(0); };
  const first = sides.map((s) => pages[0].side[s] ?? "–").join(" / ");
  console.log(`| ${profile} | ${sides.map((s) => cell((p) => p.side[s] ?? NaN)).join(" | ")} | ${cell((p) => p.inPage)} | ${cell((p) => p.wall)} | ${first} / ${pages[0].inPage.toFixed(0)} / ${pages[0].wall} |`);
}
console.log();
for (const { profile, warmed } of rows) {
  console.log(`warm-up before the first ${profile} page: ${warm ? (warmed.length ? warmed.join("; ") : "none logged") : "not waited for (WARM=0)"}`);
}
