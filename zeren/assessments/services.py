"""Every state change of a self-assessment: one function each, one transaction, one audit event."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zeren.accounts.models import Enterprise, User
from zeren.assessments.checks import Finding
from zeren.assessments.models import (
    Answer,
    AnswerComment,
    EvidenceItem,
    SelfAssessment,
    StoredFile,
)
from zeren.assessments.uploads import PLEDGE_SCAN_TYPES
from zeren.audit.log import record
from zeren.frameworks.models import Indicator
from zeren.lib.limits import TextTooLong, check_lengths

if TYPE_CHECKING:
    from zeren.campaigns.models import Campaign

ANSWER_FIELDS = ("level", "remarks", "work_summary")
COVER_FIELDS = (
    "enterprise_name",
    "business_scope",
    "contact_person",
    "contact_info",
    "pledge_lead",
    "pledge_date",
)


class ServiceError(Exception):
    """A refused change; the message is for the user, in their language."""

    def __init__(self, message: str, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)


def check_text(**values: Any) -> None:
    """Every free text within its length limit (zeren.lib.limits), else a ServiceError."""
    try:
        check_lengths(values)
    except TextTooLong as exc:
        raise ServiceError(exc.message, field=exc.field) from None


class Conflict(ServiceError):
    """Someone else saved first: the caller shows both versions."""

    def __init__(self, message: str, current: dict[str, Any], version: int, by: str):
        super().__init__(message)
        self.current = current
        self.version = version
        self.by = by


class Incomplete(ServiceError):
    def __init__(self, findings: list[Finding]):
        super().__init__(
            _("还有 %(n)d 处必须修改后才能提交") % {"n": sum(f.is_error for f in findings)}
        )
        self.findings = findings


def ensure_editable(sa: SelfAssessment) -> None:
    if not sa.is_editable():
        raise ServiceError(_("该自评材料已提交，当前不能修改；如需修改，请等待主办方退回"))


def create_self_assessment(
    *, campaign: Campaign, enterprise: Enterprise, business_scope: str, by: User | None
) -> SelfAssessment:
    """Creates the form with an empty answer for every indicator of the campaign's framework."""
    business_scope = business_scope.strip()
    if not business_scope:
        raise ServiceError(_("请填写自评业务版块或产品"))
    with transaction.atomic():
        if SelfAssessment.objects.filter(
            campaign=campaign, enterprise=enterprise, business_scope=business_scope
        ).exists():
            raise ServiceError(_("该业务版块在本次评估中已有自评材料"))
        sa = SelfAssessment.objects.create(
            campaign=campaign,
            enterprise=enterprise,
            business_scope=business_scope,
            enterprise_name=enterprise.name,
            contact_person=enterprise.contact_name,
            contact_info=enterprise.contact_phone or enterprise.contact_email,
        )
        Answer.objects.bulk_create(
            Answer(self_assessment=sa, indicator=ind)
            for ind in Indicator.objects.filter(framework_id=campaign.framework_id)
        )
        record(
            by,
            "self_assessment.created",
            sa,
            after={"business_scope": business_scope},
            self_assessment=sa,
        )
    return sa


def _answer_values(a: Answer) -> dict[str, Any]:
    return {"level": a.level, "remarks": a.remarks, "work_summary": a.work_summary}


def _share_lock(sa_id: int) -> SelfAssessment:
    """The self-assessment, locked so that a submit (FOR UPDATE) waits for this save to commit.

    On PostgreSQL a shared lock: people saving different answers of one form do not wait for
    each other. SQLite's write transaction (BEGIN IMMEDIATE) already excludes a concurrent submit.
    """
    if connection.vendor == "postgresql":
        table = SelfAssessment._meta.db_table
        rows = SelfAssessment.objects.raw(
            f"SELECT id, status, enterprise_id FROM {table} WHERE id = %s FOR SHARE", [sa_id]
        )
        return rows[0]
    return SelfAssessment.objects.only("status", "enterprise_id").get(pk=sa_id)


