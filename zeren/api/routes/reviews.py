"""Reviewers: their assignments and their rating per indicator."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Query, Router

from zeren import access
from zeren.api.paging import PageParams, paged
from zeren.api.schemas import AssignmentOut, Id, Page, RatingIn, RatingOut
from zeren.assessments.models import Submission
from zeren.frameworks.loader import spec_from_db
from zeren.lib.http import AuthedRequest
from zeren.reviews import services as review_services
from zeren.reviews.models import ReviewAssignment

router = Router(tags=["reviews"])


@router.get(
    "/review/assignments", response=Page[AssignmentOut], summary="我的评审分配 / my assignments"
)
def list_assignments(request: AuthedRequest, page: Query[PageParams]) -> Any:
    qs = ReviewAssignment.objects.filter(
        reviewer=request.user,
        conflict_declared_at__isnull=True,
        self_assessment__in=access.self_assessments_visible_to(request.user, reviewing=True),
    ).select_related("self_assessment__enterprise")
    result = paged(qs, page, lambda a: a)
    # Ordered by number, so each self-assessment ends on its latest submission.
    ids = dict(
        Submission.objects.filter(
            self_assessment_id__in=[a.self_assessment_id for a in result["items"]]
        )
        .order_by("self_assessment_id", "number")
        .values_list("self_assessment_id", "pk")
    )
    result["items"] = [
        {
            "id": a.pk,
            "self_assessment": a.self_assessment_id,
            "submission": ids.get(a.self_assessment_id),
            "enterprise": a.self_assessment.enterprise.name,
            "business_scope": a.self_assessment.business_scope,
            "status": a.self_assessment.status,
            "is_lead": a.is_lead,
        }
        for a in result["items"]
    ]
    return result


@router.put(
    "/review/submissions/{submission_id}/ratings/{indicator}",
    response=RatingOut,
    summary="评审一个指标 / rate one indicator",
)
def put_rating(request: AuthedRequest, submission_id: Id, indicator: Id, body: RatingIn) -> Any:
    s = access.get_submission_for_user(request.user, submission_id, reviewing=True)
    assignment = access.get_assignment_for_user(request.user, s.self_assessment)
    try:
        spec_from_db(s.self_assessment.campaign.framework).indicator(indicator)
    except KeyError:
        raise Http404 from None
    rating = review_services.save_rating(
        assignment=assignment,
        submission=s,
        indicator=indicator,
        by=request.user,
        expected_version=body.version,
        changes=body.model_dump(exclude={"version"}),
    )
    return {
        "indicator": rating.indicator,
        "level": rating.level,
        "sufficiency": rating.sufficiency,
        "comment": rating.comment,
        "version": rating.version,
    }
