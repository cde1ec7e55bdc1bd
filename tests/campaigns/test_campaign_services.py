"""Campaign state changes: each valid one writes its audit event; each invalid one is refused
with a Chinese message and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zeren.assessments.services import ServiceError
from zeren.audit.models import AuditEvent
from zeren.campaigns import services
from zeren.campaigns.models import Campaign

pytestmark = pytest.mark.django_db
Status = Campaign.Status


def _events(c: Campaign) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="campaigns.campaign", object_id=str(c.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_it_creates_a_campaign_in_preparation(framework, olga) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    c = services.create_campaign(
        framework=framework,
        title=" 2027年度自评 ",
        year=2027,
        opens_at=now,
        closes_at=now + timedelta(days=30),
        instructions="请按时填报",
        by=olga,
    )
    assert (c.title, c.status, c.instructions) == ("2027年度自评", Status.DRAFT, "请按时填报")
    event = AuditEvent.objects.get(action="campaign.created")
    assert event.after is not None
    assert event.actor == olga and event.after["framework"] == "platform-csr:1"


def test_it_refuses_a_deadline_before_the_start(framework, olga) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    with pytest.raises(ServiceError, match="截止时间必须晚于开始时间"):
        services.create_campaign(
            framework=framework, title="x", year=2027, opens_at=now, closes_at=now, by=olga
        )
    assert not Campaign.objects.exists()


def test_it_walks_a_campaign_through_its_life(draft_campaign, olga) -> None:  # type: ignore[no-untyped-def]
    c = services.open_campaign(campaign=draft_campaign, by=olga)
    assert c.status == Status.OPEN
    later = c.closes_at + timedelta(days=7)
    c = services.extend_deadline(campaign=c, closes_at=later, by=olga)
    assert c.closes_at == later
    c = services.close_campaign(campaign=c, by=olga)
    assert c.status == Status.CLOSED
    c = services.archive_campaign(campaign=c, by=olga)
    assert Campaign.objects.get(pk=c.pk).status == Status.ARCHIVED
    assert _events(c) == [
        "campaign.opened",
        "campaign.deadline_extended",
        "campaign.closed",
        "campaign.archived",
    ]
    event = AuditEvent.objects.get(action="campaign.closed")
    assert (event.before, event.after) == ({"status": "open"}, {"status": "closed"})


@pytest.mark.parametrize(
    ("status", "service", "message"),
    [
        (Status.OPEN, services.archive_campaign, "只有已截止的评估工作可以归档"),
        (Status.DRAFT, services.archive_campaign, "只有已截止的评估工作可以归档"),
        (Status.OPEN, services.open_campaign, "只有筹备中的评估工作可以开启"),
        (Status.CLOSED, services.open_campaign, "只有筹备中的评估工作可以开启"),
        (Status.DRAFT, services.close_campaign, "只有进行中的评估工作可以截止"),
        (Status.ARCHIVED, services.close_campaign, "只有进行中的评估工作可以截止"),
    ],
)
def test_it_refuses_invalid_transitions(draft_campaign, olga, status, service, message) -> None:  # type: ignore[no-untyped-def]
    Campaign.objects.filter(pk=draft_campaign.pk).update(status=status)
    draft_campaign.refresh_from_db()
    with pytest.raises(ServiceError, match=message):
        service(campaign=draft_campaign, by=olga)
    assert Campaign.objects.get(pk=draft_campaign.pk).status == status
    assert _events(draft_campaign) == []


def test_it_names_the_current_status_when_refusing(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError) as exc:
        services.archive_campaign(campaign=campaign, by=olga)
    assert exc.value.message == "只有已截止的评估工作可以归档，请先截止（当前：进行中）"


def test_it_refuses_to_open_after_the_deadline(draft_campaign, olga) -> None:  # type: ignore[no-untyped-def]
    Campaign.objects.filter(pk=draft_campaign.pk).update(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(days=1)
    )
    draft_campaign.refresh_from_db()
    with pytest.raises(ServiceError, match="截止时间已过"):
        services.open_campaign(campaign=draft_campaign, by=olga)


def test_it_only_extends_a_deadline_to_later(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="必须晚于当前截止时间"):
        services.extend_deadline(
            campaign=campaign, closes_at=campaign.closes_at - timedelta(hours=1), by=olga
        )
    with pytest.raises(ServiceError, match="必须晚于当前截止时间"):
        services.extend_deadline(campaign=campaign, closes_at=campaign.closes_at, by=olga)
    assert _events(campaign) == []


def test_it_does_not_extend_a_closed_campaign(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    services.close_campaign(campaign=campaign, by=olga)
    with pytest.raises(ServiceError, match="只有筹备中或进行中"):
        services.extend_deadline(
            campaign=campaign, closes_at=campaign.closes_at + timedelta(days=3), by=olga
        )


def test_it_edits_a_campaign_in_preparation(draft_campaign, olga) -> None:  # type: ignore[no-untyped-def]
    closes = draft_campaign.closes_at + timedelta(days=5)
    c = services.update_campaign(
        campaign=draft_campaign,
        by=olga,
        changes={"title": "新名称", "closes_at": closes, "instructions": "说明"},
    )
    assert (c.title, c.closes_at, c.instructions) == ("新名称", closes, "说明")
    event = AuditEvent.objects.get(action="campaign.changed")
    assert event.before is not None and event.after is not None
    assert event.before["title"] == "2027年度自评" and event.after["title"] == "新名称"


def test_it_keeps_dates_of_an_open_campaign(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="延长截止时间"):
        services.update_campaign(
            campaign=campaign,
            by=olga,
            changes={"closes_at": campaign.closes_at + timedelta(days=1)},
        )
    c = services.update_campaign(campaign=campaign, by=olga, changes={"title": "改名"})
    assert c.title == "改名"


def test_it_keeps_the_framework_once_enterprises_joined(assessment, olga) -> None:  # type: ignore[no-untyped-def]
    from zeren.frameworks.models import Framework

    other = Framework.objects.create(key="other", version=1, title="其他")
    c = assessment.campaign
    Campaign.objects.filter(pk=c.pk).update(status=Status.DRAFT)
    c.refresh_from_db()
    with pytest.raises(ServiceError, match="不能更换指标体系"):
        services.update_campaign(campaign=c, by=olga, changes={"framework": other})


def test_it_does_not_edit_an_archived_campaign(draft_campaign, olga) -> None:  # type: ignore[no-untyped-def]
    Campaign.objects.filter(pk=draft_campaign.pk).update(status=Status.ARCHIVED)
    draft_campaign.refresh_from_db()
    with pytest.raises(ServiceError, match="已归档"):
        services.update_campaign(campaign=draft_campaign, by=olga, changes={"title": "x"})
