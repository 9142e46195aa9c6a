#!/usr/bin/env bash
# Load figure for `hoso serve`: COUNT (50) concurrent tus uploads of ~SIZE
# (2 MB) packages on 127.0.0.1, every stored copy compared byte for byte;
# prints the server process's peak resident memory (VmHWM). A printed
# figure, not a timed test.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${COUNT:-50}"
SIZE="${SIZE:-2000000}"
cargo build -q -p hoso-cli
cargo build -q -p hoso-server --example load
data="$(mktemp -d)"
log="$data/serve.log"
target/debug/hoso serve --addr 127.0.0.1:0 --data "$data/d" --app dist 2>"$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
addr=""
for _ in $(seq 100); do
  addr="$(grep -o '127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)"
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { echo "hoso serve did not start:" >&2; cat "$log" >&2; exit 1; }
idle="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
target/debug/examples/load "$addr" "$COUNT" "$SIZE"
peak="$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")"
echo "hoso serve (debug build): RSS at start ${idle} kB, peak RSS ${peak} kB ($((peak / 1024)) MB)"
