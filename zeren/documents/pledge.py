"""The pre-filled pledge page (诚信承诺书) as .docx, to print, sign and seal."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.run import Run

from zeren.assessments.formdata import FormData
from zeren.frameworks.spec import FrameworkSpec

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"


def _font(run: Run, name: str, size: float) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), name)  # python-docx sets only ascii/hAnsi


def _date(value: object) -> str:
    if value is None:
        return "        年    月    日"
    return f"{value.year}年{value.month}月{value.day}日"  # type: ignore[attr-defined]


def render_pledge_docx(form: FormData, spec: FrameworkSpec) -> bytes:
    """诚信承诺书 with the enterprise name, lead and date filled in where known."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    for line in spec.document.pledge_title_lines:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(line), TITLE_FONT, 22)
    doc.add_paragraph()
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    p.paragraph_format.line_spacing = Pt(28)
    _font(p.add_run(spec.document.pledge_text), BODY_FONT, 16)
    for _i in range(3):
        doc.add_paragraph()
    for label, value in (
        ("企业名称（公章）：", form.pledge.enterprise_name or form.cover.enterprise_name),
        ("评估工作负责人：", form.pledge.lead),
        ("日期：", _date(form.pledge.date)),
    ):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run(label), BODY_FONT, 16)
        r = p.add_run(value or " " * 20)
        r.underline = True
        _font(r, BODY_FONT, 16)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
