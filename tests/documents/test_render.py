"""render_docx: the official .docx, read back with python-docx and lxml."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from zeren.assessments.formdata import (
    Answer,
    Cover,
    Evidence,
    FileRef,
    FormData,
    FrameworkRef,
    Pledge,
)
from zeren.documents.render import (
    BOX,
    CATALOG_HEADERS,
    EMPTY_SUMMARY_HINT,
    TABLE_COLS,
    TABLE_HEADERS,
    TICK,
    chinese_number,
    document_xml,
    docx_filename,
    format_date,
    render_docx,
)
from zeren.frameworks.spec import FrameworkSpec, seed_spec, spec_from_mapping

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TRICKY = "A&B<科技>有限公司"
AREA_HEADING = re.compile("^[一二三四五六七八九十百]+、")


@pytest.fixture(scope="module")
def spec() -> FrameworkSpec:
    return seed_spec()


def filled_form(spec: FrameworkSpec) -> FormData:
    """Every indicator answered except each 7th; 0-3 evidence items; a variety of text."""
    answers = []
    for ind in spec.indicators:
        n = ind.number
        evidence = [
            Evidence(
                seq=s,
                title=f"指标{n}材料{s}",
                note="原件\n复印件" if s == 1 else "",
                text=f"第{s}份材料的说明\n第二段" if s != 2 else "",
                files=[FileRef(name=f"文件{n}-{s}.pdf")]
                + ([FileRef(name="附图.png")] if s == 2 else []),
            )
            for s in range(1, n % 4 + 1)
        ]
        answers.append(
            Answer(
                indicator=n,
                level=None if n % 7 == 0 else n % 5 + 1,
                remarks="备注一\n备注二" if n % 3 == 0 else "",
                work_summary=f"指标{n}的工作情况。\n第二行" if n % 2 else "",
                evidence=list(reversed(evidence)),  # rendered in seq order whatever the order given
            )
        )
    return FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        cover=Cover(
            enterprise_name=TRICKY,
            business_scope="短视频平台",
            contact_person="张三",
            contact_info="010-12345678",
            submission_date=dt.date(2026, 11, 28),
        ),
        pledge=Pledge(enterprise_name=TRICKY, lead="李四", date=dt.date(2026, 3, 5)),
        answers=answers,
    )


@pytest.fixture(scope="module")
def form(spec: FrameworkSpec) -> FormData:
    return filled_form(spec)


@pytest.fixture(scope="module")
def filled(spec: FrameworkSpec, form: FormData) -> bytes:
    return render_docx(form, spec)


@pytest.fixture(scope="module")
def blank(spec: FrameworkSpec) -> bytes:
    return render_docx(None, spec)


def open_docx(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def blocks(document: DocxDocument) -> list[Paragraph | Table]:
    """Body paragraphs and tables in document order."""
    out: list[Paragraph | Table] = []
    for child in document.element.body.iterchildren():
        if child.tag == f"{{{W}}}p":
            out.append(Paragraph(child, document))
        elif child.tag == f"{{{W}}}tbl":
            out.append(Table(child, document))
    return out


def texts(document: DocxDocument) -> list[str]:
    return [b.text for b in blocks(document) if isinstance(b, Paragraph)]


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read(name))


def grid(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


# --- structure -------------------------------------------------------------------------------


def test_it_follows_the_seeds_order(spec: FrameworkSpec, filled: bytes) -> None:
    lines = texts(open_docx(filled))
    doc = spec.document
    expected_in_order = [
        doc.attachment_label,
        *doc.title_lines,
        f"企业名称（公章）：{TRICKY}\t",
        "自评业务版块或产品：短视频平台\t",
        "联系人：张三\t",
        "联系方式：010-12345678\t",
        "提交日期：2026年11月28日\t",
        *doc.pledge_title_lines,
        doc.pledge_text,
        f"企业名称（公章）：{TRICKY}",
        "评估工作负责人：李四",
        "日期：2026年3月5日",
        doc.table_title,
        doc.evidence_note,
        "佐证材料：",
        "一、企业内部治理",
        f"三级指标1：{spec.indicator(1).name}（{spec.indicator(1).description}）",
    ]
    positions = [lines.index(t) for t in expected_in_order]
    assert positions == sorted(positions)
    areas = [lines.index(f"{chinese_number(i)}、{a.name}") for i, a in enumerate(spec.areas, 1)]
    assert areas == sorted(areas)


def test_it_starts_the_pledge_the_table_and_the_evidence_on_new_pages(
    spec: FrameworkSpec, filled: bytes
) -> None:
    body = part(filled, "word/document.xml")
    breaks = body.xpath("//w:p[w:pPr/w:pageBreakBefore]", namespaces=NS)
    first_texts = ["".join(p.itertext()) for p in breaks]
    assert first_texts == [
        spec.document.pledge_title_lines[0],
        spec.document.table_title,
        spec.document.evidence_note,
    ]
    # No paragraph holds a bare page break (they leave empty lines or pages behind).
    assert not body.xpath("//w:br[@w:type='page']", namespaces=NS)


def test_it_has_a_header_row_and_one_row_per_indicator(spec: FrameworkSpec, filled: bytes) -> None:
    table = open_docx(filled).tables[0]
    rows = grid(table)
    assert rows[0] == list(TABLE_HEADERS)
    assert len(rows) == 1 + len(spec.indicators) == 29
    assert [r[0] for r in rows[1:]] == [str(i.number) for i in spec.indicators]
    for row, ind in zip(rows[1:], spec.indicators, strict=True):
        assert row[3] == ind.name
        assert row[4] == ind.description
        assert [ln[:-1] for ln in row[5].split("\n")] == [
            f"{lv.number}.{lv.label}" for lv in ind.levels
        ]


def test_it_merges_area_and_topic_cells_over_exactly_their_rows(
    spec: FrameworkSpec, filled: bytes
) -> None:
    table = open_docx(filled).tables[0]
    cells = [list(r.cells) for r in table.rows][1:]

    def spans(col: int) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        previous = None
        for row in cells:
            tc = row[col]._tc
            if tc is previous:
                out[-1] = (out[-1][0], out[-1][1] + 1)
            else:
                out.append((row[col].text, 1))
            previous = tc
        return out

    assert spans(1) == [(a.name, len(a.indicators)) for a in spec.areas]
    assert spans(2) == [(t.name, len(t.indicators)) for a in spec.areas for t in a.topics]
    # The other columns are never merged.
    for col in (0, 3, 4, 5, 6):
        assert all(n == 1 for _, n in spans(col))


def test_it_ticks_exactly_the_chosen_level(
    spec: FrameworkSpec, form: FormData, filled: bytes
) -> None:
    rows = grid(open_docx(filled).tables[0])[1:]
    for row, ind in zip(rows, spec.indicators, strict=True):
        answer = form.answer(ind.number)
        assert answer is not None
        options = row[5].split("\n")
        ticked = [o for o in options if o.endswith(TICK)]
        if answer.level is None:
            assert ticked == []
            assert all(o.endswith(BOX) for o in options)
        else:
            assert ticked == [f"{answer.level}.{ind.label(answer.level)}{TICK}"]
            assert sum(o.endswith(BOX) for o in options) == 4
        assert row[6] == answer.remarks


def test_it_repeats_the_header_row_and_keeps_rows_whole(filled: bytes) -> None:
    body = part(filled, "word/document.xml")
    for tbl in body.iterfind(".//w:tbl", NS):
        rows = tbl.findall("w:tr", NS)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
        assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)


def test_it_lets_a_row_taller_than_a_page_split(spec: FrameworkSpec) -> None:
    # Word clips a row that may not split and cannot fit on any page.
    form = FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        answers=[
            Answer(indicator=2, remarks="很长的备注" * 80),
            Answer(indicator=3, evidence=[Evidence(seq=1, title="材料", note="长" * 600)]),
        ],
    )
    body = etree.fromstring(document_xml(form, spec).encode())
    tables = body.findall(".//w:tbl", NS)
    rows = tables[0].findall("w:tr", NS)
    splittable = [i for i, r in enumerate(rows) if r.find("w:trPr/w:cantSplit", NS) is None]
    assert splittable == [2]
    catalog = tables[3].findall("w:tr", NS)
    assert catalog[1].find("w:trPr/w:cantSplit", NS) is None
    assert all(t.findall("w:tr/w:trPr/w:cantSplit", NS) for t in tables)


def test_it_sets_grid_and_cell_widths_with_a_fixed_layout(filled: bytes) -> None:
    body = part(filled, "word/document.xml")
    tbl = body.find(".//w:tbl", NS)
    assert tbl is not None
    assert tbl.find("w:tblPr/w:tblLayout", NS).get(f"{{{W}}}type") == "fixed"
    grid_cols = [int(g.get(f"{{{W}}}w")) for g in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert grid_cols == list(TABLE_COLS)
    for tr in tbl.findall("w:tr", NS):
        widths = [int(w.get(f"{{{W}}}w")) for w in tr.findall("w:tc/w:tcPr/w:tcW", NS)]
        assert widths == grid_cols
    # Every table fits between the margins.
    for t in body.iterfind(".//w:tbl", NS):
        assert sum(int(g.get(f"{{{W}}}w")) for g in t.findall("w:tblGrid/w:gridCol", NS)) <= 8845


# --- the evidence part -------------------------------------------------------------------------


def test_it_lists_each_indicators_evidence_in_its_catalog(
    spec: FrameworkSpec, form: FormData, filled: bytes
) -> None:
    catalogs = open_docx(filled).tables[1:]
    assert len(catalogs) == len(spec.indicators)
    for table, ind in zip(catalogs, spec.indicators, strict=True):
        answer = form.answer(ind.number)
        assert answer is not None
        rows = grid(table)
        assert rows[0] == list(CATALOG_HEADERS)
        expected = [
            [str(e.seq), e.title, e.note] for e in sorted(answer.evidence, key=lambda e: e.seq)
        ]
        assert rows[1:] == (expected or [["", "", ""]] * 3)


def test_it_writes_each_evidence_section_as_the_parser_expects(
    spec: FrameworkSpec, form: FormData, filled: bytes
) -> None:
    items = blocks(open_docx(filled))
    for ind in spec.indicators:
        answer = form.answer(ind.number)
        assert answer is not None
        heading = f"三级指标{ind.number}：{ind.name}（{ind.description}）"
        start = next(
            i for i, b in enumerate(items) if isinstance(b, Paragraph) and b.text == heading
        )
        section: list[str] = []
        for b in items[start + 1 :]:
            if isinstance(b, Table):
                section.append("<table>")
                continue
            if b.text.startswith("三级指标") or AREA_HEADING.match(b.text):
                break
            section.append(b.text)
        summary = answer.work_summary.split("\n") if answer.work_summary else [EMPTY_SUMMARY_HINT]
        content: list[str] = []
        for e in sorted(answer.evidence, key=lambda e: e.seq):
            content.append(f"{e.seq}.{e.title}")
            content.extend(f"附件：{f.name}" for f in e.files)
            if e.text:
                content.extend(e.text.split("\n"))
        if not answer.evidence:
            content = ["1.", "2.", "3.", "……"]
        assert section == [
            *summary,
            f"指标{ind.number}佐证材料目录",
            "<table>",
            "佐证材料具体内容：",
            *content,
        ]


# --- fonts, page, parts ------------------------------------------------------------------------


@pytest.mark.parametrize("draft", [False, True])
def test_it_names_the_east_asian_font_on_every_run(
    spec: FrameworkSpec, form: FormData, draft: bool
) -> None:
    data = render_docx(form, spec, draft=draft)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [n for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml")]
        runs = 0
        for name in names:
            root = etree.fromstring(zf.read(name))
            for r in root.iterfind(".//w:r", NS):
                runs += 1
                fonts = r.find("w:rPr/w:rFonts", NS)
                assert fonts is not None and fonts.get(f"{{{W}}}eastAsia"), name
    assert runs > 500


def test_it_defaults_to_chinese_language_and_fangsong(filled: bytes) -> None:
    styles = part(filled, "word/styles.xml")
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang is not None and lang.get(f"{{{W}}}eastAsia") == "zh-CN"
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts is not None and fonts.get(f"{{{W}}}eastAsia") == "仿宋_GB2312"
    size = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS)
    assert size is not None and size.get(f"{{{W}}}val") == "32"  # 16 pt
    table = part(filled, "word/fontTable.xml")
    alt = table.xpath("w:font[@w:name='仿宋_GB2312']/w:altName/@w:val", namespaces=NS)
    assert alt == ["仿宋"]
    body = part(filled, "word/document.xml")
    titles = body.xpath("//w:rFonts[@w:eastAsia='方正小标宋简体']", namespaces=NS)
    assert titles


def test_it_lays_out_an_a4_page_with_gbt_9704_margins(filled: bytes) -> None:
    section = open_docx(filled).sections[0]
    sizes = (
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )
    mm = 36000  # EMU per millimetre
    assert [round((s or 0) / mm) for s in sizes] == [210, 297, 37, 35, 28, 26]


def test_it_numbers_pages_in_the_centre_of_the_footer(filled: bytes) -> None:
    footer = part(filled, "word/footer1.xml")
    assert "".join(footer.itertext()).replace(" PAGE ", "").replace("1", "N") == "— N —"
    assert footer.xpath("//w:instrText[normalize-space()='PAGE']", namespaces=NS)
    assert footer.xpath("//w:jc/@w:val", namespaces=NS) == ["center"]


def test_it_marks_drafts_with_a_watermark_only(spec: FrameworkSpec, form: FormData) -> None:
    final = render_docx(form, spec)
    draft = render_docx(form, spec, draft=True)
    with zipfile.ZipFile(io.BytesIO(final)) as zf:
        assert "word/header1.xml" not in zf.namelist()
        assert "草稿" not in zf.read("word/document.xml").decode()
    with zipfile.ZipFile(io.BytesIO(draft)) as zf:
        header = zf.read("word/header1.xml").decode()
        assert 'string="草稿"' in header and ">草稿<" in header
        assert "header1.xml" in zf.read("word/_rels/document.xml.rels").decode()
        assert "/word/header1.xml" in zf.read("[Content_Types].xml").decode()
    section = open_docx(draft).sections[0]
    assert "草稿" in section.header.paragraphs[0].text
    assert not open_docx(final).sections[0].header.paragraphs[0].text


def test_it_writes_well_formed_deflated_parts(filled: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(filled)) as zf:
        assert zf.namelist()[0] == "[Content_Types].xml"
        for info in zf.infolist():
            assert info.compress_type == zipfile.ZIP_DEFLATED
            etree.fromstring(zf.read(info))  # raises on malformed XML


def test_it_gives_the_same_bytes_for_the_same_form(
    spec: FrameworkSpec, form: FormData, filled: bytes
) -> None:
    assert render_docx(form.model_copy(deep=True), spec) == filled


# --- text is data ------------------------------------------------------------------------------


def test_it_writes_text_exactly_as_typed(spec: FrameworkSpec) -> None:
    tricky = [
        "A&B<科技>有限公司",
        "{{ x }}",
        "{% if %}x{% endif %}",
        "<w:p/>",
        "]]>",
        "&amp;",
        "  两端空格  ",
    ]
    n = spec.indicators[0].number
    form = FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        cover=Cover(enterprise_name=tricky[0], business_scope=tricky[1], contact_person=tricky[2]),
        pledge=Pledge(enterprise_name=tricky[3], lead=tricky[4]),
        answers=[
            Answer(
                indicator=n,
                level=1,
                remarks="第一行\n第二行\n\n{{ y }}",
                work_summary="\n".join(tricky),
                evidence=[
                    Evidence(
                        seq=1,
                        title=tricky[5],
                        note="a\tb",
                        text="{% for %}\n<b>粗</b>",
                        files=[FileRef(name="a&b <1>.pdf")],
                    )
                ],
            )
        ],
    )
    document = open_docx(render_docx(form, spec))
    lines = texts(document)
    assert f"企业名称（公章）：{tricky[0]}\t" in lines
    assert f"自评业务版块或产品：{tricky[1]}\t" in lines
    assert f"联系人：{tricky[2]}\t" in lines
    assert f"企业名称（公章）：{tricky[3]}" in lines
    assert f"评估工作负责人：{tricky[4]}" in lines
    start = lines.index(f"三级指标{n}：{spec.indicator(n).name}（{spec.indicator(n).description}）")
    assert lines[start + 1 : start + 1 + len(tricky)] == tricky
    assert "1.&amp;" in lines and "附件：a&b <1>.pdf" in lines
    assert "{% for %}" in lines and "<b>粗</b>" in lines
    table = grid(document.tables[0])
    assert table[1][6] == "第一行\n第二行\n\n{{ y }}"
    assert grid(document.tables[1])[1] == ["1", "&amp;", "a\tb"]


def test_it_drops_characters_xml_cannot_carry(spec: FrameworkSpec) -> None:
    form = FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        cover=Cover(enterprise_name="甲\x00乙\x07丙\x1f丁"),
        answers=[Answer(indicator=1, work_summary="一\r\n二\r三\x0b")],
    )
    lines = texts(open_docx(render_docx(form, spec)))
    assert "企业名称（公章）：甲乙丙丁\t" in lines
    start = next(i for i, t in enumerate(lines) if t.startswith("三级指标1："))
    assert lines[start + 1 : start + 4] == ["一", "二", "三"]


# --- the blank form and other frameworks --------------------------------------------------------


def test_it_renders_the_blank_form(spec: FrameworkSpec, blank: bytes) -> None:
    document = open_docx(blank)
    lines = texts(document)
    for label in (
        "企业名称（公章）：",
        "自评业务版块或产品：",
        "联系人：",
        "联系方式：",
        "提交日期：",
    ):
        assert f"{label}\t" in lines
    assert lines.count("评估工作负责人：") == 1 and lines.count("日期：") == 1
    assert TICK not in document.element.xml
    rows = grid(document.tables[0])
    assert len(rows) == 29 and all(r[6] == "" for r in rows[1:])
    assert lines.count(EMPTY_SUMMARY_HINT) == len(spec.indicators)
    assert lines.count("……") == len(spec.indicators)
    for table in document.tables[1:]:
        assert grid(table)[1:] == [["", "", ""]] * 3
    assert render_docx(None, spec) == blank


def test_it_underlines_cover_values_and_blanks(
    spec: FrameworkSpec, filled: bytes, blank: bytes
) -> None:
    for data, value in ((filled, TRICKY), (blank, "")):
        paragraph = next(
            p for p in open_docx(data).paragraphs if p.text.startswith("企业名称（公章）：")
        )
        label, *rest = paragraph.runs
        assert not label.underline
        assert rest and all(r.underline for r in rest)
        assert "".join(r.text for r in rest) == value + "\t"


MADE_UP = {
    "id": "made-up",
    "version": 3,
    "title": "测试指标体系",
    "document": {
        "attachment_label": "附件2：",
        "title_lines": ["某某测试", "自评表格"],
        "pledge_title_lines": ["承诺书"],
        "pledge_text": "我们承诺。",
        "table_title": "测试自评表",
        "evidence_note": "",
    },
    "areas": [
        {
            "name": "甲领域",
            "topics": [
                {
                    "name": "甲一",
                    "indicators": [
                        {
                            "number": 1,
                            "name": "指标一",
                            "description": "说明一",
                            "levels": ["很好", "好", "中", "差", "很差"],
                        },
                        {
                            "number": 2,
                            "name": "指标二",
                            "description": "说明二",
                            "levels": ["全做了", "大多做了", "做了一半", "做了一点", "没做"],
                        },
                    ],
                },
                {
                    "name": "甲二",
                    "indicators": [
                        {
                            "number": 3,
                            "name": "指标三",
                            "description": "说明三",
                            "levels": ["A级", "B级", "C级", "D级", "E级"],
                        },
                    ],
                },
            ],
        },
        {
            "name": "乙领域",
            "topics": [
                {
                    "name": "乙一",
                    "indicators": [
                        {
                            "number": 4,
                            "name": "指标四",
                            "description": "说明四",
                            "levels": ["五星", "四星", "三星", "二星", "一星"],
                        },
                    ],
                }
            ],
        },
    ],
}


def test_it_renders_another_framework_from_its_data() -> None:
    other = spec_from_mapping(MADE_UP)
    form = FormData(
        framework=FrameworkRef(id="made-up", version=3),
        cover=Cover(enterprise_name="测试公司"),
        answers=[Answer(indicator=2, level=4), Answer(indicator=4, level=1, work_summary="做了")],
    )
    document = open_docx(render_docx(form, other))
    lines = texts(document)
    for text in (
        "附件2：",
        "某某测试",
        "自评表格",
        "承诺书",
        "我们承诺。",
        "测试自评表",
        "一、甲领域",
        "二、乙领域",
    ):
        assert text in lines
    assert "互联网平台企业履行社会责任" not in document.element.xml
    rows = grid(document.tables[0])
    assert len(rows) == 5
    assert [r[1] for r in rows[1:]] == ["甲领域", "甲领域", "甲领域", "乙领域"]
    assert [r[2] for r in rows[1:]] == ["甲一", "甲一", "甲二", "乙一"]
    assert rows[2][5].split("\n")[3] == f"4.做了一点{TICK}"
    assert rows[4][5].split("\n")[0] == f"1.五星{TICK}"
    assert TICK not in rows[1][5] + rows[3][5]
    assert len(document.tables) == 1 + 4
    # With no evidence note, 佐证材料： itself starts the evidence part on a new page.
    body = part(render_docx(form, other), "word/document.xml")
    breaks = body.xpath("//w:p[w:pPr/w:pageBreakBefore]", namespaces=NS)
    assert ["".join(p.itertext()) for p in breaks] == ["承诺书", "测试自评表", "佐证材料："]
    assert (
        "三级指标4：指标四（说明四）" in lines
        and lines[lines.index("三级指标4：指标四（说明四）") + 1] == "做了"
    )


def test_it_refuses_a_form_of_another_framework(spec: FrameworkSpec) -> None:
    form = FormData(framework=FrameworkRef(id="made-up", version=3))
    with pytest.raises(ValueError, match="made-up"):
        render_docx(form, spec)
    stray = FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version), answers=[Answer(indicator=99)]
    )
    with pytest.raises(ValueError, match="99"):
        document_xml(stray, spec)


# --- small helpers -------------------------------------------------------------------------------


def test_it_formats_dates_without_leading_zeros() -> None:
    assert format_date(dt.date(2026, 11, 28)) == "2026年11月28日"
    assert format_date(dt.date(2026, 1, 5)) == "2026年1月5日"
    assert format_date(None) == ""


def test_it_counts_areas_in_chinese() -> None:
    assert [chinese_number(n) for n in (1, 2, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 115)] == [
        "一",
        "二",
        "九",
        "十",
        "十一",
        "十九",
        "二十",
        "二十一",
        "九十九",
        "一百",
        "一百零一",
        "一百一十",
        "一百一十五",
    ]


def test_it_names_the_file_after_the_enterprise(spec: FrameworkSpec, form: FormData) -> None:
    assert docx_filename(form, spec) == "A&B_科技_有限公司-互联网平台企业履行社会责任自评材料.docx"
    assert docx_filename(None, spec) == "互联网平台企业履行社会责任自评材料.docx"
