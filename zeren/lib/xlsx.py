"""Writing user text into workbooks: always as text, never as a formula Excel would run."""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@")


def cells_as_text(ws: Any) -> None:
    """Every string cell that openpyxl took for a formula (it starts with =) is written as text,
    with Excel's quote prefix so that editing the cell does not turn it into one either."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and (
                cell.data_type == "f" or cell.value.startswith(FORMULA_START)
            ):
                cell.data_type = "s"
                cell.quotePrefix = True
