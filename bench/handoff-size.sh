#!/usr/bin/env bash
# Handoff codes (mã hồ sơ khai trước) per sample declaration: the answers'
# JSON size, the message and its QR text, and the QR version each code
# needs at level M — ours (base45 in alphanumeric mode) against the same
# bytes as base64 in byte mode — with the side in modules. Uses the npm
# `qrcode` package of tests/e2e as an independent encoder.
# Usage: bench/handoff-size.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
[ "${1:-}" = "--no-build" ] || cargo build -q -p hoso-cli
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in data/samples/*.json; do
  p=$(basename "$f" .json)
  target/debug/hoso handoff encode --procedure "$p" --data "$f" -o "$out/$p" >/dev/null
done
cd tests/e2e
OUT="$out" node --input-type=module -e '
import QRCode from "qrcode";
import { readdirSync, readFileSync, statSync } from "node:fs";
const A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const unb45 = (t) => { const v = [...t].map((c) => A.indexOf(c)), o = [];
  for (let i = 0; i < v.length; i += 3) { const g = v.slice(i, i + 3);
    if (g.length === 3) { const n = g[0] + g[1] * 45 + g[2] * 2025; o.push(n >> 8, n & 255); } else o.push(g[0] + g[1] * 45); }
  return Buffer.from(o); };
const version = (segs) => QRCode.create(segs, { errorCorrectionLevel: "M" }).version;
const side = (v) => 17 + 4 * v;
const row = (...c) => console.log(c.map((x, i) => String(x).padStart(i ? 9 : 28)).join(" "));
row("sample", "JSON B", "msg B", "QR chars", "codes", "v alnum", "modules", "v base64", "modules");
const samples = readdirSync("../../data/samples").sort();
for (const s of samples) {
  const p = s.replace(/\.json$/, "");
  const dir = `${process.env.OUT}/${p}`;
  const file = readdirSync(dir).find((f) => f.endsWith(".hoso"));
  const parts = readFileSync(`${dir}/${file}`, "utf8").trim().split("\n");
  const msg = parts.reduce((n, l) => n + unb45(l.slice(l.indexOf(":", 4) + 7)).length, 0);
  const ours = Math.max(...parts.map((l) => version([{ data: l, mode: "alphanumeric" }])));
  const b64 = Math.max(...parts.map((l) => { const head = l.slice(0, l.indexOf(":", 4) + 7);
    return version([{ data: head + unb45(l.slice(head.length)).toString("base64"), mode: "byte" }]); }));
  row(p, statSync(`../../data/samples/${s}`).size, msg, parts.reduce((n, l) => n + l.length, 0), parts.length, ours, side(ours), b64, side(b64));
}
'
