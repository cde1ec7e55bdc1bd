"""The assessment table: its header, its rows by 序号, the text of its cells."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from zeren.intake.parse.grid import _Cell, _Row, _table_rows
from zeren.intake.parse.names import TBL, TCPR, P
from zeren.intake.parse.results import Problem
from zeren.intake.parse.text import _compact
from zeren.intake.parse.wordml import _text, _Walker


@dataclass
class _Assessment:
    seq_col: int
    self_col: int
    remarks_col: int | None
    rows: dict[int, list[_Row]]  # indicator number -> its row and any continuation rows
    problems: list[Problem]


def _cell_plain(walker: _Walker, cell: _Cell | None) -> str:
    if cell is None or cell.continued:
        return ""
    lines = []
    plain = walker.plain
    for child in cell.el:
        tag = child.tag
        if tag == P:
            text = plain.get(child)
            if text is None:
                break
            lines.append(text)
        elif tag != TCPR:
            break
    else:
        return "\n".join(lines)
    return "\n".join(_text(line) for line in walker.container_lines(cell.el))


def _fast_text(walker: _Walker, container: Any) -> str | None:
    """A cell of plain paragraphs only, joined with \\n; None when it needs the full walk."""
    lines = []
    plain = walker.plain
    for child in container:
        tag = child.tag
        if tag == P:
            text = plain.get(child)
            if text is None:
                return None
            lines.append(text)
        elif tag != TCPR:
            return None
    return "\n".join(lines)


def _header(walker: _Walker, rows: list[_Row]) -> tuple[int, dict[str, int]] | None:
    cols: dict[str, int] = {}
    for i, row in enumerate(rows[:4]):
        for cell in row.cells:
            text = _cell_plain(walker, cell).strip()
            if not text or len(text) > 16:
                continue  # header texts are short; descriptions and options are not
            text = _compact(text)
            if text == "序号":
                cols.setdefault("seq", cell.col)
            elif "自评" in text and len(text) <= 10:
                cols.setdefault("self", cell.col)
            elif text == "备注":
                cols.setdefault("remarks", cell.col)
            elif text == "材料名称":
                cols.setdefault("title", cell.col)
        if "seq" in cols and ("self" in cols or "title" in cols):
            return i, cols
    return None


_SEQ = re.compile(r"^\(?([0-9]{1,3})[.、)]?$")


def _seq_number(text: str) -> int | None:
    short = text.strip()
    if short.isdecimal() and len(short) <= 3:
        return int(short)
    m = _SEQ.match(_compact(text))
    return int(m.group(1)) if m else None


def _collect_rows(
    walker: _Walker, rows: list[_Row], seq_col: int, self_col: int, into: _Assessment
) -> None:
    last: int | None = None
    for row in rows:
        seq_cell = row.at(seq_col)
        seq_text = _cell_plain(walker, seq_cell)
        number = _seq_number(seq_text)
        if number is None:
            if not _compact(seq_text) and last is not None:
                into.rows[last].append(row)  # an added row, or a cell merged down from above
            elif _compact(seq_text):
                last = None  # a repeated header row or a note: not part of any indicator
            continue
        if number in into.rows:
            into.problems.append(
                Problem(
                    number,
                    "duplicate_indicator",
                    f"指标 {number}：自评表中出现多行序号 {number}，只读取第一行。",
                )
            )
            last = None
            continue
        into.rows[number] = [row]
        last = number


def _find_assessment(
    walker: _Walker, blocks: list[tuple[str, Any]]
) -> tuple[int, _Assessment] | None:
    """The block index of the assessment table (it may be nested in a layout table)."""
    for index, (kind, item) in enumerate(blocks):
        if kind != "t":
            continue
        for tbl in item.iter(TBL):
            rows = _table_rows(walker.doc, tbl)
            found = _header(walker, rows)
            if found is None or "self" not in found[1]:
                continue
            header_row, cols = found
            result = _Assessment(cols["seq"], cols["self"], cols.get("remarks"), {}, [])
            _collect_rows(walker, rows[header_row + 1 :], result.seq_col, result.self_col, result)
            return index, result
    return None
