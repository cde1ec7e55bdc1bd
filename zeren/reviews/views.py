"""The organizer's side: campaigns, submissions, return for revision, accept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zeren import access
from zeren.assessments import services, submissions
from zeren.assessments.autosave import autosave_response, level_from_post
from zeren.assessments.formdata import Answer as FormAnswer
from zeren.assessments.formdata import FormData
from zeren.assessments.models import SelfAssessment, StoredFile, Submission
from zeren.assessments.services import ServiceError
from zeren.frameworks.loader import spec_from_db
from zeren.lib.http import AuthedRequest, confirmed, int_or_none, login_required_json, safe_next
from zeren.reviews import services as review_services
from zeren.reviews.models import ReviewAssignment, ReviewRating, Sufficiency
from zeren.reviews.results import changed_indicators, submission_result


@login_required
@require_GET
def submission(request: AuthedRequest, pk: int) -> HttpResponse:
    """The organizer's view of one submission: claims, reviewers, consolidation, scores."""
    from zeren.intake.scan_checks import display as scan_display
    from zeren.intake.scan_checks import latest_check

    s = access.get_submission_for_user(request.user, pk, manage=True)
    sa = s.self_assessment
    spec = spec_from_db(sa.campaign.framework)
    result = submission_result(s, spec, rule=sa.campaign.consolidation_rule)
    latest = sa.submissions.order_by("-number").first()
    assigned = {a.reviewer_id for a in result.assignments}
    for a in result.assignments:
        a.done = result.progress.get(a.pk, 0)  # type: ignore[attr-defined]
    files = _files_by_sha(sa)
    return render(
        request,
        "reviews/submission.html",
        {
            "submission": s,
            "sa": sa,
            "spec": spec,
            "result": result,
            "rows": [(row, _evidence_with_files(row.answer, files)) for row in result.rows],
            "is_latest": latest is not None and latest.pk == s.pk,
            "scan_check": scan_display(latest_check(sa)),
            "revisions": s.revision_requests.order_by("-created_at"),
            "timeline": access.describe_all(
                sa.audit_events.select_related("actor").order_by("-at", "-pk")[:200]
            ),
            "available_reviewers": [r for r in review_services.reviewers() if r.pk not in assigned],
        },
    )


def _files_by_sha(sa: SelfAssessment) -> dict[str, StoredFile]:
    return {f.sha256: f for f in sa.files.all()}


def _evidence_with_files(
    answer: FormAnswer | None, files: dict[str, StoredFile]
) -> list[dict[str, Any]]:
    """A snapshot's evidence catalog with each file reference beside its stored file (to link)."""
    return [
        {"item": e, "files": [(ref, files.get(ref.sha256)) for ref in e.files]}
        for e in (answer.evidence if answer else [])
    ]


@login_required
@require_POST
def return_submission(request: AuthedRequest, pk: int) -> HttpResponse:
    """退回修改, by the organizer (submission page) or the lead reviewer (review page)."""
    s = access.get_submission_for_user(request.user, pk, reviewing=True)
    if not access.can_return_submission(request.user, s):
        raise PermissionDenied
    back = (
        reverse("reviews:submission", args=[s.pk])
        if access.is_organizer(request.user)
        else reverse("review:mine")
    )
    numbers = [
        n for n in (int_or_none(x) for x in request.POST.getlist("indicators")) if n is not None
    ]
    comments = [{"indicator": n, "comment": request.POST.get(f"comment_{n}", "")} for n in numbers]
    deadline = None
    if request.POST.get("deadline"):
        try:
            d = dt.date.fromisoformat(request.POST["deadline"])
            deadline = timezone.make_aware(dt.datetime.combine(d, dt.time(23, 59)))
        except ValueError:
            messages.error(request, _("日期格式应为 年-月-日"))
            return redirect(back)
    try:
        submissions.return_for_revision(
            submission=s,
            by=request.user,
            comments=comments,
            message=request.POST.get("message", ""),
            deadline=deadline,
        )
        messages.success(request, _("已退回修改"))
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(back)


@login_required
@require_POST
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    s = access.get_submission_for_user(request.user, pk, manage=True)
    if not access.is_organizer(request.user):
        raise PermissionDenied
    if not confirmed(request):
        messages.error(request, _("请先勾选确认，再执行此操作"))
        return redirect("reviews:submission", pk=s.pk)
    try:
        submissions.accept_submission(submission=s, by=request.user)
        messages.success(request, _("已审核通过"))
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("reviews:submission", pk=s.pk)


