"""FormData -> the official .docx of the form (互联网平台企业履行社会责任自评材料).

`render_docx(form, spec)` is a pure function: the framework (`FrameworkSpec`) drives every
area, topic, indicator and level label, and `form` (or None for the blank form) fills them in.
The document follows the seed's structure in order — cover, pledge (诚信承诺书), the assessment
table (自评表), then the evidence part (佐证材料) per indicator — laid out per GB/T 9704-2012
(A4, margins 37/35/28/26 mm, 仿宋_GB2312 16 pt, 方正小标宋简体 22 pt titles, `— N —` page numbers).

The WordprocessingML is built as escaped strings inside a fixed skeleton of parts kept in
`data/` (styles with zh-CN defaults, settings, font table, footer, draft header): python-docx
takes ~0.2 s per form, this takes a few milliseconds. Every run names its east-Asian font
(`w:rFonts/@w:eastAsia`), which Word needs to pick a Chinese face.

The texts and layout are a contract with `parse.py`, which reads forms by content:
labels with the full-width colon (企业名称（公章）：…), dates as 2026年11月28日, one option per
paragraph as `1.非常完善□` with ☑ for the chosen level, remarks lines joined by line breaks in
one paragraph of the 备注 cell, and the evidence layout (heading `三级指标N：名称（说明）`, work
summary one paragraph per line, `指标N佐证材料目录` table, `佐证材料具体内容：`, then per item
`{seq}.{title}`, `附件：{file name}` per file and the item's text one paragraph per line).

Text is data, never markup: it is XML-escaped; a tab becomes `w:tab`; characters XML cannot
carry (C0 controls other than tab and line feed) are dropped; \\r\\n and \\r count as line breaks.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from zeren.assessments.formdata import Answer, Evidence, FormData
from zeren.frameworks.spec import FrameworkSpec, IndicatorSpec

DATA_DIR = Path(__file__).resolve().parent / "data"

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TICK = "☑"
BOX = "□"
EMPTY_SUMMARY_HINT = "（相关工作情况介绍）"
EVIDENCE_HEADING = "佐证材料："
EVIDENCE_CONTENT_LABEL = "佐证材料具体内容："
TABLE_HEADERS = ("序号", "一级指标", "二级指标", "三级指标", "指标说明", "企业自评", "备注")
CATALOG_HEADERS = ("序号", "材料名称", "备注")
COVER_LABELS = (
    "企业名称（公章）：",
    "自评业务版块或产品：",
    "联系人：",
    "联系方式：",
    "提交日期：",
)
PLEDGE_LABELS = ("企业名称（公章）：", "评估工作负责人：", "日期：")
EMPTY_CATALOG_ROWS = 3
LEVELS = 5
EMPTY_EVIDENCE_LINES = ("1.", "2.", "3.", "……")

# Page geometry in twentieths of a point (twips). GB/T 9704-2012: A4; margins top 37 mm,
# bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 16 pt text per page (28.95 pt pitch).
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8845
BODY_EM = 320  # 16 pt
# Column widths of the assessment table and of the catalog tables (they sum to TEXT_W - 1).
TABLE_COLS = (567, 1020, 1077, 1134, 2211, 1814, 1021)
CATALOG_COLS = (1020, 5102, 2722)

_FONT_LATIN = "Times New Roman"
_FONT_BODY = "仿宋_GB2312"
_FONT_TITLE = "方正小标宋简体"
_FONT_HEI = "黑体"
_FONT_SYMBOL = "Segoe UI Symbol"


def _rpr(east_asia: str, extra: str = "", latin: str = _FONT_LATIN) -> str:
    return (
        f'<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" '
        f'w:cs="{_FONT_LATIN}" w:hint="eastAsia"/>{extra}</w:rPr>'
    )


_R_BODY = _rpr(_FONT_BODY)
_R_BOLD = _rpr(_FONT_BODY, "<w:b/><w:bCs/>")
_R_UNDERLINE = _rpr(_FONT_BODY, '<w:u w:val="single"/>')
_R_TITLE = _rpr(_FONT_TITLE)
_R_HEI = _rpr(_FONT_HEI)
_R_TICK = _rpr(_FONT_SYMBOL, latin=_FONT_SYMBOL)

# Characters XML 1.0 cannot carry; tab and line feed are handled before escaping.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEEDS_WORK = re.compile("[&<>\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(text: str, rpr: str = _R_BODY) -> str:
    """One run of literal text; tabs become w:tab, anything XML cannot carry is dropped."""
    if not text:
        return ""
    if _NEEDS_WORK.search(text) is None:
        return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'
    text = _esc(_INVALID_XML.sub("", text))
    if "\t" in text:
        inner = "<w:tab/>".join(
            f'<w:t xml:space="preserve">{piece}</w:t>' if piece else ""
            for piece in text.split("\t")
        )
        return f"<w:r>{rpr}{inner}</w:r>"
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _lines(text: str) -> list[str]:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _run_lines(text: str, rpr: str = _R_BODY) -> str:
    """Runs for text whose line breaks stay inside one paragraph (w:br)."""
    lines = _lines(text)
    if len(lines) == 1:
        return _run(text, rpr)
    br = f"<w:r>{rpr}<w:br/></w:r>"
    return br.join(_run(line, rpr) for line in lines)


def _p(style: str, runs: str = "", ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{runs}</w:p>'


_PAGE_BREAK_BEFORE = "<w:pageBreakBefore/>"
_KEEP_NEXT = "<w:keepNext/>"


def _paragraphs(style: str, text: str, rpr: str = _R_BODY) -> str:
    """One paragraph per line of text."""
    return "".join(_p(style, _run(line, rpr)) for line in _lines(text))


def format_date(value: dt.date | None) -> str:
    """2026年11月28日 (no leading zeros), or '' for no date."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (for area headings 一、二、…)."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _DIGITS[rest]
        if rest < 20:
            return head + "一" + chinese_number(rest)
        return head + chinese_number(rest)
    return str(n)


