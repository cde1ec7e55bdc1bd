"""Word documents in the GB/T 9704-2012 conventions the form uses: A4, margins 37/35/28/26 mm,
title in 方正小标宋简体 二号, body in 仿宋_GB2312 三号 at a fixed 28 pt line pitch, first-level
headings in 黑体 (一、), second-level in 楷体_GB2312 (（一）), tables in 仿宋 小四."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zeren.documents.render.runs import chinese_number

TITLE, BODY, HEI, KAI, LATIN = (
    "方正小标宋简体",
    "仿宋_GB2312",
    "黑体",
    "楷体_GB2312",
    "Times New Roman",
)


def _font(run: Any, east_asia: str, size: float, bold: bool = False) -> None:
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asia)


class Writer:
    def __init__(self, title: str) -> None:
        self.doc = Document()
        self.doc.core_properties.title = title
        for section in self.doc.sections:
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.top_margin, section.bottom_margin = Mm(37), Mm(35)
            section.left_margin, section.right_margin = Mm(28), Mm(26)
        self._h1 = 0
        self._h2 = 0

    def _p(
        self,
        text: str,
        font: str,
        size: float,
        *,
        align: Any = None,
        bold: bool = False,
        indent: bool = False,
    ) -> Any:
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28)
        fmt.space_before = fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        if align is not None:
            p.alignment = align
        _font(p.add_run(text), font, size, bold)
        return p

    def title(self, *lines: str) -> None:
        for line in lines:
            p = self._p(line, TITLE, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
            p.paragraph_format.line_spacing = Pt(36)
        self._p("", BODY, 16)

    def subtitle(self, text: str) -> None:
        self._p(text, KAI, 16, align=WD_ALIGN_PARAGRAPH.CENTER)

    def h1(self, text: str) -> None:
        self._h1 += 1
        self._h2 = 0
        self._p(f"{chinese_number(self._h1)}、{text}", HEI, 16, indent=True)

    def h2(self, text: str) -> None:
        self._h2 += 1
        self._p(f"（{chinese_number(self._h2)}）{text}", KAI, 16, indent=True)

    def para(self, text: str) -> None:
        for line in text.splitlines() or [""]:
            if line.strip():
                self._p(line.strip(), BODY, 16, indent=True)

    def image(self, png: bytes, width_mm: float = 150) -> None:
        self.doc.add_picture(io.BytesIO(png), width=Mm(width_mm))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def table(self, headers: list[str], rows: list[list[Any]], caption: str = "") -> None:
        if caption:
            self._p(caption, HEI, 14, align=WD_ALIGN_PARAGRAPH.CENTER)
        t = self.doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(t.rows[0].cells, headers, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), HEI, 12)
        for row in rows:
            cells = t.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = ""
                _font(cell.paragraphs[0].add_run("—" if value is None else str(value)), BODY, 12)
        self._p("", BODY, 12)

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()