# Assigning reviewers ---------------------------------------------------------------------------


@login_required
@require_POST
def assign(request: AuthedRequest, pk: int) -> HttpResponse:
    s = access.get_submission_for_user(request.user, pk, manage=True)
    reviewer = next(
        (
            r
            for r in review_services.reviewers()
            if r.pk == int_or_none(request.POST.get("reviewer"))
        ),
        None,
    )
    if reviewer is None:
        messages.error(request, _("请选择评审专家"))
    else:
        try:
            review_services.assign_reviewer(
                assessment=s.self_assessment,
                reviewer=reviewer,
                by=request.user,
                is_lead=request.POST.get("is_lead") == "1",
            )
            messages.success(request, _("已分配评审专家 %(name)s") % {"name": reviewer})
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect(reverse("reviews:submission", args=[s.pk]) + "#reviewers")


@login_required
@require_POST
def unassign(request: AuthedRequest, pk: int, assignment_id: int) -> HttpResponse:
    s = access.get_submission_for_user(request.user, pk, manage=True)
    a = ReviewAssignment.objects.filter(
        pk=assignment_id, self_assessment_id=s.self_assessment_id
    ).first()
    if a is None:
        raise Http404
    try:
        review_services.unassign_reviewer(assignment=a, by=request.user)
        messages.success(request, _("已取消分配"))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("reviews:submission", args=[s.pk]) + "#reviewers")


