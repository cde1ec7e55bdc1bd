"""The review of one submission, read from the database: ratings, consolidation, scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zeren.assessments.diff import diff_forms
from zeren.assessments.formdata import Answer, FormData
from zeren.assessments.models import SelfAssessment, Submission
from zeren.frameworks.spec import FrameworkSpec, IndicatorSpec
from zeren.reviews.models import ReviewAssignment, ReviewRating, Settlement
from zeren.reviews.scoring import Consolidated, Scores, consolidate, score_levels


@dataclass
class IndicatorResult:
    indicator: IndicatorSpec
    answer: Answer
    ratings: list[ReviewRating]
    consolidated: Consolidated
    settlement: Settlement | None
    changed: bool  # changed since the previous submission
    self_points: Decimal | None = None
    reviewed_points: Decimal | None = None

    @property
    def self_label(self) -> str:
        return self.indicator.label(self.answer.level)

    @property
    def gap(self) -> Decimal | None:
        if self.self_points is None or self.reviewed_points is None:
            return None
        return self.reviewed_points - self.self_points


@dataclass
class SubmissionResult:
    submission: Submission
    form: FormData
    rows: list[IndicatorResult]
    assignments: list[ReviewAssignment]
    self_scores: Scores
    reviewed_scores: Scores
    progress: dict[int, int] = field(default_factory=dict)  # assignment pk -> indicators rated

    @property
    def flagged(self) -> list[IndicatorResult]:
        return [r for r in self.rows if r.consolidated.disagreement and not r.consolidated.settled]


def changed_indicators(submission: Submission, spec: FrameworkSpec) -> set[int]:
    """Indicators whose content differs from the previous submission (empty for the first)."""
    previous = (
        Submission.objects.filter(
            self_assessment_id=submission.self_assessment_id, number__lt=submission.number
        )
        .order_by("-number")
        .first()
    )
    if previous is None:
        return set()
    old = FormData.model_validate(previous.snapshot)
    new = FormData.model_validate(submission.snapshot)
    return {c.indicator for c in diff_forms(old, new, spec) if c.indicator is not None}


def submission_result(
    submission: Submission, spec: FrameworkSpec, *, rule: str = "median"
) -> SubmissionResult:
    """Everything the organizer's review table shows, in a fixed number of queries."""
    form = FormData.model_validate(submission.snapshot)
    assignments = list(
        ReviewAssignment.objects.filter(self_assessment_id=submission.self_assessment_id)
        .select_related("reviewer")
        .order_by("assigned_at", "pk")
    )
    active = {a.pk for a in assignments if a.is_active}
    ratings: dict[int, list[ReviewRating]] = {}
    progress = {a.pk: 0 for a in assignments}
    for r in ReviewRating.objects.filter(submission=submission, assignment_id__in=active).order_by(
        "assignment__assigned_at", "assignment_id"
    ):
        ratings.setdefault(r.indicator, []).append(r)
        if r.level is not None:
            progress[r.assignment_id] += 1
    settlements = {s.indicator: s for s in Settlement.objects.filter(submission=submission)}
    changed = changed_indicators(submission, spec)
    answers = {a.indicator: a for a in form.answers}
    rows = []
    for ind in spec.indicators:
        rs = ratings.get(ind.number, [])
        s = settlements.get(ind.number)
        rows.append(
            IndicatorResult(
                indicator=ind,
                answer=answers.get(ind.number) or Answer(indicator=ind.number),
                ratings=rs,
                consolidated=consolidate(
                    (r.level for r in rs), rule=rule, settled=s.level if s else None
                ),
                settlement=s,
                changed=ind.number in changed,
            )
        )
    self_scores = score_levels(spec, {r.indicator.number: r.answer.level for r in rows})
    reviewed_scores = score_levels(spec, {r.indicator.number: r.consolidated.level for r in rows})
    for row in rows:
        row.self_points = self_scores.indicators[row.indicator.number]
        row.reviewed_points = reviewed_scores.indicators[row.indicator.number]
    return SubmissionResult(
        submission, form, rows, assignments, self_scores, reviewed_scores, progress
    )


def released_review(sa: SelfAssessment, spec: FrameworkSpec) -> dict[str, Any] | None:
    """What the organizer released of the review: levels, comments, scores. Never names."""
    c = sa.campaign
    if not (c.release_levels or c.release_comments or c.release_scores):
        return None
    latest = sa.submissions.order_by("-number").first()
    if latest is None:
        return None
    result = submission_result(latest, spec, rule=c.consolidation_rule)
    rows = [
        {
            "indicator": r.indicator,
            "level": r.consolidated.level if c.release_levels else None,
            "label": r.indicator.label(r.consolidated.level) if c.release_levels else "",
            "comments": [x.comment for x in r.ratings if x.comment] if c.release_comments else [],
        }
        for r in result.rows
    ]
    return {
        "submission": latest,
        "rows": rows,
        "score": result.reviewed_scores.total.value if c.release_scores else None,
        "show_levels": c.release_levels,
        "show_comments": c.release_comments,
        "show_scores": c.release_scores,
    }
