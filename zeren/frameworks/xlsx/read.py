"""Reading a workbook back: the same mapping as the YAML file, every error at its sheet and row."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.worksheet import Worksheet

from zeren.frameworks.spec import (
    LEVEL_COUNT,
    FrameworkInvalid,
    FrameworkSpec,
    SpecError,
    spec_from_mapping,
)
from zeren.frameworks.xlsx.layout import (
    INDICATOR_FIELDS,
    INDICATOR_HEADERS,
    INDICATOR_SHEET,
    LEVEL_FIELDS,
    LEVEL_HEADERS,
    LEVEL_SHEET,
    META_HEADERS,
    META_LABELS,
    META_ROWS,
    META_SHEET,
    NO,
    YES,
)

_Report = Callable[[str, str, str], None]


@dataclass
class _Rows:
    """Where each part of the mapping came from, so validation errors can name the row."""

    meta: dict[str, int] = field(default_factory=dict)  # mapping field -> row in 说明
    indicators: dict[int, list[int]] = field(default_factory=dict)  # number -> rows in 指标
    levels: dict[int, list[int]] = field(default_factory=dict)  # number -> rows in 选项, by level


class _Reader:
    def __init__(self, source: str):
        self.source = source
        self.errors: list[SpecError] = []
        self.rows = _Rows()

    def at(self, sheet: str, row: int | None, indicator: int | None = None) -> _Report:
        """An error reporter for one place: at(sheet, row)(field, 中文, English)."""

        def report(field_name: str, zh: str, en: str) -> None:
            where_zh, where_en = f"工作表「{sheet}」", f"sheet {sheet}"
            if row is not None:
                where_zh, where_en = f"{where_zh}第 {row} 行", f"{where_en} row {row}"
            message = f"{where_zh}：{zh} / {where_en}: {en}"
            self.errors.append(SpecError(self.source, indicator, field_name, message))

        return report

    # -- sheets and headers --

    def sheet(self, wb: WorkbookType, name: str) -> Worksheet | None:
        bad = self.at(name, None)
        if name not in wb.sheetnames:
            bad("(sheet)", f"缺少工作表「{name}」", f"the workbook has no sheet named {name}")
            return None
        ws = wb[name]
        if not isinstance(ws, Worksheet):
            bad("(sheet)", f"「{name}」不是表格", f"{name} is not a worksheet")
            return None
        return ws

    def columns(self, ws: Worksheet, sheet: str, required: tuple[str, ...]) -> dict[str, int]:
        """Header name -> column index; an empty dict when a required header is missing."""
        header = [_cell_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
        found = {name: idx for idx, name in reversed(list(enumerate(header))) if name}
        missing = [h for h in required if h not in found]
        for h in missing:
            self.at(sheet, 1)(h, f"缺少表头「{h}」", f"missing header {h}")
        return {} if missing else found

    # -- 说明 --

    def read_meta(self, ws: Worksheet, cols: dict[str, int]) -> dict[str, Any]:
        values: dict[str, tuple[int, Any]] = {}
        for row_no, row in _rows(ws):
            key, value = _cell_text(_at(row, cols["项目"])), _at(row, cols["内容"])
            bad = self.at(META_SHEET, row_no)
            if not key:
                bad("项目", "有内容但没有项目名", "a value without an item name")
            elif key not in META_ROWS:
                known = "、".join(META_ROWS)
                bad(key, f"未知的项目「{key}」，可用：{known}", f"unknown item {key}")
            elif key in values:
                first = values[key][0]
                bad(key, f"项目「{key}」重复（另见第 {first} 行）", f"{key} appears twice")
            else:
                values[key] = (row_no, value)
                self.rows.meta[META_ROWS[key][0]] = row_no

        data: dict[str, Any] = {}
        doc: dict[str, Any] = {}
        evidence: dict[str, Any] = {}
        for key, (row_no, value) in values.items():
            target = META_ROWS[key][0]
            if key == "版本":
                data["version"] = value if _integer(value) is None else _integer(value)
            elif key in ("标识", "名称"):
                data[target] = _text_or_none(value)  # blank: reported by validation
            elif key == "来源":
                data[target] = _cell_text(value)
            elif key == "计分规则":
                data["scoring"] = {"rule": _cell_text(value)}
            elif key == "需佐证等级":
                levels = self.evidence_levels(value, row_no)
                if levels is not None:
                    evidence["levels"] = levels
            elif key == "缺少佐证时":
                evidence["severity"] = _cell_text(value)
            elif key in ("标题", "承诺书标题"):
                lines = _cell_text(value).splitlines()
                doc[target.removeprefix("document.")] = [ln.strip() for ln in lines if ln.strip()]
            else:
                doc[target.removeprefix("document.")] = _cell_text(value)
        if evidence:
            data["evidence_rule"] = evidence
        if doc:
            data["document"] = doc
        return data

    def evidence_levels(self, value: Any, row_no: int) -> list[int] | None:
        text = _cell_text(value)
        levels = [_integer(part) for part in re.split(r"[,，、;；\s]+", text) if part]
        if any(lv is None or not 1 <= lv <= LEVEL_COUNT for lv in levels):
            self.at(META_SHEET, row_no)(
                "需佐证等级",
                f"需佐证等级应为 1 到 5 的数字，用逗号分隔，实际为「{text}」",
                f"evidence levels must be numbers 1 to 5 separated by commas; got {text!r}",
            )
            return None
        return [lv for lv in levels if lv is not None]

    # -- 指标 --

    def read_indicators(
        self, ws: Worksheet, cols: dict[str, int]
    ) -> dict[int, tuple[str, str, dict[str, Any]]]:
        """Indicator number -> (area name, topic name, the indicator's mapping), in row order."""
        found: dict[int, tuple[str, str, dict[str, Any]]] = {}
        area = topic = ""
        for row_no, row in _rows(ws):
            raw_number = _cell_text(_at(row, cols["序号"]))
            number = _integer(raw_number)
            if number is None or number < 1:
                self.at(INDICATOR_SHEET, row_no)(
                    "序号",
                    f"序号应为正整数，实际为「{raw_number}」",
                    f"序号 (number) must be a positive integer; got {raw_number!r}",
                )
                continue
            bad = self.at(INDICATOR_SHEET, row_no, number)
            # A blank area or topic cell continues the one above, as merged cells do.
            row_area = _cell_text(_at(row, cols["一级指标"]))
            row_topic = _cell_text(_at(row, cols["二级指标"]))
            if row_area and row_area != area and not row_topic:
                bad("二级指标", "新的一级指标下二级指标不能为空", "a new area needs a topic")
            area, topic = row_area or area, row_topic or topic
            if not area:
                bad("一级指标", "一级指标不能为空", "the area must not be empty")
            if not topic:
                bad("二级指标", "二级指标不能为空", "the topic must not be empty")
            supplied = _cell_text(_at(row, cols.get("选项为补充"))).lower()
            if supplied not in YES + NO:
                bad(
                    "选项为补充",
                    f"选项为补充应填 是 或 否，实际为「{supplied}」",
                    f"选项为补充 (levels supplied) must be 是 or 否; got {supplied!r}",
                )
            rows = self.rows.indicators.setdefault(number, [])
            rows.append(row_no)
            if number in found:
                bad(
                    "序号",
                    f"序号 {number} 重复（另见第 {rows[0]} 行）",
                    f"number {number} is used twice (see also row {rows[0]})",
                )
                continue
            weight = _at(row, cols["权重"])
            found[number] = (
                area,
                topic,
                {
                    "number": number,
                    "name": _text_or_none(_at(row, cols["三级指标"])),
                    "description": _text_or_none(_at(row, cols["指标说明"])),
                    "weight": weight if _cell_text(weight) else None,
                    "levels_supplied": supplied in YES,
                },
            )
        return found

    # -- 选项 --

    def read_levels(
        self, ws: Worksheet, cols: dict[str, int], numbers: set[int]
    ) -> dict[int, list[dict[str, Any]]]:
        """Indicator number -> its five levels in level order."""
        by_indicator: dict[int, list[tuple[int, int | None, dict[str, Any]]]] = {}
        unknown: dict[int, list[int]] = {}
        for row_no, row in _rows(ws):
            raw_number = _cell_text(_at(row, cols["序号"]))
            number = _integer(raw_number)
            if number is None:
                self.at(LEVEL_SHEET, row_no)(
                    "序号",
                    f"序号应为正整数，实际为「{raw_number}」",
                    f"序号 (number) must be a positive integer; got {raw_number!r}",
                )
                continue
            if number not in numbers:
                unknown.setdefault(number, []).append(row_no)
                continue
            bad = self.at(LEVEL_SHEET, row_no, number)
            seen = by_indicator.setdefault(number, [])
            raw_level = _cell_text(_at(row, cols["等级"]))
            level = _integer(raw_level)
            first = next((r for r, lv, _ in seen if lv == level), None)
            if level is None or not 1 <= level <= LEVEL_COUNT:
                bad(
                    "等级",
                    f"等级应为 1 到 5 的整数，实际为「{raw_level}」",
                    f"等级 (level) must be a whole number 1 to 5; got {raw_level!r}",
                )
                level = None
            elif first is not None:
                bad(
                    "等级",
                    f"指标 {number} 的等级 {level} 重复（另见第 {first} 行）",
                    f"indicator {number} has level {level} twice (see also row {first})",
                )
                level = None
            points = _at(row, cols["分值"])
            item = {
                "label": _text_or_none(_at(row, cols["选项标签"])),
                "points": points if _cell_text(points) else None,  # None: reported with this row
            }
            seen.append((row_no, level, item))
        for number, rows in unknown.items():
            listed = "、".join(str(r) for r in rows)
            listed_en = ", ".join(str(r) for r in rows)
            self.at(LEVEL_SHEET, rows[0], number)(
                "序号",
                f"序号 {number} 在工作表「{INDICATOR_SHEET}」中没有对应的指标（第 {listed} 行）",
                f"序号 {number} matches no indicator in sheet {INDICATOR_SHEET} (rows {listed_en})",
            )
        result: dict[int, list[dict[str, Any]]] = {}
        for number, seen in by_indicator.items():
            # A row with a bad or repeated level (already reported) takes a free slot, so the
            # indicator's other cells are still checked and errors name the right rows.
            slots = {lv: (row_no, item) for row_no, lv, item in seen if lv is not None}
            extra = [(row_no, item) for row_no, lv, item in seen if lv is None]
            for slot in range(1, LEVEL_COUNT + 1):
                if slot not in slots and extra:
                    slots[slot] = extra.pop(0)
            ordered = [slots[k] for k in sorted(slots)] + extra
            self.rows.levels[number] = [row_no for row_no, _ in ordered]
            result[number] = [{"number": n, **item} for n, (_, item) in enumerate(ordered, 1)]
        return result

    # -- validation errors, pointed at rows --

    def locate(self, error: SpecError) -> SpecError:
        """Adds the sheet, the row and the column's name to an error from validation."""
        sheet: str | None = None
        rows: list[int] = []
        header: str | None = None
        level_field = re.fullmatch(r"levels\[(\d+)\]\.(\w+)", error.field)
        if error.indicator is None:
            if error.field in META_LABELS:
                sheet, header = META_SHEET, META_LABELS[error.field]
                rows = [self.rows.meta[error.field]] if error.field in self.rows.meta else []
            elif error.field == "number" or error.field.startswith("areas"):
                sheet = INDICATOR_SHEET
        elif level_field:
            sheet, header = LEVEL_SHEET, LEVEL_FIELDS.get(level_field.group(2))
            level_rows = self.rows.levels.get(error.indicator, [])
            idx = int(level_field.group(1)) - 1
            rows = level_rows[idx : idx + 1]
        elif error.field.startswith("levels") or error.field == "scale":
            sheet, rows = LEVEL_SHEET, self.rows.levels.get(error.indicator, [])
        else:
            sheet, header = INDICATOR_SHEET, INDICATOR_FIELDS.get(error.field)
            rows = self.rows.indicators.get(error.indicator, [])
        if sheet is None:
            return error
        where_zh, where_en = f"工作表「{sheet}」", f"sheet {sheet}"
        if rows:
            where_zh += f"第 {'、'.join(str(r) for r in rows)} 行"
            where_en += f" row{'s' if len(rows) > 1 else ''} {', '.join(str(r) for r in rows)}"
        zh, sep, en = error.message.partition(" / ")
        message = f"{where_zh}：{zh} / {where_en}: {en}" if sep else f"{where_zh}：{zh}"
        field_name = f"{header} {error.field}" if header else error.field
        return SpecError(error.source, error.indicator, field_name, message)


def read_xlsx(source: str | Path | bytes, source_name: str | None = None) -> FrameworkSpec:
    """Reads and validates a framework workbook; raises FrameworkInvalid with every error."""
    if source_name is None:
        source_name = "(xlsx)" if isinstance(source, bytes) else Path(source).name
    try:
        wb = load_workbook(BytesIO(source) if isinstance(source, bytes) else source, data_only=True)
    except FileNotFoundError:
        raise FrameworkInvalid(
            [SpecError(source_name, None, "(file)", "文件不存在 / file not found")]
        ) from None
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FrameworkInvalid(
            [
                SpecError(
                    source_name,
                    None,
                    "(file)",
                    f"不是有效的 Excel（.xlsx）文件 / not a valid .xlsx workbook: {exc}",
                )
            ]
        ) from None

    reader = _Reader(source_name)
    # First the workbook's shape: without its sheets and headers, rows cannot be read.
    layout: dict[str, tuple[Worksheet, dict[str, int]]] = {}
    for name, required in (
        (META_SHEET, META_HEADERS[:2]),
        (INDICATOR_SHEET, INDICATOR_HEADERS[:6]),
        (LEVEL_SHEET, LEVEL_HEADERS),
    ):
        ws = reader.sheet(wb, name)
        cols = reader.columns(ws, name, required) if ws is not None else {}
        if ws is not None and cols:
            layout[name] = (ws, cols)
    if reader.errors:
        raise FrameworkInvalid(reader.errors)

    data = reader.read_meta(*layout[META_SHEET])
    indicators = reader.read_indicators(*layout[INDICATOR_SHEET])
    levels = reader.read_levels(*layout[LEVEL_SHEET], set(indicators))
    if not indicators:
        reader.at(INDICATOR_SHEET, None)("(sheet)", "没有任何指标", "there are no indicators")
        raise FrameworkInvalid(reader.errors)

    # Areas and topics in order of first appearance; indicators in row order within them.
    areas: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for number, (area, topic, item) in indicators.items():
        item["levels"] = levels.get(number, [])
        areas.setdefault(area, {}).setdefault(topic, []).append(item)
    data["areas"] = [
        {"name": area, "topics": [{"name": t, "indicators": inds} for t, inds in topics.items()]}
        for area, topics in areas.items()
    ]
    try:
        spec = spec_from_mapping(data, source_name)
    except FrameworkInvalid as exc:
        raise FrameworkInvalid(reader.errors + [reader.locate(e) for e in exc.errors]) from None
    if reader.errors:
        raise FrameworkInvalid(reader.errors)
    return spec


def _rows(ws: Worksheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The data rows with their row numbers, skipping empty rows."""
    for row_no, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if any(_cell_text(v) for v in row):
            yield row_no, row


def _at(row: tuple[Any, ...], col: int | None) -> Any:
    if col is None or col >= len(row):
        return None
    return row[col]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").strip()


def _text_or_none(value: Any) -> str | None:
    text = _cell_text(value)
    return text or None


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = _cell_text(value)
    return int(text) if re.fullmatch(r"\d+", text) else None
