"""Forms filled the way Word and WPS users fill them, for the parser's tests and benchmark.

`template_docx()` reproduces the organizer's original file (附件1) from the seed text: the
cover with underlined blanks, the pledge, the 7-column table with the area and topic cells merged
vertically, options as `1.非常完善□` paragraphs in the cell, cells 14 and 20 empty, the seed's
bookmarks, then the evidence template for indicators 1 and 2.

A `Fill` says how one person filled it in: values, a tick style per indicator, layout changes
(blank rows, merged cells, a split or wrapped table), evidence sections. `build(fill)` edits a
copy of the template the way that person would and returns the .docx; `expected(fill)` returns
the FormData and the (indicator, code) problems the parser must report.

Nothing here is committed as a binary: fixtures are generated in the tests.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import itertools
import random
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import docx
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
from zeren.frameworks.spec import FrameworkSpec, IndicatorSpec, seed_spec

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def E(name: str, attrs: dict[str, str] | None = None, *children: Any) -> Any:
    el = etree.Element(q(name))
    for k, v in (attrs or {}).items():
        el.set(q(k) if ":" in k else k, v)
    for child in children:
        if child is not None:
            el.append(child)
    return el


# --- building blocks --------------------------------------------------------------------------

BODY_FONT = "仿宋_GB2312"


def rpr(
    *,
    font: str = BODY_FONT,
    symbol_font: str | None = None,
    size: int | None = None,
    bold: bool = False,
    underline: bool = False,
    highlight: str | None = None,
    colour: str | None = None,
    shade: str | None = None,
    strike: bool = False,
) -> Any:
    el = E("w:rPr")
    if symbol_font:
        el.append(E("w:rFonts", {"w:ascii": symbol_font, "w:hAnsi": symbol_font}))
    else:
        el.append(E("w:rFonts", {"w:ascii": font, "w:hAnsi": font, "w:eastAsia": font}))
    if bold:
        el.append(E("w:b"))
    if strike:
        el.append(E("w:strike"))
    if colour:
        el.append(E("w:color", {"w:val": colour}))
    if size:
        el.append(E("w:sz", {"w:val": str(size)}))
    if highlight:
        el.append(E("w:highlight", {"w:val": highlight}))
    if underline:
        el.append(E("w:u", {"w:val": "single"}))
    if shade:
        el.append(E("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": shade}))
    return el


def run(text: str, **props: Any) -> Any:
    """A run; tabs and line breaks become w:tab and w:br as Word writes them."""
    r = E("w:r", None, rpr(**props))
    buf = ""
    for ch in text:
        if ch in "\t\n":
            if buf:
                r.append(_t(buf))
                buf = ""
            r.append(E("w:tab") if ch == "\t" else E("w:br"))
        else:
            buf += ch
    if buf:
        r.append(_t(buf))
    return r


def _t(text: str, tag: str = "w:t") -> Any:
    t = E(tag)
    t.text = text
    t.set(q("xml:space"), "preserve")
    return t


def para(*content: Any, align: str | None = None, indent: int | None = None, **props: Any) -> Any:
    p = E("w:p")
    ppr = E("w:pPr")
    if align:
        ppr.append(E("w:jc", {"w:val": align}))
    if indent:
        ppr.append(E("w:ind", {"w:firstLineChars": str(indent)}))
    if len(ppr):
        p.append(ppr)
    for item in content:
        if isinstance(item, str):
            if item:
                p.append(run(item, **props))
        elif item is not None:
            p.append(item)
    return p


def page_break() -> Any:
    return E("w:p", None, E("w:r", None, E("w:br", {"w:type": "page"})))


def bookmark(bid: int, name: str) -> tuple[Any, Any]:
    return (
        E("w:bookmarkStart", {"w:id": str(bid), "w:name": name}),
        E("w:bookmarkEnd", {"w:id": str(bid)}),
    )


def cell(content: list[Any], width: int, *, vmerge: str | None = None, span: int = 1) -> Any:
    tcpr = E("w:tcPr", None, E("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
    if span > 1:
        tcpr.append(E("w:gridSpan", {"w:val": str(span)}))
    if vmerge == "restart":
        tcpr.append(E("w:vMerge", {"w:val": "restart"}))
    elif vmerge == "continue":
        tcpr.append(E("w:vMerge"))
    tcpr.append(E("w:vAlign", {"w:val": "center"}))
    tc = E("w:tc", None, tcpr)
    for item in content or [para()]:
        tc.append(item)
    if not len(tc.findall(q("w:p"))) or tc[-1].tag != q("w:p"):
        tc.append(para())  # a cell must end with a paragraph
    return tc


def table(widths: list[int], rows: list[Any], *, header: bool = False) -> Any:
    borders = E("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(
            E(f"w:{side}", {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "auto"})
        )
    tblpr = E(
        "w:tblPr",
        None,
        E("w:tblW", {"w:w": str(sum(widths)), "w:type": "dxa"}),
        E("w:jc", {"w:val": "center"}),
        borders,
        E("w:tblLayout", {"w:type": "fixed"}),
    )
    grid = E("w:tblGrid", None, *[E("w:gridCol", {"w:w": str(w)}) for w in widths])
    tbl = E("w:tbl", None, tblpr, grid)
    for i, row in enumerate(rows):
        if header and i == 0:
            row.insert(0, E("w:trPr", None, E("w:tblHeader")))
        tbl.append(row)
    return tbl


def row(*cells: Any) -> Any:
    return E("w:tr", None, *cells)


def text_of(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(q("w:t")))


# --- the organizer's template -------------------------------------------------------------------

COVER_LABELS = [
    "企业名称（公章）：",
    "自评业务版块或产品：",
    "联系人：",
    "联系方式：",
    "提交日期：",
]
PLEDGE_LABELS = [
    ("              ", "企业名称（公章）："),
    ("                ", "评估工作负责人："),
    ("                          ", "日期："),
]
AREA_LINES = {
    "企业内部治理": ["企业", "内部治理"],
    "网络内容建设与管理": ["网络内容", "建设与管理"],
    "市场有序竞争": ["市场有序", "竞争"],
    "社会发展促进": ["社会发展促进"],
}
TOPIC_LINES = {"科技创新": ["科技创新", ""], "社会公益": ["社会公益", ""]}
NAME_LINES = {
    7: ["网络内容生态", "治理"],
    11: ["平台优质用户", "培育"],
    18: ["产品或服务的", "质量保障"],
}
EMPTY_OPTIONS = (14, 20)  # the seed leaves these two cells empty
BOOKMARKS = {4: ["OLE_LINK3", "OLE_LINK5"], 10: ["OLE_LINK9", "OLE_LINK8"], 24: ["OLE_LINK1"]}
TABLE_WIDTHS = [600, 1000, 1100, 1300, 3000, 1700, 900]
CATALOG_WIDTHS = [900, 5600, 3100]
CN_NUMERALS = "一二三四五六七八九十"


def option_text(ind: IndicatorSpec, level: int) -> str:
    label = ind.label(level)
    if ind.number == 26 and level == 1:
        return f"1{label}"  # the seed's own typo: no dot
    return f"{level}.{label}"


def _option_paragraphs(ind: IndicatorSpec) -> list[Any]:
    wide = ind.number < 13 or 21 <= ind.number <= 25
    out = []
    for level in range(1, 6):
        pad = (
            "  "
            if (level == 1 and wide) or (level == 3 and not wide)
            else (" " if level < 5 else "")
        )
        out.append(para(option_text(ind, level) + "□" + pad))
    marks = BOOKMARKS.get(ind.number)
    if marks:
        first = out[0]
        for i, name in enumerate(marks):
            start, end = bookmark(100 + ind.number * 2 + i, name)
            first.insert(0, start)
            first.append(end)
    return out


def _lines(texts: list[str]) -> list[Any]:
    return [para(t) for t in texts]


def assessment_table(spec: FrameworkSpec) -> Any:
    headers = ["序号", "一级指标", "二级指标", "三级指标", "指标说明", "企业自评", "备注"]
    rows = [
        row(
            *[
                cell([para(h, align="center", bold=True)], w)
                for h, w in zip(headers, TABLE_WIDTHS, strict=True)
            ]
        )
    ]
    for area in spec.areas:
        for t_index, topic in enumerate(area.topics):
            for i_index, ind in enumerate(topic.indicators):
                first_in_area = t_index == 0 and i_index == 0
                area_cell = cell(
                    _lines(AREA_LINES.get(area.name, [area.name])) if first_in_area else [],
                    TABLE_WIDTHS[1],
                    vmerge="restart" if first_in_area else "continue",
                )
                if first_in_area and ind.number == 1:
                    start, end = bookmark(90, "OLE_LINK19")
                    area_cell.find(q("w:p")).insert(0, start)
                    area_cell.find(q("w:p")).append(end)
                topic_cell = cell(
                    _lines(TOPIC_LINES.get(topic.name, [topic.name])) if i_index == 0 else [],
                    TABLE_WIDTHS[2],
                    vmerge="restart" if i_index == 0 else "continue",
                )
                options = [] if ind.number in EMPTY_OPTIONS else _option_paragraphs(ind)
                rows.append(
                    row(
                        cell([para(str(ind.number), align="center")], TABLE_WIDTHS[0]),
                        area_cell,
                        topic_cell,
                        cell(_lines(NAME_LINES.get(ind.number, [ind.name])), TABLE_WIDTHS[3]),
                        cell([para(ind.description)], TABLE_WIDTHS[4]),
                        cell(options, TABLE_WIDTHS[5]),
                        cell([], TABLE_WIDTHS[6]),
                    )
                )
    return table(TABLE_WIDTHS, rows, header=True)


def catalog_table(items: list[tuple[str, str, str]] | None = None, blank_rows: int = 3) -> Any:
    rows = [
        row(
            *[
                cell([para(h, align="center")], w)
                for h, w in zip(["序号", "材料名称", "备注"], CATALOG_WIDTHS, strict=True)
            ]
        )
    ]
    for seq, title, note in items or []:
        rows.append(
            row(
                cell([para(seq, align="center")], CATALOG_WIDTHS[0]),
                cell([para(title)], CATALOG_WIDTHS[1]),
                cell(_lines(note.split("\n")) if note else [], CATALOG_WIDTHS[2]),
            )
        )
    for _ in range(blank_rows):
        rows.append(row(*[cell([], w) for w in CATALOG_WIDTHS]))
    return table(CATALOG_WIDTHS, rows)


def section_template(ind: IndicatorSpec, lead_space: bool = False) -> list[Any]:
    heading = (
        "  " if lead_space else ""
    ) + f"三级指标{ind.number}：{ind.name}（{ind.description}）"
    return [
        para(heading, bold=True),
        para(),
        para("（相关工作情况介绍）"),
        para(),
        para(f"指标{ind.number}佐证材料目录", align="center"),
        catalog_table(),
        para(),
        para(),
        para("佐证材料具体内容："),
        para("1."),
        para("2."),
        para("3."),
        para("……"),
        para(),
        para(),
    ]


def template_body(spec: FrameworkSpec) -> list[Any]:
    doc = spec.document
    start, end = bookmark(1, "_Hlk72337037")
    body: list[Any] = [para("附件1：", font="黑体"), para(), para()]
    body += [para(line, align="center", font="方正小标宋简体", size=44) for line in doc.title_lines]
    body += [para(), para()]
    for i, label in enumerate(COVER_LABELS):
        body.append(para(run((" " if i == 0 else "") + label), run(" " * 32, underline=True)))
    body += [para() for _ in range(5)] + [page_break()]
    body.append(
        para(start, run(doc.pledge_title_lines[0], font="方正小标宋简体"), end, align="center")
    )
    body += [
        para(line, align="center", font="方正小标宋简体") for line in doc.pledge_title_lines[1:]
    ]
    body += [para(), para(doc.pledge_text, indent=200), para(), para()]
    body += [para(pad + label) for pad, label in PLEDGE_LABELS]
    body += [para(), para(), para(), page_break()]
    body.append(para(doc.table_title, align="center", font="方正小标宋简体"))
    body.append(assessment_table(spec))
    body.append(para(" " + doc.evidence_note))
    body += [para("佐证材料："), para(), para(), para(), para()]
    body.append(para(f"一、{spec.areas[0].name}", font="黑体"))
    body += section_template(spec.indicator(1), lead_space=True)
    body += section_template(spec.indicator(2))
    return body


@lru_cache(maxsize=1)
def _template_package() -> tuple[dict[str, bytes], bytes]:
    spec = seed_spec()
    document = docx.Document()
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = BODY_FONT
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(q("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.space_after = 0
    body = document.element.body
    sect = body.find(q("w:sectPr"))
    for child in list(body):
        body.remove(child)
    for el in template_body(spec):
        body.append(el)
    pgsz = sect.find(q("w:pgSz"))
    pgsz.set(q("w:w"), "11906")
    pgsz.set(q("w:h"), "16838")
    body.append(sect)
    buf = io.BytesIO()
    document.save(buf)
    parts = {}
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        for name in zf.namelist():
            parts[name] = zf.read(name)
    return parts, parts["word/document.xml"]


def template_docx() -> bytes:
    """The organizer's original, unfilled form."""
    parts, xml = _template_package()
    return _zip(parts, xml)


