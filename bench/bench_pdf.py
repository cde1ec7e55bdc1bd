"""PDF conversion: a fresh LibreOffice per form against one LibreOffice for the batch.

    .venv/bin/python bench/bench_pdf.py [--forms 50] [--fresh 20]

Converts 50 filled forms with docx_to_pdfs (one soffice process over all of them, what the
product uses for more than one form), and the first 20 of them with docx_to_pdf each (a new
soffice process and profile each time: the baseline; its cost per form is start-up, the same
for every form, so 20 keep the run under two minutes; --fresh 50 measures them all). Prints
seconds per form and the ratio; exits non-zero when batching is not faster or LibreOffice is
missing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")

from bench_render import filled_form  # noqa: E402

from zeren.documents.pdf import docx_to_pdf, docx_to_pdfs, pdf_available  # noqa: E402
from zeren.documents.render import render_docx  # noqa: E402
from zeren.frameworks.spec import seed_spec  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--forms", type=int, default=50)
    parser.add_argument("--fresh", type=int, default=20, help="forms converted one soffice each")
    args = parser.parse_args()
    if not pdf_available():
        print("LibreOffice is not installed: run scripts/install-system-packages")
        return 1
    spec = seed_spec()
    docs = [render_docx(filled_form(spec, k), spec) for k in range(args.forms)]
    n = len(docs)

    n_fresh = min(max(args.fresh, 1), n)

    t0 = time.perf_counter()
    fresh = [docx_to_pdf(d) for d in docs[:n_fresh]]
    fresh_per_form = (time.perf_counter() - t0) / n_fresh

    t0 = time.perf_counter()
    batched = docx_to_pdfs(docs, batch_size=n)
    batch_per_form = (time.perf_counter() - t0) / n

    assert len(fresh) == n_fresh and len(batched) == n
    assert all(p.startswith(b"%PDF-") for p in fresh + batched)
    print(f"forms: {n} ({sum(len(p) for p in batched) / n / 1024:.0f} KiB of PDF each)")
    print(f"fresh soffice per form (baseline, {n_fresh} forms): {fresh_per_form:.2f} s/form")
    print(f"one soffice for the batch (product, {n} forms): {batch_per_form:.2f} s/form")
    ratio = batch_per_form / fresh_per_form
    print(f"ratio batched/fresh: {ratio:.2f}x ({1 / ratio:.1f}x faster)")
    ok = batch_per_form < fresh_per_form
    print("OK" if ok else "GOAL MISSED: batching is not faster")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
