"""parse_docx(render_docx(x)) == x: the renderer writes what the Word import reads."""

from __future__ import annotations

import datetime as dt

import pytest

from zeren.assessments.formdata import (
    Answer,
    Cover,
    Evidence,
    FileRef,
    FormData,
    FrameworkRef,
    Pledge,
    empty_form,
)
from zeren.documents.render import render_docx
from zeren.frameworks.spec import FrameworkSpec, seed_spec

parse = pytest.importorskip("zeren.intake.parse")


@pytest.fixture(scope="module")
def spec() -> FrameworkSpec:
    return seed_spec()


def test_it_reads_back_a_filled_form(spec: FrameworkSpec) -> None:
    tricky = ["A&B<科技>有限公司", "{{ x }}", "{% if %}x{% endif %}", "<w:p/>", "]]>", "&amp;"]
    form = FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        cover=Cover(
            enterprise_name=tricky[0],
            business_scope=tricky[1],
            contact_person=tricky[2],
            contact_info="010-12345678",
            submission_date=dt.date(2026, 1, 5),
        ),
        pledge=Pledge(enterprise_name=tricky[0], lead="李四", date=dt.date(2026, 11, 28)),
        answers=[
            Answer(
                indicator=ind.number,
                level=ind.number % 5 + 1,
                remarks="第一行\n第二行" if ind.number % 4 == 0 else "",
                work_summary="\n".join(tricky)
                if ind.number == 1
                else f"指标{ind.number}的工作情况",
                evidence=[
                    Evidence(
                        seq=s,
                        title=f"材料{s}{tricky[s % len(tricky)]}",
                        note="原件" if s == 1 else "",
                        text="要点一\n要点二" if s == 2 else "",
                        files=[FileRef(name=f"文件{ind.number}-{s}.pdf")],
                    )
                    for s in range(1, ind.number % 4 + 1)
                ],
            )
            for ind in spec.indicators
        ],
    )
    result = parse.parse_docx(render_docx(form, spec), spec)
    assert result.error is None
    assert result.problems == []
    assert result.form is not None
    assert result.form.to_jsonable() == form.to_jsonable()


def test_it_reads_back_the_blank_form(spec: FrameworkSpec) -> None:
    result = parse.parse_docx(render_docx(None, spec, draft=True), spec)
    assert result.error is None
    assert result.form is not None
    blank = empty_form(spec.id, spec.version, [i.number for i in spec.indicators])
    assert result.form.to_jsonable() == blank.to_jsonable()
