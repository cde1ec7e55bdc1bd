"""催办提醒: a preview of recipients and text, then one e-mail per enterprise admin."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.assessments.helpers import fill_completely
from tests.campaigns.conftest import client_for
from tests.conftest import make_user
from zeren.accounts.models import Role
from zeren.assessments import services, submissions
from zeren.audit.models import AuditEvent
from zeren.campaigns.models import Campaign
from zeren.campaigns.reminders import reminder_recipients

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(campaign, assessment, assessment_b, alice, bob, charlie, olga, enterprise_c):  # type: ignore[no-untyped-def]
    """甲 has two unsubmitted business scopes, 乙 has submitted, 丙 has no admin yet."""
    services.create_self_assessment(
        campaign=campaign, enterprise=assessment.enterprise, business_scope="直播", by=olga
    )
    fill_completely(assessment_b, charlie)
    submissions.submit_self_assessment(assessment=assessment_b, by=charlie)
    services.create_self_assessment(
        campaign=campaign, enterprise=enterprise_c, business_scope="平台业务", by=olga
    )


def test_it_picks_admins_of_enterprises_that_have_not_submitted(world, campaign) -> None:  # type: ignore[no-untyped-def]
    recipients, unreachable = reminder_recipients(campaign)
    assert [(r.name, r.email) for r in recipients] == [("Alice", "alice@example.com")]
    assert [a.business_scope for a in recipients[0].assessments] == ["电商平台", "直播"]
    assert [(a.enterprise_name, a.business_scope) for a in unreachable] == [
        ("丙平台有限公司", "平台业务")
    ]


def test_it_previews_recipients_and_text(world, olga, campaign) -> None:  # type: ignore[no-untyped-def]
    text = client_for(olga).get(reverse("campaigns:remind", args=[campaign.pk])).content.decode()
    assert "收件人（1 人）" in text and "alice@example.com" in text
    assert "charlie@example.com" not in text and "bob@example.com" not in text
    assert "丙平台有限公司 · 平台业务" in text  # cannot be reminded
    assert "【提醒】请按时提交“2026年度自评”自评材料" in text
    assert "发送提醒（1 封）" in text
    assert not mail.outbox


def test_it_sends_one_email_per_admin(
    world, olga, campaign, enterprise_a, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    make_user("alan", Role.ENTERPRISE_ADMIN, enterprise_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(olga).post(
            reverse("campaigns:remind", args=[campaign.pk]), follow=True
        )
    assert "已向 2 位企业管理员发送提醒" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["alan@example.com", "alice@example.com"]
    body = mail.outbox[0].body
    assert "甲平台有限公司 · 电商平台（填报中）" in body and "剩余 30 天" in body
    event = AuditEvent.objects.get(action="campaign.reminded")
    assert event.after is not None
    assert event.actor == olga and sorted(event.after["recipients"]) == [
        "alan@example.com",
        "alice@example.com",
    ]


def test_it_refuses_to_remind_for_a_closed_campaign(world, olga, campaign) -> None:  # type: ignore[no-untyped-def]
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    url = reverse("campaigns:remind", args=[campaign.pk])
    assert "只有进行中的评估工作可以发送提醒" in client_for(olga).get(url).content.decode()
    response = client_for(olga).post(url, follow=True)
    assert "只有进行中的评估工作可以发送提醒（当前：已截止）" in response.content.decode()
    assert not mail.outbox and not AuditEvent.objects.filter(action="campaign.reminded").exists()


def test_it_says_when_nobody_needs_a_reminder(olga, campaign) -> None:  # type: ignore[no-untyped-def]
    response = client_for(olga).post(reverse("campaigns:remind", args=[campaign.pk]), follow=True)
    assert "没有需要提醒的企业管理员" in response.content.decode()


def test_it_forbids_the_enterprise(world, alice, campaign) -> None:  # type: ignore[no-untyped-def]
    assert (
        client_for(alice).post(reverse("campaigns:remind", args=[campaign.pk])).status_code == 403
    )
    assert not mail.outbox
