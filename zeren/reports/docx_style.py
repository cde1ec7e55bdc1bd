"""Word documents in the GB/T 9704-2012 conventions the form uses: A4, margins 37/35/28/26 mm,
title in 方正小标宋简体 二号, body in 仿宋_GB2312 三号 at a fixed 28 pt line pitch, first-level
headings in 黑体 (一、), second-level in 楷体_GB2312 (（一）), tables in 仿宋 小四."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
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
        """A bordered table (style Table Grid), header in 黑体, cells in 仿宋 小四; written as XML
        in one piece (python-docx's cell-by-cell API is what made scorecards slow)."""
        if caption:
            self._p(caption, HEI, 14, align=WD_ALIGN_PARAGRAPH.CENTER)

        def cell(text: Any, font: str) -> str:
            value = "—" if text is None else escape(str(text))
            return (
                '<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p><w:r><w:rPr>'
                f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{font}"/>'
                f'<w:sz w:val="24"/></w:rPr><w:t xml:space="preserve">{value}</w:t></w:r></w:p></w:tc>'
            )

        body = "".join("<w:tr>" + "".join(cell(v, BODY) for v in row) + "</w:tr>" for row in rows)
        xml = (
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            '<w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/></w:tblPr><w:tblGrid>'
            + "<w:gridCol/>" * len(headers)
            + "</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>"
            + "".join(cell(h, HEI) for h in headers)
            + "</w:tr>"
            + body
            + "</w:tbl>"
        )
        self.doc.element.body.sectPr.addprevious(parse_xml(xml))
        self._p("", BODY, 12)

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()
