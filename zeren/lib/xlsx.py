"""Writing user text into workbooks: always as text, never as a formula Excel would run.

A value starting with = + - @ (or a tab or carriage return, which some spreadsheet programs
strip before reading a formula) is stored as a plain string and shown with Excel's quote prefix,
so that editing the cell does not turn it into a formula either. One rule for every workbook
Zeren writes: progress, results, audit and framework exports.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def force_text(cell: Any) -> None:
    """Stores the cell's string as a plain string (never a formula), shown with a quote prefix."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def cells_as_text(ws: Any) -> None:
    """Every string cell of a (normal, not write-only) sheet written as text."""
    for row in ws.iter_rows():
        for cell in row:
            force_text(cell)


def text_cell(ws: Any, value: str, **style: Any) -> Cell:
    """A write-only sheet's cell holding user text as text."""
    cell = WriteOnlyCell(ws, value=value)
    force_text(cell)
    for k, v in style.items():
        setattr(cell, k, v)
    return cell
