"""Who may see and change what: the only door to data.

Every view, download, fragment and API endpoint fetches through a `get_<thing>_for_user`
getter or a `<things>_visible_to(user)` queryset. Anything a user may not see is a 404 (never
a 403 that would confirm it exists); a thing they may see but not change is a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from zeren.accounts.models import ENTERPRISE_ROLES, Enterprise, Membership, Role, User

if TYPE_CHECKING:
    from zeren.assessments.models import Answer, SelfAssessment, StoredFile, Submission
    from zeren.campaigns.models import Campaign


def _memberships(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_zeren_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user))
        user._zeren_memberships = cached
    return cached


def roles(user: Any) -> set[str]:
    return {m.role for m in _memberships(user)}


def is_organizer(user: Any) -> bool:
    return Role.ORGANIZER in roles(user)


def is_reviewer(user: Any) -> bool:
    return Role.REVIEWER in roles(user)


def enterprise_ids(user: Any, *, admin_only: bool = False) -> set[int]:
    wanted = (Role.ENTERPRISE_ADMIN,) if admin_only else ENTERPRISE_ROLES
    return {m.enterprise_id for m in _memberships(user) if m.role in wanted and m.enterprise_id}


def is_enterprise_admin(user: Any, enterprise_id: int) -> bool:
    return enterprise_id in enterprise_ids(user, admin_only=True)


def enterprises_visible_to(user: Any) -> QuerySet[Enterprise]:
    if is_organizer(user):
        return Enterprise.objects.all()
    return Enterprise.objects.filter(pk__in=enterprise_ids(user))


def colleagues(user: Any, enterprise_id: int) -> QuerySet[User]:
    """The people of one enterprise, for assigning and @mentions; empty for outsiders."""
    if enterprise_id not in enterprise_ids(user) and not is_organizer(user):
        return User.objects.none()
    return (
        User.objects.filter(memberships__enterprise_id=enterprise_id, is_active=True)
        .distinct()
        .order_by("display_name", "username")
    )


# Campaigns -----------------------------------------------------------------------------------


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    from zeren.campaigns.models import Campaign

    if is_organizer(user):
        return Campaign.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Campaign.objects.none()
    return Campaign.objects.filter(
        self_assessments__in=self_assessments_visible_to(user)
    ).distinct()


def get_campaign_for_user(user: Any, pk: int, *, manage: bool = False) -> Campaign:
    campaign = campaigns_visible_to(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    if manage and not is_organizer(user):
        raise PermissionDenied
    return campaign


# Self-assessments ----------------------------------------------------------------------------


def self_assessments_visible_to(user: Any, *, reviewing: bool = False) -> QuerySet[SelfAssessment]:
    """Organizers: all; enterprise people: their enterprise's; with reviewing, a reviewer also
    sees the submitted self-assessments assigned to them (not after declaring a conflict)."""
    from zeren.assessments.models import SelfAssessment

    if not getattr(user, "is_authenticated", False):
        return SelfAssessment.objects.none()
    if is_organizer(user):
        return SelfAssessment.objects.all()
    own = models.Q(enterprise_id__in=enterprise_ids(user))
    if not (reviewing and is_reviewer(user)):
        return SelfAssessment.objects.filter(own)
    from zeren.reviews.models import ReviewAssignment

    assigned = ReviewAssignment.objects.filter(
        reviewer=user, conflict_declared_at__isnull=True
    ).values("self_assessment_id")
    return SelfAssessment.objects.filter(
        own | (models.Q(pk__in=assigned) & ~models.Q(status=SelfAssessment.Status.DRAFT))
    )


def get_assignment_for_user(user: Any, sa: SelfAssessment) -> Any:
    """The reviewer's active assignment to this self-assessment; 404 otherwise."""
    from zeren.reviews.models import ReviewAssignment

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
    from zeren.assessments.models import Answer

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


def can_return_submission(user: Any, submission: Submission) -> bool:
    """退回修改 is the organizer's, or the lead reviewer's of that self-assessment."""
    if is_organizer(user):
        return True
    from zeren.reviews.models import ReviewAssignment

    return ReviewAssignment.objects.filter(
        self_assessment_id=submission.self_assessment_id,
        reviewer=user,
        is_lead=True,
        conflict_declared_at__isnull=True,
    ).exists()


# Files and submissions -----------------------------------------------------------------------


def stored_files_visible_to(user: Any) -> QuerySet[StoredFile]:
    from zeren.assessments.models import StoredFile

    return StoredFile.objects.filter(
        self_assessment__in=self_assessments_visible_to(user, reviewing=True)
    )