def _text_width(text: str) -> int:
    """Generous width in twips at 16 pt: wide characters one em, others 0.6 em (serif Latin)."""
    tenths = 0
    for ch in text:
        tenths += 10 if unicodedata.east_asian_width(ch) in "WFA" else 6
    return tenths * BODY_EM // 10


# --- the parts of the document ----------------------------------------------------------------


def _cover(spec: FrameworkSpec, form: FormData | None) -> str:
    doc = spec.document
    cover = form.cover if form is not None else None
    values = (
        (
            cover.enterprise_name,
            cover.business_scope,
            cover.contact_person,
            cover.contact_info,
            format_date(cover.submission_date),
        )
        if cover is not None
        else ("", "", "", "", "")
    )
    out = [_p("ZrAttachment", _run(doc.attachment_label, _R_HEI))]
    for i, line in enumerate(doc.title_lines):
        ppr = '<w:spacing w:before="1737"/>' if i == 0 else ""
        out.append(_p("ZrTitle", _run(line, _R_TITLE), ppr))
    tab = f"<w:r>{_R_UNDERLINE}<w:tab/></w:r>"
    for i, (label, value) in enumerate(zip(COVER_LABELS, values, strict=True)):
        ppr = '<w:spacing w:before="2316"/>' if i == 0 else ""
        # The value is underlined, then an underlined tab runs the line to the right tab stop.
        out.append(_p("ZrCoverField", _run(label) + _run_lines(value, _R_UNDERLINE) + tab, ppr))
    return "".join(out)


