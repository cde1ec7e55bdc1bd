"""The WordprocessingML walker: runs, fields, symbols, content controls, changes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from zeren.intake.parse.grid import _single_cell, _table_rows
from zeren.intake.parse.index import _Doc, _first
from zeren.intake.parse.names import (
    _INLINE_CONTAINERS,
    _SKIPPED,
    _SYMBOL_FONTS,
    _W14,
    ALTCONTENT,
    ASCII,
    BOX,
    BOXES,
    BR,
    CHAR,
    CHECKBOX,
    CHECKED,
    CHOICE,
    COLOR,
    CR,
    DEFAULT,
    DEL,
    DRAWING,
    DSTRIKE,
    EMPH_BOLD,
    EMPH_COLOUR,
    EMPH_HIGHLIGHT,
    EMPH_SHADE,
    EMPH_STRIKE,
    EMPH_UNDERLINE,
    FALLBACK,
    FFDATA,
    FILL,
    FLDCHAR,
    FLDCHARTYPE,
    FONT,
    HANSI,
    HIGHLIGHT,
    INSTRTEXT,
    MATH_T,
    MOVEFROM,
    NOBREAKHYPHEN,
    OBJECT,
    OMATH,
    OMATHPARA,
    PICT,
    PICTURE,
    PPR,
    PTAB,
    RFONTS,
    RPR,
    SDT,
    SDTCONTENT,
    SDTPR,
    SHD,
    SHOWINGPLCHDR,
    STRIKE,
    SYM,
    TAB,
    TBL,
    TICK,
    TICKS,
    TXBXCONTENT,
    UNSURE,
    VAL,
    W14_CHECKBOX,
    W14_CHECKED,
    B,
    P,
    R,
    T,
    U,
    _font_key,
    _on,
)
from zeren.intake.parse.text import _split_lines

# Letters and Latin-1 or F0xx characters: what a tick in a symbol font looks like as text.
_SYMBOLIC = re.compile("[A-Za-z\u00a0-\u00ff\uf000-\uf0ff]")


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
