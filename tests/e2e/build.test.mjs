// The release build's post-build step (tools/post-build.sh): the wasm that
// wasm-opt rewrote is what index.html's integrity attributes and hashed
// names describe, the service worker's list and version cover the final
// files, and Chromium loads the app and its worker without an integrity
// complaint.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { DIST, useServerAndBrowser, openPage } from "./harness.mjs";

const env = useServerAndBrowser();

const read = (rel) => readFileSync(join(DIST, rel));
const html = () => read("index.html").toString("utf8");

function files(dir = DIST) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [relative(DIST, join(dir, e.name))]);
}

test("every integrity attribute in index.html is the digest of the file it names", () => {
  // Release builds are minified: attribute quotes may be gone (href=/x.js).
  const tags = html().match(/<(?:link|script)\b[^>]*\bintegrity=[^>]*>/g) ?? [];
  assert.ok(tags.some((t) => /_bg\.wasm\b/.test(t)), "the main wasm is preloaded with an integrity");
  for (const t of tags) {
    const url = t.match(/\b(?:href|src)="?\/([^\s">]+)/)[1];
    const [, algo, b64] = t.match(/\bintegrity="?(sha256|sha384|sha512)-([^\s">]+)/);
    assert.equal(createHash(algo).update(read(url)).digest("base64"), b64, `integrity of ${url}`);
  }
});

test("hashed names follow the shipped bytes (wasm-opt ran before naming)", () => {
  const hashed = files().filter((f) => /-[0-9a-f]{16}_bg\.wasm$/.test(f));
  assert.ok(hashed.length >= 1, "the main wasm has a hashed name");
  for (const wasm of hashed) {
    const [, base, hash] = wasm.match(/^(.+)-([0-9a-f]{16})_bg\.wasm$/);
    const js = `${base}-${hash}.js`;
    const want = createHash("sha256").update(read(wasm)).update(read(js)).digest("hex").slice(0, 16);
    assert.equal(hash, want, `${wasm} is named after its final content`);
    assert.ok(html().includes(`/${base}-${hash}_bg.wasm`) && html().includes(`/${base}-${hash}.js`));
  }
});

test("the service worker precaches exactly the final files, versioned over their bytes", () => {
  const sw = read("sw.js").toString("utf8");
  const assets = JSON.parse(sw.match(/const ASSETS = (\[.*\]);/)[1]);
  const expected = files().filter((f) => f !== "sw.js").map((f) => `/${f}`)
    .sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));
  assert.deepEqual(assets, expected);
  // As tools/sw-precache.sh computes it: sha256sum of every file, in order, hashed.
  const listing = assets.map((a) => `${createHash("sha256").update(read(a.slice(1))).digest("hex")}  .${a}\n`).join("");
  const version = createHash("sha256").update(listing).digest("hex").slice(0, 16);
  assert.equal(sw.match(/const VERSION = "([0-9a-f]+)";/)[1], version);
});

test("Chromium loads the optimized app and worker with no integrity or compile error", async (t) => {
  const { page } = await openPage(t, env.browser);
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(env.server.url);
  await page.locator('[data-procedure="khai-sinh"] button').waitFor();
  // The worker's wasm is the other optimized binary: start it as the app
  // does (platform/worker.rs) and wait for the "ready" it posts once its
  // module is compiled and running.
  const answer = await page.evaluate(() => new Promise((ok, ko) => {
    const w = new Worker("./hoso-worker_loader.js");
    w.onerror = (e) => ko(new Error(e.message));
    w.onmessage = (e) => { w.terminate(); ok(e.data?.kind); };
    setTimeout(() => { w.terminate(); ko(new Error("no answer from the worker")); }, 30000);
  }));
  assert.equal(answer, "ready");
  assert.deepEqual(problems.filter((p) => /integrity|valid digest|CompileError|LinkError|RuntimeError/i.test(p)), []);
});