def _pledge(spec: FrameworkSpec, form: FormData | None) -> str:
    doc = spec.document
    pledge = form.pledge if form is not None else None
    values = (
        (pledge.enterprise_name, pledge.lead, format_date(pledge.date))
        if pledge is not None
        else ("", "", "")
    )
    out = []
    for i, line in enumerate(doc.pledge_title_lines):
        out.append(_p("ZrTitle", _run(line, _R_TITLE), _PAGE_BREAK_BEFORE if i == 0 else ""))
    first_text = '<w:spacing w:before="579"/>'
    if not doc.pledge_title_lines:
        first_text = _PAGE_BREAK_BEFORE
    for i, line in enumerate(_lines(doc.pledge_text)):
        out.append(_p("ZrBody", _run(line), first_text if i == 0 else ""))
    # A block flush with the right margin, its lines left-aligned (as the seed's signature
    # lines), leaving room to sign and seal where a value is empty.
    sign_room = 7 * BODY_EM
    widest = 0
    for label, value in zip(PLEDGE_LABELS, values, strict=True):
        lines = _lines(value)
        widest = max(
            widest,
            _text_width(label + lines[0]) + (sign_room if not value else 0),
            *(_text_width(x) for x in lines[1:]),
        )
    indent = min(max(TEXT_W - widest - 2 * BODY_EM, 0), TEXT_W // 2)
    for i, (label, value) in enumerate(zip(PLEDGE_LABELS, values, strict=True)):
        spacing = '<w:spacing w:before="1158"/>' if i == 0 else ""
        ppr = f'{spacing}<w:ind w:left="{indent}"/>'
        out.append(_p("ZrSignature", _run(label) + _run_lines(value), ppr))
    return "".join(out)


def _tc(width: int, content: str, merge: str = "", valign: str = "center") -> str:
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merge}'
        f'<w:vAlign w:val="{valign}"/></w:tcPr>{content}</w:tc>'
    )


_BORDERS = (
    "<w:tblBorders>"
    + "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders>"
)


def _tbl_start(cols: tuple[int, ...]) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in cols)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(cols)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'{_BORDERS}<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        f'w:noHBand="0" w:noVBand="0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
    )


_TR_HEAD = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
_TR = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
# A row taller than a page may split: Word clips a cantSplit row that cannot fit on any page.
_TR_SPLITTABLE = "<w:tr>"
# Catalog rows are at least 8 mm high, so that a printed blank form can be filled by hand.
_TR_CATALOG = '<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="454"/></w:trPr>'
_TR_CATALOG_SPLITTABLE = '<w:tr><w:trPr><w:trHeight w:val="454"/></w:trPr>'
# Lines of table text that fit on a page below the repeated header row: the page is 12756 twips
# high, table lines are 300 (assessment table) and 400 (catalogs) twips apart.
TABLE_MAX_LINES = 36
CATALOG_MAX_LINES = 26