def _snapshot_hashes(snapshot: dict[str, Any]) -> set[str]:
    hashes: set[str] = set()
    for answer in snapshot.get("answers", []):
        for item in answer.get("evidence", []):
            hashes.update(ref.get("sha256", "") for ref in item.get("files", []))
    scan = (snapshot.get("pledge") or {}).get("scan") or {}
    hashes.add(scan.get("sha256", ""))
    hashes.discard("")
    return hashes


def get_stored_file_for_user(user: Any, pk: int) -> StoredFile:
    """A reviewer reaches only files of a submitted snapshot assigned to them (not a file
    uploaded since); the enterprise and the organizer reach the whole library."""
    f = stored_files_visible_to(user).select_related("self_assessment").filter(pk=pk).first()
    if f is None:
        raise Http404
    own = f.self_assessment is not None and f.self_assessment.enterprise_id in enterprise_ids(user)
    if not is_organizer(user) and not own:
        from zeren.assessments.models import Submission

        snapshots = Submission.objects.filter(self_assessment_id=f.self_assessment_id)
        if not any(
            f.sha256 in _snapshot_hashes(s) for s in snapshots.values_list("snapshot", flat=True)
        ):
            raise Http404
    return f


def get_document_job_for_user(user: Any, pk: int) -> Any:
    """A background job's page and result: its requester's, while they may still see its source."""
    from zeren.documents.models import DocumentJob

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


def submissions_visible_to(user: Any, *, reviewing: bool = False) -> QuerySet[Submission]:
    from zeren.assessments.models import Submission

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


# The audit log -------------------------------------------------------------------------------


def is_audit_admin(user: Any) -> bool:
    return Role.AUDIT_ADMIN in roles(user)


def audit_events_visible_to(user: Any) -> QuerySet[Any]:
    """The whole audit log for the 审计管理员 (三员分立: nobody else reads it here); 404 otherwise."""
    from zeren.audit.models import AuditEvent

    if not is_audit_admin(user):
        raise Http404
    return AuditEvent.objects.all()


# Results -------------------------------------------------------------------------------------


def get_result_for_user(user: Any, pk: int) -> Any:
    """评估结果 of a self-assessment: organizers always; the enterprise's own people once the
    campaign's results are released; nobody else (404, results never before release)."""
    from zeren.reports.models import AssessmentResult

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
    from zeren.reports.models import CampaignResults

    if not CampaignResults.objects.filter(
        campaign_id=sa.campaign_id, released_at__isnull=False
    ).exists():
        raise Http404
    return result


def get_improvement_action_for_user(user: Any, sa_pk: int, pk: int) -> Any:
    """A 整改 item of a self-assessment the user's enterprise may change (admins); 404 otherwise."""
    from zeren.reports.models import ImprovementAction

    sa = get_self_assessment_for_user(user, sa_pk, write=True)
    action = ImprovementAction.objects.filter(self_assessment=sa, pk=pk).first()
    if action is None:
        raise Http404
    if not is_enterprise_admin(user, sa.enterprise_id):
        raise PermissionDenied
    return action


# Import batches and API tokens ---------------------------------------------------------


def get_import_batch_for_user(user: Any, pk: int) -> Any:
    """An import batch, for the organizer who manages its campaign."""
    from zeren.documents.models import ImportBatch

    batch = ImportBatch.objects.select_related("campaign__framework").filter(pk=pk).first()
    if batch is None:
        raise Http404
    get_campaign_for_user(user, batch.campaign_id, manage=True)
    return batch


def api_tokens_of(user: Any) -> QuerySet[Any]:
    """A person's own API tokens; nobody sees another's."""
    from zeren.api.models import ApiToken

    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def get_api_token_for_user(user: Any, pk: int) -> Any:
    token = api_tokens_of(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


# Scanned paper forms ------------------------------------------------------------------------


def get_scan_check_for_user(user: Any, pk: int) -> Any:
    """A paper-against-submission check: seen by whoever sees its self-assessment (the
    enterprise, organizers, its assigned reviewers); 404 otherwise."""
    from zeren.documents.models import ScanCheck

    check = (
        ScanCheck.objects.filter(
            pk=pk, self_assessment__in=self_assessments_visible_to(user, reviewing=True)
        )
        .select_related("self_assessment__campaign__framework", "stored_file")
        .first()
    )
    if check is None:
        raise Http404
    return check
