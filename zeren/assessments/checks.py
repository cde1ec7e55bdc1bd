"""完整性检查: what stands between a self-assessment and its submission. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from zeren.assessments.formdata import Answer, FormData
from zeren.frameworks.spec import FrameworkSpec

ERROR = "error"
WARNING = "warning"

_PHONE = re.compile(
    r"^(\+?86[- ]?)?(1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8}([- ]?(转|ext\.?|-)\s*\d{1,6})?|400[- ]?\d{3}[- ]?\d{4})$"
)


def contact_info_error(value: str) -> str | None:
    """联系方式 must be a phone number or an e-mail address (several may be separated by ；/,)."""
    parts = [p.strip() for p in re.split(r"[;；,，、/\s]+(?=\S)", value.strip()) if p.strip()]
    if not parts:
        return _("请填写联系方式")
    for part in parts:
        if "@" in part:
            try:
                validate_email(part)
            except ValidationError:
                return _("“%(value)s”不是有效的电子邮箱") % {"value": part}
        elif not _PHONE.match(
            part.replace("（", "(").replace("）", ")").replace("(", "").replace(")", "")
        ):
            return _("“%(value)s”不是有效的电话号码或电子邮箱") % {"value": part}
    return None


NOT_STARTED, IN_PROGRESS, COMPLETE = "not_started", "in_progress", "complete"


def answer_status(answer: Answer, spec: FrameworkSpec) -> str:
    """An indicator's progress: not started, in progress, or complete (rated, described, and
    evidenced where its level needs evidence)."""
    if (
        answer.level is None
        and not answer.work_summary.strip()
        and not answer.evidence
        and not answer.remarks.strip()
    ):
        return NOT_STARTED
    needs_evidence = answer.level in spec.evidence_levels
    if (
        answer.level is not None
        and answer.work_summary.strip()
        and (answer.evidence or not needs_evidence)
    ):
        return COMPLETE
    return IN_PROGRESS


@dataclass(frozen=True)
class Finding:
    severity: str  # error blocks submitting; warning does not
    code: str
    message: str
    indicator: int | None = None
    field: str = ""  # where to fix it: cover, pledge, level, work_summary, evidence

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def check_form(form: FormData, spec: FrameworkSpec, *, max_file_size: int) -> list[Finding]:
    """Every finding, errors first, in form order."""
    findings: list[Finding] = []
    cover = form.cover
    for value, label in (
        (cover.enterprise_name, _("企业名称（公章）")),
        (cover.business_scope, _("自评业务版块或产品")),
        (cover.contact_person, _("联系人")),
    ):
        if not value.strip():
            findings.append(
                Finding(
                    ERROR,
                    "cover_incomplete",
                    _("封面未填写：%(label)s") % {"label": label},
                    None,
                    "cover",
                )
            )
    if cover.contact_info.strip():
        error = contact_info_error(cover.contact_info)
        if error:
            findings.append(Finding(ERROR, "contact_info_invalid", error, None, "cover"))
    else:
        findings.append(
            Finding(
                ERROR,
                "cover_incomplete",
                _("封面未填写：%(label)s") % {"label": _("联系方式")},
                None,
                "cover",
            )
        )
    if not form.pledge.lead.strip():
        findings.append(
            Finding(ERROR, "pledge_incomplete", _("诚信承诺书未填写评估工作负责人"), None, "pledge")
        )
    if form.pledge.date is None:
        findings.append(
            Finding(ERROR, "pledge_incomplete", _("诚信承诺书未填写日期"), None, "pledge")
        )
    if form.pledge.scan is None:
        findings.append(
            Finding(
                ERROR, "pledge_scan_missing", _("尚未上传盖章的诚信承诺书扫描件"), None, "pledge"
            )
        )
    answers = {a.indicator: a for a in form.answers}
    for ind in spec.indicators:
        a = answers.get(ind.number)
        name = f"{ind.number}. {ind.name}"
        if a is None or a.level is None:
            findings.append(
                Finding(
                    ERROR,
                    "no_level",
                    _("指标 %(name)s 未自评") % {"name": name},
                    ind.number,
                    "level",
                )
            )
            continue
        if a.level in spec.evidence_levels and not a.evidence:
            findings.append(
                Finding(
                    spec.evidence_severity,
                    "evidence_missing",
                    _("指标 %(name)s 自评为“%(label)s”，但没有佐证材料")
                    % {"name": name, "label": ind.label(a.level)},
                    ind.number,
                    "evidence",
                )
            )
        if not a.work_summary.strip():
            findings.append(
                Finding(
                    WARNING,
                    "no_work_summary",
                    _("指标 %(name)s 未填写相关工作情况介绍") % {"name": name},
                    ind.number,
                    "work_summary",
                )
            )
        for ev in a.evidence:
            if not ev.files and not ev.text.strip():
                findings.append(
                    Finding(
                        WARNING,
                        "evidence_empty",
                        _("指标 %(name)s 的佐证材料“%(title)s”没有文件或文字内容")
                        % {"name": name, "title": ev.title},
                        ind.number,
                        "evidence",
                    )
                )
            for f in ev.files:
                if f.size > max_file_size:
                    findings.append(
                        Finding(
                            ERROR,
                            "file_too_large",
                            _("指标 %(name)s 的文件“%(file)s”超过大小限制")
                            % {"name": name, "file": f.name},
                            ind.number,
                            "evidence",
                        )
                    )
    findings.sort(key=lambda f: 0 if f.is_error else 1)
    return findings
