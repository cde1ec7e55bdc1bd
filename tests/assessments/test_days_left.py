"""剩余天数: one rule (calendar days in local time to the deadline's day), the same on every screen."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from zeren.assessments.models import SelfAssessment
from zeren.campaigns.models import Campaign

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 12, 1, 0, 0), 30),
        (at(2026, 12, 30, 0, 0), 1),
        (at(2026, 12, 30, 23, 59, 59), 1),
        (at(2026, 12, 31, 0, 0), 0),  # the last day: 今天截止
        (at(2026, 12, 31, 17, 59, 59), 0),
        (at(2026, 12, 31, 18, 0), None),  # the deadline itself has passed
        (at(2027, 1, 2, 9, 0), None),
    ],
)
def test_it_counts_calendar_days_to_the_deadline(campaign: Campaign, now, expected) -> None:  # type: ignore[no-untyped-def]
    campaign.closes_at = at(2026, 12, 31, 18, 0)
    assert campaign.days_left(now) == expected


def test_it_uses_local_days_not_utc(campaign: Campaign) -> None:
    # 01:00 in Shanghai is still the previous day in UTC; the count follows the local calendar.
    campaign.closes_at = at(2026, 12, 31, 1, 0)
    assert campaign.days_left(at(2026, 12, 30, 7, 59)) == 1
    assert campaign.days_left(at(2026, 12, 30, 8, 1)) == 1
    assert campaign.days_left(at(2026, 12, 31, 0, 30)) == 0


def _shown_days(html: str) -> str:
    m = re.search(r'<span class="days-left">([^<]*)</span>', html)
    assert m, "the page shows no days left"
    return m.group(1).strip()


def test_it_shows_the_same_days_to_enterprise_and_organizer(
    campaign: Campaign, assessment: SelfAssessment, alice, olga
) -> None:  # type: ignore[no-untyped-def]
    # Half a day off a whole number of days: rounding down and rounding up used to disagree.
    from django.utils import timezone

    campaign.closes_at = timezone.now() + dt.timedelta(days=59, hours=12)
    campaign.save(update_fields=["closes_at"])
    expected = f"剩余 {campaign.days_left()} 天"

    enterprise, organizer = Client(), Client()
    enterprise.force_login(alice)
    organizer.force_login(olga)
    home = enterprise.get(reverse("home")).content.decode()
    overview = enterprise.get(
        reverse("assessments:overview", args=[assessment.pk])
    ).content.decode()
    detail = organizer.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert _shown_days(home) == _shown_days(overview) == _shown_days(detail) == expected


def test_it_says_closes_today_on_the_last_day(
    campaign: Campaign, assessment: SelfAssessment, alice
) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    now = timezone.localtime()
    end_of_day = now.replace(hour=23, minute=59, second=59)
    if end_of_day <= now + dt.timedelta(seconds=5):
        pytest.skip("too close to midnight to place a deadline later today")
    campaign.closes_at = end_of_day
    campaign.save(update_fields=["closes_at"])
    client = Client()
    client.force_login(alice)
    assert _shown_days(client.get(reverse("home")).content.decode()) == "今天截止"
