"""The submission lifecycle: check, submit (freeze a snapshot and its receipt), return for
revision, accept, and start again from an earlier submission. Every state change is one
function in one transaction with its audit event."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zeren.accounts.models import User
from zeren.assessments.checks import Finding, check_form
from zeren.assessments.formdata import FormData
from zeren.assessments.models import (
    RevisionRequest,
    SelfAssessment,
    StoredFile,
    Submission,
)
from zeren.assessments.services import (
    Incomplete,
    ServiceError,
    check_text,
    ensure_editable,
)
from zeren.assessments.snapshot import apply_form, form_from_assessment
from zeren.audit.log import record
from zeren.frameworks.loader import spec_from_db
from zeren.frameworks.models import Indicator


def check_assessment(sa: SelfAssessment) -> list[Finding]:
    """完整性检查 of the current state."""
    form = form_from_assessment(sa)
    return check_form(
        form,
        spec_from_db(sa.campaign.framework),
        max_file_size=settings.ZEREN_MAX_UPLOAD_MB * 1024 * 1024,
    )


def submit_self_assessment(*, assessment: SelfAssessment, by: User) -> Submission:
    """Freezes the current state as the next Submission; refused while errors remain."""
    with transaction.atomic():
        sa = (
            SelfAssessment.objects.select_for_update()
            .select_related("campaign__framework")
            .get(pk=assessment.pk)
        )
        if not sa.is_editable():
            raise ServiceError(_("该自评材料已提交，无需重复提交"))
        if not sa.campaign.is_accepting_submissions():
            raise ServiceError(_("本次评估工作未开放或已截止，不能提交"))
        sa.submission_date = timezone.localdate()
        sa.save(update_fields=["submission_date", "updated_at"])
        form = form_from_assessment(sa)
        findings = check_form(
            form,
            spec_from_db(sa.campaign.framework),
            max_file_size=settings.ZEREN_MAX_UPLOAD_MB * 1024 * 1024,
        )
        if any(f.is_error for f in findings):
            raise Incomplete(findings)
        before = sa.status
        submission = freeze_submission(sa, form, by=by)
        record(
            by,
            "self_assessment.submitted",
            sa,
            before={"status": before},
            after={
                "status": sa.status,
                "submission": submission.number,
                "sha256": submission.sha256,
            },
            self_assessment=sa,
        )
    return submission


def freeze_submission(sa: SelfAssessment, form: FormData, *, by: User) -> Submission:
    """Stores form as sa's next numbered Submission and marks sa submitted.

    The caller holds the transaction and the row lock, and records its own audit event.
    """
    number = (sa.submissions.aggregate(m=Max("number"))["m"] or 0) + 1
    submission = Submission.objects.create(
        self_assessment=sa,
        number=number,
        snapshot=form.to_jsonable(),
        sha256=form.sha256(),
        submitted_at=timezone.now(),
        submitted_by=by,
    )
    sa.status = SelfAssessment.Status.SUBMITTED
    sa.save(update_fields=["status", "updated_at"])
    return submission


def return_for_revision(
    *,
    submission: Submission,
    by: User,
    comments: list[dict[str, Any]],
    message: str = "",
    deadline: Any = None,
) -> RevisionRequest:
    """退回修改 with comments on chosen indicators; the enterprise may edit again."""
    check_text(message=message)
    for c in comments:
        check_text(comment=str(c.get("comment", "")))
    with transaction.atomic():
        sa = SelfAssessment.objects.select_for_update().get(pk=submission.self_assessment_id)
        if sa.status != SelfAssessment.Status.SUBMITTED:
            raise ServiceError(_("只有已提交、尚未审核的材料可以退回"))
        latest = sa.submissions.order_by("-number").first()
        if latest is None or latest.pk != submission.pk:
            raise ServiceError(_("只能退回最新提交的版本"))
        numbers = set(
            Indicator.objects.filter(framework_id=sa.campaign.framework_id).values_list(
                "number", flat=True
            )
        )
        clean = []
        for c in comments:
            n = int(c["indicator"])
            if n not in numbers:
                raise ServiceError(_("指标 %(n)d 不存在") % {"n": n})
            clean.append({"indicator": n, "comment": str(c.get("comment", "")).strip()})
        if not clean and not message.strip():
            raise ServiceError(_("请说明退回原因，或选择需要修改的指标"))
        req = RevisionRequest.objects.create(
            submission=submission,
            message=message.strip(),
            comments=clean,
            deadline=deadline,
            created_by=by,
        )
        sa.status = SelfAssessment.Status.RETURNED
        sa.save(update_fields=["status", "updated_at"])
        record(
            by,
            "self_assessment.returned",
            sa,
            before={"status": "submitted"},
            after={
                "status": "returned",
                "indicators": [c["indicator"] for c in clean],
                "message": message,
            },
            self_assessment=sa,
        )
    return req


def accept_submission(*, submission: Submission, by: User) -> None:
    """审核通过: closes the review of the latest submission."""
    with transaction.atomic():
        sa = SelfAssessment.objects.select_for_update().get(pk=submission.self_assessment_id)
        if sa.status != SelfAssessment.Status.SUBMITTED:
            raise ServiceError(_("只有已提交的材料可以审核通过"))
        sa.status = SelfAssessment.Status.ACCEPTED
        sa.save(update_fields=["status", "updated_at"])
        record(
            by,
            "self_assessment.accepted",
            sa,
            before={"status": "submitted"},
            after={"status": "accepted", "submission": submission.number},
            self_assessment=sa,
        )


def start_from_submission(*, assessment: SelfAssessment, source: Submission, by: User) -> int:
    """Starts a draft from an earlier submission; returns how many indicators were carried over.

    Indicators correspond by 序号 within one framework version, and through the indicator
    mapping between two versions (zeren.frameworks.mapping); files are carried over by
    linking the earlier self-assessment's stored files into this one's library.
    """
    with transaction.atomic():
        sa = (
            SelfAssessment.objects.select_for_update()
            .select_related("campaign__framework")
            .get(pk=assessment.pk)
        )
        ensure_editable(sa)
        if sa.submissions.exists():
            raise ServiceError(_("已提交过的自评材料不能再从往年导入"))
        old = FormData.model_validate(source.snapshot)
        fw = sa.campaign.framework
        if old.framework.id != fw.key:
            raise ServiceError(_("往年材料使用的指标体系与本次不同，无法对应"))
        numbers = set(Indicator.objects.filter(framework=fw).values_list("number", flat=True))
        if old.framework.version != fw.version:
            # Another version of the framework: indicators correspond through its mapping.
            from zeren.frameworks.mapping import carry_answers
            from zeren.frameworks.models import Framework

            source_fw = Framework.objects.filter(
                key=old.framework.id, version=old.framework.version
            ).first()
            carried = carry_answers(old.answers, source_fw, fw)
            if carried is None:
                raise ServiceError(
                    _("往年材料的指标体系版本与本次不同，且尚未载入指标映射，无法对应")
                )
            old.answers = carried
        old.answers = [a for a in old.answers if a.indicator in numbers]
        old.cover.submission_date = None
        old.pledge.date = None
        old.pledge.scan = None
        old_files = {
            f.sha256: f
            for f in StoredFile.objects.filter(
                self_assessment_id=source.self_assessment_id, kind=StoredFile.Kind.EVIDENCE
            )
        }
        files_by_sha: dict[str, StoredFile] = {}
        for sha, f in old_files.items():
            copy, _created = StoredFile.objects.get_or_create(
                self_assessment=sa,
                kind=StoredFile.Kind.EVIDENCE,
                sha256=sha,
                defaults={
                    "enterprise_id": sa.enterprise_id,
                    "size": f.size,
                    "content_type": f.content_type,
                    "original_name": f.original_name,
                    "storage_key": f.storage_key,
                    "uploaded_by": by,
                },
            )
            files_by_sha[sha] = copy
        old.cover.business_scope = sa.business_scope
        apply_form(old, sa, files_by_sha=files_by_sha)
        record(
            by,
            "self_assessment.started_from_submission",
            sa,
            after={"source_submission": source.pk, "indicators": len(old.answers)},
            self_assessment=sa,
        )
    return len(old.answers)