@lru_cache(maxsize=4096)  # names, descriptions and options repeat in every form
def _cell_lines(text: str, width: int, em: int) -> int:
    """Roughly how many lines `text` takes in a cell `width` twips wide, `em` twips a character."""
    per_line = max((width - 114) * 10 // em, 10)  # tenths of an em
    total = 0
    for line in _lines(text):
        tenths = sum(10 if unicodedata.east_asian_width(ch) in "WFA" else 6 for ch in line)
        total += max(1, -(-tenths // per_line))
    return total


def _fits_on_a_page(cells: Iterable[tuple[str, int]], em: int, max_lines: int) -> bool:
    for text, width in cells:
        # A cell never takes more lines than it has characters (plus one): most are short.
        if len(text) >= max_lines and _cell_lines(text, width, em) > max_lines:
            return False
    return True


_V_RESTART = '<w:vMerge w:val="restart"/>'
_V_CONTINUE = "<w:vMerge/>"


def _header_row(cols: tuple[int, ...], headers: Iterable[str], style: str) -> str:
    cells = "".join(_tc(w, _p(style, _run(h, _R_BOLD))) for w, h in zip(cols, headers, strict=True))
    return f"{_TR_HEAD}{cells}</w:tr>"


def _options(ind: IndicatorSpec, level: int | None) -> str:
    out = []
    for lv in ind.levels:
        mark = _run(TICK, _R_TICK) if lv.number == level else _run(BOX)
        out.append(_p("ZrTable", _run(f"{lv.number}.{lv.label}") + mark))
    return "".join(out)


@dataclass(frozen=True)
class _Row:
    """What a row of the assessment table owes to the framework alone."""

    number: int
    cells: str  # 序号, 一级指标, 二级指标, 三级指标, 指标说明
    options: tuple[str, ...]  # the 企业自评 cell: [0] nothing ticked, [n] level n ticked
    fits: bool  # whether these cells fit on one page


@dataclass(frozen=True)
class _Static:
    rows: tuple[_Row, ...]
    headings: dict[int, str]  # indicator -> 三级指标N：名称（说明） paragraph
    catalogs: dict[int, str]  # indicator -> 指标N佐证材料目录 caption, table start and header row


def _build_static(spec: FrameworkSpec) -> _Static:
    c = TABLE_COLS
    empty_cell = _p("ZrTable")
    rows = []
    for area in spec.areas:
        for t_idx, topic in enumerate(area.topics):
            for i_idx, ind in enumerate(topic.indicators):
                if t_idx == 0 and i_idx == 0:
                    area_cell = _tc(c[1], _p("ZrTableCenter", _run(area.name)), _V_RESTART)
                else:
                    area_cell = _tc(c[1], empty_cell, _V_CONTINUE)
                if i_idx == 0:
                    topic_cell = _tc(c[2], _p("ZrTableCenter", _run(topic.name)), _V_RESTART)
                else:
                    topic_cell = _tc(c[2], empty_cell, _V_CONTINUE)
                cells = (
                    _tc(c[0], _p("ZrTableCenter", _run(str(ind.number))))
                    + area_cell
                    + topic_cell
                    + _tc(c[3], _p("ZrTableCenter", _run(ind.name)))
                    + _tc(c[4], _p("ZrTable", _run(ind.description)))
                )
                options = tuple(_tc(c[5], _options(ind, level)) for level in range(LEVELS + 1))
                labels = "\n".join(f"{lv.number}.{lv.label}{BOX}" for lv in ind.levels)
                fits = _fits_on_a_page(
                    ((ind.name, c[3]), (ind.description, c[4]), (labels, c[5])),
                    210,
                    TABLE_MAX_LINES,
                )
                rows.append(_Row(ind.number, cells, options, fits))
    headings = {}
    catalogs = {}
    for ind in spec.indicators:
        text = f"三级指标{ind.number}：{ind.name}（{ind.description}）"
        headings[ind.number] = _p("ZrHeading2", _run(text, _R_BOLD))
        catalogs[ind.number] = (
            _p("ZrCaption", _run(f"指标{ind.number}佐证材料目录", _R_BOLD))
            + _tbl_start(CATALOG_COLS)
            + _header_row(CATALOG_COLS, CATALOG_HEADERS, "ZrCatalogHead")
        )
    return _Static(tuple(rows), headings, catalogs)


# Specs are immutable: their fragments are built once. Keyed by identity (hashing a whole spec
# costs more than it saves); the entry holds the spec, so its id cannot be reused meanwhile.
_STATIC: dict[int, tuple[FrameworkSpec, _Static]] = {}


def _static(spec: FrameworkSpec) -> _Static:
    hit = _STATIC.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    built = _build_static(spec)
    if len(_STATIC) >= 32:
        _STATIC.clear()
    _STATIC[id(spec)] = (spec, built)
    return built


def _assessment_table(static: _Static, answers: dict[int, Answer]) -> str:
    c = TABLE_COLS
    out = [_tbl_start(c), _header_row(c, TABLE_HEADERS, "ZrTableHead")]
    for row in static.rows:
        answer = answers.get(row.number)
        level = answer.level if answer is not None else None
        remarks = answer.remarks if answer is not None else ""
        fits = row.fits and _fits_on_a_page(((remarks, c[6]),), 210, TABLE_MAX_LINES)
        out.append(
            (_TR if fits else _TR_SPLITTABLE)
            + row.cells
            + row.options[level or 0]
            + _tc(c[6], _p("ZrTable", _run_lines(remarks)))
            + "</w:tr>"
        )
    out.append("</w:tbl>")
    return "".join(out)


def _catalog(start: str, evidence: list[Evidence]) -> str:
    c = CATALOG_COLS
    out = [start]
    if evidence:
        for ev in evidence:
            fits = _fits_on_a_page(((ev.title, c[1]), (ev.note, c[2])), 240, CATALOG_MAX_LINES)
            out.append(
                (_TR_CATALOG if fits else _TR_CATALOG_SPLITTABLE)
                + _tc(c[0], _p("ZrCatalogCenter", _run(str(ev.seq))))
                + _tc(c[1], _p("ZrCatalog", _run_lines(ev.title)))
                + _tc(c[2], _p("ZrCatalog", _run_lines(ev.note)))
                + "</w:tr>"
            )
    else:
        empty = _TR_CATALOG + "".join(_tc(w, _p("ZrCatalog")) for w in c) + "</w:tr>"
        out.append(empty * EMPTY_CATALOG_ROWS)
    out.append("</w:tbl>")
    return "".join(out)


def _evidence_section(static: _Static, number: int, answer: Answer | None) -> str:
    out = [static.headings[number]]
    summary = answer.work_summary if answer is not None else ""
    if summary:
        out.append(_paragraphs("ZrBody", summary))
    else:
        out.append(_p("ZrBody", _run(EMPTY_SUMMARY_HINT)))
    evidence = sorted(answer.evidence, key=lambda e: e.seq) if answer is not None else []
    out.append(_catalog(static.catalogs[number], evidence))
    out.append(_p("ZrLabel", _run(EVIDENCE_CONTENT_LABEL)))
    if evidence:
        for ev in evidence:
            out.append(_p("ZrItem", _run_lines(f"{ev.seq}.{ev.title}"), _KEEP_NEXT))
            for f in ev.files:
                out.append(_p("ZrItem", _run_lines(f"附件：{f.name}")))
            if ev.text:
                out.append(_paragraphs("ZrBody", ev.text))
    else:
        out.extend(_p("ZrItem", _run(line)) for line in EMPTY_EVIDENCE_LINES)
    return "".join(out)


def _evidence_part(spec: FrameworkSpec, static: _Static, answers: dict[int, Answer]) -> str:
    note = spec.document.evidence_note
    out = []
    if note:
        out.append(_p("ZrBody", _run(note), _PAGE_BREAK_BEFORE))
    heading_ppr = '<w:spacing w:before="289"/>' if note else _PAGE_BREAK_BEFORE
    out.append(_p("ZrAttachment", _run(EVIDENCE_HEADING, _R_HEI), heading_ppr))
    for a_idx, area in enumerate(spec.areas, start=1):
        out.append(_p("ZrHeading1", _run(f"{chinese_number(a_idx)}、{area.name}", _R_HEI)))
        for ind in area.indicators:
            out.append(_evidence_section(static, ind.number, answers.get(ind.number)))
    return "".join(out)


_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def _sect_pr(draft: bool) -> str:
    header = '<w:headerReference w:type="default" r:id="rIdHeader1"/>' if draft else ""
    return (
        f'<w:sectPr>{header}<w:footerReference w:type="default" r:id="rIdFooter1"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_LEFT}" w:header="851" w:footer="1304" w:gutter="0"/>'
        '<w:cols w:space="425"/></w:sectPr>'
    )


def document_xml(form: FormData | None, spec: FrameworkSpec, *, draft: bool = False) -> str:
    """The word/document.xml of the form, as a string."""
    answers: dict[int, Answer] = {}
    if form is not None:
        if (form.framework.id, form.framework.version) != (spec.id, spec.version):
            raise ValueError(
                f"表单属于指标体系 {form.framework.id} v{form.framework.version}，"
                f"而不是 {spec.id} v{spec.version} / the form belongs to framework "
                f"{form.framework.id} v{form.framework.version}, not {spec.id} v{spec.version}"
            )
        answers = {a.indicator: a for a in form.answers}
        unknown = sorted(set(answers) - {i.number for i in spec.indicators})
        if unknown:
            raise ValueError(
                f"指标体系中没有这些指标：{unknown} / the framework has no indicators {unknown}"
            )
    static = _static(spec)
    table_title = _p(
        "ZrTitle",
        _run(spec.document.table_title, _R_TITLE),
        _PAGE_BREAK_BEFORE + '<w:spacing w:after="289"/>',
    )
    body = (
        _cover(spec, form)
        + _pledge(spec, form)
        + table_title
        + _assessment_table(static, answers)
        + _evidence_part(spec, static, answers)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {_NS}><w:body>{body}{_sect_pr(draft)}</w:body></w:document>"
    )


# --- the package ----------------------------------------------------------------------------

_CT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
)
_CT_HEADER = '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'

_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_DOC_RELS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rIdStyles" Type="{_REL}styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{_REL}settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdFontTable" Type="{_REL}fontTable" Target="fontTable.xml"/>'
    f'<Relationship Id="rIdFooter1" Type="{_REL}footer" Target="footer1.xml"/>'
)
_DOC_RELS_HEADER = f'<Relationship Id="rIdHeader1" Type="{_REL}header" Target="header1.xml"/>'

_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Zeren</Application></Properties>"
)

