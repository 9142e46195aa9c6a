#!/bin/sh
# Trunk's post-build hook. Trunk starts all hooks of one stage at the same
# time, so the steps that read each other's output run here, in order:
# shrink the wasm (and fix names and integrity), pin the CSP into
# index.html, and only then version the service worker over the final files.
set -eu
cd "$(dirname "$0")/.."
python3 tools/wasm-opt.py
python3 tools/csp.py
sh tools/sw-precache.sh
