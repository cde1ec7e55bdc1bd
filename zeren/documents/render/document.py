"""The word/document.xml of a form, and the renderer built on it."""

from __future__ import annotations

import re

from zeren.assessments.formdata import Answer, FormData
from zeren.documents.render.layout import (
    _R_TITLE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_H,
    PAGE_W,
)
from zeren.documents.render.package import package_docx
from zeren.documents.render.runs import _PAGE_BREAK_BEFORE, _p, _run
from zeren.documents.render.sections import _cover, _evidence_part, _pledge
from zeren.documents.render.tables import _assessment_table, _static
from zeren.frameworks.spec import FrameworkSpec

_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def _sect_pr(draft: bool) -> str:
    header = '<w:headerReference w:type="default" r:id="rIdHeader1"/>' if draft else ""
    return (
        f'<w:sectPr>{header}<w:footerReference w:type="default" r:id="rIdFooter1"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_LEFT}" w:header="851" w:footer="1304" w:gutter="0"/>'
        '<w:cols w:space="425"/></w:sectPr>'
    )


def document_xml(form: FormData | None, spec: FrameworkSpec, *, draft: bool = False) -> str:
    """The word/document.xml of the form, as a string."""
    answers: dict[int, Answer] = {}
    if form is not None:
        if (form.framework.id, form.framework.version) != (spec.id, spec.version):
            raise ValueError(
                f"表单属于指标体系 {form.framework.id} v{form.framework.version}，"
                f"而不是 {spec.id} v{spec.version} / the form belongs to framework "
                f"{form.framework.id} v{form.framework.version}, not {spec.id} v{spec.version}"
            )
        answers = {a.indicator: a for a in form.answers}
        unknown = sorted(set(answers) - {i.number for i in spec.indicators})
        if unknown:
            raise ValueError(
                f"指标体系中没有这些指标：{unknown} / the framework has no indicators {unknown}"
            )
    static = _static(spec)
    table_title = _p(
        "ZrTitle",
        _run(spec.document.table_title, _R_TITLE),
        _PAGE_BREAK_BEFORE + '<w:spacing w:after="289"/>',
    )
    body = (
        _cover(spec, form)
        + _pledge(spec, form)
        + table_title
        + _assessment_table(static, answers)
        + _evidence_part(spec, static, answers)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {_NS}><w:body>{body}{_sect_pr(draft)}</w:body></w:document>"
    )


def render_docx(form: FormData | None, spec: FrameworkSpec, *, draft: bool = False) -> bytes:
    """The official .docx of a filled form (or of the blank form when `form` is None)."""
    title = spec.document.table_title
    if form is not None and form.cover.enterprise_name:
        title = f"{form.cover.enterprise_name} {title}"
    return package_docx(document_xml(form, spec, draft=draft), title=title, draft=draft)


def docx_filename(form: FormData | None, spec: FrameworkSpec) -> str:
    """A file name for the rendered form, e.g. 某公司-互联网平台企业履行社会责任自评材料.docx."""
    base = "".join(spec.document.title_lines) or spec.title
    name = form.cover.enterprise_name.strip() if form is not None else ""
    stem = f"{name}-{base}" if name else base
    stem = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", stem).strip(" .")[:120] or "form"
    return f"{stem}.docx"
