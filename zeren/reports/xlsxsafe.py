"""Writing text from users into workbooks as text: a value starting with = + - @ (or a tab or
carriage return) must never become a formula when the file is opened."""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def force_text(cell: Cell) -> None:
    """Stores the cell's string as a plain string (never a formula), shown with a quote prefix."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def text_cell(ws: Worksheet | Any, value: str, **style: Any) -> Cell:
    cell = WriteOnlyCell(ws, value=value)
    force_text(cell)
    for k, v in style.items():
        setattr(cell, k, v)
    return cell
