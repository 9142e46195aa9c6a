"""Table of bench/scan-corpus.sh: median KB/page, ms/page, CER of
tesseract -l vie against the known text (and the clean page's), and the
share of the seal's red that survives, per condition and method."""
import os, re, statistics, subprocess, sys, tempfile, unicodedata
from rapidfuzz.distance import Levenshtein

out = sys.argv[1]


def norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def cer(page, txt):
    truth = norm(open(f"{out}/truth/{page}.txt", encoding="utf-8").read())
    try:
        got = norm(open(txt, encoding="utf-8").read())
    except FileNotFoundError:
        got = ""
    return 100.0 * Levenshtein.distance(truth, got) / len(truth)


def ppm(path):
    data = open(path, "rb").read()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P6", path
    w, h = int(parts[1]), int(parts[2])
    return data[len(data) - w * h * 3:]


def red(path):
    px = ppm(path)
    n = 0
    for i in range(0, len(px), 3):
        r, g, b = px[i], px[i + 1], px[i + 2]
        if r > 120 and r - g > 60 and r - b > 40:
            n += 1
    return n


rows = [l.rstrip("\n").split("\t") for l in open(f"{out}/results.tsv", encoding="utf-8") if l.strip()]
groups = {}
for cond, method, page, kb, ms, pdf, _ in rows:
    base = f"{out}/ocr/" + os.path.basename(pdf)[:-4]
    sealed = int(page.split("-")[1]) % 2 == 1
    red_kept = None
    if sealed:
        clean_red = red(f"{out}/ocr/clean-{page}-small.ppm")
        # Same pixel size as the clean page's copy (long side 585 px).
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["pdftoppm", "-scale-to", "585", "-singlefile", pdf, f"{tmp}/p"], check=True)
            red_kept = 100.0 * red(f"{tmp}/p.ppm") / max(clean_red, 1)
    # "hoso auto→mixed" rows group under "hoso auto".
    key = (cond, method.split("→")[0])
    g = groups.setdefault(key, {"kb": [], "kb_sealed": [], "ms": [], "cer": [], "clean": [], "red": [], "chose": []})
    g["kb"].append(float(kb))
    if sealed:
        g["kb_sealed"].append(float(kb))
    g["ms"].append(float(ms))
    g["cer"].append(cer(page, base + ".txt"))
    g["clean"].append(cer(page, f"{out}/ocr/clean-{page}.txt"))
    if red_kept is not None:
        g["red"].append(red_kept)
    if "→" in method:
        g["chose"].append(method.split("→")[1])

med = statistics.median
pages = len({r[2] for r in rows})
print(f"Corpus: {pages} A4 pages of Vietnamese text (every other one sealed and signed), 200 dpi output.")
print()
print("| condition | method | KB/page | KB/page, sealed pages | ms/page | CER % | clean CER % | seal red kept % |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for (cond, method), g in groups.items():
    chose = ""
    if g["chose"]:
        counts = {c: g["chose"].count(c) for c in sorted(set(g["chose"]))}
        chose = " (" + ", ".join(f"{c} ×{n}" for c, n in counts.items()) + ")"
    red_kept = f"{med(g['red']):.0f}" if g["red"] else "–"
    kb_sealed = f"{med(g['kb_sealed']):.1f}" if g["kb_sealed"] else "–"
    print(f"| {cond} | {method}{chose} | {med(g['kb']):.1f} | {kb_sealed} | {med(g['ms']):.0f} | {med(g['cer']):.2f} | {med(g['clean']):.2f} | {red_kept} |")
