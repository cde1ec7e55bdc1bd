"""Every state change of the review: assign, declare a conflict, rate, settle, release."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zeren.accounts.models import Membership, Role, User
from zeren.assessments.models import SelfAssessment, Submission
from zeren.assessments.services import Conflict, ServiceError, check_text
from zeren.audit.log import record
from zeren.campaigns.models import Campaign
from zeren.reviews.models import ReviewAssignment, ReviewRating, Settlement, Sufficiency

RATING_FIELDS = ("level", "sufficiency", "comment")


def reviewers() -> list[User]:
    return list(
        User.objects.filter(memberships__role=Role.REVIEWER, is_active=True)
        .distinct()
        .order_by("display_name", "username")
    )


def assign_reviewer(
    *, assessment: SelfAssessment, reviewer: User, by: User, is_lead: bool = False
) -> ReviewAssignment:
    if not Membership.objects.filter(user=reviewer, role=Role.REVIEWER).exists():
        raise ServiceError(_("只能分配评审专家"))
    with transaction.atomic():
        existing = ReviewAssignment.objects.filter(
            self_assessment=assessment, reviewer=reviewer
        ).first()
        if existing is not None:
            if existing.conflict_declared_at is not None:
                raise ServiceError(_("%(name)s 已声明回避，不能再分配") % {"name": reviewer})
            return existing
        a = ReviewAssignment.objects.create(
            self_assessment=assessment, reviewer=reviewer, assigned_by=by, is_lead=is_lead
        )
        record(
            by,
            "review.assigned",
            a,
            after={"reviewer": reviewer.username, "lead": is_lead},
            self_assessment=assessment,
        )
    return a


def unassign_reviewer(*, assignment: ReviewAssignment, by: User) -> None:
    with transaction.atomic():
        if assignment.ratings.exists():
            raise ServiceError(_("该专家已有评审意见，不能取消分配"))
        record(
            by,
            "review.unassigned",
            assignment,
            before={"reviewer": assignment.reviewer.username},
            self_assessment=assignment.self_assessment,
        )
        assignment.delete()


def auto_assign(*, campaign: Campaign, per_assessment: int, by: User) -> int:
    """Gives every submitted self-assessment `per_assessment` reviewers, balancing the load.

    Reviewers who declared a conflict for a self-assessment are skipped for it; the reviewer
    with the fewest assignments in the campaign goes first (ties by name, so it is repeatable).
    """
    pool = reviewers()
    if not pool:
        raise ServiceError(_("尚无评审专家，请先邀请评审专家"))
    created = 0
    with transaction.atomic():
        assignments = list(
            ReviewAssignment.objects.filter(self_assessment__campaign=campaign).select_related(
                "reviewer"
            )
        )
        load = Counter(a.reviewer_id for a in assignments if a.is_active)
        by_sa: dict[int, list[ReviewAssignment]] = {}
        for a in assignments:
            by_sa.setdefault(a.self_assessment_id, []).append(a)
        targets = SelfAssessment.objects.filter(
            campaign=campaign, status=SelfAssessment.Status.SUBMITTED
        ).order_by("pk")
        for sa in targets:
            mine = by_sa.get(sa.pk, [])
            taken = {a.reviewer_id for a in mine}
            need = per_assessment - sum(1 for a in mine if a.is_active)
            candidates = sorted(
                (r for r in pool if r.pk not in taken), key=lambda r: (load[r.pk], str(r), r.pk)
            )
            for reviewer in candidates[: max(need, 0)]:
                a = ReviewAssignment.objects.create(
                    self_assessment=sa, reviewer=reviewer, assigned_by=by
                )
                load[reviewer.pk] += 1
                created += 1
                record(
                    by,
                    "review.assigned",
                    a,
                    after={"reviewer": reviewer.username, "auto": True},
                    self_assessment=sa,
                )
    return created


def declare_conflict(*, assignment: ReviewAssignment, reason: str, by: User) -> None:
    """A reviewer declares a conflict of interest: they are skipped and lose access."""
    if not reason.strip():
        raise ServiceError(_("请说明回避理由"))
    check_text(reason=reason)
    with transaction.atomic():
        a = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        if a.conflict_declared_at is not None:
            return
        a.conflict_declared_at = timezone.now()
        a.conflict_reason = reason.strip()
        a.save(update_fields=["conflict_declared_at", "conflict_reason"])
        record(
            by,
            "review.conflict_declared",
            a,
            after={"reason": a.conflict_reason},
            self_assessment=a.self_assessment,
        )


def latest_submission(sa: SelfAssessment) -> Submission | None:
    return sa.submissions.order_by("-number").first()


def ensure_reviewable(submission: Submission) -> None:
    """Only the latest submission of a self-assessment under review can be rated."""
    sa = SelfAssessment.objects.get(pk=submission.self_assessment_id)
    if sa.status != SelfAssessment.Status.SUBMITTED:
        raise ServiceError(
            _("该材料当前状态为“%(status)s”，不能评审") % {"status": sa.get_status_display()}
        )
    latest = latest_submission(sa)
    if latest is None or latest.pk != submission.pk:
        raise ServiceError(_("只能评审最新提交的版本"))


def save_rating(
    *,
    assignment: ReviewAssignment,
    submission: Submission,
    indicator: int,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
) -> ReviewRating:
    """Autosaves a reviewer's level, evidence sufficiency and comment for one indicator."""
    changes = {k: v for k, v in changes.items() if k in RATING_FIELDS}
    check_text(**{k: v for k, v in changes.items() if k == "comment"})
    if "level" in changes and changes["level"] not in (None, 1, 2, 3, 4, 5):
        raise ServiceError(_("请选择 1 到 5 中的一个等级"))
    if "sufficiency" in changes and changes["sufficiency"] not in ("", *Sufficiency.values):
        raise ServiceError(_("请选择证据充分性"))
    if not assignment.is_active or assignment.reviewer_id != by.pk:
        raise ServiceError(_("您未被分配评审此材料"))
    with transaction.atomic():
        ensure_reviewable(submission)
        rating, created = ReviewRating.objects.get_or_create(
            assignment=assignment, submission=submission, indicator=indicator
        )
        if not created and expected_version is not None and rating.version != expected_version:
            raise Conflict(
                _("此指标的评审意见已在其他页面修改，请选择保留哪个版本"),
                current={k: getattr(rating, k) for k in RATING_FIELDS},
                version=rating.version,
                by=str(by),
            )
        before = {k: getattr(rating, k) for k in changes}
        ReviewRating.objects.filter(pk=rating.pk).update(
            **changes, version=F("version") + 1, updated_at=timezone.now()
        )
        rating.refresh_from_db()
        record(
            by,
            "review.rated",
            rating,
            before=before,
            after=changes,
            self_assessment=submission.self_assessment,
        )
    return rating


