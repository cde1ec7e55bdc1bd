"""Self-assessments and their answers: the enterprise's own, the organizer's, and what a reviewer is assigned."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from zeren.accounts.roles import enterprise_ids, is_enterprise_admin, is_organizer, is_reviewer
from zeren.assessments.models import Answer, SelfAssessment
from zeren.reviews.models import ReviewAssignment


def self_assessments_visible_to(user: Any, *, reviewing: bool = False) -> QuerySet[SelfAssessment]:
    """Organizers: all; enterprise people: their enterprise's; with reviewing, a reviewer also
    sees the submitted self-assessments assigned to them (not after declaring a conflict)."""
    if not getattr(user, "is_authenticated", False):
        return SelfAssessment.objects.none()
    if is_organizer(user):
        return SelfAssessment.objects.all()
    own = models.Q(enterprise_id__in=enterprise_ids(user))
    if not (reviewing and is_reviewer(user)):
        return SelfAssessment.objects.filter(own)
    assigned = ReviewAssignment.objects.filter(
        reviewer=user, conflict_declared_at__isnull=True
    ).values("self_assessment_id")
    return SelfAssessment.objects.filter(
        own | (models.Q(pk__in=assigned) & ~models.Q(status=SelfAssessment.Status.DRAFT))
    )


def get_assignment_for_user(user: Any, sa: SelfAssessment) -> ReviewAssignment:
    """The reviewer's active assignment to this self-assessment; 404 otherwise."""
    a = ReviewAssignment.objects.filter(
        self_assessment=sa, reviewer=user, conflict_declared_at__isnull=True
    ).first()
    if a is None:
        raise Http404
    return a


def get_self_assessment_for_user(
    user: Any, pk: int, *, write: bool = False, reviewing: bool = False
) -> SelfAssessment:
    """404 when invisible; with write, 403 unless the user belongs to the enterprise."""
    sa = (
        self_assessments_visible_to(user, reviewing=reviewing)
        .select_related("campaign__framework", "enterprise")
        .filter(pk=pk)
        .first()
    )
    if sa is None:
        raise Http404
    if write and sa.enterprise_id not in enterprise_ids(user):
        raise PermissionDenied
    return sa


def can_manage_assessment(user: Any, sa: SelfAssessment) -> bool:
    """Enterprise admins edit everything, submit, assign and upload the pledge."""
    return is_enterprise_admin(user, sa.enterprise_id)


def can_edit_answer(user: Any, answer: Answer, sa: SelfAssessment) -> bool:
    if can_manage_assessment(user, sa):
        return True
    return sa.enterprise_id in enterprise_ids(user) and answer.assignee_id == user.pk


def get_answer_for_user(
    user: Any, sa: SelfAssessment, number: int, *, write: bool = False
) -> Answer:
    """An answer of a visible self-assessment; with write, 403 unless admin or assignee."""
    answer = (
        sa.answers.select_related("indicator__topic__area", "assignee")
        .filter(indicator__number=number)
        .first()
    )
    if answer is None:
        raise Http404
    if write and not can_edit_answer(user, answer, sa):
        raise PermissionDenied
    return answer


def get_answer_for_autosave(user: Any, sa_pk: int, number: int) -> Answer:
    """The answer to write, with its self-assessment, in one query (the autosave path).

    The same decisions as get_self_assessment_for_user(write=True) + get_answer_for_user(write=True):
    404 when the self-assessment is invisible, 403 when visible but not the user's to edit.
    """
    try:
        # get(), not first(): first() would add the model's ordering, a join on indicators.
        answer = Answer.objects.select_related("self_assessment").get(
            self_assessment_id=sa_pk,
            self_assessment__enterprise_id__in=enterprise_ids(user),
            indicator__number=number,
        )
    except Answer.DoesNotExist:
        answer = None
    if answer is None:
        sa = self_assessments_visible_to(user).filter(pk=sa_pk).first()
        if sa is None or sa.enterprise_id in enterprise_ids(user):
            raise Http404  # invisible, or no such indicator
        raise PermissionDenied  # visible (an organizer) but not theirs to edit
    if not can_edit_answer(user, answer, answer.self_assessment):
        raise PermissionDenied
    return answer