# A fixed time stamp: the same form gives the same bytes.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _core(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{_esc(_INVALID_XML.sub('', title))}</dc:title><dc:language>zh-CN</dc:language>"
        "</cp:coreProperties>"
    )


@cache
def _skeleton(draft: bool) -> tuple[tuple[str, bytes], ...]:
    """The parts that do not depend on the form, in package order (document.xml goes third)."""

    def data(name: str) -> bytes:
        return (DATA_DIR / name).read_bytes()

    parts = [
        ("[Content_Types].xml", (_CT_HEAD + (_CT_HEADER if draft else "") + "</Types>").encode()),
        ("_rels/.rels", _ROOT_RELS.encode()),
        (
            "word/_rels/document.xml.rels",
            (_DOC_RELS_HEAD + (_DOC_RELS_HEADER if draft else "") + "</Relationships>").encode(),
        ),
        ("word/styles.xml", data("docx-styles.xml")),
        ("word/settings.xml", data("docx-settings.xml")),
        ("word/fontTable.xml", data("docx-fontTable.xml")),
        ("word/footer1.xml", data("docx-footer.xml")),
        ("docProps/app.xml", _APP.encode()),
    ]
    if draft:
        parts.append(("word/header1.xml", data("docx-header-draft.xml")))
    return tuple(parts)


