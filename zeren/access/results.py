"""评估结果 and 整改 items: organizers always, the enterprise once results are released."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zeren.access.assessments import get_self_assessment_for_user
from zeren.accounts.roles import enterprise_ids, is_enterprise_admin, is_organizer
from zeren.assessments.models import SelfAssessment
from zeren.reports.models import AssessmentResult, CampaignResults, ImprovementAction


def get_result_for_user(user: Any, pk: int) -> AssessmentResult:
    """评估结果 of a self-assessment: organizers always; the enterprise's own people once the
    campaign's results are released; nobody else (404, results never before release)."""
    sa = get_self_assessment_for_user(user, pk)
    result = (
        AssessmentResult.objects.select_related(
            "self_assessment__campaign__framework", "enterprise"
        )
        .filter(self_assessment=sa)
        .first()
    )
    if result is None:
        raise Http404
    if is_organizer(user):
        return result
    if not CampaignResults.objects.filter(
        campaign_id=sa.campaign_id, released_at__isnull=False
    ).exists():
        raise Http404
    return result


def get_improvement_action_for_user(user: Any, sa_pk: int, pk: int) -> ImprovementAction:
    """A 整改 item of a self-assessment the user's enterprise may change (admins); 404 otherwise."""
    sa = get_self_assessment_for_user(user, sa_pk, write=True)
    action = ImprovementAction.objects.filter(self_assessment=sa, pk=pk).first()
    if action is None:
        raise Http404
    if not is_enterprise_admin(user, sa.enterprise_id):
        raise PermissionDenied
    return action


def result_visible(user: Any, sa: SelfAssessment) -> bool:
    """Whether the 评估结果 page of this self-assessment opens for this user."""
    if not AssessmentResult.objects.filter(self_assessment=sa).exists():
        return False
    if is_organizer(user):
        return True
    return (
        sa.enterprise_id in enterprise_ids(user)
        and CampaignResults.objects.filter(
            campaign_id=sa.campaign_id, released_at__isnull=False
        ).exists()
    )
