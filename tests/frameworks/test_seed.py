"""The seed framework file is the seed form, word for word.

The seed form (附件1) lives beside the repository in `../shared/seed/` (a copy is kept in
`data/` for clones without it, and a test keeps the two equal); its table cells are
broken across lines there, so texts are compared with all whitespace removed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zeren.frameworks.spec import FrameworkSpec, seed_spec

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_FORM = REPO_ROOT.parent / "shared" / "seed" / "000_bb716c4a8fc164dc.txt"
# A copy kept with the tests, so they run wherever the repository is cloned.
SEED_COPY = Path(__file__).parent / "data" / "seed-form-000_bb716c4a8fc164dc.txt"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def form_text() -> str:
    source = SEED_FORM if SEED_FORM.exists() else SEED_COPY
    return source.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def spec() -> FrameworkSpec:
    return seed_spec()


@pytest.fixture(scope="module")
def rows(form_text: str, spec: FrameworkSpec) -> dict[int, str]:
    """The assessment table's rows: 序号 -> the text from that row's 序号 to the next row's."""
    start = form_text.index(spec.document.table_title)
    end = form_text.index(spec.document.evidence_note, start)
    table = form_text[start:end]
    marks = [(int(m.group(1)), m.start()) for m in re.finditer(r"^\t(\d+)\s*$", table, re.M)]
    assert [n for n, _ in marks] == list(range(1, 29)), "the seed table's 序号 run 1 … 28"
    ends = [pos for _, pos in marks[1:]] + [len(table)]
    return {n: squeeze(table[pos:stop]) for (n, pos), stop in zip(marks, ends, strict=True)}


def test_it_has_28_indicators_in_4_areas_and_14_topics(spec: FrameworkSpec) -> None:
    assert [i.number for i in spec.indicators] == list(range(1, 29))
    assert [a.name for a in spec.areas] == [
        "企业内部治理",
        "网络内容建设与管理",
        "市场有序竞争",
        "社会发展促进",
    ]
    assert [[t.name for t in a.topics] for a in spec.areas] == [
        ["履责意识与行动", "规则治理"],
        ["网络内容建设", "网络综合治理", "人才队伍建设", "制度机制建设"],
        ["合规管理", "劳动者权益保障", "消费者权益保障", "特殊消费人群保障"],
        ["科技创新", "社会公益", "行业助推", "环境保护"],
    ]
    assert [i.number for i in spec.indicators if i.levels_supplied] == [14, 20]


def test_it_copies_area_and_topic_names_verbatim(form_text: str, spec: FrameworkSpec) -> None:
    text = squeeze(form_text)
    for area in spec.areas:
        assert area.name in text, area.name
        for topic in area.topics:
            assert topic.name in text, topic.name


def test_it_copies_every_name_description_and_label_verbatim(
    form_text: str, spec: FrameworkSpec
) -> None:
    text = squeeze(form_text)
    for ind in spec.indicators:
        assert squeeze(ind.name) in text, f"指标 {ind.number} name"
        assert squeeze(ind.description) in text, f"指标 {ind.number} description"
        if not ind.levels_supplied:
            for lv in ind.levels:
                assert squeeze(lv.label) + "□" in text, f"指标 {ind.number} level {lv.number}"


def test_it_puts_each_indicator_in_its_own_row(rows: dict[int, str], spec: FrameworkSpec) -> None:
    for ind in spec.indicators:
        row = rows[ind.number]
        assert squeeze(ind.name) in row, f"指标 {ind.number} name"
        assert squeeze(ind.description) in row, f"指标 {ind.number} description"


def test_it_starts_each_area_and_topic_in_the_row_of_its_first_indicator(
    rows: dict[int, str], spec: FrameworkSpec
) -> None:
    # The seed merges area and topic cells: their names appear in the first row they span.
    for area in spec.areas:
        assert area.name in rows[area.indicators[0].number], area.name
        for topic in area.topics:
            assert topic.name in rows[topic.indicators[0].number], topic.name


def test_it_lists_the_five_labels_in_order_1_to_5_in_the_indicators_row(
    rows: dict[int, str], spec: FrameworkSpec
) -> None:
    for ind in spec.indicators:
        if ind.levels_supplied:
            continue
        row, pos = rows[ind.number], 0
        for lv in ind.levels:
            # "1.非常重视□"; row 26 writes "1全部参与□" without the dot.
            found = re.compile(rf"{lv.number}\.?{re.escape(squeeze(lv.label))}□").search(row, pos)
            assert found, f"指标 {ind.number}: level {lv.number} {lv.label} not found in order"
            pos = found.end()


def test_it_supplies_levels_only_where_the_seed_has_none(
    rows: dict[int, str], spec: FrameworkSpec
) -> None:
    for ind in spec.indicators:
        assert ("□" not in rows[ind.number]) == ind.levels_supplied, f"指标 {ind.number}"


def test_it_copies_the_document_texts(form_text: str, spec: FrameworkSpec) -> None:
    text = squeeze(form_text)
    doc = spec.document
    for piece in (
        doc.attachment_label,
        *doc.title_lines,
        *doc.pledge_title_lines,
        doc.pledge_text,
        doc.table_title,
        doc.evidence_note,
    ):
        assert squeeze(piece) in text, piece


def test_the_kept_copy_is_the_seed_form() -> None:
    if not SEED_FORM.exists():
        pytest.skip("../shared/seed is not beside the repository; the kept copy is used")
    assert SEED_COPY.read_bytes() == SEED_FORM.read_bytes()
