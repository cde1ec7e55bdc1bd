"""Rendering speed of the official .docx, against the floor of zipping the same parts.

    .venv/bin/python bench/bench_render.py [--forms 500]

Renders 500 filled forms (28 indicators, 3 catalog rows each, ~500-character work summaries)
on one core, and writes the very same parts (the same document.xml and skeleton) into a
deflated .docx zip with no layout logic: that is the floor. The two alternate in 10 rounds. Goals: at least 50 forms/s and at
most 3x the floor. Exits non-zero when a goal is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")

from zeren.assessments.formdata import (  # noqa: E402
    Answer,
    Cover,
    Evidence,
    FileRef,
    FormData,
    FrameworkRef,
    Pledge,
)
from zeren.documents.render import render_docx  # noqa: E402
from zeren.frameworks.spec import FrameworkSpec, seed_spec  # noqa: E402

GOAL_FORMS_PER_S = 50.0
GOAL_RATIO = 3.0
ROUNDS = 10
PHRASES = (
    "公司建立健全社会责任管理体系，",
    "定期召开专题会议研究部署相关工作，",
    "持续完善平台规则并向社会公开，",
    "加强内容审核队伍建设与培训，",
    "在重大主题宣传中发挥平台优势，",
    "落实未成年人保护各项要求，",
    "推进绿色低碳运营与节能改造，",
    "开展公益项目惠及偏远地区群众。",
)


def summary(seed: int, length: int = 500) -> str:
    parts: list[str] = []
    size = 0
    i = seed
    while size < length:
        phrase = PHRASES[i % len(PHRASES)]
        parts.append(phrase)
        size += len(phrase)
        i += 3
        if len(parts) % 6 == 0:
            parts.append("\n")
    return "".join(parts)[:length]


def filled_form(spec: FrameworkSpec, k: int) -> FormData:
    """A fully filled form; k varies the content."""
    answers = [
        Answer(
            indicator=ind.number,
            level=(ind.number + k) % 5 + 1,
            remarks="已提供原件备查" if ind.number % 4 == 0 else "",
            work_summary=summary(ind.number + k),
            evidence=[
                Evidence(
                    seq=s,
                    title=f"{ind.name}相关制度文件第{s}号",
                    note="盖章扫描件",
                    text="文件要点：明确责任分工，建立考核机制。" if s == 3 else "",
                    files=[FileRef(name=f"指标{ind.number}-材料{s}.pdf")],
                )
                for s in (1, 2, 3)
            ],
        )
        for ind in spec.indicators
    ]
    return FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        cover=Cover(
            enterprise_name=f"某某网络科技有限公司{k}",
            business_scope="短视频与直播平台",
            contact_person="张三",
            contact_info="010-12345678",
            submission_date=dt.date(2026, 11, 28),
        ),
        pledge=Pledge(
            enterprise_name=f"某某网络科技有限公司{k}", lead="李四", date=dt.date(2026, 11, 28)
        ),
        answers=answers,
    )


def floor_docx(parts: list[tuple[str, bytes]]) -> bytes:
    """The same parts deflated into a zip: no layout logic at all."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            zf.writestr(
                zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return buf.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--forms", type=int, default=500)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    spec = seed_spec()
    forms = [filled_form(spec, k) for k in range(args.forms)]
    render_docx(forms[0], spec)  # warm up (skeleton files, caches)

    outputs = [render_docx(f, spec) for f in forms]
    part_sets = []
    for data in outputs:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            part_sets.append([(n, zf.read(n)) for n in zf.namelist()])

    # Render and floor alternate in rounds, so that a busy machine slows both alike.
    render_s = floor_s = 0.0
    step = max(len(forms) // ROUNDS, 1)
    for start in range(0, len(forms), step):
        t0 = time.perf_counter()
        for f in forms[start : start + step]:
            render_docx(f, spec)
        render_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        for parts in part_sets[start : start + step]:
            floor_docx(parts)
        floor_s += time.perf_counter() - t0

    n = len(forms)
    per_s = n / render_s
    ratio = render_s / floor_s
    doc_kb = sum(len(d) for name, d in part_sets[0] if name == "word/document.xml") / 1024
    print(f"forms: {n}; document.xml {doc_kb:.0f} KiB, .docx {len(outputs[0]) / 1024:.0f} KiB each")
    print(
        f"render: {render_s:.2f} s = {render_s / n * 1000:.2f} ms/form = {per_s:.0f} forms/s (goal >= {GOAL_FORMS_PER_S:.0f})"
    )
    print(f"floor (zip the same parts): {floor_s:.2f} s = {floor_s / n * 1000:.2f} ms/form")
    print(f"ratio render/floor: {ratio:.2f}x (goal <= {GOAL_RATIO:.0f}x)")
    ok = per_s >= GOAL_FORMS_PER_S and ratio <= GOAL_RATIO
    print("OK" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
