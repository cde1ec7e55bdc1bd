"""WordprocessingML names, the tick glyphs, symbol fonts and emphasis bits."""

from __future__ import annotations

from typing import Any

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
