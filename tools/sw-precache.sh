#!/bin/sh
# Trunk post-build hook: writes the precache list and a content version into
# the staged sw.js, so every build gets its own cache.
set -eu
dir="${TRUNK_STAGING_DIR:?run from trunk}"
cd "$dir"
assets=$(find . -type f ! -name sw.js | sed 's|^\./|/|' | LC_ALL=C sort)
version=$(for f in $assets; do sha256sum ".$f"; done | sha256sum | cut -c1-16)
list=$(printf '%s\n' $assets | sed 's/.*/"&"/' | paste -sd, -)
sed -i "s|__HOSO_VERSION__|$version|; s|__HOSO_ASSETS__|[$list]|" sw.js
