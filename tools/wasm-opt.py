#!/usr/bin/env python3
"""Post-build step (run by tools/post-build.sh): shrinks every staged .wasm
with Binaryen's wasm-opt, then keeps the build self-consistent.

Debian's wasm-opt is too old for current rustc output and nothing may
download a native binary, so this uses the npm `binaryen` package
(tools/package.json, installed by ./dev), whose wasm-opt is itself
WebAssembly run by Node.

It also minifies the app's JS glue with terser (tools/package.json):
Trunk's own JS minifier cannot parse an ES module and leaves it as it is.

After rewriting the files it
- renames Trunk's cache-busting `<bin>-<hash>` files after the final bytes
  (the service worker treats hashed names as immutable), and
- recomputes every `integrity="shaNNN-…"` attribute in index.html.

Release builds only; a debug build (trunk serve) is left as Trunk made it.
Environment: HOSO_WASM_OPT_LEVEL overrides the level (for bench/first-load.sh
experiments); "off" skips this step, to compare against Trunk's output."""
import base64, concurrent.futures, hashlib, os, re, subprocess, sys, time

# Measured on gzip -9 of the release build (README "First load"): -O1 beats
# -O2/-Oz on the main binary, where -Oz's outlining and inlining choices
# shrink the raw bytes but compress worse; the worker barely differs.
LEVEL = os.environ.get("HOSO_WASM_OPT_LEVEL", "-O1")
# What current rustc emits for wasm32-unknown-unknown by default; wasm-opt
# refuses to validate the module without them.
FEATURES = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
]
# A build with wasm SIMD (RUSTFLAGS="-C target-feature=+simd128", measured
# by bench/scan-wasm.sh SIMD=1 and bench/first-load.sh) holds v128 code.
if "simd128" in os.environ.get("RUSTFLAGS", ""):
    FEATURES.append("--enable-simd")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WASM_OPT = os.path.join(ROOT, "tools", "node_modules", "binaryen", "bin", "wasm-opt")
TERSER = os.path.join(ROOT, "tools", "node_modules", "terser", "bin", "terser")


def digest(algo, path):
    with open(path, "rb") as f:
        return base64.b64encode(hashlib.new(algo, f.read()).digest()).decode()


def optimize(path):
    tmp = path + ".opt"
    before = os.path.getsize(path)
    cmd = ["node", WASM_OPT, LEVEL, *FEATURES, path, "-o", tmp]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0 or not os.path.exists(tmp):
        sys.exit(f"wasm-opt failed on {os.path.basename(path)}:\n{run.stderr[-4000:]}")
    os.replace(tmp, path)
    return os.path.basename(path), before, os.path.getsize(path)


def minify_module_glue(stage):
    """wasm-bindgen's ES-module glue next to each hashed wasm (the main
    app's; the worker's classic script Trunk minifies itself)."""
    for wasm in sorted(os.listdir(stage)):
        m = re.fullmatch(r"(.+-[0-9a-f]{16})_bg\.wasm", wasm)
        js = m and os.path.join(stage, m.group(1) + ".js")
        if not js or not os.path.isfile(js):
            continue
        before = os.path.getsize(js)
        cmd = ["node", TERSER, js, "--module", "--compress", "--mangle", "-o", js + ".min"]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"terser failed on {os.path.basename(js)}:\n{run.stderr[-4000:]}")
        os.replace(js + ".min", js)
        print(f"terser: {os.path.basename(js)} {before} -> {os.path.getsize(js)} B")


def rename_hashed(stage, html):
    """`hoso-app-<16 hex>_bg.wasm` + `.js`: Trunk hashed the wasm before
    wasm-opt; give both files a hash of what is now shipped."""
    for wasm in sorted(os.listdir(stage)):
        m = re.fullmatch(r"(.+)-([0-9a-f]{16})_bg\.wasm", wasm)
        if not m:
            continue
        base, old = m.groups()
        js = f"{base}-{old}.js"
        h = hashlib.sha256()
        for name in (wasm, js):
            p = os.path.join(stage, name)
            if os.path.exists(p):
                h.update(open(p, "rb").read())
        new = h.hexdigest()[:16]
        for suffix in ("_bg.wasm", ".js", "_loader.js"):
            p = os.path.join(stage, f"{base}-{old}{suffix}")
            if os.path.exists(p):
                os.rename(p, os.path.join(stage, f"{base}-{new}{suffix}"))
        html = html.replace(f"{base}-{old}", f"{base}-{new}")
    return html


def fix_integrity(stage, html):
    """Every tag carrying href/src plus integrity gets the digest of the file
    it names now."""
    public = os.environ.get("TRUNK_PUBLIC_URL", "/")

    # Trunk's HTML minifier (release builds) drops the quotes: href=/x.js.
    def tag(m):
        t = m.group(0)
        url = re.search(r'\b(?:href|src)=(?:"([^"]+)"|([^\s">]+))', t)
        integ = re.search(r'\bintegrity=("?)(sha256|sha384|sha512)-[^\s">]*\1', t)
        if not url or not integ:
            return t
        rel = url.group(1) or url.group(2)
        rel = rel[len(public):] if rel.startswith(public) else re.sub(r"^\./", "", rel)
        path = os.path.join(stage, rel)
        if not os.path.isfile(path):
            sys.exit(f"index.html has an integrity for {rel}, which is not in the build")
        algo = integ.group(2)
        return t.replace(integ.group(0), f'integrity="{algo}-{digest(algo, path)}"')

    fixed = re.sub(r"<(?:link|script)\b[^>]*>", tag, html)
    # Any integrity left in a form this does not read would now be stale.
    if len(re.findall(r'\bintegrity="sha', fixed)) != len(re.findall(r"\bintegrity=", html)):
        sys.exit("wasm-opt: index.html has an integrity attribute this step cannot update")
    return fixed


def main():
    if os.environ.get("TRUNK_PROFILE") != "release":
        print("wasm-opt: debug build, skipped")
        return
    if LEVEL == "off":
        print("wasm-opt: HOSO_WASM_OPT_LEVEL=off, skipped")
        return
    stage = os.environ["TRUNK_STAGING_DIR"]
    for tool in (WASM_OPT, TERSER):
        if not os.path.isfile(tool):
            sys.exit(f"wasm-opt: {os.path.relpath(tool, ROOT)} is missing: run ./dev (or: cd tools && npm ci)")
    wasms = [os.path.join(stage, f) for f in sorted(os.listdir(stage)) if f.endswith(".wasm")]
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for name, before, after in pool.map(optimize, wasms):
            print(f"wasm-opt {LEVEL}: {name} {before} -> {after} B")
    minify_module_glue(stage)
    index = os.path.join(stage, "index.html")
    html = open(index, encoding="utf-8").read()
    html = fix_integrity(stage, rename_hashed(stage, html))
    open(index, "w", encoding="utf-8").write(html)
    print(f"wasm-opt: {len(wasms)} file(s) in {time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    main()