def _zip(parts: dict[str, bytes], document_xml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, document_xml if name == "word/document.xml" else data)
    return buf.getvalue()


@lru_cache(maxsize=1)
def _template_root() -> Any:
    return etree.fromstring(_template_package()[1])


# --- how a person fills it ---------------------------------------------------------------------

# Tick styles that give an answer, and what the others give.
ANSWERING = (
    "replace:☑",
    "replace:☒",
    "replace:■",
    "replace:√",
    "replace:✓",
    "replace:✔",
    "append:√",
    "append:■",
    "sym:wingdings2",
    "sym:wingdings",
    "sym:symbol",
    "pua:wingdings2",
    "pua:wingdings",
    "letter:wingdings2",
    "letter:wingdings",
    "sdt",
    "formfield",
    "formfield_default",
    "only",
    "eq",
    "tracked",
    "tracked_others",
    "split",
    "prefix",
    "fullwidth",
    "nodot",
    "one_line",
    "one_line_prefix",
    "br_lines",
    "nested",
    "typed",
    "typed_plain",
    "typed_bare",
)
UNCERTAIN = (
    "highlight",
    "bold",
    "shade",
    "colour",
    "strike_others",
    "sdt_mismatch",
    "cross",
    "picture",
    "box_removed",
)
FAILING = {
    "none": "no_choice",
    "two": "multiple_choices",
    "unknown": "unknown_label",
    "missing": "missing_indicator",
}
for _style in UNCERTAIN:
    FAILING[_style] = "uncertain_choice"


