"""One pass over the tree (plain paragraphs, merges, deleted rows and cells); element helpers."""

from __future__ import annotations

from typing import Any

from zeren.intake.parse.names import (
    _W,
    ALTCONTENT,
    BR,
    CELLDEL,
    CR,
    DEL,
    DRAWING,
    FLDCHAR,
    GRIDBEFORE,
    GRIDSPAN,
    INSTRTEXT,
    MOVEFROM,
    NOBREAKHYPHEN,
    OBJECT,
    OMATH,
    OMATHPARA,
    PICT,
    PTAB,
    SDT,
    SYM,
    TAB,
    TRPR,
    VAL,
    VMERGE,
    P,
    T,
)

TABS = _W + "tabs"


# Elements that need the full walk; a paragraph without any of them is only runs of text.
_SPECIAL_TAGS: tuple[str, ...] = (DEL, MOVEFROM, FLDCHAR, INSTRTEXT, SYM, SDT, ALTCONTENT)
_SPECIAL_TAGS += (DRAWING, PICT, OBJECT, OMATH, OMATHPARA)
_TEXT_TAGS = (P, T, TAB, PTAB, BR, CR, NOBREAKHYPHEN)
_CONTAINS_PARAGRAPHS = frozenset((ALTCONTENT, DRAWING, PICT, OBJECT))


class _Doc:
    """What one pass over the tree learns: plain paragraphs' text and the table structure."""

    __slots__ = ("plain", "spans", "continued", "before", "deleted")

    def __init__(self) -> None:
        self.plain: dict[Any, str] = {}
        self.spans: dict[Any, int] = {}  # w:tc -> w:gridSpan
        self.continued: set[Any] = set()  # w:tc that continue a vertical merge
        self.before: dict[Any, int] = {}  # w:tr -> w:gridBefore
        self.deleted: set[Any] = set()  # w:tr / w:tc deleted with tracked changes


_TABLE_TAGS = (GRIDSPAN, VMERGE, GRIDBEFORE, CELLDEL)


def _index(root: Any) -> _Doc:
    """One pass over the tree: the text of every paragraph that is nothing but runs of text,
    and the merges and deletions of table cells and rows.

    Paragraphs left out need the full walk: fields, symbols, checkboxes, tracked deletions,
    drawings and text boxes (and the paragraphs inside them). Symbol-font runs look like plain
    text; they matter only in the options' cells, which are walked in full when in doubt.
    """
    doc = _Doc()
    plain = doc.plain
    special: set[Any] = set()
    current = None
    parts: list[str] = []
    add = parts.append
    for el in root.iter(*_TEXT_TAGS, *_SPECIAL_TAGS, *_TABLE_TAGS):
        tag = el.tag
        if tag == T:
            if current is not None:
                add(el.text or "")
        elif tag == P:
            if current is not None and current not in special:
                plain[current] = "".join(parts) if parts else ""
            if parts:
                parts = []
                add = parts.append
            current = None if el in special else el
        elif tag in _SPECIAL_TAGS:
            parent = el.getparent()
            if tag == DEL and parent.tag == TRPR:
                doc.deleted.add(parent.getparent())
                continue
            special.update(el.iterancestors(P))
            if tag in _CONTAINS_PARAGRAPHS:
                special.update(el.iter(P))  # text-box paragraphs are read with their anchor
            current = None
        elif tag in _TABLE_TAGS:
            holder = el.getparent().getparent()  # tcPr/trPr -> tc/tr
            if tag == VMERGE:
                if (el.get(VAL) or "continue") != "restart":
                    doc.continued.add(holder)
            elif tag == GRIDSPAN:
                doc.spans[holder] = max(1, _int_val(el, 1))
            elif tag == GRIDBEFORE:
                doc.before[holder] = max(0, _int_val(el, 0))
            else:
                doc.deleted.add(holder)
        elif current is None:
            continue
        elif tag == BR or tag == CR:
            add("\n")
        elif tag == NOBREAKHYPHEN:
            add("-")
        elif el.getparent().tag != TABS:  # w:tabs/w:tab are tab stops, not characters
            add("\t")
    if current is not None and current not in special:
        plain[current] = "".join(parts)
    return doc


def _first(el: Any, tag: str) -> Any:
    """The first child with this tag, or None (quicker than find() for a plain tag)."""
    for child in el.iterchildren(tag):
        return child
    return None


def _int_val(el: Any, default: int) -> int:
    try:
        return int(el.get(VAL))
    except (TypeError, ValueError):
        return default
