// A new version replaces the offline cache only once it is complete: a
// failed update keeps the old version working offline; a complete one
// drops the old cache.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serve, launch, openPage, tempDir, DIST } from "./harness.mjs";

const cacheNames = (page) => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("hoso-")).sort());

/** Asks the browser to check sw.js again; resolves when the new worker is activated or redundant. */
const update = (page) =>
  page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    await reg.update();
    const worker = reg.installing || reg.waiting;
    if (!worker) return "unchanged";
    if (worker.state === "activated" || worker.state === "redundant") return worker.state;
    return new Promise((resolve) =>
      worker.addEventListener("statechange", () => {
        if (worker.state === "activated" || worker.state === "redundant") resolve(worker.state);
      }),
    );
  });

test("service worker upgrade: failed install keeps the old cache, complete one replaces it", async (t) => {
  const root = join(tempDir(), "site");
  cpSync(DIST, root, { recursive: true });
  const server = await serve(root);
  t.after(() => server.stop());
  const browser = await launch();
  t.after(() => browser.close());
  const { context, page } = await openPage(t, browser);
  await page.goto(server.url);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
    }
  });
  const [first] = await cacheNames(page);
  assert.match(first, /^hoso-[0-9a-f]{16}$/);

  // Version "broken": its precache list names a file the server does not have.
  const sw = readFileSync(join(root, "sw.js"), "utf8");
  const version = first.slice("hoso-".length);
  writeFileSync(join(root, "sw.js"), sw.replace(version, "broken00000000").replace("const ASSETS = [", 'const ASSETS = ["/missing.js",'));
  assert.equal(await update(page), "redundant");
  assert.ok((await cacheNames(page)).includes(first), "old cache kept after a failed update");
  await context.setOffline(true);
  await page.reload();
  await page.getByRole("heading", { name: "1. Chọn thủ tục" }).waitFor();
  await context.setOffline(false);

  // Version "next": complete, so it activates and the old cache goes.
  writeFileSync(join(root, "sw.js"), sw.replace(version, "next000000000000"));
  assert.equal(await update(page), "activated");
  assert.deepEqual(await cacheNames(page), ["hoso-next000000000000"]);
  // The page that was open is told, and offered a reload.
  await page.locator(".banner.update #reload-update").waitFor();
});
