"""parse(render(x)) == x for generated FormData, awkward text included.

What the Word layout cannot carry is kept out of the generated forms and listed here, so the
property states exactly what the document format promises:
- text is stored line by line: lines have no leading or trailing white space, and multi-line
  fields have no blank lines at either end (blank lines inside are kept);
- one-line fields (cover and pledge values, titles, file names) hold no line break;
- a line of evidence text may not look like the layout's own markers (`2.标题` starting an
  item, `附件：名称`, a `三级指标N：` heading, `指标N佐证材料目录`, `佐证材料具体内容：`, an area
  heading `一、企业内部治理`, or a line of dots), and a work-summary line may not start with the
  hint （相关工作情况介绍）;
- cover and pledge values do not contain the form's own labels (联系人, 日期, …);
- an evidence item has a title; files are compared by name only (the document has no hashes).
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zeren.assessments.formdata import (
    Answer,
    Cover,
    Evidence,
    FileRef,
    FormData,
    FrameworkRef,
    Pledge,
)
from zeren.documents.render import render_docx
from zeren.frameworks.spec import seed_spec
from zeren.intake.parse import parse_docx

SPEC = seed_spec()
NUMBERS = [ind.number for ind in SPEC.indicators]

ALPHABET = (
    "企业平台用户内容治理责任社会公益数据安全报告制度机制年月日甲乙丙"
    "abcXYZ0123456789"
    "&<>{}[]()%$#@!?.,;:'\"/\\|-_=+*^~` "
    "（）：，。、；！？“”‘’《》【】—…·　"
    "☑□√"
)
LABEL_WORDS = (
    "企业名称",
    "自评业务",
    "联系人",
    "联系方式",
    "联系电话",
    "提交日期",
    "负责人",
    "日期",
    "承诺书",
)
_MARKERS = [
    re.compile(r"^\s*[0-9０-９]{1,3}\s*[.．、]"),
    re.compile(r"^\s*附\s*件\s*[0-9０-９]*\s*[:：]"),
    re.compile(r"^\s*([三四]\s*级\s*)?指\s*标\s*[0-9０-９]{1,3}\s*[:：]"),
    re.compile(r"^\s*指\s*标\s*[0-9０-９]{1,3}\s*佐\s*证\s*材\s*料\s*目\s*录"),
    re.compile(r"^\s*佐\s*证\s*材\s*料\s*具\s*体\s*内\s*容"),
    re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]"),
    re.compile(r"^[\s.…。·．]*$"),
    re.compile(r"^\s*[(（]\s*相关工作情况介绍"),
]


def _one_line(min_size: int = 0) -> st.SearchStrategy[str]:
    return (
        st.text(ALPHABET, min_size=min_size, max_size=24)
        .map(str.strip)
        .filter(lambda s: len(s) >= min_size)
    )


def _safe_line(line: str) -> bool:
    return not any(m.search(line) for m in _MARKERS)


def _lines(*, markers_allowed: bool, max_lines: int = 4) -> st.SearchStrategy[str]:
    line = st.text(ALPHABET, min_size=1, max_size=30).map(str.strip).filter(bool)
    if not markers_allowed:
        line = line.filter(_safe_line)
    body = st.lists(st.one_of(line, line, st.just("")), min_size=1, max_size=max_lines)
    return body.map(lambda xs: "\n".join(xs).strip("\n"))


def _without_labels(text: str) -> str:
    while any(w in text for w in LABEL_WORDS):
        for w in LABEL_WORDS:
            text = text.replace(w, "")
    return text.strip(" \t\u3000_＿:：")


def _field() -> st.SearchStrategy[str]:
    return _one_line().map(_without_labels)


dates = st.one_of(
    st.none(), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
)


@st.composite
def evidence(draw: st.DrawFn) -> list[Evidence]:
    count = draw(st.integers(0, 3))
    items = []
    for seq in range(1, count + 1):
        items.append(
            Evidence(
                seq=seq,
                title=draw(_one_line(min_size=1)),
                note=draw(st.one_of(st.just(""), _lines(markers_allowed=True, max_lines=2))),
                text=draw(st.one_of(st.just(""), _lines(markers_allowed=False))),
                files=[
                    FileRef(name=n, sha256=f"{i:064x}", size=i + 1, content_type="application/pdf")
                    for i, n in enumerate(draw(st.lists(_one_line(min_size=1), max_size=2)))
                ],
            )
        )
    return items


@st.composite
def content(draw: st.DrawFn) -> dict[str, object]:
    return {
        "remarks": draw(st.one_of(st.just(""), _lines(markers_allowed=True, max_lines=3))),
        "work_summary": draw(st.one_of(st.just(""), _lines(markers_allowed=False))),
        "evidence": draw(evidence()),
    }


@st.composite
def forms(draw: st.DrawFn) -> FormData:
    # Every indicator gets a level (or none); a few get remarks, a summary and evidence, which
    # keeps generation quick without losing any kind of content.
    levels = draw(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=28, max_size=28))
    filled = draw(st.dictionaries(st.sampled_from(NUMBERS), content(), max_size=5))
    answers = [
        Answer(indicator=number, level=level, **filled.get(number, {}))  # type: ignore[arg-type]
        for number, level in zip(NUMBERS, levels, strict=True)
    ]
    return FormData(
        framework=FrameworkRef(id=SPEC.id, version=SPEC.version),
        cover=Cover(
            enterprise_name=draw(_field()),
            business_scope=draw(_field()),
            contact_person=draw(_field()),
            contact_info=draw(_field()),
            submission_date=draw(dates),
        ),
        pledge=Pledge(enterprise_name=draw(_field()), lead=draw(_field()), date=draw(dates)),
        answers=answers,
    )


def names_only(form: FormData) -> FormData:
    """The document names files; their hashes, sizes and types stay in the database."""
    copy = form.model_copy(deep=True)
    for answer in copy.answers:
        for item in answer.evidence:
            item.files = [FileRef(name=f.name) for f in item.files]
    return copy


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(forms())
def test_it_reads_back_what_was_rendered(form: FormData) -> None:
    result = parse_docx(render_docx(form, SPEC), SPEC)
    assert result.error is None
    assert result.form is not None
    form = names_only(form)
    assert result.form.cover == form.cover
    assert result.form.pledge == form.pledge
    for got, want in zip(result.form.answers, form.answers, strict=True):
        assert got == want
    assert result.form == form
    # the only problems are the unanswered indicators
    assert {(p.indicator, p.code) for p in result.problems} == {
        (a.indicator, "no_choice") for a in form.answers if a.level is None
    }


def test_it_reads_back_awkward_text_exactly() -> None:
    awkward = "A&B <科技> {{ name }} 有限公司（北京）"
    form = FormData(
        framework=FrameworkRef(id=SPEC.id, version=SPEC.version),
        cover=Cover(enterprise_name=awkward, contact_info="电话：010-1234 & 邮箱 <a@b.cn>"),
        pledge=Pledge(enterprise_name=awkward, lead="张三", date=dt.date(2026, 11, 28)),
        answers=[
            Answer(
                indicator=n,
                level=(n % 5) + 1,
                remarks="第一行\n\n第三行 {% raw %}",
                work_summary="“引号”与‘单引号’；\n全角：（）【】",
                evidence=[
                    Evidence(
                        seq=1,
                        title="《报告》&<附录>",
                        note="a\nb",
                        text="x < y & z",
                        files=[FileRef(name="报告 (终稿).pdf")],
                    )
                ],
            )
            for n in NUMBERS
        ],
    )
    result = parse_docx(render_docx(form, SPEC), SPEC)
    assert result.problems == []
    assert result.form == form
