"""Writing a framework to a workbook formatted for people."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from zeren.frameworks.spec import (
    FrameworkSpec,
)
from zeren.frameworks.xlsx.layout import (
    HEADER_FILL,
    HEADER_FONT,
    INDICATOR_HEADERS,
    INDICATOR_SHEET,
    LEVEL_HEADERS,
    LEVEL_SHEET,
    META_HEADERS,
    META_ROWS,
    META_SHEET,
    TOP,
    WRAP_TOP,
)
from zeren.lib.xlsx import cells_as_text


def write_xlsx(spec: FrameworkSpec) -> bytes:
    """The framework as an .xlsx workbook (说明, 指标, 选项), formatted for people."""
    wb = Workbook()
    meta = wb.active
    assert meta is not None
    meta.title = META_SHEET
    _write_meta(meta, spec)
    _write_indicators(wb.create_sheet(INDICATOR_SHEET), spec)
    _write_levels(wb.create_sheet(LEVEL_SHEET), spec)
    for ws in wb.worksheets:
        cells_as_text(ws)
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
    for label, (_, note) in META_ROWS.items():
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
    yes_no = DataValidation(
        type="list", formula1='"是,否"', allow_blank=True, showErrorMessage=True
    )
    yes_no.error = "请填 是 或 否 / enter 是 (yes) or 否 (no)"
    ws.add_data_validation(yes_no)
    yes_no.add(f"G2:G{max(ws.max_row, 2) + 200}")


def _write_levels(ws: Worksheet, spec: FrameworkSpec) -> None:
    _header(ws, LEVEL_HEADERS, (8, 8, 30, 10))
    for ind in spec.indicators:
        for lv in ind.levels:
            ws.append([ind.number, lv.number, lv.label, lv.points])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(LEVEL_HEADERS))}{ws.max_row}"
    level = DataValidation(
        type="whole", operator="between", formula1="1", formula2="5", showErrorMessage=True
    )
    level.error = "等级应为 1 到 5 / the level is 1 to 5"
    ws.add_data_validation(level)
    level.add(f"B2:B{max(ws.max_row, 2) + 1000}")
