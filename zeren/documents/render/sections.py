"""The cover, the pledge (诚信承诺书) and the evidence part (佐证材料)."""

from __future__ import annotations

from zeren.assessments.formdata import Answer, FormData
from zeren.documents.render.layout import (
    _R_HEI,
    _R_TITLE,
    _R_UNDERLINE,
    BODY_EM,
    COVER_LABELS,
    EMPTY_EVIDENCE_LINES,
    EMPTY_SUMMARY_HINT,
    EVIDENCE_CONTENT_LABEL,
    EVIDENCE_HEADING,
    PLEDGE_LABELS,
    TEXT_W,
)
from zeren.documents.render.runs import (
    _KEEP_NEXT,
    _PAGE_BREAK_BEFORE,
    _lines,
    _p,
    _paragraphs,
    _run,
    _run_lines,
    _text_width,
    chinese_number,
    format_date,
)
from zeren.documents.render.tables import _catalog, _Static
from zeren.frameworks.spec import FrameworkSpec


def _cover(spec: FrameworkSpec, form: FormData | None) -> str:
    doc = spec.document
    cover = form.cover if form is not None else None
    values = (
        (
            cover.enterprise_name,
            cover.business_scope,
            cover.contact_person,
            cover.contact_info,
            format_date(cover.submission_date),
        )
        if cover is not None
        else ("", "", "", "", "")
    )
    out = [_p("ZrAttachment", _run(doc.attachment_label, _R_HEI))]
    for i, line in enumerate(doc.title_lines):
        ppr = '<w:spacing w:before="1737"/>' if i == 0 else ""
        out.append(_p("ZrTitle", _run(line, _R_TITLE), ppr))
    tab = f"<w:r>{_R_UNDERLINE}<w:tab/></w:r>"
    for i, (label, value) in enumerate(zip(COVER_LABELS, values, strict=True)):
        ppr = '<w:spacing w:before="2316"/>' if i == 0 else ""
        # The value is underlined, then an underlined tab runs the line to the right tab stop.
        out.append(_p("ZrCoverField", _run(label) + _run_lines(value, _R_UNDERLINE) + tab, ppr))
    return "".join(out)


def _pledge(spec: FrameworkSpec, form: FormData | None) -> str:
    doc = spec.document
    pledge = form.pledge if form is not None else None
    values = (
        (pledge.enterprise_name, pledge.lead, format_date(pledge.date))
        if pledge is not None
        else ("", "", "")
    )
    out = []
    for i, line in enumerate(doc.pledge_title_lines):
        out.append(_p("ZrTitle", _run(line, _R_TITLE), _PAGE_BREAK_BEFORE if i == 0 else ""))
    first_text = '<w:spacing w:before="579"/>'
    if not doc.pledge_title_lines:
        first_text = _PAGE_BREAK_BEFORE
    for i, line in enumerate(_lines(doc.pledge_text)):
        out.append(_p("ZrBody", _run(line), first_text if i == 0 else ""))
    # A block flush with the right margin, its lines left-aligned (as the seed's signature
    # lines), leaving room to sign and seal where a value is empty.
    sign_room = 7 * BODY_EM
    widest = 0
    for label, value in zip(PLEDGE_LABELS, values, strict=True):
        lines = _lines(value)
        widest = max(
            widest,
            _text_width(label + lines[0]) + (sign_room if not value else 0),
            *(_text_width(x) for x in lines[1:]),
        )
    indent = min(max(TEXT_W - widest - 2 * BODY_EM, 0), TEXT_W // 2)
    for i, (label, value) in enumerate(zip(PLEDGE_LABELS, values, strict=True)):
        spacing = '<w:spacing w:before="1158"/>' if i == 0 else ""
        ppr = f'{spacing}<w:ind w:left="{indent}"/>'
        out.append(_p("ZrSignature", _run(label) + _run_lines(value), ppr))
    return "".join(out)


def _evidence_section(static: _Static, number: int, answer: Answer | None) -> str:
    out = [static.headings[number]]
    summary = answer.work_summary if answer is not None else ""
    if summary:
        out.append(_paragraphs("ZrBody", summary))
    else:
        out.append(_p("ZrBody", _run(EMPTY_SUMMARY_HINT)))
    evidence = sorted(answer.evidence, key=lambda e: e.seq) if answer is not None else []
    out.append(_catalog(static.catalogs[number], evidence))
    out.append(_p("ZrLabel", _run(EVIDENCE_CONTENT_LABEL)))
    if evidence:
        for ev in evidence:
            out.append(_p("ZrItem", _run_lines(f"{ev.seq}.{ev.title}"), _KEEP_NEXT))
            for f in ev.files:
                out.append(_p("ZrItem", _run_lines(f"附件：{f.name}")))
            if ev.text:
                out.append(_paragraphs("ZrBody", ev.text))
    else:
        out.extend(_p("ZrItem", _run(line)) for line in EMPTY_EVIDENCE_LINES)
    return "".join(out)


def _evidence_part(spec: FrameworkSpec, static: _Static, answers: dict[int, Answer]) -> str:
    note = spec.document.evidence_note
    out = []
    if note:
        out.append(_p("ZrBody", _run(note), _PAGE_BREAK_BEFORE))
    heading_ppr = '<w:spacing w:before="289"/>' if note else _PAGE_BREAK_BEFORE
    out.append(_p("ZrAttachment", _run(EVIDENCE_HEADING, _R_HEI), heading_ppr))
    for a_idx, area in enumerate(spec.areas, start=1):
        out.append(_p("ZrHeading1", _run(f"{chinese_number(a_idx)}、{area.name}", _R_HEI)))
        for ind in area.indicators:
            out.append(_evidence_section(static, ind.number, answers.get(ind.number)))
    return "".join(out)
