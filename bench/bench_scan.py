"""Reading scanned forms: speed at 200 dpi on one core, and accuracy over a generated corpus.

    .venv/bin/python bench/bench_scan.py [--forms 3] [--speed-pages 30]

Speed: a filled form rendered by the project, rasterised at 200 dpi and written as a scanned
PDF (one JPEG per page, pages repeated up to --speed-pages), read by parse_scan (its reader
process is single-threaded: OpenCV with one thread, tesseract with OMP_THREAD_LIMIT=1). The
baseline, measured in the same run, is plain rasterisation of the same PDF with pdftoppm at the
same size. Prints pages per second, seconds per page and per 30-page form, and the ratio.

Accuracy: --forms blank forms marked by pen (ticks, ticks beside, circles, crosses; three
injected problems each: no mark, two marks, an unsure mark), --forms printed filled forms and
--forms of the organizer's own Word template filled in Word (its own column widths, rows split
across pages, the option of indicators 14 and 20 typed in) and --forms of that template printed
blank and filled by pen with drawn seals, each heavily degraded (quarter turns, skew ±3°, perspective, uneven light, noise, JPEG, grey
for some, pages shuffled), cover, pledge and table pages only. Prints levels exact / total,
problems reported / injected, guesses (a level read that is not the true one; must be 0).
Exits non-zero when anything was guessed or the speed goal (2 s per page) is missed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")

import django  # noqa: E402

django.setup()

from tests.intake import scangen  # noqa: E402
from zeren.intake.scan import ocr, parse_scan  # noqa: E402
from zeren.intake.scan.load import LONG_SIDE  # noqa: E402

GOAL_SECONDS_PER_PAGE = 2.0


def _rasterise(pdf: bytes) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.pdf"
        path.write_bytes(pdf)
        start = time.perf_counter()
        subprocess.run(["pdftoppm", "-scale-to", str(LONG_SIDE), str(path), f"{tmp}/p"], check=True)
        return time.perf_counter() - start


def speed(pages_wanted: int) -> tuple[float, float, int]:
    scan = scangen.printed(1, 200)
    pages = (scan.pages * (pages_wanted // len(scan.pages) + 1))[:pages_wanted]
    pdf = scangen.images_to_pdf(pages, 200)
    base = _rasterise(pdf)
    start = time.perf_counter()
    read = parse_scan([("bench.pdf", pdf)], scangen.spec(), timeout=3600)
    took = time.perf_counter() - start
    assert read.result.error is None, read.result.error
    return took, base, len(pages)


def accuracy(forms: int, verbose: bool = False) -> dict[str, int]:
    totals = {"levels": 0, "exact": 0, "injected": 0, "reported": 0, "guessed": 0, "pages": 0}
    scans = []
    kinds = []
    for i in range(forms):
        scans.append(scangen.pen_marked(100 + i, 200, problems=3).key_only())
        scans.append(scangen.printed(200 + i, 200).key_only())
        scans.append(scangen.template_printed(400 + i, 200).key_only())
        scans.append(scangen.template_pen_marked(600 + i, 200, problems=3).key_only())
        kinds += ["pen", "printed", "template", "template-pen"]
    for i, scan in enumerate(scans):
        d = scangen.degraded(scan, 300 + i)
        files = [(f"p{k}.jpg", scangen.encode(p, ".jpg", 85)) for k, p in enumerate(d.pages)]
        read = parse_scan(files, scangen.spec(), timeout=3600)
        totals["pages"] += len(files)
        if read.result.form is None:
            totals["levels"] += sum(1 for v in d.levels.values() if v is not None)
            totals["injected"] += len(d.problems)
            continue
        got = {a.indicator: a.level for a in read.result.form.answers}
        flagged = {p.indicator for p in read.result.problems if p.indicator is not None}
        for n, want in d.levels.items():
            if want is not None:
                totals["levels"] += 1
                totals["exact"] += got[n] == want
                if got[n] is None and verbose:
                    code = next((p.code for p in read.result.problems if p.indicator == n), "")
                    print(f"  left to a person: scan {i} ({kinds[i]}) indicator {n}: {code}")
            if got[n] is not None and got[n] != want:
                totals["guessed"] += 1
                print(
                    f"  guessed: scan {i} indicator {n}: read {got[n]}, true {want}, "
                    f"drawn {d.marks.get(n)}; {read.result.scan['marks'].get(str(n))}"
                )
        for n, _code in d.problems:
            totals["injected"] += 1
            totals["reported"] += n in flagged
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--forms", type=int, default=3)
    parser.add_argument("--speed-pages", type=int, default=30)
    parser.add_argument("--skip-speed", action="store_true", help="accuracy only")
    parser.add_argument("--verbose", action="store_true", help="name the levels left to a person")
    args = parser.parse_args()
    if not ocr.available():
        print("tesseract with chi_sim is not installed: run scripts/install-system-packages")
        return 1
    per_page = 0.0
    if not args.skip_speed:
        took, base, n = speed(args.speed_pages)
        per_page = took / n
        print(f"speed: {n} pages at 200 dpi in {took:.1f} s on one core")
        print(
            f"  {n / took:.2f} pages/s, {per_page:.2f} s/page, "
            f"{per_page * 30:.1f} s per 30-page form"
        )
        print(f"  baseline (pdftoppm rasterisation only): {base:.2f} s, {n / base:.1f} pages/s")
        print(
            f"  ratio read / rasterise: {took / base:.1f}x; goal <= {GOAL_SECONDS_PER_PAGE} s/page"
        )
    t = accuracy(args.forms, args.verbose)
    print(f"accuracy over {4 * args.forms} degraded scans ({t['pages']} pages):")
    print(
        f"  levels exact: {t['exact']}/{t['levels']} ({100 * t['exact'] / max(t['levels'], 1):.1f}%)"
    )
    print(f"  problems reported: {t['reported']}/{t['injected']}")
    print(f"  guesses: {t['guessed']}")
    return 0 if t["guessed"] == 0 and per_page <= GOAL_SECONDS_PER_PAGE else 1


if __name__ == "__main__":
    raise SystemExit(main())
