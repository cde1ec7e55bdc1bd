"""The organizer's campaign work: create, open, extend, close, archive, bring enterprises in,
re-send invitations and remind; each change is one function, one transaction, one audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zeren.accounts.models import Enterprise, Invitation, Membership, Role, User
from zeren.accounts.services import invite_member
from zeren.assessments.models import SelfAssessment
from zeren.assessments.services import ServiceError, create_self_assessment
from zeren.audit.log import record
from zeren.campaigns.enterprise_import import EnterpriseRow, Preview, check_rows, existing_for
from zeren.campaigns.models import Campaign
from zeren.campaigns.reminders import ReminderRecipient, reminder_recipients
from zeren.frameworks.models import Framework

Status = Campaign.Status


class ImportRefused(ServiceError):
    """The rows have errors: nothing was imported."""

    def __init__(self, preview: Preview):
        super().__init__(_("有 %(n)d 行存在错误，未导入任何数据") % {"n": preview.error_rows})
        self.preview = preview


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value


def _check_dates(opens_at: dt.datetime, closes_at: dt.datetime) -> None:
    if closes_at <= opens_at:
        raise ServiceError(_("截止时间必须晚于开始时间"))


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


# Campaigns -----------------------------------------------------------------------------------


def create_campaign(
    *,
    framework: Framework,
    title: str,
    year: int,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    instructions: str = "",
    by: User,
) -> Campaign:
    """Creates a campaign in preparation (筹备中); enterprises can be brought in before it opens."""
    title = title.strip()
    if not title:
        raise ServiceError(_("请填写评估工作名称"))
    _check_dates(opens_at, closes_at)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            framework=framework,
            title=title,
            year=year,
            opens_at=opens_at,
            closes_at=closes_at,
            instructions=instructions.strip(),
        )
        record(
            by,
            "campaign.created",
            campaign,
            after={
                "title": title,
                "year": year,
                "framework": f"{framework.key}:{framework.version}",
                "opens_at": _iso(opens_at),
                "closes_at": _iso(closes_at),
            },
        )
    return campaign


EDITABLE_FIELDS = ("title", "year", "instructions", "framework", "opens_at", "closes_at")


def update_campaign(*, campaign: Campaign, by: User, changes: dict[str, Any]) -> Campaign:
    """Edits title, year and instructions; the framework and dates only while in preparation."""
    changes = {k: v for k, v in changes.items() if k in EDITABLE_FIELDS}
    with transaction.atomic():
        c = _locked(campaign)
        if c.status == Status.ARCHIVED:
            raise ServiceError(_("已归档的评估工作不能修改"))
        changed = {k: v for k, v in changes.items() if getattr(c, k) != v}
        if "title" in changed:
            changed["title"] = str(changed["title"]).strip()
            if not changed["title"]:
                raise ServiceError(_("请填写评估工作名称"))
        if "framework" in changed and c.self_assessments.exists():
            raise ServiceError(_("已有企业加入本次评估工作，不能更换指标体系"))
        if c.status != Status.DRAFT and ({"opens_at", "closes_at"} & changed.keys()):
            raise ServiceError(
                _("评估工作已开启，不能修改开始时间；如需推迟截止时间，请使用“延长截止时间”")
            )
        _check_dates(changed.get("opens_at", c.opens_at), changed.get("closes_at", c.closes_at))
        if not changed:
            return c
        before = {k: _iso(getattr(c, k)) for k in changed}
        for k, v in changed.items():
            setattr(c, k, v)
        c.save(update_fields=list(changed))
        record(
            by,
            "campaign.changed",
            c,
            before={k: str(v) if k == "framework" else v for k, v in before.items()},
            after={k: str(v) if k == "framework" else _iso(v) for k, v in changed.items()},
        )
    return c


def _transition(
    campaign: Campaign, by: User, *, to: str, allowed: tuple[str, ...], error: str, action: str
) -> Campaign:
    with transaction.atomic():
        c = _locked(campaign)
        if c.status not in allowed:
            raise ServiceError(error % {"status": c.get_status_display()})
        before = c.status
        c.status = to
        c.save(update_fields=["status"])
        record(by, action, c, before={"status": before}, after={"status": to})
    return c


def open_campaign(*, campaign: Campaign, by: User) -> Campaign:
    """筹备中 → 进行中: enterprises may submit from the start time until the deadline."""
    if campaign.status == Status.DRAFT and campaign.closes_at <= timezone.now():
        raise ServiceError(_("截止时间已过，请先修改截止时间再开启"))
    return _transition(
        campaign,
        by,
        to=Status.OPEN,
        allowed=(Status.DRAFT,),
        error=_("只有筹备中的评估工作可以开启（当前：%(status)s）"),
        action="campaign.opened",
    )


def close_campaign(*, campaign: Campaign, by: User) -> Campaign:
    """进行中 → 已截止: no more submissions, whatever the deadline says."""
    return _transition(
        campaign,
        by,
        to=Status.CLOSED,
        allowed=(Status.OPEN,),
        error=_("只有进行中的评估工作可以截止（当前：%(status)s）"),
        action="campaign.closed",
    )


def archive_campaign(*, campaign: Campaign, by: User) -> Campaign:
    """已截止 → 已归档: read-only from now on."""
    return _transition(
        campaign,
        by,
        to=Status.ARCHIVED,
        allowed=(Status.CLOSED,),
        error=_("只有已截止的评估工作可以归档，请先截止（当前：%(status)s）"),
        action="campaign.archived",
    )


def extend_deadline(*, campaign: Campaign, closes_at: dt.datetime, by: User) -> Campaign:
    """延长截止时间: only later than the current deadline and in the future."""
    with transaction.atomic():
        c = _locked(campaign)
        if c.status not in (Status.DRAFT, Status.OPEN):
            raise ServiceError(
                _("只有筹备中或进行中的评估工作可以延长截止时间（当前：%(status)s）")
                % {"status": c.get_status_display()}
            )
        if closes_at <= c.closes_at:
            raise ServiceError(_("新的截止时间必须晚于当前截止时间"))
        if closes_at <= timezone.now():
            raise ServiceError(_("新的截止时间必须晚于现在"))
        before = c.closes_at
        c.closes_at = closes_at
        c.save(update_fields=["closes_at"])
        record(
            by,
            "campaign.deadline_extended",
            c,
            before={"closes_at": _iso(before)},
            after={"closes_at": _iso(closes_at)},
        )
    return c


# Bringing enterprises in ---------------------------------------------------------------------


@dataclass
class AddResult:
    self_assessments: list[SelfAssessment] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    created: set[int] = field(default_factory=set)  # enterprise ids
    reused: set[int] = field(default_factory=set)

    @property
    def created_enterprises(self) -> int:
        return len(self.created)

    @property
    def reused_enterprises(self) -> int:
        return len(self.reused)


def _ensure_can_add(campaign: Campaign) -> None:
    if campaign.status not in (Status.DRAFT, Status.OPEN):
        raise ServiceError(
            _("%(status)s的评估工作不能再添加企业") % {"status": campaign.get_status_display()}
        )


@dataclass
class _Known:
    """What the import reads once instead of once a row: enterprises by credit code, and who
    is already an admin or holds an open invitation, as (enterprise id, e-mail)."""

    enterprises: dict[str, Enterprise]
    reached: set[tuple[int, str]]

    @classmethod
    def load(cls, rows: list[EnterpriseRow]) -> _Known:
        enterprises = {
            e.credit_code: e
            for e in Enterprise.objects.filter(credit_code__in={r.credit_code for r in rows})
        }
        ids = [e.pk for e in enterprises.values()]
        admins = Membership.objects.filter(
            enterprise_id__in=ids, role=Role.ENTERPRISE_ADMIN
        ).values_list("enterprise_id", "user__email")
        pending = Invitation.objects.filter(
            enterprise_id__in=ids, accepted_at__isnull=True, expires_at__gt=timezone.now()
        ).values_list("enterprise_id", "email")
        return cls(enterprises, {(e, m.lower()) for e, m in [*admins, *pending] if e and m})


def _add_one(
    campaign: Campaign, row: EnterpriseRow, by: User, result: AddResult, known: _Known
) -> None:
    enterprise = known.enterprises.get(row.credit_code)
    if enterprise is None:
        # The row passed check_rows: the code is valid and not taken, the lengths fit.
        enterprise = Enterprise.objects.create(
            name=row.name,
            credit_code=row.credit_code,
            contact_name=row.contact_name,
            contact_email=row.email,
            contact_phone=row.phone,
        )
        known.enterprises[row.credit_code] = enterprise
        record(
            by,
            "enterprise.created",
            enterprise,
            after={"name": row.name, "credit_code": row.credit_code},
        )
        result.created.add(enterprise.pk)
    elif enterprise.pk not in result.created:
        result.reused.add(enterprise.pk)
    sa = create_self_assessment(
        campaign=campaign, enterprise=enterprise, business_scope=row.business_scope, by=by
    )
    result.self_assessments.append(sa)
    invitation = None
    who = (enterprise.pk, row.email.strip().lower())
    if who not in known.reached:
        invitation, _link = invite_member(
            enterprise=enterprise,
            email=row.email,
            name=row.contact_name,
            role=Role.ENTERPRISE_ADMIN,
            by=by,
        )
        known.reached.add(who)
        result.invitations.append(invitation)
    record(
        by,
        "campaign.enterprise_added",
        campaign,
        after={
            "enterprise": enterprise.name,
            "credit_code": enterprise.credit_code,
            "business_scope": sa.business_scope,
            "invited": invitation.email if invitation else None,
        },
        self_assessment=sa,
    )


def import_enterprises(*, campaign: Campaign, rows: list[EnterpriseRow], by: User) -> AddResult:
    """Adds every row or none: enterprise (reused by credit code), self-assessment, invitation."""
    if not rows:
        raise ServiceError(_("没有可导入的企业"))
    result = AddResult()
    try:
        with transaction.atomic():
            c = _locked(campaign)
            _ensure_can_add(c)
            preview = check_rows(rows, **existing_for(c, rows))
            if preview.error_rows:
                raise ImportRefused(preview)
            known = _Known.load(rows)
            for row in rows:
                _add_one(c, row, by, result, known)
            if len(rows) > 1:
                record(
                    by,
                    "campaign.enterprises_imported",
                    c,
                    after={
                        "rows": len(rows),
                        "created_enterprises": result.created_enterprises,
                        "reused_enterprises": result.reused_enterprises,
                        "invitations": len(result.invitations),
                    },
                )
    except IntegrityError:
        # Someone added the same enterprise at the same moment.
        raise ServiceError(_("数据已被他人同时修改，请重新导入")) from None
    return result


def add_enterprise(*, campaign: Campaign, row: EnterpriseRow, by: User) -> AddResult:
    """Adds one enterprise to a campaign (the single-entry form)."""
    return import_enterprises(campaign=campaign, rows=[row], by=by)


def resend_invitation(*, invitation: Invitation, by: User) -> tuple[Invitation, str]:
    """A new link for the same person; every earlier open link of theirs stops working."""
    with transaction.atomic():
        old = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if old.accepted_at is not None:
            raise ServiceError(_("该邀请已被接受，无需重新发送"))
        Invitation.objects.filter(
            enterprise=old.enterprise, email__iexact=old.email, accepted_at__isnull=True
        ).update(expires_at=timezone.now())
        new, link = invite_member(
            enterprise=old.enterprise, email=old.email, name=old.name, role=old.role, by=by
        )
        record(
            by,
            "invitation.resent",
            new,
            before={"invitation": old.pk},
            after={"invitation": new.pk, "email": new.email},
        )
    return new, link


# Reminders -----------------------------------------------------------------------------------


def reminder_message(
    campaign: Campaign, recipient: ReminderRecipient, now: dt.datetime | None = None
) -> tuple[str, str]:
    """The reminder's subject and body for one enterprise admin."""
    left = campaign.days_left(now)
    deadline = timezone.localtime(campaign.closes_at).strftime("%Y-%m-%d %H:%M")
    lines = "\n".join(
        f"  - {a.enterprise_name} · {a.business_scope}（{a.status_label}）"
        for a in recipient.assessments
    )
    subject = _("【提醒】请按时提交“%(title)s”自评材料") % {"title": campaign.title}
    body = _(
        "%(name)s，您好：\n\n"
        "“%(title)s”的截止时间为 %(deadline)s（剩余 %(days)s 天）。"
        "以下自评材料尚未提交：\n%(lines)s\n\n"
        "请登录 %(link)s 完成填报并提交。\n"
    ) % {
        "name": recipient.name,
        "title": campaign.title,
        "deadline": deadline,
        "days": left if left is not None else 0,
        "lines": lines,
        "link": settings.SITE_URL.rstrip("/") + reverse("home"),
    }
    return subject, body


def send_reminders(*, campaign: Campaign, by: User) -> int:
    """One e-mail to every admin of an enterprise that has not submitted; sent on commit."""
    with transaction.atomic():
        c = _locked(campaign)
        if c.status != Status.OPEN:
            raise ServiceError(
                _("只有进行中的评估工作可以发送提醒（当前：%(status)s）")
                % {"status": c.get_status_display()}
            )
        recipients, _unreachable = reminder_recipients(c)
        if not recipients:
            raise ServiceError(_("没有需要提醒的企业管理员"))
        messages = []
        for r in recipients:
            subject, body = reminder_message(c, r)
            messages.append(EmailMessage(subject=subject, body=body, to=[r.email]))
        record(
            by,
            "campaign.reminded",
            c,
            after={"recipients": [r.email for r in recipients]},
        )
        transaction.on_commit(lambda: get_connection().send_messages(messages))
    return len(messages)
