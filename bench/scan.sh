#!/usr/bin/env bash
# Scan pipeline figures: condition × profile → median KB and ms per page,
# on a synthetic A4 corpus (see crates/hoso-image/examples/scan_bench.rs),
# native release build. Then one end-to-end `hoso scan --json` per
# condition image. Printed, never asserted: machines differ.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build -q --release -p hoso-image --example scan_bench
cargo build -q --release -p hoso-cli
target/release/examples/scan_bench --write "$out"
echo
echo "hoso scan --json (decode PNG + auto + PDF):"
for png in "$out"/*.png; do
  target/release/hoso scan "$png" -o "$out/$(basename "$png" .png).pdf" --json |
    python3 -c '
import json, sys
r = json.load(sys.stdin)
p = r["pages"][0]
name = p["input"].split("/")[-1]
print("  %-28s %-6s %dx%d  page %.1f KB  pdf %.1f KB  %d ms" % (name, p["profile"], p["width_px"], p["height_px"], p["bytes"] / 1024, r["total_bytes"] / 1024, r["total_ms"]))'
done
