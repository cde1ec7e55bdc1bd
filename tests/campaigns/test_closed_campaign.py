"""A closed campaign accepts no submission, through the web as through the service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.assessments.helpers import fill_completely
from tests.campaigns.conftest import client_for
from zeren.assessments.models import SelfAssessment, Submission
from zeren.campaigns import services as campaign_services

pytestmark = pytest.mark.django_db


def test_it_refuses_a_submission_after_the_organizer_closes(assessment, alice, olga) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    response = client_for(olga).post(
        reverse("campaigns:close", args=[assessment.campaign_id]), {"confirm": "1"}
    )
    assert response.status_code == 302
    response = client_for(alice).post(
        reverse("assessments:submit", args=[assessment.pk]), follow=True
    )
    assert "本次评估工作未开放或已截止，不能提交" in response.content.decode()
    assert SelfAssessment.objects.get(pk=assessment.pk).status == SelfAssessment.Status.DRAFT
    assert not Submission.objects.exists()


def test_it_accepts_the_submission_again_when_open(assessment, alice, olga) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    campaign_services.close_campaign(campaign=assessment.campaign, by=olga)
    client_for(alice).post(reverse("assessments:submit", args=[assessment.pk]))
    assert not Submission.objects.exists()
    # Contrast: the same form in an open campaign goes through.
    from zeren.campaigns.models import Campaign

    Campaign.objects.filter(pk=assessment.campaign_id).update(status=Campaign.Status.OPEN)
    client_for(alice).post(reverse("assessments:submit", args=[assessment.pk]))
    assert Submission.objects.filter(self_assessment=assessment).count() == 1
