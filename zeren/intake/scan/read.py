"""A scanned form, page images in, ParseResult out (the same shape as for Word files)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import cv2
import numpy as np

from zeren.assessments.formdata import Answer, FormData, FrameworkRef
from zeren.frameworks.spec import FrameworkSpec
from zeren.intake.parse.front import _read_front
from zeren.intake.parse.results import ParseResult, Problem
from zeren.intake.scan import ocr
from zeren.intake.scan.image import Page, turned, upright
from zeren.intake.scan.seal import Seal, find_seal
from zeren.intake.scan.table import (
    Cell,
    Geometry,
    Part,
    TablePage,
    decide,
    joined,
    page_is_flipped_table,
    read_cell,
    read_table_page,
)

_HEADING = re.compile(r"三级指标\s*(\d{1,2})\s*[:：]")
_CATALOG = re.compile(r"指标\s*(\d{1,2})\s*佐证材料目录")


@dataclass
class TextPage:
    page: int
    lines: list[ocr.Line]

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


@dataclass
class ScanRead:
    result: ParseResult
    cells: dict[int, Cell] = field(default_factory=dict)
    crops: dict[int, bytes] = field(default_factory=dict)  # indicator -> PNG of its cell


_TYPED = re.compile(r"^(\d)?[.．、,，]?(.*)$")


def _typed_level(
    ind_number: int, name: str, cell: Cell, labels: list[str]
) -> tuple[int | None, Problem | None]:
    """A cell the form leaves empty: one option typed in (「2.比较完善」, 「比较完善」, 「2」)."""
    if cell.empty:
        return None, Problem(
            ind_number,
            "no_choice",
            f"指标 {ind_number}（{name}）：扫描件中这一格为空，未填写任何选项。",
        )
    m = _TYPED.match(cell.typed)
    digit = int(m.group(1)) if m and m.group(1) else None
    rest = m.group(2) if m else cell.typed
    by_label = [i for i, label in enumerate(labels, start=1) if rest == label]
    level: int | None = None
    if digit is not None and 1 <= digit <= len(labels) and (not rest or by_label == [digit]):
        level = digit
    elif digit is not None and 1 <= digit <= len(labels) and rest:
        # the number and a label OCR misread by a character or two: both must point at the
        # same option, and that option's label must be clearly the nearest
        near = sorted(
            ((SequenceMatcher(None, rest, label).ratio(), i) for i, label in enumerate(labels, 1)),
            reverse=True,
        )
        if near[0][1] == digit and near[0][0] >= 0.6 and near[0][0] - near[1][0] >= 0.25:
            level = digit
    elif digit is None and len(by_label) == 1:
        level = by_label[0]
    if level is not None and cell.typed_conf >= 60:
        return level, None
    return None, Problem(
        ind_number,
        "uncertain_choice",
        f"指标 {ind_number}（{name}）：扫描件中这一格填写的「{cell.typed}」无法确定对应哪个选项，请查看原件。",
    )


def _level_problem(
    ind_number: int, name: str, cell: Cell, labels: list[str]
) -> tuple[int | None, Problem | None]:
    if cell.empty or cell.typed:
        return _typed_level(ind_number, name, cell, labels)
    if not cell.layout_ok:
        return None, Problem(
            ind_number,
            "uncertain_choice",
            f"指标 {ind_number}（{name}）：扫描件中这一格的选项位置无法确定，请查看原件。",
        )
    sure, maybe = decide(cell)
    if cell.ambiguous_strokes:
        maybe = maybe + [0]
    if maybe:
        seen = [lv for lv in sorted(set(sure + maybe)) if lv]
        hint = "、".join(f"{lv}.{labels[lv - 1]}" for lv in seen)
        text = f"，疑似选择 {hint}" if hint else ""
        return None, Problem(
            ind_number,
            "uncertain_choice",
            f"指标 {ind_number}（{name}）：扫描件中的标记不清楚或落在两个选项之间{text}，请查看原件。",
        )
    if len(sure) > 1:
        chosen = "、".join(f"{lv}.{labels[lv - 1]}" for lv in sure)
        return None, Problem(
            ind_number,
            "multiple_choices",
            f"指标 {ind_number}（{name}）：扫描件中勾选了多个选项：{chosen}。",
        )
    if not sure:
        return None, Problem(
            ind_number, "no_choice", f"指标 {ind_number}（{name}）：扫描件中未勾选任何选项。"
        )
    return sure[0], None


_PLEDGE_WORDS = ("承诺书", "诚信承诺", "评估工作负责", "自愿参与", "真实性和完整性", "接受相关部门")


def _page_kind(tp: TextPage) -> str:
    text = re.sub(r"\s", "", tp.text)
    # several phrases of the pledge, so that OCR misreading one (a seal over 负责人) still tells
    if any(w in text for w in _PLEDGE_WORDS):
        return "pledge"
    if "提交日期" in text or "自评业务" in text or ("企业名称" in text and "联系" in text):
        return "cover"
    if _HEADING.search(text) or "佐证材料" in text:
        return "evidence"
    return "other"


def _read_joined(
    first: Part, then: Part, geo: Geometry, number: int, labels: list[str]
) -> tuple[Cell, bytes]:
    """One row from its two parts on two pages: its cell and the picture of it."""
    page, rect, seam = joined(first, then)
    cell = read_cell(
        page,
        rect,
        labels,
        geo.em,
        geo.chars_per_line,
        number,
        pitch=geo.pitch,
        boxes_first=True,
        seam=seam,
    )
    return cell, _crop(page, cell)


def _join_split_rows(
    tables: list[TablePage],
    scale_labels: dict[int, list[str]],
    cells: dict[int, Cell],
    crops: dict[int, bytes],
) -> None:
    """A row that Word split across two pages (the organizer's template does not keep rows
    together) is read as one: its numbered part ends one page and its unnumbered continuation
    opens the page whose first numbered row is the next indicator, or Word centred the 序号
    into the second part."""
    tails = {t.tail.number: t for t in tables if t.tail is not None and t.tail.number is not None}
    # a typed answer on a page's last row is trusted only when the next page shows the row
    # ended there (the next indicator opens it): otherwise it may be the first option of a
    # row that goes on over a page that is missing
    whole = {t.first_number - 1 for t in tables if t.head is None and t.first_number is not None}
    for number in tails:
        cell = cells.get(number)
        if cell is not None and cell.typed and number not in whole:
            cell.typed, cell.layout_ok = "", False
    starts = {t.first_number for t in tables if t.first_number is not None}
    for tab in tables:
        if tab.head is None:
            continue
        if tab.first_number is not None:
            number = tab.first_number - 1
        else:
            # a page holding only the end of a row (the table's last row, say): the one page
            # ending on a row that no page is known to follow
            open_rows = [n for n in tails if n + 1 not in starts]
            if len(open_rows) != 1:
                continue
            number = open_rows[0]
        before = tails.get(number)
        if before is None or before.tail is None or before.geometry is None:
            continue
        cells[number], crops[number] = _read_joined(
            before.tail, tab.head, before.geometry, number, scale_labels[number]
        )
    # the number on the second part (Word centred the 序号 into it), or on neither: a page's
    # last row and another page's first row with the same number are the two parts of one row
    for tab in tables:
        if tab.tail is None or tab.tail.number is None:
            continue
        number = tab.tail.number
        after = next(
            (t for t in tables if t is not tab and t.lead is not None and t.lead.number == number),
            None,
        )
        if after is None or after.lead is None or tab.geometry is None:
            continue
        cells[number], crops[number] = _read_joined(
            tab.tail, after.lead, tab.geometry, number, scale_labels[number]
        )


def _crop(page: Page, cell: Cell) -> bytes:
    x, y, w, h = cell.rect
    crop = page.colour[max(y - 4, 0) : y + h + 4, max(x - 4, 0) : x + w + 4]
    ok, buf = cv2.imencode(".png", crop)
    return buf.tobytes() if ok else b""


def read_pages(images: Iterable[tuple[str, np.ndarray]], spec: FrameworkSpec) -> ScanRead:
    """Reads pages one at a time (only what is needed of each page is kept)."""
    scale_labels = {ind.number: [lv.label for lv in ind.levels] for ind in spec.indicators}
    pages: list[dict[str, Any]] = []
    cells: dict[int, Cell] = {}
    crops: dict[int, bytes] = {}
    problems: list[Problem] = []
    text_pages: list[TextPage] = []
    seals: dict[str, Seal] = {}
    table_found = False
    tables: list[TablePage] = []
    for i, (source, img) in enumerate(images, start=1):
        page = upright(i, source, img)
        del img
        pages.append(
            {
                "page": i,
                "source": source,
                "rotation": page.rotation,
                "skew": page.skew,
                "colour": page.coloured,
            }
        )
        tab = read_table_page(page, scale_labels)
        if tab is None and page_is_flipped_table(page):
            page = turned(page, 180)  # orientation detection got a table page upside down
            tab = read_table_page(page, scale_labels)
        if tab is not None:
            table_found = True
            tables.append(tab)
            for cell in tab.cells:
                if cell.indicator is not None and cell.indicator not in cells:
                    cells[cell.indicator] = cell
                    crops[cell.indicator] = _crop(page, cell)
            pages[-1]["kind"] = "table"
            continue
        found = ocr.words(page.grey, psm=4)
        tp = TextPage(i, ocr.lines(found))
        kind = _page_kind(tp)
        pages[-1]["kind"] = kind
        if kind in ("cover", "pledge") and (kind not in seals or not seals[kind].found):
            seals[kind] = find_seal(page)
        text_pages.append(tp)
    _join_split_rows(tables, scale_labels, cells, crops)
    kinds = [(_page_kind(tp), tp) for tp in text_pages]
    if not table_found and not any(k in ("cover", "pledge") for k, _ in kinds):
        return ScanRead(
            ParseResult.failed(
                "not_a_form",
                "扫描件中找不到自评表或封面、承诺书，不是互联网平台企业履行社会责任自评材料的扫描件。",
            ),
        )
    front_lines: list[str] = []
    confidences: dict[str, float] = {}
    for kind, text_page in sorted(kinds, key=lambda k: k[0] != "cover"):
        if kind in ("cover", "pledge"):
            front_lines += [ln.text for ln in text_page.lines]
            for ln in text_page.lines:
                confidences[ln.text] = ln.conf
    cover, pledge = _read_front([_fix_ocr(t) for t in front_lines], problems)
    answers = []
    for ind in spec.indicators:
        found_cell = cells.get(ind.number)
        level = None
        if found_cell is None:
            problems.append(
                Problem(
                    ind.number,
                    "missing_indicator",
                    f"指标 {ind.number}（{ind.name}）：扫描件中找不到这一行（序号 {ind.number}）。",
                )
            )
        else:
            level, problem = _level_problem(
                ind.number, ind.name, found_cell, scale_labels[ind.number]
            )
            if problem is not None:
                problems.append(problem)
        answers.append(Answer(indicator=ind.number, level=level))
    form = FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        cover=cover,
        pledge=pledge,
        answers=answers,
    )
    problems.sort(key=lambda p: (p.indicator is not None, p.indicator or 0))
    ocr_fields: dict[str, Any] = {}
    for key in ("enterprise_name", "business_scope", "contact_person", "contact_info"):
        value = getattr(cover, key)
        if value:
            conf = max((c for t, c in confidences.items() if value in t), default=0.0)
            ocr_fields[f"cover.{key}"] = {
                "text": value,
                "confidence": round(conf / 100, 2),
                "ocr": True,
            }
    scan: dict[str, Any] = {
        "pages": pages,
        "cover": seals.get("cover", Seal(False)).to_jsonable(),
        "pledge": seals.get("pledge", Seal(False)).to_jsonable(),
        "ocr": {**ocr_fields, **_evidence_text(kinds, set(scale_labels))},
        "marks": {
            str(n): [
                {
                    "level": o.level,
                    "fill": round(o.fill, 3),
                    "beside": round(o.beside, 3),
                    "strokes": o.strokes,
                }
                for o in c.options
            ]
            for n, c in sorted(cells.items())
        },
    }
    result = ParseResult(form=form, problems=problems, error=None)
    result.scan = scan
    return ScanRead(result, cells, crops)


_OCR_FIXES = str.maketrans(
    {"〈": "（", "《": "（", "〉": "）", "》": "）", "|": "", "【": "（", "】": "）"}
)


def _fix_ocr(text: str) -> str:
    return text.translate(_OCR_FIXES)


_PROMPT = re.compile(r"^.?相关工作情况介绍.?$")
_FOOTER = re.compile(r"^[-—一–\d\s]+$")
_ROW = re.compile(r"^(\d{1,2})\s*[.．、]?\s*(\S.*)$")


def _evidence_text(kinds: list[tuple[str, TextPage]], numbers: set[int]) -> dict[str, Any]:
    """Work summaries and catalog rows as OCR text ("ocr": true, with confidence), keyed
    `answers.N.work_summary` and `answers.N.evidence`: never put into the form as typed text."""
    out: dict[str, Any] = {}
    current: int | None = None
    where = ""
    summary: dict[int, list[ocr.Line]] = {}
    rows: dict[int, list[ocr.Line]] = {}
    for kind, page in kinds:
        if kind != "evidence":
            continue
        for ln in page.lines:
            text = re.sub(r"\s", "", ln.text)
            heading = _HEADING.search(text)
            catalog = _CATALOG.search(text)
            if heading and int(heading.group(1)) in numbers:
                current, where = int(heading.group(1)), "heading"
                if text.endswith(("）", ")")):
                    where = "summary"
                continue
            if catalog and int(catalog.group(1)) in numbers:
                current, where = int(catalog.group(1)), "catalog"
                continue
            if current is None or not text or _FOOTER.match(text):
                continue
            if where == "heading":  # the heading's 指标说明 runs on to its closing bracket
                if text.endswith(("）", ")")):
                    where = "summary"
                continue
            if "佐证材料目录" in text:
                where = "catalog"
                continue
            if "材料名称" in text:
                continue
            if text.startswith("佐证材料具体内容") or text.startswith("佐证材料"):
                where = ""
                continue
            if where == "summary" and not _PROMPT.match(text):
                summary.setdefault(current, []).append(ln)
            elif where == "catalog" and _ROW.match(text) and not text.startswith(("序号",)):
                rows.setdefault(current, []).append(ln)
    for n, lines in summary.items():
        out[f"answers.{n}.work_summary"] = {
            "text": "\n".join(ln.text for ln in lines),
            "confidence": round(float(np.mean([ln.conf for ln in lines])) / 100, 2),
            "ocr": True,
        }
    for n, lines in rows.items():
        items = []
        for ln in lines:
            m = _ROW.match(ln.text.strip())
            if m:
                items.append(
                    {
                        "seq": int(m.group(1)),
                        "title": m.group(2).strip(" |“”\"'‘’"),
                        "confidence": round(ln.conf / 100, 2),
                        "ocr": True,
                    }
                )
        if items:
            out[f"answers.{n}.evidence"] = items
    return out