def settle(
    *, submission: Submission, indicator: int, level: int, note: str, by: User
) -> Settlement:
    """The organizer decides the level of an indicator (used where reviewers disagree)."""
    check_text(note=note)
    if level not in (1, 2, 3, 4, 5):
        raise ServiceError(_("请选择 1 到 5 中的一个等级"))
    with transaction.atomic():
        s, _created = Settlement.objects.update_or_create(
            submission=submission,
            indicator=indicator,
            defaults={"level": level, "note": note.strip(), "settled_by": by},
        )
        record(
            by,
            "review.settled",
            s,
            after={"indicator": indicator, "level": level, "note": note.strip()},
            self_assessment=submission.self_assessment,
        )
    return s


def set_release(
    *, campaign: Campaign, by: User, levels: bool, comments: bool, scores: bool
) -> None:
    """What enterprises may see of the review."""
    with transaction.atomic():
        before = {
            "levels": campaign.release_levels,
            "comments": campaign.release_comments,
            "scores": campaign.release_scores,
        }
        campaign.release_levels, campaign.release_comments, campaign.release_scores = (
            levels,
            comments,
            scores,
        )
        campaign.save(update_fields=["release_levels", "release_comments", "release_scores"])
        record(
            by,
            "campaign.release_changed",
            campaign,
            before=before,
            after={"levels": levels, "comments": comments, "scores": scores},
        )