@login_required
@require_http_methods(["GET", "POST"])
def auto_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Balanced automatic assignment of reviewers to a campaign's submitted self-assessments."""
    c = access.get_campaign_for_user(request.user, pk, manage=True)
    if request.method == "POST":
        per = int_or_none(request.POST.get("per_assessment"))
        if per is None or not 1 <= per <= 9:
            messages.error(request, _("每份材料的专家人数应为 1 到 9"))
        else:
            try:
                n = review_services.auto_assign(campaign=c, per_assessment=per, by=request.user)
                messages.success(request, _("已新增 %(n)d 项评审分配") % {"n": n})
            except ServiceError as exc:
                messages.error(request, exc.message)
        return redirect("reviews:auto_assign", pk=c.pk)
    load = (
        ReviewAssignment.objects.filter(
            self_assessment__campaign=c, conflict_declared_at__isnull=True
        )
        .values("reviewer__username", "reviewer__display_name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    waiting = c.self_assessments.filter(status="submitted").annotate(
        n=Count(
            "review_assignments", filter=Q(review_assignments__conflict_declared_at__isnull=True)
        )
    )
    return render(
        request,
        "reviews/auto_assign.html",
        {"campaign": c, "load": load, "waiting": waiting, "reviewers": review_services.reviewers()},
    )


# Consolidation and release ---------------------------------------------------------------------


@login_required
@require_POST
def settle(request: AuthedRequest, pk: int) -> HttpResponse:
    s = access.get_submission_for_user(request.user, pk, manage=True)
    number = int_or_none(request.POST.get("indicator"))
    level = int_or_none(request.POST.get("level"))
    if number is None or level is None:
        messages.error(request, _("请选择认定等级"))
    else:
        try:
            review_services.settle(
                submission=s,
                indicator=number,
                level=level,
                note=request.POST.get("note", ""),
                by=request.user,
            )
            messages.success(request, _("已认定指标 %(n)d 的等级") % {"n": number})
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect(reverse("reviews:submission", args=[s.pk]) + f"#row-{number}")


@login_required
@require_POST
def release(request: AuthedRequest, pk: int) -> HttpResponse:
    c = access.get_campaign_for_user(request.user, pk, manage=True)
    review_services.set_release(
        campaign=c,
        by=request.user,
        levels=request.POST.get("levels") == "1",
        comments=request.POST.get("comments") == "1",
        scores=request.POST.get("scores") == "1",
    )
    messages.success(request, _("已更新向企业公布的评审内容"))
    return redirect(safe_next(request, reverse("reviews:auto_assign", args=[c.pk])))


# The reviewer's side ---------------------------------------------------------------------------


@login_required
@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    """评审: the self-assessments assigned to this reviewer, with progress (4 queries)."""
    assignments = list(
        ReviewAssignment.objects.filter(
            reviewer=request.user,
            self_assessment__in=access.self_assessments_visible_to(request.user, reviewing=True),
        )
        .select_related("self_assessment__enterprise", "self_assessment__campaign")
        .annotate(total=Count("self_assessment__answers"))
        .order_by("-assigned_at")
    )
    latest: dict[int, Submission] = {}
    for sub in Submission.objects.filter(
        self_assessment_id__in=[a.self_assessment_id for a in assignments]
    ).only("pk", "number", "self_assessment_id"):
        if (
            sub.self_assessment_id not in latest
            or sub.number > latest[sub.self_assessment_id].number
        ):
            latest[sub.self_assessment_id] = sub
    done = dict(
        ReviewRating.objects.filter(
            assignment__in=assignments,
            submission__in=list(latest.values()),
            level__isnull=False,
        )
        .values("assignment")
        .annotate(n=Count("pk"))
        .values_list("assignment", "n")
    )
    rows = [
        {
            "a": a,
            "latest": latest.get(a.self_assessment_id),
            "done": done.get(a.pk, 0),
            "total": a.total,
        }
        for a in assignments
    ]
    return render(request, "reviews/mine.html", {"rows": rows})


def _review_context(request: AuthedRequest, pk: int) -> tuple[Any, ReviewAssignment]:
    s = access.get_submission_for_user(request.user, pk, reviewing=True)
    assignment = access.get_assignment_for_user(request.user, s.self_assessment)
    return s, assignment


@login_required
@require_GET
def review(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    """The claim and its evidence beside the reviewer's judgement, one indicator at a time."""
    s, assignment = _review_context(request, pk)
    sa = s.self_assessment
    spec = spec_from_db(sa.campaign.framework)
    try:
        ind = spec.indicator(number)
    except KeyError:
        raise Http404 from None
    form = FormData.model_validate(s.snapshot)
    answer = form.answer(number)
    rating = ReviewRating.objects.filter(
        assignment=assignment, submission=s, indicator=number
    ).first()
    numbers = [i.number for i in spec.indicators]
    idx = numbers.index(number)
    evidence = _evidence_with_files(answer, _files_by_sha(sa))
    done = _rated_count(assignment, s)
    reviewable = True
    try:
        review_services.ensure_reviewable(s)
    except ServiceError as exc:
        reviewable = False
        messages.info(request, exc.message)
    return render(
        request,
        "reviews/review.html",
        {
            "submission": s,
            "sa": sa,
            "spec": spec,
            "ind": ind,
            "answer": answer,
            "rating": rating,
            "evidence": evidence,
            "assignment": assignment,
            "reviewable": reviewable,
            "prev_number": numbers[idx - 1] if idx > 0 else None,
            "next_number": numbers[idx + 1] if idx + 1 < len(numbers) else None,
            "done": done,
            "total": len(numbers),
            "changed": number in changed_indicators(s, spec),
            "sufficiency": Sufficiency.choices,
            "is_lead": assignment.is_lead and reviewable,
            "my_comments": dict(
                ReviewRating.objects.filter(assignment=assignment, submission=s)
                .exclude(comment="")
                .values_list("indicator", "comment")
            ),
        },
    )


@login_required_json
@require_POST
def save_rating(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    s, assignment = _review_context(request, pk)
    spec = spec_from_db(s.self_assessment.campaign.framework)
    try:
        spec.indicator(number)
    except KeyError:
        raise Http404 from None
    changes: dict[str, Any] = {
        f: request.POST[f] for f in review_services.RATING_FIELDS if f in request.POST
    }
    if "level" in changes:
        changes["level"], error = level_from_post(changes["level"])
        if error:
            return JsonResponse({"error": error}, status=400)
    version = int_or_none(request.POST.get("version"))
    return autosave_response(
        lambda: review_services.save_rating(
            assignment=assignment,
            submission=s,
            indicator=number,
            by=request.user,
            expected_version=version or None,
            changes=changes,
        ),
        changes,
        live=lambda saved: {"review-progress": _rated_count(assignment, s)},
    )


def _rated_count(assignment: ReviewAssignment, submission: Submission) -> int:
    """评审进度: the indicators this reviewer has given a level in this submission."""
    return ReviewRating.objects.filter(
        assignment=assignment, submission=submission, level__isnull=False
    ).count()


@login_required
@require_POST
def declare_conflict(request: AuthedRequest, pk: int) -> HttpResponse:
    s, assignment = _review_context(request, pk)
    try:
        review_services.declare_conflict(
            assignment=assignment, reason=request.POST.get("reason", ""), by=request.user
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("review:review", pk=s.pk, number=1)
    messages.success(request, _("已声明回避，该材料不再分配给您"))
    return redirect("review:mine")
