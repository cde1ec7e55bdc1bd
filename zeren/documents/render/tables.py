"""Tables: cells, rows, the per-framework fragments, the assessment table, catalogs."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from zeren.assessments.formdata import Answer, Evidence
from zeren.documents.render.layout import (
    _R_BOLD,
    _R_TICK,
    BOX,
    CATALOG_COLS,
    CATALOG_HEADERS,
    EMPTY_CATALOG_ROWS,
    LEVELS,
    TABLE_COLS,
    TABLE_HEADERS,
    TICK,
)
from zeren.documents.render.runs import _lines, _p, _run, _run_lines
from zeren.frameworks.spec import FrameworkSpec, IndicatorSpec


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