@dataclass
class Item:
    seq: int
    title: str
    note: str = ""
    text: str = ""
    files: list[str] = field(default_factory=list)


@dataclass
class Section:
    summary: str = ""
    items: list[Item] = field(default_factory=list)


DATE_FORMATS = ("cn", "dash", "dot", "slash", "cn_numerals")


def format_date(day: dt.date, fmt: str) -> str:
    if fmt == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if fmt == "dash":
        return day.isoformat()
    if fmt == "dot":
        return f"{day.year}.{day.month:02d}.{day.day:02d}"
    if fmt == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    digits = "〇一二三四五六七八九"

    def small(n: int) -> str:
        if n < 10:
            return digits[n]
        tens, units = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")

    return (
        "".join(digits[int(c)] for c in str(day.year)) + f"年{small(day.month)}月{small(day.day)}日"
    )


@dataclass
class Fill:
    enterprise_name: str = "北京示例网络科技有限公司"
    business_scope: str = "示例短视频平台"
    contact_person: str = "张三"
    contact_info: str = "010-12345678"
    submission_date: dt.date | None = dt.date(2026, 11, 28)
    date_format: str = "cn"
    cover_style: str = "underline"  # underline | tabs | plain | table | textbox | one_line
    pledge_name: str = "北京示例网络科技有限公司"
    pledge_lead: str = "李四"
    pledge_date: dt.date | None = dt.date(2026, 11, 28)
    pledge_date_format: str = "cn"
    levels: dict[int, int] = field(default_factory=dict)  # indicator -> the level the person means
    styles: dict[int, str] = field(default_factory=dict)  # indicator -> tick style
    default_style: str = "replace:☑"
    remarks: dict[int, str] = field(default_factory=dict)
    sections: dict[int, Section] = field(default_factory=dict)
    layout: tuple[str, ...] = ()  # blank_rows, gridspan, wrap, split_table, repeat_header

    def style(self, number: int) -> str:
        if number in self.styles:
            return self.styles[number]
        if number in EMPTY_OPTIONS and not self.default_style.startswith(("typed", "none")):
            return "typed"
        return self.default_style

    def level(self, number: int) -> int:
        return self.levels.get(number, (number % 5) + 1)


