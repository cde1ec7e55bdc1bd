"""Aggregates for the organizer, as dataclasses; each function runs a fixed number of queries
whatever the number of enterprises."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zeren.accounts.models import Invitation, Membership, Role
from zeren.assessments.models import Answer, SelfAssessment, Submission
from zeren.audit.models import AuditEvent
from zeren.campaigns.models import Campaign
from zeren.frameworks.models import Area

SA = SelfAssessment.Status


class Stage(models.TextChoices):
    """Where a self-assessment stands, as the dashboard counts it."""

    NOT_STARTED = "not_started", gettext_lazy("未开始")
    DRAFTING = "drafting", gettext_lazy("填报中")
    SUBMITTED = "submitted", gettext_lazy("已提交")
    RETURNED = "returned", gettext_lazy("退回修改")
    ACCEPTED = "accepted", gettext_lazy("审核通过")


class Sort(models.TextChoices):
    NAME = "name", gettext_lazy("企业名称")
    COMPLETION = "completion", gettext_lazy("完成度")
    ACTIVITY = "activity", gettext_lazy("最近活动")


def _percent(done: int, total: int) -> int:
    return math.floor(100 * done / total) if total else 0


@dataclass(frozen=True)
class AreaProgress:
    name: str
    rated: int
    total: int

    @property
    def percent(self) -> int:
        return _percent(self.rated, self.total)


@dataclass(frozen=True)
class AssessmentProgress:
    self_assessment_id: int
    enterprise_id: int
    enterprise_name: str
    credit_code: str
    business_scope: str
    status: str
    stage: Stage
    areas: tuple[AreaProgress, ...]
    last_activity_at: dt.datetime | None
    latest_submission_id: int | None
    latest_submission_number: int | None

    @property
    def rated(self) -> int:
        return sum(a.rated for a in self.areas)

    @property
    def total(self) -> int:
        return sum(a.total for a in self.areas)

    @property
    def percent(self) -> int:
        return _percent(self.rated, self.total)


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    area_names: tuple[str, ...]
    counts: dict[str, int]
    total: int
    rows: list[AssessmentProgress]
    days_left: int | None
    matched: int = 0  # rows that pass the filters, on every page
    offset: int = 0
    limit: int | None = None

    def count_list(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.counts.get(s.value, 0)) for s in Stage]

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1 if self.limit else 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.matched // self.limit)) if self.limit else 1


def _stage(status: str, rated: int) -> Stage:
    if status == SA.DRAFT:
        return Stage.DRAFTING if rated else Stage.NOT_STARTED
    return Stage(status)


def campaign_progress(
    campaign: Campaign,
    *,
    stage: str = "",
    search: str = "",
    sort: str = Sort.NAME,
    now: dt.datetime | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> CampaignProgress:
    """填报进度 of a campaign in four queries whatever its size: the areas; counts by stage over
    all self-assessments (in the database); one page of rows filtered by stage and by a search in
    names, codes and business scopes, sorted; the page's completion by area (and the number
    matched, a fifth query, when searching). Without a limit, every row (the export)."""
    areas = list(
        Area.objects.filter(framework_id=campaign.framework_id)
        .annotate(n=Count("topics__indicators"))
        .order_by("position")
        .values_list("pk", "name", "n")
    )
    started = models.Exists(
        Answer.objects.filter(self_assessment=OuterRef("pk"), level__isnull=False)
    )
    base = SelfAssessment.objects.filter(campaign=campaign)
    counts: dict[str, int] = {}
    for status, n, n_started in (
        base.values_list("status")
        .annotate(n=Count("pk"), s=Count("pk", filter=models.Q(started)))
        .order_by()
        .values_list("status", "n", "s")
    ):
        if status == SA.DRAFT:
            for st, value in ((Stage.DRAFTING, n_started), (Stage.NOT_STARTED, n - n_started)):
                if value:
                    counts[st.value] = value
        else:
            counts[status] = counts.get(status, 0) + n
    total = sum(counts.values())
    rows_qs = base
    if stage == Stage.NOT_STARTED:
        rows_qs = rows_qs.filter(~started, status=SA.DRAFT)
    elif stage == Stage.DRAFTING:
        rows_qs = rows_qs.filter(started, status=SA.DRAFT)
    elif stage:
        rows_qs = rows_qs.filter(status=stage)
    needle = search.strip()
    if needle:
        rows_qs = rows_qs.filter(
            models.Q(enterprise__name__icontains=needle)
            | models.Q(business_scope__icontains=needle)
            | models.Q(enterprise__credit_code__icontains=needle)
        )
    latest = Submission.objects.filter(self_assessment=OuterRef("pk")).order_by("-number")
    rows_qs = rows_qs.annotate(
        last_activity_at=Subquery(
            AuditEvent.objects.filter(self_assessment=OuterRef("pk"))
            .order_by("-at")
            .values("at")[:1]
        ),
        latest_submission_id=Subquery(latest.values("pk")[:1]),
        latest_submission_number=Subquery(latest.values("number")[:1]),
    )
    tie = ["enterprise__name", "business_scope", "pk"]
    if sort == Sort.COMPLETION:
        rated_count = Coalesce(
            Subquery(
                Answer.objects.filter(self_assessment=OuterRef("pk"), level__isnull=False)
                .order_by()
                .values("self_assessment_id")
                .annotate(c=Count("pk"))
                .values("c")[:1]
            ),
            0,
        )
        rows_qs = rows_qs.annotate(rated=rated_count).order_by("-rated", *tie)
    elif sort == Sort.ACTIVITY:
        rows_qs = rows_qs.order_by(models.F("last_activity_at").desc(nulls_last=True), *tie)
    else:
        rows_qs = rows_qs.order_by(*tie)
    values = rows_qs.values_list(
        "pk",
        "enterprise_id",
        "enterprise__name",
        "enterprise__credit_code",
        "business_scope",
        "status",
        "last_activity_at",
        "latest_submission_id",
        "latest_submission_number",
    )
    page = list(values[offset : offset + limit] if limit is not None else values[offset:])
    ids = [r[0] for r in page]
    rated: dict[tuple[int, int], int] = (
        {
            (r["self_assessment_id"], r["indicator__topic__area_id"]): r["n"]
            for r in Answer.objects.filter(self_assessment_id__in=ids, level__isnull=False)
            .values("self_assessment_id", "indicator__topic__area_id")
            .annotate(n=Count("pk"))
            .order_by()
        }
        if ids
        else {}
    )
    rows = []
    # The number matched, from the counts by stage unless a search narrows it (one more query).
    # No window function: it would make the database compute every row's subqueries, not just
    # the page's.
    if needle:
        matched = rows_qs.count()
    elif stage:
        matched = counts.get(stage, 0)
    else:
        matched = total
    for pk, ent_id, ent_name, code, scope, status, last, sub_id, sub_no in page:
        by_area = tuple(
            AreaProgress(name, rated.get((pk, area_id), 0), n) for area_id, name, n in areas
        )
        n_rated = sum(a.rated for a in by_area)
        rows.append(
            AssessmentProgress(
                self_assessment_id=pk,
                enterprise_id=ent_id,
                enterprise_name=ent_name,
                credit_code=code,
                business_scope=scope,
                status=status,
                stage=_stage(status, n_rated),
                areas=by_area,
                last_activity_at=last,
                latest_submission_id=sub_id,
                latest_submission_number=sub_no,
            )
        )
    return CampaignProgress(
        campaign=campaign,
        area_names=tuple(name for _pk, name, _n in areas),
        counts=counts,
        total=total,
        rows=rows,
        days_left=campaign.days_left(now),
        matched=matched,
        offset=offset,
        limit=limit,
    )


# Enterprises and their invitations -----------------------------------------------------------


class InvitationState(models.TextChoices):
    PENDING = "pending", gettext_lazy("待接受")
    ACCEPTED = "accepted", gettext_lazy("已接受")
    EXPIRED = "expired", gettext_lazy("已失效")


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    state: InvitationState


@dataclass
class CampaignEnterprise:
    enterprise_id: int
    name: str
    credit_code: str
    contact_name: str
    contact_email: str
    contact_phone: str
    business_scopes: list[str] = field(default_factory=list)
    admins: list[str] = field(default_factory=list)
    invitations: list[InvitationRow] = field(default_factory=list)


def invitation_state(inv: Invitation, now: dt.datetime | None = None) -> InvitationState:
    if inv.accepted_at is not None:
        return InvitationState.ACCEPTED
    if inv.expires_at <= (now or timezone.now()):
        return InvitationState.EXPIRED
    return InvitationState.PENDING


def campaign_enterprises(
    campaign: Campaign, now: dt.datetime | None = None
) -> list[CampaignEnterprise]:
    """The enterprises of a campaign with their admins and, per e-mail address, the latest
    invitation and its state; three queries."""
    now = now or timezone.now()
    out: dict[int, CampaignEnterprise] = {}
    for sa in (
        SelfAssessment.objects.filter(campaign=campaign)
        .select_related("enterprise")
        .order_by("enterprise__name", "business_scope")
    ):
        e = sa.enterprise
        if e.pk not in out:
            out[e.pk] = CampaignEnterprise(
                e.pk, e.name, e.credit_code, e.contact_name, e.contact_email, e.contact_phone
            )
        out[e.pk].business_scopes.append(sa.business_scope)
    for m in Membership.objects.filter(
        enterprise_id__in=out, role=Role.ENTERPRISE_ADMIN
    ).select_related("user"):
        assert m.enterprise_id is not None
        out[m.enterprise_id].admins.append(str(m.user))
    seen: set[tuple[int, str]] = set()
    for inv in Invitation.objects.filter(enterprise_id__in=out).order_by("-created_at", "-pk"):
        assert inv.enterprise_id is not None
        key = (inv.enterprise_id, inv.email.lower())
        if key in seen:
            continue  # an earlier link of the same person, superseded
        seen.add(key)
        out[inv.enterprise_id].invitations.append(InvitationRow(inv, invitation_state(inv, now)))
    return list(out.values())