def save_answer(
    *, answer: Answer, by: User, expected_version: int, changes: dict[str, Any]
) -> Answer:
    """Saves some of level/remarks/work_summary unless someone saved since expected_version.

    This is the autosave path, called about once a second per person typing: inside the
    transaction, one SELECT share-locks the self-assessment against a concurrent submit, one UPDATE
    on the answer alone decides (nobody saved since the page loaded) and one INSERT audits it.
    The UPDATE must not join: PostgreSQL re-checks a waiting UPDATE's own row, not a subquery's
    snapshot, so a joined filter would let two saves of one version both win.
    """
    changes = {k: v for k, v in changes.items() if k in ANSWER_FIELDS}
    check_text(**changes)
    if "level" in changes and changes["level"] not in (None, 1, 2, 3, 4, 5):
        raise ServiceError(_("请选择 1 到 5 中的一个等级"))
    now = timezone.now()
    with transaction.atomic():
        sa = _share_lock(answer.self_assessment_id)
        ensure_editable(sa)
        if answer.version == expected_version:
            before = {k: getattr(answer, k) for k in changes}
        else:  # the caller's copy is not the version being replaced
            before = dict(Answer.objects.filter(pk=answer.pk).values(*changes).first() or {})
        updated = Answer.objects.filter(pk=answer.pk, version=expected_version).update(
            **changes, version=F("version") + 1, updated_by=by, updated_at=now
        )
        if not updated:
            current = Answer.objects.select_related("updated_by").get(pk=answer.pk)
            who = str(current.updated_by) if current.updated_by_id else ""
            raise Conflict(
                _("%(who)s 在您编辑期间保存了此指标，请选择保留哪个版本")
                % {"who": who or _("其他人")},
                current=_answer_values(current),
                version=current.version,
                by=who,
            )
        for k, v in changes.items():
            setattr(answer, k, v)
        answer.version, answer.updated_at, answer.updated_by = expected_version + 1, now, by
        record(by, "answer.saved", answer, before=before, after=changes, self_assessment=sa)
    return answer


