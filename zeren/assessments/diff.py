"""Differences between two versions of a form, indicator by indicator. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from zeren.assessments.formdata import Answer, Evidence, FormData
from zeren.frameworks.spec import FrameworkSpec


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class SectionChange:
    title: str
    indicator: int | None
    fields: list[FieldChange] = field(default_factory=list)


def _evidence_text(items: list[Evidence]) -> str:
    lines = []
    for e in items:
        files = "、".join(f.name for f in e.files)
        line = f"{e.seq}. {e.title}"
        if e.note:
            line += f"（{e.note}）"
        if files:
            line += f" — {files}"
        lines.append(line)
    return "\n".join(lines)


def diff_forms(old: FormData, new: FormData, spec: FrameworkSpec) -> list[SectionChange]:
    """What changed from old to new: the cover, the pledge, then each changed indicator."""
    out: list[SectionChange] = []
    cover = SectionChange(_("封面与承诺书"), None)
    for label, before, after in (
        (_("企业名称（公章）"), old.cover.enterprise_name, new.cover.enterprise_name),
        (_("自评业务版块或产品"), old.cover.business_scope, new.cover.business_scope),
        (_("联系人"), old.cover.contact_person, new.cover.contact_person),
        (_("联系方式"), old.cover.contact_info, new.cover.contact_info),
        (_("评估工作负责人"), old.pledge.lead, new.pledge.lead),
        (
            _("盖章承诺书"),
            old.pledge.scan.sha256 if old.pledge.scan else "",
            new.pledge.scan.sha256 if new.pledge.scan else "",
        ),
    ):
        if before != after:
            cover.fields.append(FieldChange(label, before, after))
    if cover.fields:
        out.append(cover)
    old_answers = {a.indicator: a for a in old.answers}
    new_answers = {a.indicator: a for a in new.answers}
    for ind in spec.indicators:
        a = old_answers.get(ind.number) or Answer(indicator=ind.number)
        b = new_answers.get(ind.number) or Answer(indicator=ind.number)
        section = SectionChange(f"{ind.number}. {ind.name}", ind.number)
        if a.level != b.level:
            section.fields.append(
                FieldChange(_("企业自评"), ind.label(a.level), ind.label(b.level))
            )
        if a.remarks != b.remarks:
            section.fields.append(FieldChange(_("备注"), a.remarks, b.remarks))
        if a.work_summary != b.work_summary:
            section.fields.append(
                FieldChange(_("相关工作情况介绍"), a.work_summary, b.work_summary)
            )
        if _evidence_text(a.evidence) != _evidence_text(b.evidence) or [
            e.text for e in a.evidence
        ] != [e.text for e in b.evidence]:
            section.fields.append(
                FieldChange(_("佐证材料"), _evidence_text(a.evidence), _evidence_text(b.evidence))
            )
        if section.fields:
            out.append(section)
    return out
