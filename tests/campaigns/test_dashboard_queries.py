"""The dashboard runs the same number of queries for 5 and for 50 enterprises."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.campaigns.conftest import client_for
from tests.campaigns.helpers import populate
from zeren.campaigns.reminders import reminder_recipients
from zeren.reports.exports import progress_xlsx
from zeren.reports.queries import campaign_enterprises, campaign_progress

pytestmark = pytest.mark.django_db


def _count(fn) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_it_keeps_the_query_count_constant(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    c = client_for(olga)
    url = reverse("campaigns:detail", args=[campaign.pk])
    enterprises_url = reverse("campaigns:enterprises", args=[campaign.pk])
    c.get(url)  # session and user lookups settle

    populate(campaign, 5, olga)
    small = {
        "progress": _count(lambda: campaign_progress(campaign)),
        "enterprises": _count(lambda: campaign_enterprises(campaign)),
        "reminders": _count(lambda: reminder_recipients(campaign)),
        "page": _count(lambda: c.get(url)),
        "enterprises_page": _count(lambda: c.get(enterprises_url)),
        "export": _count(lambda: progress_xlsx(campaign_progress(campaign))),
    }
    populate(campaign, 45, olga, start=200)
    large = {
        "progress": _count(lambda: campaign_progress(campaign)),
        "enterprises": _count(lambda: campaign_enterprises(campaign)),
        "reminders": _count(lambda: reminder_recipients(campaign)),
        "page": _count(lambda: c.get(url)),
        "enterprises_page": _count(lambda: c.get(enterprises_url)),
        "export": _count(lambda: progress_xlsx(campaign_progress(campaign))),
    }
    assert small == large
    assert small["progress"] == 4
    assert small["page"] >= 5 and small["enterprises_page"] >= 5  # the requests were counted
    assert len(campaign_progress(campaign).rows) == 50
