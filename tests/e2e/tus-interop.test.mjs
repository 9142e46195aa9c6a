// Interoperability of `hoso serve` with an independent tus client:
// tus-js-client on Node's http stack uploads a package made by `hoso pack`
// in small chunks, each with an Upload-Checksum (sha1, the extension's
// mandatory algorithm; added by wrapping the client's HTTP stack, since the
// client has no checksum option). Only 127.0.0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tusModule from "tus-js-client";
import { useServer, DIST, CLI } from "./harness.mjs";

const tus = tusModule.Upload ? tusModule : tusModule.default;
const env = useServer();

/** A real package: `hoso pack` over a small declaration and a ~300 KB paper. */
function makePackage(dir) {
  writeFileSync(join(dir, "form.pdf"), "%PDF-1.4\n% to khai\n");
  writeFileSync(join(dir, "paper.pdf"), Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(300_000)]));
  writeFileSync(join(dir, "data.json"), JSON.stringify({ "applicant.full_name": "Hoàng Văn Nam", "child.full_name": "Hoàng Thị Mai" }));
  const out = join(dir, "dossier.zip");
  execFileSync(CLI, [
    "pack", "--procedure", "khai-sinh", "--form", join(dir, "form.pdf"),
    "--paper", `giay-chung-sinh=${join(dir, "paper.pdf")}`, "--data", join(dir, "data.json"),
    "--code", "HOSO-261122-0042", "--date", "2026-11-22", "-o", out,
  ]);
  return readFileSync(out);
}

/** The client's own Node HTTP stack, adding `Upload-Checksum: sha1 …` to every PATCH. */
function checksumStack(seen) {
  const inner = new tus.DefaultHttpStack({});
  return {
    getName: () => "checksum(" + inner.getName() + ")",
    createRequest(method, url) {
      const req = inner.createRequest(method, url);
      const send = req.send.bind(req);
      req.send = (body) => {
        if (method === "PATCH" && body) {
          req.setHeader("Upload-Checksum", "sha1 " + createHash("sha1").update(body).digest("base64"));
          seen.patches += 1;
        }
        return send(body);
      };
      return req;
    },
  };
}

test("tus-js-client uploads a package to hoso serve in checksummed chunks; /received.json lists it intact", async () => {
  assert.ok(existsSync(CLI), `no hoso binary at ${CLI} (cargo build -p hoso-cli)`);
  const dir = mkdtempSync(join(tmpdir(), "hoso-tus-"));
  try {
    const pkg = makePackage(dir);
    const seen = { patches: 0 };
    const location = await new Promise((resolve, reject) => {
      const upload = new tus.Upload(pkg, {
        endpoint: `${env.server.url}/files/`,
        chunkSize: 64 * 1024,
        metadata: { filename: "dossier.zip" },
        retryDelays: [0, 200, 500],
        httpStack: checksumStack(seen),
        onError: reject,
        onSuccess: () => resolve(upload.url),
      });
      upload.start();
    });
    assert.ok(seen.patches >= 5, `several PATCHes: ${seen.patches}`);
    assert.match(location, /\/files\/[0-9a-f]{32}$/);

    const list = await (await fetch(`${env.server.url}/received.json`)).json();
    assert.equal(list.length, 1);
    const [rec] = list;
    assert.equal(rec.dossier_code, "HOSO-261122-0042");
    assert.equal(rec.verification, "intact", JSON.stringify(rec));
    assert.equal(rec.applicant, "Hoàng Văn Nam");
    assert.equal(rec.filename, "dossier.zip");
    assert.equal(rec.size, pkg.length);

    const zip = Buffer.from(await (await fetch(`${env.server.url}/received/${rec.id}`)).arrayBuffer());
    assert.equal(createHash("sha256").update(zip).digest("hex"), createHash("sha256").update(pkg).digest("hex"));

    const page = await (await fetch(`${env.server.url}/received`)).text();
    assert.ok(page.includes("HOSO-261122-0042") && page.includes("✓"), page);

    if (existsSync(join(DIST, "index.html"))) {
      const index = await fetch(`${env.server.url}/`);
      assert.equal(index.status, 200);
      assert.equal(index.headers.get("cache-control"), "no-cache");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
