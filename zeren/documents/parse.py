"""Reads filled forms that come back as Word files (.docx; .doc/.wps through LibreOffice).

Enterprises fill the organizer's original file in Word or WPS, so nothing here relies on our own
template's XML: the assessment table is found by its header texts, its rows by 序号, the cover
and pledge fields by their labels, the evidence sections by their headings, and the chosen level
by the indicator's own labels and the many ways people tick a box (see WORD-NOTES.md). The
WordprocessingML is walked directly, because python-docx's object model drops symbol-font ticks,
checkboxes, form fields, tracked changes and 带圈字符.

Never guess: a cell without a tick, with two ticks, with an unknown label or with only a
highlight gets no level and a Problem that names the indicator.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zeren.assessments.formdata import (
    Answer,
    Cover,
    Evidence,
    FileRef,
    FormData,
    FrameworkRef,
    Pledge,
)
from zeren.documents import safezip
from zeren.documents.safezip import FileRefused
from zeren.frameworks.spec import FrameworkSpec, IndicatorSpec

# --- WordprocessingML names -------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_STRICT_W = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_TRANSITIONAL_W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

P, R, T, TAB, PTAB, BR, CR, SYM = (
    _W + n for n in ("p", "r", "t", "tab", "ptab", "br", "cr", "sym")
)
TBL, TR, TC, TCPR, TRPR = (_W + n for n in ("tbl", "tr", "tc", "tcPr", "trPr"))
GRIDSPAN, VMERGE, GRIDBEFORE = _W + "gridSpan", _W + "vMerge", _W + "gridBefore"
SDT, SDTPR, SDTCONTENT, SHOWINGPLCHDR = (
    _W + n for n in ("sdt", "sdtPr", "sdtContent", "showingPlcHdr")
)
INS, DEL, MOVETO, MOVEFROM = (_W + n for n in ("ins", "del", "moveTo", "moveFrom"))
CELLDEL = _W + "cellDel"
FLDCHAR, INSTRTEXT, FLDSIMPLE, FFDATA = (
    _W + n for n in ("fldChar", "instrText", "fldSimple", "ffData")
)
CHECKBOX, CHECKED, DEFAULT = _W + "checkBox", _W + "checked", _W + "default"
RPR, PPR, RFONTS = _W + "rPr", _W + "pPr", _W + "rFonts"
HIGHLIGHT, SHD, B, COLOR, U, STRIKE, DSTRIKE = (
    _W + n for n in ("highlight", "shd", "b", "color", "u", "strike", "dstrike")
)
DRAWING, PICT, OBJECT, TXBXCONTENT = _W + "drawing", _W + "pict", _W + "object", _W + "txbxContent"
NOBREAKHYPHEN = _W + "noBreakHyphen"
W14_CHECKBOX, W14_CHECKED = _W14 + "checkbox", _W14 + "checked"
ALTCONTENT, CHOICE, FALLBACK = _MC + "AlternateContent", _MC + "Choice", _MC + "Fallback"
VAL, FONT, CHAR, FILL = _W + "val", _W + "font", _W + "char", _W + "fill"
ASCII, HANSI, FLDCHARTYPE = _W + "ascii", _W + "hAnsi", _W + "fldCharType"
OMATH, OMATHPARA, MATH_T = _M + "oMath", _M + "oMathPara", _M + "t"
BODY = _W + "body"

# Inline containers whose runs are read as if all tracked changes were accepted.
_INLINE_CONTAINERS = frozenset(
    _W + n
    for n in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "bdo", "dir")
)
_SKIPPED = frozenset((DEL, MOVEFROM))

# --- ticks --------------------------------------------------------------------------------------

TICK = "☑"  # what every recognised tick is normalised to
BOX = "□"
UNSURE = "⁇"  # a checkbox whose state and glyph disagree, or a symbol we cannot read
PICTURE = "\ufffc"  # a picture in an options' cell: perhaps a tick pasted as an image
TICKS = frozenset("☑☒■√✓✔✅▣🗹🗸🗷●◉")
BOXES = frozenset("□☐▢◻⬜")
CROSSES = frozenset("✗✘×╳")  # a cross beside one option is a hint, never an answer
_GLYPHS = TICKS | BOXES | CROSSES | {UNSURE, PICTURE}

# Symbol fonts: the character code (low byte of the F0xx private-use form) -> glyph.
_SYMBOL_FONTS: dict[str, dict[int, str]] = {
    "wingdings2": {0x52: "☑", 0x53: "☒", 0x54: "☒", 0x50: "✓", 0xA3: BOX, 0xA2: BOX},
    "wingdings": {0xFE: "☑", 0xFD: "☒", 0xFC: "✓", 0xA8: BOX, 0x6F: BOX, 0x78: "☒", 0x6E: "■"},
    "symbol": {0xD6: "√"},
    "webdings": {0x61: "✓"},
}

# Emphasis bits on characters of the options' cell.
EMPH_HIGHLIGHT = 1
EMPH_SHADE = 2
EMPH_BOLD = 4
EMPH_COLOUR = 8
EMPH_UNDERLINE = 16
EMPH_STRIKE = 32
_EMPH_NAMES = {
    EMPH_HIGHLIGHT: "高亮",
    EMPH_SHADE: "底纹",
    EMPH_BOLD: "加粗",
    EMPH_COLOUR: "字体颜色",
    EMPH_UNDERLINE: "下划线",
}
_MARKED = EMPH_HIGHLIGHT | EMPH_SHADE | EMPH_BOLD | EMPH_COLOUR | EMPH_UNDERLINE
_FALSE = frozenset(("0", "false", "off", "none"))


def _font_key(name: str | None) -> str:
    return (name or "").replace(" ", "").lower()


def _on(el: Any) -> bool:
    """An OOXML on/off property: present without w:val means on."""
    val = el.get(VAL)
    return val is None or val.lower() not in _FALSE


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something a person should look at; the form was still read."""

    indicator: int | None
    code: str
    message: str

    def to_jsonable(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class ParseError:
    """The file could not be read at all."""

    code: str
    message: str

    def to_jsonable(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class ParseResult:
    form: FormData | None
    problems: list[Problem] = field(default_factory=list)
    error: ParseError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def failed(cls, code: str, message: str) -> ParseResult:
        return cls(form=None, problems=[], error=ParseError(code, message))


# --- walking runs and paragraphs ----------------------------------------------------------------


class _Field:
    __slots__ = ("instr", "result", "in_result", "ffdata")

    def __init__(self, ffdata: Any) -> None:
        self.instr: list[str] = []
        self.result: list[tuple[str, int]] = []
        self.in_result = False
        self.ffdata = ffdata


class _Walker:
    """Turns paragraphs into text, with ticks normalised to ☑ / □ / ⁇.

    Paragraphs that are only runs of text come from the index; the others are walked in full:
    fields, symbols, checkboxes, tracked changes, text boxes. With `options=True` (an options'
    cell) an unknown symbol or a picture is kept as a marker instead of being dropped; with
    `marks=True` the emphasis a person may have used instead of a tick (highlight, bold,
    shading, colour, underline, strike-through) is kept per piece of text as well.
    """

    def __init__(self, doc: _Doc, marks: bool = False, options: bool = False) -> None:
        self.doc = doc
        self.marks = marks
        self.options = options or marks
        self.pictures = 0
        self._out: list[tuple[str, int]] = []
        self._fields: list[_Field] = []
        # The text of paragraphs that are nothing but runs of text (see _index).
        self.plain = doc.plain

    # paragraphs

    def paragraph(self, p: Any) -> tuple[list[tuple[str, int]], bool]:
        """The paragraph's pieces (text, emphasis) and whether its mark is a tracked deletion."""
        if not self.marks:
            text = self.plain.get(p)
            # In an options' cell a letter may be a symbol-font tick: then the full walk.
            if text is not None and not (self.options and _SYMBOLIC.search(text)):
                return [(text, 0)], False
        self._out = []
        self._fields = []
        mark_deleted = False
        base = 0
        for child in p:
            tag = child.tag
            if tag == R:
                self._run(child, base)
            elif tag == PPR:
                for prop in child:
                    if prop.tag == RPR:
                        mark_deleted = any(x.tag == DEL or x.tag == MOVEFROM for x in prop)
                    elif prop.tag == SHD and self.marks and _shaded(prop):
                        base |= EMPH_SHADE
            else:
                self._inline(child, base)
        while self._fields:  # a field left open at the paragraph's end
            self._close_field()
        return self._out, mark_deleted

    def _inline(self, el: Any, base: int) -> None:
        tag = el.tag
        if tag == R:
            self._run(el, base)
        elif tag in _INLINE_CONTAINERS:
            for child in el:
                self._inline(child, base)
        elif tag in _SKIPPED:
            return
        elif tag == SDT:
            self._sdt(el, base)
        elif tag == ALTCONTENT:
            chosen = _alternate(el)
            if chosen is not None:
                for child in chosen:
                    self._inline(child, base)
        elif tag == OMATH or tag == OMATHPARA:
            self._emit("".join(t.text or "" for t in el.iter(MATH_T)), base)

    def _sdt(self, sdt: Any, base: int) -> None:
        props = _first(sdt, SDTPR)
        content = _first(sdt, SDTCONTENT)
        if props is not None:
            box = _first(props, W14_CHECKBOX)
            if box is not None:
                checked_el = _first(box, W14_CHECKED)
                checked = checked_el is not None and (
                    (checked_el.get(_W14 + "val") or "").lower() in ("1", "true", "on")
                )
                shown = _glyph_state(self._text_of(content))
                if shown is not None and shown != checked:
                    self._emit(UNSURE, base)
                else:
                    self._emit(TICK if checked else BOX, base)
                return
            if _first(props, SHOWINGPLCHDR) is not None:
                return  # placeholder text such as 单击或点击此处输入文字。
        if content is not None:
            for child in content:
                self._inline(child, base)

    def _text_of(self, el: Any) -> str:
        if el is None:
            return ""
        saved = self._out, self._fields
        self._out, self._fields = [], []
        for child in el:
            self._inline(child, 0)
        text = "".join(t for t, _ in self._out)
        self._out, self._fields = saved
        return text

    # runs

    def _run(self, r: Any, base: int) -> None:
        fonts: dict[int, str] | None = None
        flags = base
        for child in r:
            tag = child.tag
            if tag == T:
                text = child.text
                if text:
                    self._emit(
                        _symbolic(text, fonts, self.options) if fonts is not None else text, flags
                    )
            elif tag == RPR:
                fonts, flags = self._run_props(child, base)
            elif tag == TAB or tag == PTAB:
                self._emit("\t", flags)
            elif tag == BR or tag == CR:
                self._emit("\n", flags)
            elif tag == SYM:
                self._emit(self._sym(child), flags)
            elif tag == FLDCHAR:
                self._fldchar(child)
            elif tag == INSTRTEXT:
                if self._fields:
                    text = child.text or ""
                    if fonts is not None:
                        text = _symbolic(text, fonts, True)
                    self._fields[-1].instr.append(text)
            elif tag == NOBREAKHYPHEN:
                self._emit("-", flags)
            elif tag == DRAWING or tag == PICT or tag == OBJECT:
                self._graphic(child, flags)
            elif tag == ALTCONTENT:
                chosen = _alternate(child)
                if chosen is not None:
                    for sub in chosen:
                        if sub.tag in (DRAWING, PICT, OBJECT):
                            self._graphic(sub, flags)

    def _run_props(self, rpr: Any, base: int) -> tuple[dict[int, str] | None, int]:
        fonts = None
        flags = base
        for prop in rpr:
            tag = prop.tag
            if tag == RFONTS:
                key = _font_key(prop.get(ASCII) or prop.get(HANSI))
                if key in _SYMBOL_FONTS:
                    fonts = _SYMBOL_FONTS[key]
            elif not self.marks:
                continue
            elif tag == HIGHLIGHT:
                if (prop.get(VAL) or "none") != "none":
                    flags |= EMPH_HIGHLIGHT
            elif tag == SHD:
                if _shaded(prop):
                    flags |= EMPH_SHADE
            elif tag == B:
                if _on(prop):
                    flags |= EMPH_BOLD
            elif tag == COLOR:
                if (prop.get(VAL) or "auto").lower() not in ("auto", "000000"):
                    flags |= EMPH_COLOUR
            elif tag == U:
                if (prop.get(VAL) or "none") != "none":
                    flags |= EMPH_UNDERLINE
            elif tag == STRIKE or tag == DSTRIKE:
                if _on(prop):
                    flags |= EMPH_STRIKE
        return fonts, flags

    def _sym(self, sym: Any) -> str:
        try:
            code = int(sym.get(CHAR) or "", 16)
        except ValueError:
            return UNSURE if self.options else ""
        if code >= 0x100 and not 0xF000 <= code <= 0xF0FF:
            return chr(code) if code <= 0x10FFFF else ""
        table = _SYMBOL_FONTS.get(_font_key(sym.get(FONT)))
        glyph = table.get(code & 0xFF) if table is not None else None
        if glyph is None:
            return UNSURE if self.options else ""
        return glyph

    def _graphic(self, el: Any, flags: int) -> None:
        boxes = [x for x in el.iter(TXBXCONTENT)]
        if not boxes:
            self.pictures += 1
            if self.options:
                self._emit(PICTURE, flags)
            return
        for box in boxes:
            sub = _Walker(self.doc, self.marks, self.options)
            lines = [_text(pieces) for pieces in sub.container_lines(box)]
            self.pictures += sub.pictures
            text = "\n".join(line for line in lines if line.strip())
            if text:
                self._emit(text, flags)

    # fields: keep the displayed result; checkboxes and 带圈字符 become ☑ / □

    def _emit(self, text: str, flags: int) -> None:
        if self._fields:
            top = self._fields[-1]
            if top.in_result:
                top.result.append((text, flags))
            else:
                top.instr.append(text)
        else:
            self._out.append((text, flags))

    def _fldchar(self, el: Any) -> None:
        kind = el.get(FLDCHARTYPE)
        if kind == "begin":
            self._fields.append(_Field(_first(el, FFDATA)))
        elif kind == "separate":
            if self._fields:
                self._fields[-1].in_result = True
        elif kind == "end" and self._fields:
            self._close_field()

    def _close_field(self) -> None:
        fld = self._fields.pop()
        instr = "".join(fld.instr).strip()
        word = instr.split(None, 1)[0].upper() if instr else ""
        if word == "FORMCHECKBOX" or (
            fld.ffdata is not None and _first(fld.ffdata, CHECKBOX) is not None
        ):
            self._emit(TICK if _formfield_checked(fld.ffdata) else BOX, 0)
        elif word == "EQ":
            self._emit(_eq_text(instr), 0)
        else:
            for text, flags in fld.result:
                self._emit(text, flags)

    # containers (body, cells, text boxes)

    def container_lines(self, container: Any) -> list[list[tuple[str, int]]]:
        """Each paragraph of a container as pieces; nested tables as rows of tab-joined cells."""
        lines: list[list[tuple[str, int]]] = []
        pending: list[tuple[str, int]] | None = None
        for kind, item in _block_items(container):
            if kind == "p":
                pieces, deleted = self.paragraph(item)
                if pending is not None:
                    pieces = pending + pieces
                    pending = None
                if deleted:
                    pending = pieces  # accepted, the deletion joins it to the next paragraph
                    continue
                lines.append(pieces)
            else:
                lines.extend(self.table_lines(item))
        if pending is not None:
            lines.append(pending)
        return lines

    def table_lines(self, tbl: Any) -> list[list[tuple[str, int]]]:
        """A table as one line per row, cells joined by a tab."""
        lines = []
        for row in _table_rows(self.doc, tbl):
            pieces: list[tuple[str, int]] = []
            for i, cell in enumerate(row.cells):
                if i:
                    pieces.append(("\t", 0))
                for j, sub in enumerate(self.container_lines(cell.el)):
                    if j:
                        pieces.append((" ", 0))
                    pieces.extend(sub)
            lines.append(pieces)
        return lines

    def block_lines(self, kind: str, item: Any) -> list[str]:
        """A paragraph's lines (split at line breaks), or a table's rows."""
        if kind == "p":
            return _split_lines(_text(self.paragraph(item)[0]))
        out: list[str] = []
        for pieces in self.table_lines(item):
            out.extend(_split_lines(_text(pieces)))
        return out


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


def _shaded(shd: Any) -> bool:
    fill = (shd.get(FILL) or "auto").lower()
    return fill not in ("auto", "ffffff", "")


def _alternate(el: Any) -> Any:
    """mc:AlternateContent: the first Choice, else the Fallback — never both (text would double)."""
    choice = _first(el, CHOICE)
    return choice if choice is not None else _first(el, FALLBACK)


def _symbolic(text: str, table: dict[int, str] | None, keep_unknown: bool) -> str:
    """Text in a symbol font: letters and F0xx characters are the font's glyphs."""
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x100 or 0xF000 <= code <= 0xF0FF:
            glyph = table.get(code & 0xFF) if table is not None else None
            out.append(
                glyph if glyph is not None else (UNSURE if keep_unknown and ch.strip() else "")
            )
        else:
            out.append(ch)
    return "".join(out)


def _glyph_state(text: str) -> bool | None:
    """True for a ticked glyph, False for an empty box, None when neither is shown."""
    if any(c in TICKS for c in text):
        return True
    if any(c in BOXES for c in text):
        return False
    return None


def _formfield_checked(ffdata: Any) -> bool:
    box = _first(ffdata, CHECKBOX) if ffdata is not None else None
    if box is None:
        return False
    checked = _first(box, CHECKED)
    if checked is not None:
        return _on(checked)
    default = _first(box, DEFAULT)
    return default is not None and _on(default)


_EQ_ARGS = re.compile(r"\\o\s*(?:\\a[lcr]\s*)?\((.*)\)", re.S)


def _eq_text(instr: str) -> str:
    """Word's 带圈字符 is an EQ overlay: eq \\o\\ac(□,√) shows a box with a tick in it."""
    m = _EQ_ARGS.search(instr)
    if not m:
        return ""
    parts = [p.strip() for p in m.group(1).split(",")]
    chars = "".join(parts)
    if any(c in TICKS for c in chars):
        return TICK
    return "".join(c for c in chars if c not in BOXES and c not in "○◯")


def _text(pieces: list[tuple[str, int]]) -> str:
    return "".join(t for t, _ in pieces)


def _block_items(container: Any) -> Iterator[tuple[str, Any]]:
    """Paragraphs and tables of a container in document order, through sdt/customXml wrappers."""
    for child in container:
        tag = child.tag
        if tag == P:
            yield "p", child
        elif tag == TBL:
            only = _single_cell(child)
            if only is not None:  # a table used as a frame: read its content in place
                yield from _block_items(only)
            else:
                yield "t", child
        elif tag == SDT:
            content = _first(child, SDTCONTENT)
            if content is not None:
                yield from _block_items(content)
        elif tag == ALTCONTENT:
            chosen = _alternate(child)
            if chosen is not None:
                yield from _block_items(chosen)
        elif tag in _INLINE_CONTAINERS:  # customXml, and ins/moveTo where a tool put them
            yield from _block_items(child)


# --- tables -------------------------------------------------------------------------------------


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


def _int_val(el: Any, default: int) -> int:
    try:
        return int(el.get(VAL))
    except (TypeError, ValueError):
        return default


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


# --- text helpers -------------------------------------------------------------------------------

# Full-width ASCII to half-width, one character for one, so positions stay aligned.
_HALF = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_HALF[0x3000] = 0x20
_WS = re.compile(r"\s+")


def _half(text: str) -> str:
    return text.translate(_HALF)


def _compact(text: str) -> str:
    return _WS.sub("", _half(text))


def _clean_lines(lines: list[str]) -> str:
    """Lines stripped; blank lines at either end dropped; joined with \\n."""
    out = [line.strip() for line in lines]
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _split_lines(text: str) -> list[str]:
    return text.split("\n")


# --- the options' cell --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scale:
    indicator: IndicatorSpec
    pattern: re.Pattern[str]  # "digit, optional punctuation, label", one named group per level
    bare: dict[str, int]  # compact label -> level, for cells where the numbers were removed
    # Results for plain cell texts: in a batch the same few texts come back form after form.
    seen: dict[str, tuple[int | None, Problem | None]] = field(default_factory=dict)

    def describe(self) -> str:
        return " / ".join(f"{lv.number}.{lv.label}" for lv in self.indicator.levels)


def _label_regex(label: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in _compact(label))


_SCALES: dict[int, tuple[FrameworkSpec, dict[int, _Scale]]] = {}


def _scales(spec: FrameworkSpec) -> dict[int, _Scale]:
    # Keyed by identity: hashing a whole FrameworkSpec on every form costs more than reading it.
    cached = _SCALES.get(id(spec))
    if cached is not None and cached[0] is spec:
        return cached[1]
    if len(_SCALES) > 16:
        _SCALES.clear()
    scales = _build_scales(spec)
    _SCALES[id(spec)] = (spec, scales)
    return scales


def _build_scales(spec: FrameworkSpec) -> dict[int, _Scale]:
    scales = {}
    for ind in spec.indicators:
        levels = sorted(ind.levels, key=lambda lv: -len(lv.label))  # longer labels first
        alternatives = "|".join(f"(?P<L{lv.number}>{_label_regex(lv.label)})" for lv in levels)
        pattern = re.compile(r"(?<![0-9])[0-9]{1,2}\s*[.,、:)]?\s*(?:" + alternatives + ")")
        bare = {_compact(lv.label): lv.number for lv in ind.levels}
        scales[ind.number] = _Scale(ind, pattern, bare)
    return scales


@dataclass
class _Option:
    level: int
    start: int  # the match, number included
    label_start: int
    end: int


_ZONE_STRIP = re.compile(r"^[\s0-9.,、:)(]*|[\s.,、:;；。)(]*$")


def _read_choice(
    scale: _Scale, text: str, flags: list[int] | None
) -> tuple[int | None, Problem | None]:
    """The level chosen in an options' cell, or a Problem. `flags` has one entry per character
    (None: not known, so emphasis gives no hint)."""
    ind = scale.indicator
    name = f"指标 {ind.number}（{ind.name}）"
    half = _half(text)
    options = _find_options(scale, half)
    if not options:
        residue = "".join(c for c in half if c not in _GLYPHS and not c.isspace())
        if not residue:
            if any(c in TICKS for c in half) or UNSURE in half:
                return None, Problem(
                    ind.number,
                    "uncertain_choice",
                    f"{name}：单元格中有勾选符号，但没有选项文字，请确认。",
                )
            return None, Problem(ind.number, "no_choice", f"{name}：未勾选任何选项。")
        shown = _shorten(" ".join(text.split()))
        return None, Problem(
            ind.number,
            "unknown_label",
            f"{name}：「{shown}」不是本指标的选项（应为 {scale.describe()}）。",
        )
    # Which characters belong to which option: line by line, ticks before or after the label.
    line_starts = [0] + [i + 1 for i, c in enumerate(half) if c == "\n"]
    ticked: set[int] = set()
    crossed: set[int] = set()
    unsure: set[int] = set()
    pictured: set[int] = set()
    boxed: set[int] = set()
    stray: list[str] = []
    by_line: dict[int, list[_Option]] = {}
    for opt in options:
        line = max(i for i, s in enumerate(line_starts) if s <= opt.start)
        by_line.setdefault(line, []).append(opt)
    for li, start in enumerate(line_starts):
        end = line_starts[li + 1] - 1 if li + 1 < len(line_starts) else len(half)
        opts = by_line.get(li)
        if not opts:
            segment = half[start:end]
            if any(c in TICKS or c == UNSURE for c in segment):
                rest = "".join(c for c in segment if c not in _GLYPHS).strip()
                stray.append(rest or segment.strip())
            continue
        prefix = any(c in _GLYPHS for c in half[start : opts[0].start])
        zones: list[tuple[_Option, str]] = []
        if len(opts) == 1:
            zones.append((opts[0], half[start : opts[0].start] + half[opts[0].end : end]))
        elif prefix:
            prev = start
            for opt in opts:
                zones.append((opt, half[prev : opt.start]))
                prev = opt.end
        else:
            for i, opt in enumerate(opts):
                stop = opts[i + 1].start if i + 1 < len(opts) else end
                zones.append((opt, half[opt.end : stop]))
        for opt, zone in zones:
            if any(c in TICKS for c in zone):
                ticked.add(opt.level)
            if UNSURE in zone:
                unsure.add(opt.level)
            if any(c in CROSSES for c in zone):
                crossed.add(opt.level)
            if PICTURE in zone:
                pictured.add(opt.level)
            if any(c in BOXES for c in zone):
                boxed.add(opt.level)
    label = ind.label

    def named(levels: set[int]) -> str:
        return "、".join(f"{lv}.{label(lv)}" for lv in sorted(levels))

    if stray:
        shown = _shorten(stray[0])
        return None, Problem(
            ind.number,
            "unknown_label",
            f"{name}：勾选的「{shown}」不是本指标的选项（应为 {scale.describe()}）。",
        )
    if unsure:
        return None, Problem(
            ind.number,
            "uncertain_choice",
            f"{name}：{named(unsure)} 处的勾选框状态与显示不一致或符号无法识别，请人工确认。",
        )
    if len(ticked) == 1:
        return next(iter(ticked)), None
    if len(ticked) > 1:
        return None, Problem(
            ind.number,
            "multiple_choices",
            f"{name}：勾选了多个选项（{named(ticked)}），应只选一项。",
        )
    present = {opt.level for opt in options}
    if len(present) == 1:
        return next(iter(present)), None  # the other options were deleted, or one was typed in
    if len(crossed) == 1:
        lv = next(iter(crossed))
        return None, Problem(
            ind.number,
            "uncertain_choice",
            f"{name}：未打勾，仅在「{lv}.{label(lv)}」旁画了叉，疑似选择 {lv}.{label(lv)}，请人工确认。",
        )
    if len(pictured) == 1:
        lv = next(iter(pictured))
        return None, Problem(
            ind.number,
            "uncertain_choice",
            f"{name}：未打勾，「{lv}.{label(lv)}」旁有一张图片（可能是勾选符号的图片），疑似选择 {lv}.{label(lv)}，请人工确认。",
        )
    unboxed = present - boxed
    if len(present) >= 3 and len(unboxed) == 1:
        lv = next(iter(unboxed))
        return None, Problem(
            ind.number,
            "uncertain_choice",
            f"{name}：未打勾，只有「{lv}.{label(lv)}」后的方框不见了（勾选符号可能未能保存，如带圈字符），疑似选择 {lv}.{label(lv)}，请人工确认。",
        )
    hint = _emphasis_hint(options, flags) if flags is not None else None
    if hint is not None:
        lv, how = hint
        how = how.replace("LABEL", label(lv))
        return None, Problem(
            ind.number,
            "uncertain_choice",
            f"{name}：未打勾，{how}，疑似选择 {lv}.{label(lv)}，请人工确认。",
        )
    return None, Problem(ind.number, "no_choice", f"{name}：未勾选任何选项。")


def _find_options(scale: _Scale, half: str) -> list[_Option]:
    options = []
    for m in scale.pattern.finditer(half):
        group = m.lastgroup or ""
        level = int(group[1:])
        options.append(_Option(level, m.start(), m.start(group), m.end()))
    if options:
        return options
    # No numbered option: a line that is nothing but a label (numbers removed, or typed in).
    pos = 0
    for line in half.split("\n"):
        core = "".join(c for c in line if c not in _GLYPHS)
        key = _compact(_ZONE_STRIP.sub("", core))
        bare_level = scale.bare.get(key)
        if bare_level is not None:
            first = next((i for i, c in enumerate(line) if c not in _GLYPHS and not c.isspace()), 0)
            last = max(
                (i for i, c in enumerate(line) if c not in _GLYPHS and not c.isspace()), default=0
            )
            options.append(_Option(bare_level, pos + first, pos + first, pos + last + 1))
        pos += len(line) + 1
    return options


def _emphasis_hint(options: list[_Option], flags: list[int]) -> tuple[int, str] | None:
    """One option singled out by highlight, shading, bold, colour or underline, or by striking
    out all the others: a suggestion for a person, never an answer."""
    marks: dict[int, int] = {}
    struck: dict[int, bool] = {}
    for opt in options:
        span = flags[opt.label_start : opt.end]
        bits = 0
        for f in span:
            bits |= f
        marks[opt.level] = marks.get(opt.level, 0) | (bits & _MARKED)
        struck[opt.level] = (
            struck.get(opt.level, False) or bool(span) and all(f & EMPH_STRIKE for f in span)
        )
    marked = [lv for lv, bits in marks.items() if bits]
    if len(marked) == 1 and len(marks) > 1:
        lv = marked[0]
        how = "、".join(text for bit, text in _EMPH_NAMES.items() if marks[lv] & bit)
        return lv, f"仅以{how}标出「{lv}.LABEL」"
    kept = [lv for lv, s in struck.items() if not s]
    if len(kept) == 1 and len(struck) > 1:
        lv = kept[0]
        return lv, f"其他选项均被删除线划去，只留下「{lv}.LABEL」"
    return None


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the assessment table -----------------------------------------------------------------------


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


# --- cover and pledge ---------------------------------------------------------------------------


def _label(chars: str) -> str:
    return r"\s*".join(re.escape(c) for c in chars)


_NAME_LABEL = (
    _label("企业名称") + r"\s*(?:\(\s*(?:" + _label("公章") + "|" + _label("盖章") + r")\s*\))?"
)
_COVER_LABELS = {
    "enterprise_name": _NAME_LABEL,
    "business_scope": _label("自评业务") + r"\s*[版板]\s*块\s*" + _label("或产品"),
    "contact_person": _label("联系人"),
    "contact_info": _label("联系") + r"\s*(?:方\s*式|电\s*话)",
    "submission_date": _label("提交日期"),
}
_PLEDGE_LABELS = {
    "enterprise_name": _NAME_LABEL,
    "lead": r"(?:" + _label("评估工作") + r"\s*)?" + _label("负责人"),
    "date": r"(?<!交)" + _label("日期"),
}
_ALL_LABELS = re.compile(
    r"(?:^|(?<=[\s_]))(?:"
    + "|".join(f"(?P<c_{k}>{v})" for k, v in _COVER_LABELS.items())
    + "|"
    + "|".join(f"(?P<p_{k}>{v})" for k, v in _PLEDGE_LABELS.items() if k != "enterprise_name")
    + r")\s*:?"
)
_FILLER = " \t\u3000\xa0_＿:：\u2002\u2003"


def _fields_in_line(line: str) -> list[tuple[str, str]]:
    """(label key, value) for every label on a line; the value runs to the next label."""
    half = _half(line)
    found = list(_ALL_LABELS.finditer(half))
    out = []
    for i, m in enumerate(found):
        stop = found[i + 1].start() if i + 1 < len(found) else len(line)
        key = m.lastgroup or ""
        out.append((key, line[m.end() : stop].strip(_FILLER)))
    return out


_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_DATE = re.compile(r"^([0-9]{4})\s*[年.\-/]\s*([0-9]{1,2})\s*[月.\-/]\s*([0-9]{1,2})\s*日?$")
_CN_DATE = re.compile(
    r"^([〇零○一二三四五六七八九Ｏ]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日$"
)


def _cn_number(text: str) -> int:
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def parse_date(text: str) -> dt.date | None:
    """2026年11月28日, 2026-11-28, 2026.11.28, 2026/11/28 and 二〇二六年十一月二十八日; else ValueError."""
    half = _half(text).strip()
    m = _DATE.match(half)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _CN_DATE.match(half.replace(" ", ""))
    if m:
        year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
        return dt.date(year, _cn_number(m.group(2)), _cn_number(m.group(3)))
    raise ValueError(text)


def _date_field(value: str, where: str, problems: list[Problem]) -> dt.date | None:
    if not value or not re.sub(r"[\s年月日]", "", value):
        return None  # empty, or the "    年  月  日" placeholder
    try:
        return parse_date(value)
    except (ValueError, KeyError):
        problems.append(
            Problem(
                None,
                "invalid_date",
                f"{where}「{_shorten(value)}」不是有效日期（如 2026年11月28日）。",
            )
        )
        return None


def _front_lines(walker: _Walker, blocks: list[tuple[str, Any]]) -> list[str]:
    """Lines before the assessment table; a table row is one line of tab-joined cells."""
    lines: list[str] = []
    for kind, item in blocks:
        lines.extend(walker.block_lines(kind, item))
    return lines


def _read_front(lines: list[str], problems: list[Problem]) -> tuple[Cover, Pledge]:
    cover: dict[str, str] = {}
    pledge: dict[str, str] = {}
    in_pledge = False
    for line in lines:
        compact = _compact(line)
        if "承诺书" in compact and len(compact) <= 30:
            in_pledge = True
            continue
        for key, value in _fields_in_line(line):
            side, name = key.split("_", 1)
            if (
                side == "c"
                and name == "enterprise_name"
                and (in_pledge or "enterprise_name" in cover)
            ):
                target = pledge  # the pledge's own 企业名称（公章）
            elif side == "p":
                target = pledge
            elif in_pledge:
                target = pledge if name == "enterprise_name" else cover
            else:
                target = cover
            if name not in target or not target[name]:
                target[name] = value
    date_c = _date_field(cover.get("submission_date", ""), "封面的提交日期", problems)
    date_p = _date_field(pledge.get("date", ""), "承诺书的日期", problems)
    return (
        Cover(
            enterprise_name=cover.get("enterprise_name", ""),
            business_scope=cover.get("business_scope", ""),
            contact_person=cover.get("contact_person", ""),
            contact_info=cover.get("contact_info", ""),
            submission_date=date_c,
        ),
        Pledge(
            enterprise_name=pledge.get("enterprise_name", ""),
            lead=pledge.get("lead", ""),
            date=date_p,
        ),
    )


# --- evidence sections --------------------------------------------------------------------------

# Full-width digits and punctuation are accepted as they are, so lines need no conversion.
_HEADING = re.compile(r"^\s*(?:[三四]\s*级\s*)?指\s*标\s*([0-9０-９]{1,3})\s*[:：]")
_CATALOG_TITLE = re.compile(
    r"^\s*指\s*标\s*([0-9０-９]{1,3})\s*佐\s*证\s*材\s*料\s*目\s*录\s*[:：]?\s*$"
)
_CONTENT_TITLE = re.compile(r"^\s*佐\s*证\s*材\s*料\s*具\s*体\s*内\s*容\s*[:：]?\s*$")
_HINT = re.compile(r"^\s*[(（]\s*相关工作情况介绍\s*[)）]\s*")
_ITEM = re.compile(r"^\s*([0-9０-９]{1,3})\s*[.．、]\s*(.*)$")
_ATTACHMENT = re.compile(r"^\s*附\s*件\s*[0-9０-９]*\s*[:：]\s*(.*)$")
_ELLIPSIS = re.compile(r"^[\s.．…。·]*$")
_AREA_FIRST = frozenset("一二三四五六七八九十 \t\u3000")
_AREA_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(.+?)\s*$")


@dataclass
class _Item:
    seq: int
    title: str = ""
    note: str = ""
    text: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    in_catalog: bool = False


@dataclass
class _Section:
    number: int
    phase: str = "summary"  # summary -> catalog -> content
    summary: list[str] = field(default_factory=list)
    earlier: list[str] = field(default_factory=list)  # summaries of a section given twice
    items: dict[int, _Item] = field(default_factory=dict)
    current: _Item | None = None
    pictures: int = 0

    def item(self, seq: int) -> _Item:
        if seq not in self.items:
            self.items[seq] = _Item(seq)
        return self.items[seq]

    def next_seq(self) -> int:
        return max(self.items, default=0) + 1


def _catalog_rows(walker: _Walker, tbl: Any, section: _Section) -> bool:
    """Reads a 序号 / 材料名称 / 备注 table into the section; False if it is another table."""
    rows = _table_rows(walker.doc, tbl)
    found = _header(walker, rows)
    if found is None or "title" not in found[1]:
        return False
    header_row, cols = found
    seq_col, title_col, note_col = cols["seq"], cols["title"], cols.get("remarks")
    for row in rows[header_row + 1 :]:
        if next(row.tr.iter(T), None) is None:
            continue  # no text at all: an empty row of the template
        seq_text = _cell_plain(walker, row.at(seq_col))
        title_text = _cell_plain(walker, row.at(title_col))
        note_text = _cell_plain(walker, row.at(note_col)) if note_col is not None else ""
        if not (seq_text.strip() or title_text.strip() or note_text.strip()):
            continue  # an empty row of the template
        title = " ".join(x.strip() for x in _split_lines(title_text) if x.strip())
        note = _clean_lines(_split_lines(note_text))
        seq = _seq_number(seq_text)
        if seq is None or seq < 1 or (seq in section.items and section.items[seq].in_catalog):
            seq = section.next_seq()
        item = section.item(seq)
        item.title, item.note, item.in_catalog = title, note, True
    return True


def _evidence_line(section: _Section, line: str, half: str) -> None:
    # The `in` tests only spare regular expressions on the many lines that cannot match.
    if section.phase == "summary":
        if "录" in half and _CATALOG_TITLE.match(half):
            section.phase = "catalog"
            return
        if "容" in half and _CONTENT_TITLE.match(half):
            section.phase = "content"
            return
        hint = _HINT.match(half) if "相关工作" in half else None
        if hint:
            line = line[hint.end() :]
            if not line.strip():
                return
        section.summary.append(line)
        return
    if "容" in half and _CONTENT_TITLE.match(half):
        section.phase = "content"
        section.current = None
        return
    if section.phase != "content":
        if _ITEM.match(half) and section.items:
            section.phase = "content"  # the 佐证材料具体内容 line was left out
        else:
            return  # between the catalog's title and its table
    stripped = line.strip()
    if not stripped or _ELLIPSIS.match(stripped):
        if section.current is not None and section.current.text:
            section.current.text.append("")
        return
    attachment = _ATTACHMENT.match(half) if "附" in half else None
    if attachment and section.current is not None:
        name = line[attachment.start(1) :].strip()
        if name:
            section.current.files.append(name)
        return
    item = _ITEM.match(half)
    if item:
        seq = int(item.group(1))
        title = line[item.start(2) :].strip()
        expected = section.current.seq + 1 if section.current is not None else 1
        if seq in section.items or seq == expected or not section.items:
            section.current = section.item(seq)
            if title and not section.current.title:
                section.current.title = title
            return
    if section.current is None:
        section.current = section.item(section.next_seq())
    section.current.text.append(line)


def _read_evidence(
    walker: _Walker, blocks: list[tuple[str, Any]], spec: FrameworkSpec, problems: list[Problem]
) -> dict[int, _Section]:
    known = {ind.number for ind in spec.indicators}
    areas = {_compact(a.name) for a in spec.areas}
    sections: dict[int, _Section] = {}
    section: _Section | None = None
    for kind, item in blocks:
        if kind == "t":
            if section is None:
                continue
            if section.phase in ("summary", "catalog") and _catalog_rows(walker, item, section):
                section.phase = "after_catalog"
                continue
            before = walker.pictures
            for line in walker.block_lines(kind, item):
                _evidence_line(section, line, line)
            section.pictures += walker.pictures - before
            continue
        text = walker.plain.get(item)
        if text is None:
            before = walker.pictures
            text = _text(walker.paragraph(item)[0])
            if section is not None:
                section.pictures += walker.pictures - before
        if not text:  # most paragraphs here are the template's blank lines
            if section is not None:
                _evidence_line(section, "", "")
            continue
        for line in _split_lines(text):
            half = line  # the patterns accept full-width forms
            heading = _HEADING.match(half) if "指" in half else None
            if heading:
                number = int(heading.group(1))
                if number not in known:
                    problems.append(
                        Problem(
                            number,
                            "unknown_indicator",
                            f"佐证材料中的「指标{number}」不在本指标体系中，已忽略。",
                        )
                    )
                    section = None
                    continue
                if number in sections:
                    problems.append(
                        Problem(
                            number,
                            "duplicate_section",
                            f"指标 {number}：佐证材料出现了两次，已合并读取。",
                        )
                    )
                    section = sections[number]
                    section.phase = "summary"
                    section.current = None
                    section.earlier.append(_clean_lines(section.summary))
                    section.summary = []
                else:
                    section = sections[number] = _Section(number)
                continue
            area = _AREA_HEADING.match(half) if half[:1] in _AREA_FIRST else None
            if area and _compact(area.group(1)) in areas:
                continue
            if section is not None:
                _evidence_line(section, line, half)
    return sections


def _evidence_list(section: _Section) -> list[Evidence]:
    out = []
    for seq in sorted(section.items):
        item = section.items[seq]
        text = _clean_lines(item.text)
        if not (item.title or item.note or text or item.files):
            continue  # the template's 1. 2. 3. placeholders
        out.append(
            Evidence(
                seq=seq,
                title=item.title,
                note=item.note,
                text=text,
                files=[FileRef(name=name) for name in item.files],
            )
        )
    return out


# --- putting it together ------------------------------------------------------------------------


def _main_part(zf: Any) -> str:
    """The main document part named by _rels/.rels (usually word/document.xml)."""
    rels = safezip.read_part(zf, "_rels/.rels", limit=1024 * 1024)
    if rels is not None:
        root = safezip.parse_xml(rels, "_rels/.rels")
        for rel in root.iter(_REL_NS + "Relationship"):
            if (rel.get("Type") or "").endswith("/officeDocument"):
                if rel.get("TargetMode") == "External":
                    raise FileRefused("not_a_word_file", "文件的正文指向外部链接，拒绝读取。")
                target = (rel.get("Target") or "").lstrip("/")
                if target:
                    return target
    return safezip.DOCUMENT_PART


def _not_word(kind: str) -> FileRefused:
    if kind == "word":
        return FileRefused("not_a_word_file", "文件中没有 Word 正文，不是 Word 文件。")
    return FileRefused(
        "not_a_word_file",
        f"这是{kind}，不是 Word 文件。请在 Word 或 WPS 中打开自评材料，另存为 .docx 后再上传。",
    )


def _body(data: bytes) -> tuple[Any, bytes]:
    zf = safezip.open_zip(data)
    kind = safezip.zip_kind(zf)
    name = _main_part(zf)
    if name not in zf.NameToInfo:
        if kind != "word":
            raise _not_word(kind)
        name = safezip.DOCUMENT_PART
    elif not name.startswith("word/") and kind != "word":
        raise _not_word(kind)  # an Excel or PowerPoint package
    xml = safezip.read_part(zf, name)
    if xml is None:
        raise _not_word(kind)
    if _STRICT_W in xml[:4096]:
        xml = xml.replace(_STRICT_W, _TRANSITIONAL_W)  # "Strict Open XML" uses other names
    root = safezip.parse_xml(xml, name)
    body = root.find(BODY)
    if root.tag != _W + "document" or body is None:
        raise _not_word(kind)
    return body, xml


def parse_docx(data: bytes, spec: FrameworkSpec) -> ParseResult:
    """Reads a filled form from .docx bytes; errors and problems are returned, never raised."""
    try:
        body, xml = _body(data)
    except FileRefused as exc:
        return ParseResult.failed(exc.code, exc.message)
    try:
        return _parse_body(body, xml, spec)
    except RecursionError:
        return ParseResult.failed("unsafe_xml", "文件结构嵌套过深，拒绝读取。")


def _parse_body(body: Any, xml: bytes, spec: FrameworkSpec) -> ParseResult:
    doc = _index(body)
    walker = _Walker(doc)
    blocks = list(_block_items(body))
    found = _find_assessment(walker, blocks)
    if found is None:
        return ParseResult.failed(
            "not_a_form",
            "文件中找不到自评表（表头含“序号”“企业自评”的表格），不是互联网平台企业履行社会责任自评材料。",
        )
    index, table = found
    problems: list[Problem] = list(table.problems)
    cover, pledge = _read_front(_front_lines(walker, blocks[:index]), problems)
    rest = _continuations(walker, blocks[index + 1 :], table, len(spec.indicators))
    sections = _read_evidence(walker, rest, spec, problems)
    scales = _scales(spec)
    options = _Walker(doc, options=True)
    marks = _Walker(doc, marks=True)
    answers = []
    for ind in spec.indicators:
        rows = table.rows.get(ind.number)
        section = sections.get(ind.number)
        level = None
        remarks = ""
        if rows is None:
            problems.append(
                Problem(
                    ind.number,
                    "missing_indicator",
                    f"指标 {ind.number}（{ind.name}）：自评表中找不到这一行（序号 {ind.number}）。",
                )
            )
        else:
            scale = scales[ind.number]
            level, problem = _choice(scale, rows, table.self_col, walker, options, marks)
            if problem is not None and problem.code in ("no_choice", "unknown_label"):
                # a row whose cells do not line up with the header (a cell deleted or added)
                col = _options_elsewhere(scale, rows, table, walker)
                if col is not None:
                    level, problem = _choice(scale, rows, col, walker, options, marks)
            if problem is not None:
                problems.append(problem)
            remark_lines: list[str] = []
            if table.remarks_col is not None:
                for row in rows:
                    remark_lines.extend(
                        _split_lines(_cell_plain(walker, row.at(table.remarks_col)))
                    )
            remarks = _clean_lines(remark_lines)
        summary = ""
        evidence: list[Evidence] = []
        if section is not None:
            summary = "\n".join(x for x in [*section.earlier, _clean_lines(section.summary)] if x)
            evidence = _evidence_list(section)
            if section.pictures:
                problems.append(
                    Problem(
                        ind.number,
                        "embedded_picture",
                        f"指标 {ind.number}：佐证材料中有 {section.pictures} 张嵌入图片，未导入，请作为附件另行上传。",
                    )
                )
        answers.append(
            Answer(
                indicator=ind.number,
                level=level,
                remarks=remarks,
                work_summary=summary,
                evidence=evidence,
            )
        )
    extra = sorted(set(table.rows) - {ind.number for ind in spec.indicators})
    for number in extra:
        problems.append(
            Problem(
                number, "unknown_indicator", f"自评表中序号 {number} 不在本指标体系中，已忽略。"
            )
        )
    form = FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        cover=cover,
        pledge=pledge,
        answers=answers,
    )
    problems.sort(key=lambda p: (p.indicator is not None, p.indicator or 0))
    return ParseResult(form=form, problems=problems, error=None)


def _continuations(
    walker: _Walker, blocks: list[tuple[str, Any]], table: _Assessment, expected: int
) -> list[tuple[str, Any]]:
    """Reads the rest of a table split in two (with or without a repeated header) and returns
    the blocks left for the evidence sections."""
    consumed: set[int] = set()
    for i, (kind, item) in enumerate(blocks):
        if len(table.rows) >= expected:
            break
        if kind == "p":
            text = _half(_text(walker.paragraph(item)[0]))
            if _HEADING.match(text) or _CATALOG_TITLE.match(text) or "佐证材料" in text:
                break
            continue
        rows = _table_rows(walker.doc, item)
        found = _header(walker, rows)
        if found is None:
            _collect_rows(walker, rows, table.seq_col, table.self_col, table)
        elif "self" in found[1]:
            _collect_rows(walker, rows, found[1]["seq"], found[1]["self"], table)
        else:
            break
        consumed.add(i)
    return [b for i, b in enumerate(blocks) if i not in consumed]


# Letters and Latin-1 or F0xx characters: what a tick in a symbol font looks like as text.
_SYMBOLIC = re.compile("[A-Za-z\u00a0-\u00ff\uf000-\uf0ff]")


def _choice(
    scale: _Scale, rows: list[_Row], col: int, walker: _Walker, options: _Walker, marks: _Walker
) -> tuple[int | None, Problem | None]:
    """The level chosen in the options' cells at grid column `col` of an indicator's rows."""
    text = _options_plain(walker, rows, col)
    if text is None or _SYMBOLIC.search(text):
        text = _options_text(options, rows, col)[0]  # fields, symbols, checkboxes
    known = scale.seen.get(text)
    if known is None:
        known = _read_choice(scale, text, None)
        if len(scale.seen) < 512:
            scale.seen[text] = known
    if known[1] is not None and known[1].code == "no_choice":
        # no tick: look again for highlight, bold, shading, colour or strike-through
        text, flags = _options_text(marks, rows, col)
        return _read_choice(scale, text, flags)
    return known


def _options_elsewhere(
    scale: _Scale, rows: list[_Row], table: _Assessment, walker: _Walker
) -> int | None:
    """The one other column of the row whose text holds this indicator's options, if any."""
    found = set()
    for row in rows:
        for cell in row.cells:
            if cell.col in (table.seq_col, table.self_col) or cell.continued:
                continue
            if scale.pattern.search(_half(_cell_plain(walker, cell))):
                found.add(cell.col)
    return found.pop() if len(found) == 1 else None


def _options_plain(walker: _Walker, rows: list[_Row], col: int) -> str | None:
    parts = []
    for row in rows:
        cell = row.at(col)
        if cell is None or cell.continued:
            continue
        text = _fast_text(walker, cell.el)
        if text is None:
            return None
        parts.append(text)
    return "\n".join(parts)


def _options_text(walker: _Walker, rows: list[_Row], col: int) -> tuple[str, list[int]]:
    """The options' cell(s) of one indicator as text, plus one emphasis entry per character
    when the walker keeps emphasis."""
    parts: list[str] = []
    flags: list[int] = []
    keep = walker.marks
    for row in rows:
        cell = row.at(col)
        if cell is None or cell.continued:
            continue
        for line in walker.container_lines(cell.el):
            if parts:
                parts.append("\n")
                if keep:
                    flags.append(0)
            for text, f in line:
                parts.append(text)
                if keep:
                    flags.extend([f] * len(text))
    return "".join(parts), flags


# --- files of any kind --------------------------------------------------------------------------


def parse_file(
    source: str | os.PathLike[str] | bytes,
    name: str | None,
    spec: FrameworkSpec,
    *,
    timeout: float = 60.0,
) -> ParseResult:
    """Reads a .docx, or a .doc/.wps after converting it with LibreOffice; decided by content."""
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                return ParseResult.failed("unreadable_file", "不是普通文件，无法读取。")
            with path.open("rb") as fh:  # bounded: the size may change while reading
                data = fh.read(safezip.MAX_FILE_BYTES + 1)
        except OSError:
            return ParseResult.failed("unreadable_file", "文件无法打开（不存在或没有读取权限）。")
    if len(data) > safezip.MAX_FILE_BYTES:
        return ParseResult.failed(
            "too_large", f"文件超过 {safezip.MAX_FILE_BYTES // (1024 * 1024)} MB，无法读取。"
        )
    kind = safezip.sniff(data)
    if kind == "zip":
        return parse_docx(data, spec)
    if kind != "ole2":
        exc = safezip.refuse_unknown(kind)
        return ParseResult.failed(exc.code, exc.message)
    ole = safezip.ole2_kind(data)
    if ole == "encrypted":
        return ParseResult.failed(
            "encrypted_file", "文件已加密（设置了打开密码），请取消密码后另存为 .docx 再上传。"
        )
    if ole in ("excel", "powerpoint"):
        what = "Excel" if ole == "excel" else "PowerPoint"
        return ParseResult.failed(
            "not_a_word_file",
            f"这是 {what} 文件，不是 Word 文件。请上传 Word 或 WPS 填写的自评材料。",
        )
    from zeren.documents.convert import ConversionFailed, convert_to_docx

    try:
        docx = convert_to_docx(data, timeout=timeout)
    except ConversionFailed as exc:
        return ParseResult.failed("conversion_failed", exc.message)
    return parse_docx(docx, spec)