def save_cover(
    *, assessment: SelfAssessment, by: User, expected_version: int, changes: dict[str, Any]
) -> SelfAssessment:
    """Saves cover and pledge fields with the same optimistic locking as answers."""
    changes = {k: v for k, v in changes.items() if k in COVER_FIELDS}
    check_text(**changes)
    if "business_scope" in changes and not str(changes["business_scope"]).strip():
        raise ServiceError(_("请填写自评业务版块或产品"))
    with transaction.atomic():
        before = SelfAssessment.objects.get(pk=assessment.pk)
        ensure_editable(before)
        updated = SelfAssessment.objects.filter(pk=assessment.pk, version=expected_version).update(
            **changes, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise Conflict(
                _("其他人在您编辑期间修改了封面，请选择保留哪个版本"),
                current={k: getattr(before, k) for k in COVER_FIELDS},
                version=before.version,
                by="",
            )
        after = SelfAssessment.objects.get(pk=assessment.pk)
        record(
            by,
            "self_assessment.cover_saved",
            after,
            before={k: str(getattr(before, k) or "") for k in changes},
            after={k: str(v or "") for k, v in changes.items()},
            self_assessment=after,
        )
    return after


def assign_indicators(
    *, assessment: SelfAssessment, numbers: list[int], assignee: User | None, by: User
) -> int:
    """分派指标: gives the listed indicators to a colleague (or to nobody)."""
    if (
        assignee is not None
        and not assignee.memberships.filter(enterprise_id=assessment.enterprise_id).exists()
    ):
        raise ServiceError(_("只能分派给本企业的成员"))
    with transaction.atomic():
        count = Answer.objects.filter(
            self_assessment=assessment, indicator__number__in=numbers
        ).update(assignee=assignee)
        record(
            by,
            "answer.assigned",
            assessment,
            after={
                "indicators": sorted(numbers),
                "assignee": assignee.username if assignee else None,
            },
            self_assessment=assessment,
        )
    return count


def _next_seq(answer: Answer) -> int:
    return (answer.evidence.aggregate(m=Max("seq"))["m"] or 0) + 1


def save_evidence_item(
    *,
    answer: Answer,
    by: User,
    item: EvidenceItem | None = None,
    title: str,
    note: str = "",
    text: str = "",
    files: list[StoredFile] | None = None,
) -> EvidenceItem:
    """Adds or edits one row of the evidence catalog."""
    title = title.strip()
    if not title:
        raise ServiceError(_("请填写材料名称"))
    check_text(title=title, note=note, text=text)
    with transaction.atomic():
        sa = SelfAssessment.objects.select_for_update().get(pk=answer.self_assessment_id)
        ensure_editable(sa)
        for f in files or []:
            if f.self_assessment_id != sa.pk:
                raise ServiceError(_("文件不属于本自评材料"))
        created = item is None
        if item is None:
            item = EvidenceItem.objects.create(
                answer=answer, seq=_next_seq(answer), title=title, note=note.strip(), text=text
            )
        else:
            item.title, item.note, item.text = title, note.strip(), text
            item.save(update_fields=["title", "note", "text"])
        if files is not None:
            item.files.add(*files)
        record(
            by,
            "evidence.added" if created else "evidence.changed",
            item,
            after={
                "indicator": answer.indicator.number,
                "seq": item.seq,
                "title": title,
                "files": [f.original_name for f in files or []],
            },
            self_assessment=sa,
        )
    return item


def detach_file(*, item: EvidenceItem, stored_file: StoredFile, by: User) -> None:
    with transaction.atomic():
        sa = SelfAssessment.objects.select_for_update().get(pk=item.answer.self_assessment_id)
        ensure_editable(sa)
        item.files.remove(stored_file)
        record(
            by,
            "evidence.file_removed",
            item,
            before={"file": stored_file.original_name},
            self_assessment=sa,
        )


def delete_evidence_item(*, item: EvidenceItem, by: User) -> None:
    with transaction.atomic():
        sa = SelfAssessment.objects.select_for_update().get(pk=item.answer.self_assessment_id)
        ensure_editable(sa)
        answer = item.answer
        before = {"seq": item.seq, "title": item.title}
        pk = item.pk
        item.delete()
        item.pk = pk
        # Keep 序号 contiguous: 1, 2, 3 …
        for seq, other in enumerate(answer.evidence.order_by("seq"), start=1):
            if other.seq != seq:
                other.seq = seq
                other.save(update_fields=["seq"])
        record(by, "evidence.deleted", item, before=before, self_assessment=sa)


def reorder_evidence(*, answer: Answer, order: list[int], by: User) -> None:
    """Sets 序号 from a list of evidence item ids, first = 1."""
    with transaction.atomic():
        sa = SelfAssessment.objects.select_for_update().get(pk=answer.self_assessment_id)
        ensure_editable(sa)
        items = {e.pk: e for e in answer.evidence.all()}
        if sorted(order) != sorted(items):
            raise ServiceError(_("材料列表已变化，请刷新页面后重试"))
        for seq, pk in enumerate(order, start=1):
            items[pk].seq = seq
        EvidenceItem.objects.bulk_update(items.values(), ["seq"])
        record(by, "evidence.reordered", answer, after={"order": order}, self_assessment=sa)


def set_pledge_scan(*, assessment: SelfAssessment, stored_file: StoredFile, by: User) -> None:
    if stored_file.content_type not in PLEDGE_SCAN_TYPES:
        raise ServiceError(_("盖章承诺书请上传 PDF 或图片"))
    with transaction.atomic():
        sa = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
        ensure_editable(sa)
        sa.pledge_scan = stored_file
        sa.save(update_fields=["pledge_scan", "updated_at"])
        record(
            by,
            "self_assessment.pledge_uploaded",
            sa,
            after={"file": stored_file.original_name, "sha256": stored_file.sha256},
            self_assessment=sa,
        )


def add_comment(*, answer: Answer, by: User, body: str) -> AnswerComment:
    """A comment on an indicator; @username mentions colleagues of the same enterprise."""
    body = body.strip()
    if not body:
        raise ServiceError(_("评论不能为空"))
    check_text(body=body)
    enterprise_id = answer.self_assessment.enterprise_id
    with transaction.atomic():
        comment = AnswerComment.objects.create(answer=answer, author=by, body=body)
        names = set(re.findall(r"@([\w.\-]+)", body))
        if names:
            mentioned = list(
                User.objects.filter(
                    username__in=names, memberships__enterprise_id=enterprise_id
                ).distinct()
            )
            comment.mentions.set(mentioned)
            _notify_mentions(comment, mentioned)
        record(
            by,
            "answer.commented",
            answer,
            after={"comment": body},
            self_assessment=answer.self_assessment,
        )
    return comment


def _notify_mentions(comment: AnswerComment, people: list[User]) -> None:
    """E-mails the colleagues a comment mentions, once the comment is saved."""
    from django.core.mail import send_mass_mail
    from django.urls import reverse

    answer = comment.answer
    link = settings.SITE_URL.rstrip("/") + reverse(
        "assessments:indicator", args=[answer.self_assessment_id, answer.indicator.number]
    )
    subject = _("%(who)s 在指标 %(n)d 的评论中提到了您") % {
        "who": comment.author,
        "n": answer.indicator.number,
    }
    messages = [
        (subject, f"{comment.body}\n\n{link}\n", None, [u.email])
        for u in people
        if u.email and u.pk != comment.author_id
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
