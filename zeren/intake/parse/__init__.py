"""Reads filled forms that come back as Word files (.docx; .doc/.wps through LibreOffice).

Enterprises fill the organizer's original file in Word or WPS, so nothing here relies on our own
template's XML: the assessment table is found by its header texts, its rows by 序号, the cover
and pledge fields by their labels, the evidence sections by their headings, and the chosen level
by the indicator's own labels and the many ways people tick a box (see WORD-NOTES.md). The
WordprocessingML is walked directly, because python-docx's object model drops symbol-font ticks,
checkboxes, form fields, tracked changes and 带圈字符.

Never guess: a cell without a tick, with two ticks, with an unknown label or with only a
highlight gets no level and a Problem that names the indicator.

The modules, each importing only those above it: `names` (WordprocessingML names, tick glyphs),
`results`, `text` (half-width, compact, lines), `index` (one pass over the tree), `grid` (table
rows and cells), `wordml` (the walker), `tables` (the assessment table), `options` (the level
chosen in the options' cell), `front` (cover and pledge), `evidence` (佐证材料) and `api`
(`parse_docx`, `parse_file`). Import from `zeren.intake.parse`.
"""

from zeren.intake.parse.api import parse_docx, parse_file
from zeren.intake.parse.front import parse_date
from zeren.intake.parse.names import (
    BOX,
    BOXES,
    CROSSES,
    EMPH_BOLD,
    EMPH_COLOUR,
    EMPH_HIGHLIGHT,
    EMPH_SHADE,
    EMPH_STRIKE,
    EMPH_UNDERLINE,
    PICTURE,
    TICK,
    TICKS,
    UNSURE,
)
from zeren.intake.parse.results import ParseError, ParseResult, Problem

__all__ = [
    "BOX",
    "BOXES",
    "CROSSES",
    "EMPH_BOLD",
    "EMPH_COLOUR",
    "EMPH_HIGHLIGHT",
    "EMPH_SHADE",
    "EMPH_STRIKE",
    "EMPH_UNDERLINE",
    "PICTURE",
    "TICK",
    "TICKS",
    "UNSURE",
    "ParseError",
    "ParseResult",
    "Problem",
    "parse_date",
    "parse_docx",
    "parse_file",
]