def _zipinfo(name: str) -> zipfile.ZipInfo:
    # A new ZipInfo each time: ZipFile.writestr mutates the one it is given.
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def package_docx(document: str | bytes, *, title: str = "", draft: bool = False) -> bytes:
    """Writes a document.xml into the fixed skeleton of parts and returns the .docx bytes."""
    if isinstance(document, str):
        document = document.encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        skeleton = _skeleton(draft)
        for name, content in skeleton[:3]:
            zf.writestr(_zipinfo(name), content)
        zf.writestr(_zipinfo("word/document.xml"), document)
        for name, content in skeleton[3:]:
            zf.writestr(_zipinfo(name), content)
        zf.writestr(_zipinfo("docProps/core.xml"), _core(title).encode("utf-8"))
    return buf.getvalue()


def render_docx(form: FormData | None, spec: FrameworkSpec, *, draft: bool = False) -> bytes:
    """The official .docx of a filled form (or of the blank form when `form` is None)."""
    title = spec.document.table_title
    if form is not None and form.cover.enterprise_name:
        title = f"{form.cover.enterprise_name} {title}"
    return package_docx(document_xml(form, spec, draft=draft), title=title, draft=draft)


def docx_filename(form: FormData | None, spec: FrameworkSpec) -> str:
    """A file name for the rendered form, e.g. 某公司-互联网平台企业履行社会责任自评材料.docx."""
    base = "".join(spec.document.title_lines) or spec.title
    name = form.cover.enterprise_name.strip() if form is not None else ""
    stem = f"{name}-{base}" if name else base
    stem = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", stem).strip(" .")[:120] or "form"
    return f"{stem}.docx"