# --- editing the template ----------------------------------------------------------------------


def _paragraphs(root: Any) -> list[Any]:
    body = root.find(q("w:body"))
    return [el for el in body if el.tag == q("w:p")]


def _find_para(root: Any, startswith: str, after: Any = None) -> Any:
    seen = after is None
    for p in root.iter(q("w:p")):
        if not seen:
            seen = p is after
            continue
        if text_of(p).strip().startswith(startswith):
            return p
    raise LookupError(startswith)


def _clear_runs(p: Any) -> None:
    for child in list(p):
        if child.tag != q("w:pPr"):
            p.remove(child)


def _assessment(root: Any) -> Any:
    for tbl in root.iter(q("w:tbl")):
        if "企业自评" in text_of(tbl[2]):
            return tbl
    raise LookupError("assessment table")


def _row_of(tbl: Any, number: int) -> Any:
    for tr in tbl.findall(q("w:tr")):
        tcs = tr.findall(q("w:tc"))
        if tcs and text_of(tcs[0]).strip() == str(number):
            return tr
    raise LookupError(number)


def _fill_cover(root: Any, fill: Fill) -> None:
    values = [
        fill.enterprise_name,
        fill.business_scope,
        fill.contact_person,
        fill.contact_info,
        format_date(fill.submission_date, fill.date_format) if fill.submission_date else "",
    ]
    paras = [_find_para(root, label.strip()) for label in COVER_LABELS]
    style = fill.cover_style
    if style == "table":
        rows = [
            row(cell([para(label)], 2600), cell([para(value)], 5000))
            for label, value in zip(COVER_LABELS, values, strict=True)
        ]
        tbl = table([2600, 5000], rows)
        paras[0].addprevious(tbl)
        for p in paras:
            p.getparent().remove(p)
        return
    for i, (p, value) in enumerate(zip(paras, values, strict=True)):
        runs = p.findall(q("w:r"))
        underline_run = runs[-1]
        if style == "underline":
            underline_run.find(q("w:t")).text = f"  {value}" + " " * max(4, 24 - 2 * len(value))
        elif style == "tabs":
            p.remove(underline_run)
            p.append(run("\t" + value))
        elif style == "textbox" and i == 0:
            underline_run.find(q("w:t")).text = " " * 8
            p.append(textbox_run(value))
        elif style == "one_line" and i == 2:
            p.remove(underline_run)
            p.append(run(value + "      " + COVER_LABELS[3] + values[3]))
        elif style == "one_line" and i == 3:
            p.getparent().remove(p)
        else:
            p.remove(underline_run)
            p.append(run(value))


