// The app's page time as the clerk gets it: photos dropped on a paper of
// the khai-sinh dossier, one at a time, in the built app served by
// `hoso serve`, headless Chromium. For each page the worker logs where its
// time went ("hoso worker steps: bitmap … · pixels … · rgb … · sheet_found
// … · encoded … ms", then "pack … ms") and the page logs the worker's
// total ("hoso page: <profile> <ms> ms"); we add the wall time from the
// drop to the thumbnail on screen. The first page of a fresh worker is
// listed apart (its wasm memory grows then). Printed, never asserted.
// Usage (from bench/scan-app.sh): node bench/scan-app.mjs PHOTO.jpg…
import { serve, launch, openKhaiSinhForm } from "../tests/e2e/harness.mjs";

const photos = process.argv.slice(2);
const profiles = (process.env.PROFILES ?? "auto,text,color,mixed").split(",");
const reps = Number(process.env.REPS ?? 2);
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
    const logs = [];
    page.on("console", (m) => logs.push(m.text()));
    // The worker's own lines (Playwright ≥ 1.56 gives them on the Worker).
    page.on("worker", (w) => w.on("console", (m) => logs.push(m.text())));
    await openKhaiSinhForm(page, server.url);
    const paper = page.locator('[data-component="giay-chung-sinh"]');
    await paper.locator("select.scan-profile").selectOption(profile);
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
        // The worker's "pack" line may come just after the thumbnail.
        await page.waitForTimeout(100);
        const mine = logs.slice(before);
        const steps = {};
        for (const line of mine) {
          const m = line.match(/^hoso worker steps: (.*) ms$/);
          if (!m) continue;
          for (const part of m[1].split(" · ")) {
            const [name, ms] = part.split(" ");
            steps[name] = Number(ms);
          }
        }
        const total = mine.map((l) => l.match(/^hoso page: (\w+) (\d+) ms$/)).find(Boolean);
        pages.push({ photo, wall, worker: total ? Number(total[2]) : NaN, chose: total?.[1] ?? "?", steps });
      }
    }
    await context.close();
    rows.push({ profile, pages });
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
