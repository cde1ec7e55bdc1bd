"""A framework as an Excel workbook, for organizers to read and edit: write and read back.

Three sheets with Chinese headers: 说明 (the framework's settings and document texts, one per
row), 指标 (one indicator per row) and 选项 (one level per row). Reading builds the same mapping
as the YAML file and validates it with `spec_from_mapping`, then points every error at its sheet
and row, so a person can find the cell to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from zeren.frameworks.spec import (
    LEVEL_COUNT,
    FrameworkInvalid,
    FrameworkSpec,
    SpecError,
    spec_from_mapping,
)

META_SHEET = "说明"
INDICATOR_SHEET = "指标"
LEVEL_SHEET = "选项"

META_HEADERS = ("项目", "内容", "填写说明 / note")
INDICATOR_HEADERS = ("序号", "一级指标", "二级指标", "三级指标", "指标说明", "权重", "选项为补充")
LEVEL_HEADERS = ("序号", "等级", "选项标签", "分值")

# 说明 sheet: label -> (field in the mapping, English name, note for the person editing).
META_ROWS: dict[str, tuple[str, str, str]] = {
    "标识": ("id", "id", "英文小写与连字符，如 platform-csr / lowercase letters and hyphens"),
    "版本": ("version", "version", "正整数 / a positive integer"),
    "名称": ("title", "title", ""),
    "来源": ("source", "source", ""),
    "计分规则": ("scoring.rule", "scoring rule", "weighted_mean：按权重加权平均 / weighted mean"),
    "需佐证等级": (
        "evidence_rule.levels",
        "evidence levels",
        "选择这些等级时须提供佐证材料，如 1,2 / levels that need evidence, e.g. 1,2",
    ),
    "缺少佐证时": (
        "evidence_rule.severity",
        "when evidence is missing",
        "error：不能提交；warning：仅提示 / error blocks submitting, warning only warns",
    ),
    "附件标注": ("document.attachment_label", "attachment label", ""),
    "标题": ("document.title_lines", "title", "可多行 / may have several lines"),
    "承诺书标题": (
        "document.pledge_title_lines",
        "pledge title",
        "可多行 / may have several lines",
    ),
    "承诺书正文": ("document.pledge_text", "pledge text", ""),
    "自评表标题": ("document.table_title", "table title", ""),
    "佐证材料说明": ("document.evidence_note", "evidence note", ""),
}
REQUIRED_META = ("标识", "版本", "名称")
META_LABELS = {target: label for label, (target, _, _) in META_ROWS.items()}
MULTILINE_META = ("标题", "承诺书标题")

YES = ("是", "yes", "y", "true", "1")
NO = ("否", "no", "n", "false", "0", "")

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


# ---------------------------------------------------------------------------------------------
# Writing


def write_xlsx(spec: FrameworkSpec) -> bytes:
    """The framework as an .xlsx workbook (说明, 指标, 选项), formatted for people."""
    wb = Workbook()
    meta = wb.active
    assert meta is not None
    meta.title = META_SHEET
    _write_meta(meta, spec)
    _write_indicators(wb.create_sheet(INDICATOR_SHEET), spec)
    _write_levels(wb.create_sheet(LEVEL_SHEET), spec)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _header(ws: Worksheet, headers: tuple[str, ...], widths: tuple[int, ...]) -> None:
    ws.append(list(headers))
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _write_meta(ws: Worksheet, spec: FrameworkSpec) -> None:
    _header(ws, META_HEADERS, (16, 80, 50))
    doc = spec.document
    values: dict[str, Any] = {
        "标识": spec.id,
        "版本": spec.version,
        "名称": spec.title,
        "来源": spec.source,
        "计分规则": spec.scoring_rule,
        "需佐证等级": ",".join(str(x) for x in spec.evidence_levels),
        "缺少佐证时": spec.evidence_severity,
        "附件标注": doc.attachment_label,
        "标题": "\n".join(doc.title_lines),
        "承诺书标题": "\n".join(doc.pledge_title_lines),
        "承诺书正文": doc.pledge_text,
        "自评表标题": doc.table_title,
        "佐证材料说明": doc.evidence_note,
    }
    for label, (_, _, note) in META_ROWS.items():
        ws.append([label, values[label], note])
        row = ws.max_row
        ws.cell(row=row, column=1).font = HEADER_FONT
        ws.cell(row=row, column=1).alignment = TOP
        ws.cell(row=row, column=2).alignment = WRAP_TOP
        ws.cell(row=row, column=3).alignment = WRAP_TOP


def _write_indicators(ws: Worksheet, spec: FrameworkSpec) -> None:
    _header(ws, INDICATOR_HEADERS, (8, 20, 20, 26, 70, 8, 12))
    for area in spec.areas:
        for topic in area.topics:
            for ind in topic.indicators:
                ws.append(
                    [
                        ind.number,
                        area.name,
                        topic.name,
                        ind.name,
                        ind.description,
                        ind.weight,
                        "是" if ind.levels_supplied else "否",
                    ]
                )
                for col in range(1, len(INDICATOR_HEADERS) + 1):
                    ws.cell(row=ws.max_row, column=col).alignment = WRAP_TOP
    ws.auto_filter.ref = f"A1:{get_column_letter(len(INDICATOR_HEADERS))}{ws.max_row}"
    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    yes_no.error = "请填 是 或 否 / enter 是 (yes) or 否 (no)"
    ws.add_data_validation(yes_no)
    yes_no.add(f"G2:G{max(ws.max_row, 2) + 200}")


def _write_levels(ws: Worksheet, spec: FrameworkSpec) -> None:
    _header(ws, LEVEL_HEADERS, (8, 8, 30, 10))
    for ind in spec.indicators:
        for lv in ind.levels:
            ws.append([ind.number, lv.number, lv.label, lv.points])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(LEVEL_HEADERS))}{ws.max_row}"
    level = DataValidation(type="whole", operator="between", formula1="1", formula2="5")
    level.error = "等级应为 1 到 5 / the level is 1 to 5"
    ws.add_data_validation(level)
    level.add(f"B2:B{max(ws.max_row, 2) + 1000}")


# ---------------------------------------------------------------------------------------------
# Reading


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

    def err(
        self, sheet: str, row: int | None, indicator: int | None, field_name: str, zh: str, en: str
    ) -> None:
        if row is None:
            where_zh, where_en = f"工作表「{sheet}」", f"sheet {sheet}"
        else:
            where_zh, where_en = f"工作表「{sheet}」第 {row} 行", f"sheet {sheet} row {row}"
        self.errors.append(
            SpecError(self.source, indicator, field_name, f"{where_zh}：{zh} / {where_en}: {en}")
        )

    # -- sheets and headers --

    def sheet(self, wb: WorkbookType, name: str) -> Worksheet | None:
        if name not in wb.sheetnames:
            self.err(
                name,
                None,
                None,
                "(sheet)",
                f"缺少工作表「{name}」",
                f"the workbook has no sheet named {name}",
            )
            return None
        ws = wb[name]
        if not isinstance(ws, Worksheet):
            self.err(
                name, None, None, "(sheet)", f"「{name}」不是表格", f"{name} is not a worksheet"
            )
            return None
        return ws

    def columns(
        self, ws: Worksheet, sheet: str, required: tuple[str, ...]
    ) -> dict[str, int] | None:
        header = [_cell_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
        found = {name: idx for idx, name in reversed(list(enumerate(header))) if name}
        missing = [h for h in required if h not in found]
        for h in missing:
            self.err(sheet, 1, None, h, f"缺少表头「{h}」", f"missing header {h}")
        return None if missing else found

    # -- 说明 --

    def read_meta(self, ws: Worksheet, cols: dict[str, int]) -> dict[str, Any]:
        key_col, value_col = cols["项目"], cols["内容"]
        values: dict[str, tuple[int, Any]] = {}
        for row_no, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            key = _cell_text(_at(row, key_col))
            value = _at(row, value_col)
            if not key:
                if _cell_text(value):
                    self.err(
                        META_SHEET,
                        row_no,
                        None,
                        "项目",
                        "有内容但没有项目名",
                        "a value without an item name",
                    )
                continue
            if key not in META_ROWS:
                known = "、".join(META_ROWS)
                self.err(
                    META_SHEET,
                    row_no,
                    None,
                    key,
                    f"未知的项目「{key}」，可用：{known}",
                    f"unknown item {key}",
                )
                continue
            if key in values:
                self.err(
                    META_SHEET,
                    row_no,
                    None,
                    key,
                    f"项目「{key}」重复（另见第 {values[key][0]} 行）",
                    f"item {key} appears twice",
                )
                continue
            values[key] = (row_no, value)
            self.rows.meta[META_ROWS[key][0]] = row_no

        data: dict[str, Any] = {}
        doc: dict[str, Any] = {}
        for key, (row_no, value) in values.items():
            target = META_ROWS[key][0]
            if key == "版本":
                data["version"] = _integer(value) if _integer(value) is not None else value
            elif key == "需佐证等级":
                levels = self.evidence_levels(value, row_no)
                if levels is not None:
                    data.setdefault("evidence_rule", {})["levels"] = levels
            elif key == "缺少佐证时":
                data.setdefault("evidence_rule", {})["severity"] = _cell_text(value)
            elif key == "计分规则":
                data["scoring"] = {"rule": _cell_text(value)}
            elif key in MULTILINE_META:
                doc[target.split(".", 1)[1]] = [
                    ln.strip() for ln in _cell_text(value).splitlines() if ln.strip()
                ]
            elif target.startswith("document."):
                doc[target.split(".", 1)[1]] = _cell_text(value)
            elif key in REQUIRED_META:
                data[target] = (
                    value if value is None or not isinstance(value, str) else value.strip()
                )
            else:
                data[target] = _cell_text(value)
        if doc:
            data["document"] = doc
        return data

    def evidence_levels(self, value: Any, row_no: int) -> list[int] | None:
        levels: list[int] = []
        for part in re.split(r"[,，、;；\s]+", _cell_text(value)):
            if not part:
                continue
            number = _integer(part)
            if number is None or not 1 <= number <= 5:
                self.err(
                    META_SHEET,
                    row_no,
                    None,
                    "需佐证等级",
                    f"需佐证等级应为 1 到 5 的数字，用逗号分隔，实际为「{_cell_text(value)}」",
                    f"evidence levels must be numbers 1 to 5 separated by commas; got {_cell_text(value)!r}",
                )
                return None
            levels.append(number)
        return levels

    # -- 指标 --

    def read_indicators(
        self, ws: Worksheet, cols: dict[str, int]
    ) -> dict[int, tuple[str, str, dict[str, Any]]]:
        """Indicator number -> (area name, topic name, the indicator's mapping)."""
        found: dict[int, tuple[str, str, dict[str, Any]]] = {}
        area = topic = ""
        for row_no, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            if all(_cell_text(v) == "" for v in row):
                continue
            raw_number = _at(row, cols["序号"])
            number = _integer(raw_number)
            if number is None or number < 1:
                self.err(
                    INDICATOR_SHEET,
                    row_no,
                    None,
                    "序号",
                    f"序号应为正整数，实际为「{_cell_text(raw_number)}」",
                    f"序号 (number) must be a positive integer; got {_cell_text(raw_number)!r}",
                )
                continue
            # A blank area or topic cell continues the one above, as in merged cells.
            row_area = _cell_text(_at(row, cols["一级指标"]))
            row_topic = _cell_text(_at(row, cols["二级指标"]))
            if row_area:
                if row_area != area and not row_topic:
                    self.err(
                        INDICATOR_SHEET,
                        row_no,
                        number,
                        "二级指标",
                        "新的一级指标下二级指标不能为空",
                        "a new area needs a topic name",
                    )
                area = row_area
            elif not area:
                self.err(
                    INDICATOR_SHEET,
                    row_no,
                    number,
                    "一级指标",
                    "一级指标不能为空",
                    "the area name must not be empty",
                )
            if row_topic:
                topic = row_topic
            elif not topic:
                self.err(
                    INDICATOR_SHEET,
                    row_no,
                    number,
                    "二级指标",
                    "二级指标不能为空",
                    "the topic name must not be empty",
                )
            supplied_raw = _cell_text(_at(row, cols.get("选项为补充"))).lower()
            if supplied_raw not in YES + NO:
                self.err(
                    INDICATOR_SHEET,
                    row_no,
                    number,
                    "选项为补充",
                    f"选项为补充应填 是 或 否，实际为「{supplied_raw}」",
                    f"选项为补充 (levels supplied) must be 是 or 否; got {supplied_raw!r}",
                )
            weight = _at(row, cols["权重"])
            rows = self.rows.indicators.setdefault(number, [])
            rows.append(row_no)
            if number in found:
                self.err(
                    INDICATOR_SHEET,
                    row_no,
                    number,
                    "序号",
                    f"序号 {number} 重复（另见第 {rows[0]} 行）",
                    f"number {number} is used twice (see also row {rows[0]})",
                )
                continue
            found[number] = (
                area,
                topic,
                {
                    "number": number,
                    "name": _text_or_none(_at(row, cols["三级指标"])),
                    "description": _text_or_none(_at(row, cols["指标说明"])),
                    "weight": weight if _cell_text(weight) else None,
                    "levels_supplied": supplied_raw in YES,
                },
            )
        return found

    # -- 选项 --

    def read_levels(
        self, ws: Worksheet, cols: dict[str, int], numbers: set[int]
    ) -> dict[int, list[dict[str, Any]]]:
        """Indicator number -> its levels in level order."""
        by_indicator: dict[int, list[tuple[int, int | None, dict[str, Any]]]] = {}
        unknown: dict[int, list[int]] = {}
        for row_no, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            if all(_cell_text(v) == "" for v in row):
                continue
            raw_number = _at(row, cols["序号"])
            number = _integer(raw_number)
            if number is None:
                self.err(
                    LEVEL_SHEET,
                    row_no,
                    None,
                    "序号",
                    f"序号应为正整数，实际为「{_cell_text(raw_number)}」",
                    f"序号 (number) must be a positive integer; got {_cell_text(raw_number)!r}",
                )
                continue
            if number not in numbers:
                unknown.setdefault(number, []).append(row_no)
                continue
            raw_level = _at(row, cols["等级"])
            level = _integer(raw_level)
            seen = by_indicator.setdefault(number, [])
            if level is None or not 1 <= level <= LEVEL_COUNT:
                self.err(
                    LEVEL_SHEET,
                    row_no,
                    number,
                    "等级",
                    f"等级应为 1 到 5 的整数，实际为「{_cell_text(raw_level)}」",
                    f"等级 (level) must be a whole number 1 to 5; got {_cell_text(raw_level)!r}",
                )
                level = None
            else:
                first = next((r for r, lv, _ in seen if lv == level), None)
                if first is not None:
                    self.err(
                        LEVEL_SHEET,
                        row_no,
                        number,
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
            self.err(
                LEVEL_SHEET,
                rows[0],
                number,
                "序号",
                f"序号 {number} 在工作表「{INDICATOR_SHEET}」中没有对应的指标（第 {listed} 行）",
                f"序号 {number} matches no indicator in sheet {INDICATOR_SHEET} (rows {listed})",
            )
        result: dict[int, list[dict[str, Any]]] = {}
        for number, seen in by_indicator.items():
            # A row with a bad or repeated level (already reported) takes a free slot, so the
            # indicator's other cells are still checked and errors name the right rows.
            slots: dict[int, tuple[int, dict[str, Any]]] = {
                lv: (row_no, item) for row_no, lv, item in seen if lv is not None
            }
            extra = [(row_no, item) for row_no, lv, item in seen if lv is None]
            for slot in range(1, LEVEL_COUNT + 1):
                if slot not in slots and extra:
                    slots[slot] = extra.pop(0)
            ordered = [slots[k] for k in sorted(slots)] + extra
            self.rows.levels[number] = [row_no for row_no, _ in ordered]
            result[number] = [
                {"number": idx, **item} for idx, (_, item) in enumerate(ordered, start=1)
            ]
        return result

    # -- validation errors, pointed at rows --

    def locate(self, error: SpecError) -> SpecError:
        """Adds the sheet and row to an error from spec validation."""
        sheet: str | None = None
        rows: list[int] = []
        name = error.field
        if error.indicator is None:
            meta_label = META_LABELS.get(error.field)
            if meta_label is not None:
                sheet, name = META_SHEET, meta_label
                rows = [self.rows.meta[error.field]] if error.field in self.rows.meta else []
            elif error.field == "number" or error.field.startswith("areas"):
                sheet = INDICATOR_SHEET
        else:
            match = re.fullmatch(r"levels\[(\d+)\]\.(\w+)", error.field)
            if match:
                sheet = LEVEL_SHEET
                level_rows = self.rows.levels.get(error.indicator, [])
                idx = int(match.group(1)) - 1
                rows = [level_rows[idx]] if idx < len(level_rows) else []
                name = {"label": "选项标签", "points": "分值", "number": "等级"}.get(
                    match.group(2), name
                )
            elif error.field.startswith("levels") or error.field == "scale":
                sheet, rows = LEVEL_SHEET, self.rows.levels.get(error.indicator, [])
            else:
                sheet, rows = INDICATOR_SHEET, self.rows.indicators.get(error.indicator, [])
                name = {
                    "name": "三级指标",
                    "description": "指标说明",
                    "weight": "权重",
                    "number": "序号",
                }.get(error.field, name)
        if sheet is None:
            return error
        if rows:
            listed = "、".join(str(r) for r in rows)
            where = f"工作表「{sheet}」第 {listed} 行"
        else:
            where = f"工作表「{sheet}」"
        field_name = error.field if name == error.field else f"{name} {error.field}"
        return SpecError(error.source, error.indicator, field_name, f"{where}：{error.message}")


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
        cols = reader.columns(ws, name, required) if ws is not None else None
        if ws is not None and cols is not None:
            layout[name] = (ws, cols)
    if reader.errors:
        raise FrameworkInvalid(reader.errors)

    data = reader.read_meta(*layout[META_SHEET])
    indicators = reader.read_indicators(*layout[INDICATOR_SHEET])
    levels = reader.read_levels(*layout[LEVEL_SHEET], set(indicators))
    if not indicators:
        reader.err(
            INDICATOR_SHEET, None, None, "(sheet)", "没有任何指标", "there are no indicators"
        )
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