def textbox_run(value: str) -> Any:
    """A text box as Word 2010+ writes it: DrawingML in mc:Choice, a VML copy in mc:Fallback."""
    content = E("w:txbxContent", None, para(value))
    wsp = E(
        "wps:wsp",
        None,
        E("wps:cNvSpPr", {"txBox": "1"}),
        E(
            "wps:spPr",
            None,
            E(
                "a:xfrm",
                None,
                E("a:off", {"x": "0", "y": "0"}),
                E("a:ext", {"cx": "2540000", "cy": "360000"}),
            ),
            E("a:prstGeom", {"prst": "rect"}),
        ),
        E("wps:txbx", None, content),
        E("wps:bodyPr"),
    )
    graphic_data = E(
        "a:graphicData",
        {"uri": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"},
        wsp,
    )
    inline = E(
        "wp:inline",
        None,
        E("wp:extent", {"cx": "2540000", "cy": "360000"}),
        E("wp:docPr", {"id": "501", "name": "文本框 1"}),
        E("a:graphic", None, graphic_data),
    )
    choice = E("mc:Choice", {"Requires": "wps"}, E("w:drawing", None, inline))
    fallback_box = E("v:textbox", None, copy.deepcopy(content))
    shape = E("v:shape", {"style": "width:200pt;height:28pt"}, fallback_box)
    fallback = E("mc:Fallback", None, E("w:pict", None, shape))
    return E("w:r", None, rpr(), E("mc:AlternateContent", None, choice, fallback))


def picture_run() -> Any:
    """An inline picture (the image part itself does not matter to the parser)."""
    pic = E("a:graphicData", {"uri": "http://schemas.openxmlformats.org/drawingml/2006/picture"})
    inline = E(
        "wp:inline",
        None,
        E("wp:extent", {"cx": "180000", "cy": "180000"}),
        E("wp:docPr", {"id": str(next(_IDS)), "name": "图片 1"}),
        E("a:graphic", None, pic),
    )
    return E("w:r", None, rpr(), E("w:drawing", None, inline))


def _fill_pledge(root: Any, fill: Fill) -> None:
    title = _find_para(root, "诚信承诺书")
    values = [
        fill.pledge_name,
        fill.pledge_lead,
        format_date(fill.pledge_date, fill.pledge_date_format) if fill.pledge_date else "",
    ]
    for (_, label), value in zip(PLEDGE_LABELS, values, strict=True):
        p = _find_para(root, label, after=title)
        if value:
            p.append(run(value))


# tick styles

_IDS = itertools.count(1000)


def sym_run(font: str, char: str) -> Any:
    return E("w:r", None, rpr(), E("w:sym", {"w:font": font, "w:char": char}))


def checkbox_sdt(checked: bool, glyph: str | None = None) -> Any:
    glyph = glyph or ("☒" if checked else "☐")
    box = E(
        "w14:checkbox",
        None,
        E("w14:checked", {"w14:val": "1" if checked else "0"}),
        E("w14:checkedState", {"w14:val": "2612", "w14:font": "MS Gothic"}),
        E("w14:uncheckedState", {"w14:val": "2610", "w14:font": "MS Gothic"}),
    )
    props = E("w:sdtPr", None, E("w:id", {"w:val": str(next(_IDS))}), box)
    return E("w:sdt", None, props, E("w:sdtContent", None, run(glyph, font="MS Gothic")))


def formfield_checkbox(checked: bool, *, default_only: bool = False) -> list[Any]:
    box = E("w:checkBox", None, E("w:sizeAuto"))
    if default_only:
        box.append(E("w:default", {"w:val": "1" if checked else "0"}))
    else:
        box.append(E("w:default", {"w:val": "0"}))
        if checked:
            box.append(E("w:checked"))
    ffdata = E(
        "w:ffData",
        None,
        E("w:name", {"w:val": ""}),
        E("w:enabled"),
        E("w:calcOnExit", {"w:val": "0"}),
        box,
    )
    begin = E("w:r", None, rpr(), E("w:fldChar", {"w:fldCharType": "begin"}, ffdata))
    instr = E("w:r", None, rpr(), _t(" FORMCHECKBOX ", "w:instrText"))
    end = E("w:r", None, rpr(), E("w:fldChar", {"w:fldCharType": "end"}))
    return [begin, instr, end]


def eq_field(box: str = "□", tick: str = "√") -> list[Any]:
    """Word's 带圈字符 (Format → Asian layout → Enclose characters)."""
    runs = [E("w:r", None, rpr(), E("w:fldChar", {"w:fldCharType": "begin"}))]
    for piece in (" eq \\o\\ac(", box, ",", tick, ")"):
        r = E("w:r", None, rpr(size=32 if piece == box else None), _t(piece, "w:instrText"))
        runs.append(r)
    runs.append(E("w:r", None, rpr(), E("w:fldChar", {"w:fldCharType": "end"})))
    return runs


def _tracked(kind: str, r: Any) -> Any:
    wrapper = E(
        f"w:{kind}", {"w:id": str(next(_IDS)), "w:author": "张三", "w:date": "2026-11-20T10:00:00Z"}
    )
    if kind == "del":
        for t in r.findall(q("w:t")):
            t.tag = q("w:delText")
    wrapper.append(r)
    return wrapper


def _delete_paragraph_tracked(p: Any) -> None:
    for r in p.findall(q("w:r")):
        p.replace(r, _tracked("del", copy.deepcopy(r)))
    ppr = p.find(q("w:pPr"))
    if ppr is None:
        ppr = E("w:pPr")
        p.insert(0, ppr)
    ppr.append(
        E(
            "w:rPr",
            None,
            E(
                "w:del",
                {"w:id": str(next(_IDS)), "w:author": "张三", "w:date": "2026-11-20T10:00:00Z"},
            ),
        )
    )


def _options_cell(tr: Any) -> Any:
    return tr.findall(q("w:tc"))[5]


def set_options(root: Any, number: int, lines: list[str]) -> None:
    """Replaces an options' cell with these paragraphs, as a person typing freely would."""
    _set_paras(_options_cell(_row_of(_assessment(root), number)), [para(line) for line in lines])


def _cell_paras(tc: Any) -> list[Any]:
    return tc.findall(q("w:p"))


def _set_paras(tc: Any, paras: list[Any]) -> None:
    for p in _cell_paras(tc):
        tc.remove(p)
    for p in paras:
        tc.append(p)


def apply_tick(tc: Any, ind: IndicatorSpec, level: int, style: str) -> None:
    """Edits an options cell the way a person ticks `level` in `style`."""
    labels = {lv: option_text(ind, lv) for lv in range(1, 6)}
    if ind.number in EMPTY_OPTIONS and not style.startswith(("typed", "none", "unknown")):
        _set_paras(tc, [para(labels[lv] + "□") for lv in range(1, 6)])  # copied from a neighbour
    paras = _cell_paras(tc)
    chosen = paras[level - 1] if len(paras) >= 5 else None
    lab = labels[level]

    def set_runs(p: Any, *runs: Any) -> None:
        _clear_runs(p)
        for r in runs:
            if isinstance(r, list):
                for x in r:
                    p.append(x)
            else:
                p.append(r)

    kind, _, arg = style.partition(":")
    if kind == "replace":
        set_runs(chosen, run(lab + arg + " "))
    elif kind == "append":
        set_runs(chosen, run(lab + "□" + arg))
    elif kind == "sym":
        font, char = {
            "wingdings2": ("Wingdings 2", "F052"),
            "wingdings": ("Wingdings", "F0FE"),
            "symbol": ("Symbol", "F0D6"),
        }[arg]
        set_runs(chosen, run(lab), sym_run(font, char), run(" "))
    elif kind == "pua":
        font, char = {
            "wingdings2": ("Wingdings 2", "\uf052"),
            "wingdings": ("Wingdings", "\uf0fe"),
        }[arg]
        set_runs(chosen, run(lab), run(char, symbol_font=font))
    elif kind == "letter":
        font, char = {"wingdings2": ("Wingdings 2", "R"), "wingdings": ("Wingdings", "þ")}[arg]
        set_runs(chosen, run(lab), run(char, symbol_font=font))
    elif style in ("sdt", "sdt_mismatch"):
        for lv, p in enumerate(paras, start=1):
            if lv == level and style == "sdt_mismatch":
                box = checkbox_sdt(True, glyph="☐")  # the state says ticked, the glyph does not
            else:
                box = checkbox_sdt(lv == level)
            set_runs(p, run(labels[lv]), box)
    elif style in ("formfield", "formfield_default"):
        for lv, p in enumerate(paras, start=1):
            set_runs(
                p,
                run(labels[lv]),
                formfield_checkbox(lv == level, default_only=style == "formfield_default"),
            )
    elif style == "only":
        for p in paras:
            if p is not chosen:
                tc.remove(p)
    elif style == "eq":
        set_runs(chosen, run(lab), eq_field())
    elif style in ("tracked", "tracked_others"):
        set_runs(chosen, run(lab), _tracked("del", run("□")), _tracked("ins", run("☑")))
        if style == "tracked_others":
            for p in paras:
                if p is not chosen:
                    _delete_paragraph_tracked(p)
    elif style == "split":
        start, end = bookmark(700 + ind.number, f"_Hlk{ind.number}")
        head, tail = lab[: len(lab) - 2], lab[len(lab) - 2 :]
        set_runs(
            chosen,
            run(head[:1]),
            E("w:proofErr", {"w:type": "spellStart"}),
            run(head[1:2], font="宋体"),
            start,
            run(head[2:]),
            run(tail[:1]),
            end,
            E("w:proofErr", {"w:type": "spellEnd"}),
            run(tail[1:]),
            run("☑"),
        )
    elif style == "prefix":
        for lv, p in enumerate(paras, start=1):
            set_runs(p, run(("☑" if lv == level else "□") + labels[lv]))
    elif style == "fullwidth":
        wide = lab.replace(".", "．").translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
        set_runs(chosen, run(wide + "☑"))
    elif style == "nodot":
        set_runs(chosen, run(lab.replace(".", "", 1) + "☑"))
    elif style in ("one_line", "one_line_prefix"):
        if style == "one_line":
            text = " ".join(labels[lv] + ("☑" if lv == level else "□") for lv in range(1, 6))
        else:
            text = "  ".join(("☑" if lv == level else "□") + labels[lv] for lv in range(1, 6))
        _set_paras(tc, [para(text)])
    elif style == "br_lines":
        text = "\n".join(labels[lv] + ("☑" if lv == level else "□") for lv in range(1, 6))
        _set_paras(tc, [para(text)])
    elif style == "nested":
        rows = [
            row(cell([para(labels[lv])], 1100), cell([para("☑" if lv == level else "□")], 400))
            for lv in range(1, 6)
        ]
        _set_paras(tc, [])
        tc.append(table([1100, 400], rows))
        tc.append(para())
    elif style == "typed":
        _set_paras(tc, [para(lab + "☑")])
    elif style == "typed_plain":
        _set_paras(tc, [para(lab)])
    elif style == "typed_bare":
        _set_paras(tc, [para(ind.label(level))])
    elif style in ("highlight", "bold", "shade", "colour"):
        looks: dict[str, dict[str, Any]] = {
            "highlight": {"highlight": "yellow"},
            "bold": {"bold": True},
            "shade": {"shade": "FFFF00"},
            "colour": {"colour": "FF0000"},
        }
        set_runs(chosen, run(lab, **looks[style]), run("□ "))
    elif style == "strike_others":
        for p in paras:
            if p is not chosen:
                set_runs(p, run(text_of(p), strike=True))
    elif style == "cross":
        set_runs(chosen, run(lab + "×"))
    elif style == "picture":
        set_runs(chosen, run(lab), picture_run())  # a tick pasted as an image
    elif style == "box_removed":
        set_runs(chosen, run(lab))  # what LibreOffice leaves of a 带圈字符
    elif style == "none":
        pass
    elif style == "two":
        other = paras[level % 5]
        set_runs(chosen, run(lab + "☑"))
        set_runs(other, run(labels[level % 5 + 1] + "☑"))
    elif style == "unknown":
        if ind.number in EMPTY_OPTIONS:
            _set_paras(tc, [para(f"{level}.还不错☑")])
        else:
            set_runs(chosen, run(f"{level}.还不错☑"))
    else:
        raise ValueError(style)


# layout changes


def _blank_row(continue_cols: tuple[int, ...] = ()) -> Any:
    return row(
        *[
            cell([], w, vmerge="continue" if i in continue_cols else None)
            for i, w in enumerate(TABLE_WIDTHS)
        ]
    )


def _apply_layout(root: Any, tbl: Any, fill: Fill, spec: FrameworkSpec) -> None:
    if "blank_rows" in fill.layout:
        for number, cols in ((3, ()), (17, (1, 2)), (28, ())):
            tr = _row_of(tbl, number)
            tr.addnext(_blank_row(cols))
    if "remark_row" in fill.layout:
        # someone added a row under indicator 5 to go on with the remarks
        tr = _row_of(tbl, 5)
        extra = _blank_row((0, 1, 2, 3, 4, 5))
        extra.findall(q("w:tc"))[6].append(para("（续）详见附件"))
        tr.addnext(extra)
    if "gridspan" in fill.layout:
        tr = _row_of(tbl, 8)
        tcs = tr.findall(q("w:tc"))
        name_cell, desc_cell = tcs[3], tcs[4]
        tcpr = name_cell.find(q("w:tcPr"))
        tcpr.find(q("w:tcW")).set(q("w:w"), str(TABLE_WIDTHS[3] + TABLE_WIDTHS[4]))
        tcpr.insert(1, E("w:gridSpan", {"w:val": "2"}))
        for p in _cell_paras(desc_cell):
            name_cell.append(p)
        tr.remove(desc_cell)
    if "repeat_header" in fill.layout:
        header = tbl.findall(q("w:tr"))[0]
        _row_of(tbl, 15).addprevious(copy.deepcopy(header))
    if "split_table" in fill.layout:
        tr = _row_of(tbl, 13)
        second = E(
            "w:tbl",
            None,
            copy.deepcopy(tbl.find(q("w:tblPr"))),
            copy.deepcopy(tbl.find(q("w:tblGrid"))),
        )
        moving = []
        node = tr
        while node is not None:
            moving.append(node)
            node = node.getnext()
        for node in moving:
            second.append(node)
        tbl.addnext(second)
        tbl.addnext(para())
    if "wrap" in fill.layout:
        holder = cell([], sum(TABLE_WIDTHS) + 200)
        tbl.addprevious(table([sum(TABLE_WIDTHS) + 200], [row(holder)]))
        holder.insert(1, tbl)


# evidence


def _section_elements(ind: IndicatorSpec, section: Section) -> list[Any]:
    els = [para(f"三级指标{ind.number}：{ind.name}（{ind.description}）", bold=True), para()]
    els += (
        [para(line) for line in section.summary.split("\n")]
        if section.summary
        else [para("（相关工作情况介绍）")]
    )
    els += [para(), para(f"指标{ind.number}佐证材料目录", align="center")]
    els.append(catalog_table([(str(i.seq), i.title, i.note) for i in section.items], blank_rows=1))
    els += [para(), para("佐证材料具体内容：")]
    els += _item_paragraphs(section.items)
    els += [para("……"), para()]
    return els


def _item_paragraphs(items: list[Item]) -> list[Any]:
    els = []
    for item in items:
        els.append(para(f"{item.seq}.{item.title}"))
        els += [para(f"附件：{name}") for name in item.files]
        if item.text:
            els += [para(line) for line in item.text.split("\n")]
    return els


def _fill_template_section(root: Any, ind: IndicatorSpec, section: Section) -> None:
    heading = _find_para(root, f"三级指标{ind.number}：")
    hint = _find_para(root, "（相关工作情况介绍）", after=heading)
    if section.summary:
        for line in section.summary.split("\n"):
            hint.addprevious(para(line))
        hint.getparent().remove(hint)
    title = _find_para(root, f"指标{ind.number}佐证材料目录", after=heading)
    catalog = title.getnext()
    data_rows = catalog.findall(q("w:tr"))[1:]
    for i, item in enumerate(section.items):
        if i < len(data_rows):
            tr = data_rows[i]
        else:  # people add rows when three are not enough
            tr = copy.deepcopy(data_rows[-1])
            catalog.append(tr)
        tcs = tr.findall(q("w:tc"))
        for tc, value in zip(tcs, (str(item.seq), item.title, item.note), strict=True):
            _set_paras(tc, [para(line) for line in value.split("\n")] or [para()])
    content = _find_para(root, "佐证材料具体内容", after=heading)
    placeholders = []
    node = content.getnext()
    while (
        node is not None
        and node.tag == q("w:p")
        and text_of(node).strip() in ("1.", "2.", "3.", "……")
    ):
        placeholders.append(node)
        node = node.getnext()
    # Filled items replace the placeholders they reuse; unused ones (e.g. "3." "……") stay.
    for p in placeholders[: len(section.items)]:
        p.getparent().remove(p)
    anchor = content
    for el in _item_paragraphs(section.items):
        anchor.addnext(el)
        anchor = el


def _fill_sections(root: Any, fill: Fill, spec: FrameworkSpec) -> None:
    body = root.find(q("w:body"))
    sect = body.find(q("w:sectPr"))
    last_area = spec.area_of(2).name
    for number in sorted(fill.sections):
        ind = spec.indicator(number)
        section = fill.sections[number]
        if number in (1, 2):
            _fill_template_section(root, ind, section)
            continue
        area = spec.area_of(number)
        if area.name != last_area:
            index = [a.name for a in spec.areas].index(area.name)
            sect.addprevious(para(f"{CN_NUMERALS[index]}、{area.name}", font="黑体"))
            last_area = area.name
        for el in _section_elements(ind, section):
            sect.addprevious(el)


def build_root(fill: Fill, spec: FrameworkSpec | None = None) -> Any:
    spec = spec or seed_spec()
    root = copy.deepcopy(_template_root())
    _fill_cover(root, fill)
    _fill_pledge(root, fill)
    tbl = _assessment(root)
    missing = []
    for ind in spec.indicators:
        style = fill.style(ind.number)
        tr = _row_of(tbl, ind.number)
        if style == "missing":
            missing.append(tr)
            continue
        apply_tick(_options_cell(tr), ind, fill.level(ind.number), style)
        remark = fill.remarks.get(ind.number)
        if remark:
            _set_paras(tr.findall(q("w:tc"))[6], [para(line) for line in remark.split("\n")])
    for tr in missing:
        tr.getparent().remove(tr)
    _fill_sections(root, fill, spec)
    _apply_layout(root, tbl, fill, spec)
    return root


def build(fill: Fill, spec: FrameworkSpec | None = None) -> bytes:
    """The filled form as .docx bytes."""
    return to_docx(build_root(fill, spec))


def to_docx(root: Any) -> bytes:
    parts, _ = _template_package()
    return _zip(
        parts, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    )


# --- what the parser must return ---------------------------------------------------------------


def expected(
    fill: Fill, spec: FrameworkSpec | None = None
) -> tuple[FormData, set[tuple[int | None, str]]]:
    spec = spec or seed_spec()
    problems: set[tuple[int | None, str]] = set()
    answers = []
    for ind in spec.indicators:
        style = fill.style(ind.number)
        level: int | None = fill.level(ind.number)
        if style in FAILING:
            problems.add((ind.number, FAILING[style]))
            level = None
        section = fill.sections.get(ind.number, Section())
        remarks = fill.remarks.get(ind.number, "") if style != "missing" else ""
        if "remark_row" in fill.layout and ind.number == 5:
            remarks = "\n".join(x for x in (remarks, "（续）详见附件") if x)
        answers.append(
            Answer(
                indicator=ind.number,
                level=level,
                remarks=remarks,
                work_summary=section.summary,
                evidence=[
                    Evidence(
                        seq=i.seq,
                        title=i.title,
                        note=i.note,
                        text=i.text,
                        files=[FileRef(name=n) for n in i.files],
                    )
                    for i in section.items
                ],
            )
        )
    form = FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        cover=Cover(
            enterprise_name=fill.enterprise_name,
            business_scope=fill.business_scope,
            contact_person=fill.contact_person,
            contact_info=fill.contact_info,
            submission_date=fill.submission_date,
        ),
        pledge=Pledge(
            enterprise_name=fill.pledge_name, lead=fill.pledge_lead, date=fill.pledge_date
        ),
        answers=answers,
    )
    return form, problems


