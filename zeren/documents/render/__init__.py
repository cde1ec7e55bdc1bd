"""FormData -> the official .docx of the form (互联网平台企业履行社会责任自评材料).

`render_docx(form, spec)` is a pure function: the framework (`FrameworkSpec`) drives every
area, topic, indicator and level label, and `form` (or None for the blank form) fills them in.
The document follows the seed's structure in order — cover, pledge (诚信承诺书), the assessment
table (自评表), then the evidence part (佐证材料) per indicator — laid out per GB/T 9704-2012
(A4, margins 37/35/28/26 mm, 仿宋_GB2312 16 pt, 方正小标宋简体 22 pt titles, `— N —` page numbers).

The WordprocessingML is built as escaped strings inside a fixed skeleton of parts kept in
`zeren/documents/data/` (styles with zh-CN defaults, settings, font table, footer, draft
header): python-docx takes ~0.2 s per form, this takes a few milliseconds. Every run names its
east-Asian font (`w:rFonts/@w:eastAsia`), which Word needs to pick a Chinese face.

The texts and layout are a contract with `zeren.intake.parse`, which reads forms by content:
labels with the full-width colon (企业名称（公章）：…), dates as 2026年11月28日, one option per
paragraph as `1.非常完善□` with ☑ for the chosen level, remarks lines joined by line breaks in
one paragraph of the 备注 cell, and the evidence layout (heading `三级指标N：名称（说明）`, work
summary one paragraph per line, `指标N佐证材料目录` table, `佐证材料具体内容：`, then per item
`{seq}.{title}`, `附件：{file name}` per file and the item's text one paragraph per line).

Text is data, never markup: it is XML-escaped; a tab becomes `w:tab`; characters XML cannot
carry (C0 controls other than tab and line feed) are dropped; \\r\\n and \\r count as line breaks.

The modules, each importing only those above it: `layout` (texts, labels, geometry, fonts),
`runs` (text as runs and paragraphs), `tables` (the assessment table and the catalogs),
`sections` (cover, pledge, evidence), `package` (the skeleton of parts and the zip) and
`document` (document.xml and `render_docx`). Import from `zeren.documents.render`.
"""

from zeren.documents.render.document import document_xml, docx_filename, render_docx
from zeren.documents.render.layout import (
    BODY_EM,
    BOX,
    CATALOG_COLS,
    CATALOG_HEADERS,
    COVER_LABELS,
    EMPTY_CATALOG_ROWS,
    EMPTY_EVIDENCE_LINES,
    EMPTY_SUMMARY_HINT,
    EVIDENCE_CONTENT_LABEL,
    EVIDENCE_HEADING,
    LEVELS,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_H,
    PAGE_W,
    PLEDGE_LABELS,
    TABLE_COLS,
    TABLE_HEADERS,
    TEXT_W,
    TICK,
)
from zeren.documents.render.package import DATA_DIR, DOCX_MIMETYPE, package_docx
from zeren.documents.render.runs import chinese_number, format_date
from zeren.documents.render.tables import CATALOG_MAX_LINES, TABLE_MAX_LINES

__all__ = [
    "BODY_EM",
    "BOX",
    "CATALOG_COLS",
    "CATALOG_HEADERS",
    "CATALOG_MAX_LINES",
    "COVER_LABELS",
    "DATA_DIR",
    "DOCX_MIMETYPE",
    "EMPTY_CATALOG_ROWS",
    "EMPTY_EVIDENCE_LINES",
    "EMPTY_SUMMARY_HINT",
    "EVIDENCE_CONTENT_LABEL",
    "EVIDENCE_HEADING",
    "LEVELS",
    "MARGIN_BOTTOM",
    "MARGIN_LEFT",
    "MARGIN_RIGHT",
    "MARGIN_TOP",
    "PAGE_H",
    "PAGE_W",
    "PLEDGE_LABELS",
    "TABLE_COLS",
    "TABLE_HEADERS",
    "TABLE_MAX_LINES",
    "TEXT_W",
    "TICK",
    "chinese_number",
    "document_xml",
    "docx_filename",
    "format_date",
    "package_docx",
    "render_docx",
]
