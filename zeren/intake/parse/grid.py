"""Table structure: rows and cells on the grid, through merges and wrappers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from zeren.intake.parse.index import _Doc, _first
from zeren.intake.parse.names import _INLINE_CONTAINERS, SDT, SDTCONTENT, TC, TR


class _Cell:
    __slots__ = ("el", "col", "span", "continued")

    def __init__(self, el: Any, col: int, span: int, continued: bool) -> None:
        self.el = el
        self.col = col
        self.span = span
        self.continued = continued  # a w:vMerge continuation: its content is in the cell above


class _Row:
    """A table row: its cells and the grid column each starts at (vMerge/gridSpan aware)."""

    __slots__ = ("tr", "tcs", "starts", "spans", "doc")

    def __init__(
        self, doc: _Doc, tr: Any, tcs: list[Any], starts: list[int] | None, spans: list[int] | None
    ):
        self.doc = doc
        self.tr = tr
        self.tcs = tcs
        self.starts = starts  # None: one grid column per cell, from column 0
        self.spans = spans

    def _cell(self, i: int) -> _Cell:
        tc = self.tcs[i]
        if self.starts is None or self.spans is None:
            return _Cell(tc, i, 1, tc in self.doc.continued)
        return _Cell(tc, self.starts[i], self.spans[i], tc in self.doc.continued)

    @property
    def cells(self) -> list[_Cell]:
        return [self._cell(i) for i in range(len(self.tcs))]

    def at(self, col: int) -> _Cell | None:
        if self.starts is None or self.spans is None:
            return self._cell(col) if 0 <= col < len(self.tcs) else None
        for i, start in enumerate(self.starts):
            if start <= col < start + self.spans[i]:
                return self._cell(i)
        return None


def _row_elements(tbl: Any) -> Iterator[Any]:
    for child in tbl:
        tag = child.tag
        if tag == TR:
            yield child
        elif tag == SDT:
            content = _first(child, SDTCONTENT)
            if content is not None:
                yield from _row_elements(content)
        elif tag in _INLINE_CONTAINERS:
            yield from _row_elements(child)


def _cell_elements(tr: Any) -> Iterator[Any]:
    for child in tr:
        tag = child.tag
        if tag == TC:
            yield child
        elif tag == SDT:
            content = _first(child, SDTCONTENT)
            if content is not None:
                yield from _cell_elements(content)
        elif tag in _INLINE_CONTAINERS:
            yield from _cell_elements(child)


def _single_cell(tbl: Any) -> Any:
    found = None
    for tr in _row_elements(tbl):
        for tc in _cell_elements(tr):
            if found is not None:
                return None
            found = tc
    return found


def _table_rows(doc: _Doc, tbl: Any) -> list[_Row]:
    rows: list[_Row] = []
    deleted, spans = doc.deleted, doc.spans
    simple = not spans and not doc.before  # no merged columns anywhere: column = position
    for tr in _row_elements(tbl):
        if deleted and tr in deleted:
            continue  # a row deleted with tracked changes
        tcs = []
        for child in tr:
            tag = child.tag
            if tag == TC:
                tcs.append(child)
            elif tag in _INLINE_CONTAINERS or tag == SDT:
                tcs = list(_cell_elements(tr))  # cells wrapped in content controls
                break
        if deleted:
            tcs = [tc for tc in tcs if tc not in deleted]
        if simple:
            rows.append(_Row(doc, tr, tcs, None, None))
            continue
        col = doc.before.get(tr, 0)
        starts, widths = [], []
        for tc in tcs:
            span = spans.get(tc, 1)
            starts.append(col)
            widths.append(span)
            col += span
        rows.append(_Row(doc, tr, tcs, starts, widths))
    return rows
