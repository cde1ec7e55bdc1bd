"""Documents made in the background: their requester's, while they may still see the source."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from zeren.access.assessments import self_assessments_visible_to
from zeren.access.submissions import submissions_visible_to
from zeren.accounts.roles import is_organizer
from zeren.documents.models import DocumentJob


def get_document_job_for_user(user: Any, pk: int) -> DocumentJob:
    """A background job's page and result: its requester's, while they may still see its source."""
    job = (
        DocumentJob.objects.select_related("submission__self_assessment", "self_assessment")
        .filter(pk=pk, requested_by=user)
        .first()
    )
    if job is None:
        raise Http404
    if job.submission_id is not None:
        if not submissions_visible_to(user, reviewing=True).filter(pk=job.submission_id).exists():
            raise Http404
    elif job.self_assessment_id is not None:
        if not self_assessments_visible_to(user).filter(pk=job.self_assessment_id).exists():
            raise Http404
    elif job.campaign_id is not None and not is_organizer(user):
        raise Http404
    return job
