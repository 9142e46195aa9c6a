// What a backup ("Sao lưu") weighs once it carries the originals the
// pages were made from: photos dropped on a paper of the khai-sinh
// dossier in the built app (headless Chromium, `hoso serve`), saved, then
// that dossier exported. Prints the photos' bytes, the pages' bytes, the
// backup's bytes and the backup minus the originals (what it weighed
// before they travelled: the originals are JPEGs, stored as they are).
// Printed, never asserted.
// Usage (from bench/backup-size.sh): node bench/backup-size.mjs PHOTO.jpg…
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { serve, launch, openKhaiSinhForm } from "../tests/e2e/harness.mjs";

const photos = process.argv.slice(2);
if (photos.length === 0) throw new Error("usage: node bench/backup-size.mjs PHOTO.jpg…");
const server = await serve();
const browser = await launch();
try {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await openKhaiSinhForm(page, server.url);
  const input = page.locator('[data-component="giay-chung-sinh"] .dropzone input[type="file"]');
  await input.setInputFiles(photos.map((p) => ({ name: basename(p), mimeType: "image/jpeg", buffer: readFileSync(p) })));
  await page.locator(".thumb img").first().waitFor({ timeout: 300_000 });
  await page.waitForFunction(() => !document.querySelector(".pending-page"), null, { timeout: 300_000 });
  // A photo the worker refused leaves no page and no original behind.
  const made = await page.locator(".thumb img").evaluateAll((imgs) => imgs.map((i) => i.alt));
  const kept = photos.filter((p) => made.includes(basename(p)));
  await page.locator("#save-state .ok").waitFor({ timeout: 60_000 });
  const pagesBytes = await page.evaluate(async () => {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open("hoso"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    try {
      const blobs = await new Promise((ok, ko) => { const r = db.transaction("pages").objectStore("pages").getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
      return blobs.reduce((n, b) => n + b.size, 0);
    } finally {
      db.close();
    }
  });
  await page.locator("#new-dossier").click();
  await page.locator("table.saved-list tr button.export").first().click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#backup-download").click()]);
  const backup = statSync(await download.path()).size;
  const originals = kept.reduce((n, p) => n + statSync(p).size, 0);
  const row = (k, v) => console.log(`| ${k.padEnd(44)} | ${String(v).padStart(12)} |`);
  console.log(`| ${"".padEnd(44)} | ${"bytes".padStart(12)} |`);
  console.log(`|${"-".repeat(46)}|${"-".repeat(14)}|`);
  row(`${kept.length} of ${photos.length} photos made (their originals)`, originals);
  row("their pages as stored", pagesBytes);
  row("backup of the dossier, with its originals", backup);
  row("backup minus the originals (as before)", backup - originals);
  row("growth", `×${(backup / (backup - originals)).toFixed(1)}`);
} finally {
  await browser.close();
  server.stop();
}