# --- random fills, for the benchmark and property tests -----------------------------------------

_WORDS = [
    "建立",
    "完善",
    "制度",
    "平台",
    "用户",
    "内容",
    "审核",
    "机制",
    "培训",
    "公益",
    "数据",
    "安全",
    "报告",
    "治理",
]


def _sentence(rng: random.Random, n: int = 12) -> str:
    return "".join(rng.choice(_WORDS) for _ in range(n)) + "。"


def random_fill(seed: int, spec: FrameworkSpec | None = None, *, evidence: int = 10) -> Fill:
    """A plausible filled form: answering tick styles only, evidence for `evidence` indicators."""
    spec = spec or seed_spec()
    rng = random.Random(seed)
    numbers = [ind.number for ind in spec.indicators]
    fill = Fill(
        enterprise_name=f"示例{seed}号网络科技有限公司",
        cover_style=rng.choice(["underline", "tabs", "plain", "table"]),
        date_format=rng.choice(DATE_FORMATS),
        default_style=rng.choice([s for s in ANSWERING if not s.startswith("typed")]),
    )
    for n in numbers:
        fill.levels[n] = rng.randint(1, 5)
        if rng.random() < 0.3:
            fill.styles[n] = rng.choice([s for s in ANSWERING if not s.startswith("typed")])
        if rng.random() < 0.2:
            fill.remarks[n] = _sentence(rng, 6)
    for n in rng.sample(numbers, evidence):
        items = [
            Item(
                seq=i,
                title=f"{_sentence(rng, 3)[:-1]}",
                note=rng.choice(["", "原件"]),
                text=_sentence(rng) if rng.random() < 0.5 else "",
                files=[f"材料{n}-{i}.pdf"],
            )
            for i in range(1, rng.randint(1, 4) + 1)
        ]
        fill.sections[n] = Section(
            summary="\n".join(_sentence(rng, 20) for _ in range(rng.randint(1, 3))), items=items
        )
    return fill
