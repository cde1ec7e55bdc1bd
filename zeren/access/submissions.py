"""Submissions (the submitted versions) and who may return one for revision."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from zeren.access.assessments import self_assessments_visible_to
from zeren.accounts.roles import is_organizer
from zeren.assessments.models import Submission
from zeren.reviews.models import ReviewAssignment


def submissions_visible_to(user: Any, *, reviewing: bool = False) -> QuerySet[Submission]:
    return Submission.objects.filter(
        self_assessment__in=self_assessments_visible_to(user, reviewing=reviewing)
    )


def get_submission_for_user(
    user: Any, pk: int, *, manage: bool = False, reviewing: bool = False
) -> Submission:
    s = (
        submissions_visible_to(user, reviewing=reviewing)
        .select_related("self_assessment__enterprise", "self_assessment__campaign")
        .filter(pk=pk)
        .first()
    )
    if s is None:
        raise Http404
    if manage and not is_organizer(user):
        raise PermissionDenied
    return s


def can_return_submission(user: Any, submission: Submission) -> bool:
    """退回修改 is the organizer's, or the lead reviewer's of that self-assessment."""
    if is_organizer(user):
        return True

    return ReviewAssignment.objects.filter(
        self_assessment_id=submission.self_assessment_id,
        reviewer=user,
        is_lead=True,
        conflict_declared_at__isnull=True,
    ).exists()
