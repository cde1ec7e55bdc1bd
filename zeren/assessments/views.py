"""The enterprise workspace: thin views over access getters, services and templates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zeren import access
from zeren.assessments import services, submissions
from zeren.assessments.autosave import autosave_response, level_from_post
from zeren.assessments.checks import answer_status, check_form, contact_info_error
from zeren.assessments.diff import diff_forms
from zeren.assessments.evidence_views import evidence_needed
from zeren.assessments.formdata import FormData
from zeren.assessments.models import Answer, SelfAssessment, StoredFile, Submission
from zeren.assessments.snapshot import answers_with_evidence, form_from_assessment
from zeren.frameworks.loader import spec_from_db
from zeren.frameworks.models import Framework
from zeren.lib.http import AuthedRequest, int_or_none, login_required_json
from zeren.reports.services import earlier_actions
from zeren.reviews.results import released_review
from zeren.reviews.scoring import score_levels


def _max_file_size() -> int:
    return int(settings.ZEREN_MAX_UPLOAD_MB) * 1024 * 1024


def _latest_revision_request(sa: SelfAssessment) -> Any:
    if sa.status != SelfAssessment.Status.RETURNED:
        return None
    from zeren.assessments.models import RevisionRequest

    return (
        RevisionRequest.objects.filter(submission__self_assessment=sa)
        .order_by("-created_at")
        .first()
    )


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    assessments = (
        access.self_assessments_visible_to(user)
        .select_related("campaign", "enterprise")
        .annotate(
            total=Count("answers"),
            rated=Count("answers", filter=Q(answers__level__isnull=False)),
            mine=Count("answers", filter=Q(answers__assignee=user)),
        )
        .order_by("-campaign__year", "campaign__title", "enterprise__name", "business_scope")
    )
    rows = []
    if not access.is_organizer(user):
        for sa in assessments:
            total, rated, mine = sa.total, sa.rated, sa.mine
            days_left = sa.campaign.days_left(now)
            rows.append(
                {
                    "sa": sa,
                    "total": total,
                    "rated": rated,
                    "percent": round(100 * rated / total) if total else 0,
                    "mine": mine,
                    "days_left": days_left,
                }
            )
    organizer_campaigns = []
    if access.is_organizer(user):
        organizer_campaigns = list(
            access.campaigns_visible_to(user).annotate(
                n=Count("self_assessments"),
                submitted=Count("self_assessments", filter=Q(self_assessments__status="submitted")),
                returned=Count("self_assessments", filter=Q(self_assessments__status="returned")),
                accepted=Count("self_assessments", filter=Q(self_assessments__status="accepted")),
            )
        )
    enterprises = list(access.enterprises_visible_to(user)) if not access.is_organizer(user) else []
    return render(
        request,
        "assessments/home.html",
        {
            "rows": rows,
            "organizer_campaigns": organizer_campaigns,
            "enterprises": enterprises,
            "is_reviewer": access.is_reviewer(user),
            "is_organizer": access.is_organizer(user),
        },
    )


def _overview_context(request: AuthedRequest, sa: SelfAssessment) -> dict[str, Any]:
    spec = spec_from_db(sa.campaign.framework)
    answers = list(answers_with_evidence(sa))
    form = form_from_assessment(sa, answers)
    form_answers = {a.indicator: a for a in form.answers}
    findings = check_form(form, spec, max_file_size=_max_file_size())
    by_indicator: dict[int, list[Any]] = {}
    for f in findings:
        if f.indicator is not None:
            by_indicator.setdefault(f.indicator, []).append(f)
    by_number = {a.indicator.number: a for a in answers}
    scores = score_levels(spec, {n: a.level for n, a in by_number.items()})
    user = request.user
    areas = []
    mine = []
    for area in spec.areas:
        topics = []
        for topic in area.topics:
            rows = []
            for ind in topic.indicators:
                a = by_number[ind.number]
                row = {
                    "indicator": ind,
                    "answer": a,
                    "status": answer_status(form_answers[ind.number], spec),
                    "label": ind.label(a.level),
                    "evidence_count": len(a.evidence.all()),
                    "findings": by_indicator.get(ind.number, []),
                    "editable": access.can_edit_answer(user, a, sa),
                }
                rows.append(row)
                if a.assignee_id == user.pk:
                    mine.append(row)
            topics.append({"topic": topic, "rows": rows})
        areas.append({"area": area, "topics": topics, "score": scores.areas[area.name]})
    revision = _latest_revision_request(sa)
    from zeren.intake.scan_checks import display, latest_check

    return {
        "scan_check": display(latest_check(sa)),
        "released": released_review(sa, spec),
        "result_released": access.result_visible(user, sa),
        "sa": sa,
        "spec": spec,
        "areas": areas,
        "mine": mine,
        "scores": scores,
        "findings": findings,
        "general_findings": [f for f in findings if f.indicator is None],
        "error_count": sum(f.is_error for f in findings),
        "warning_count": sum(not f.is_error for f in findings),
        "can_manage": access.can_manage_assessment(user, sa),
        "is_member": sa.enterprise_id in access.enterprise_ids(user),
        "editable": sa.is_editable() and sa.enterprise_id in access.enterprise_ids(user),
        "colleagues": access.colleagues(user, sa.enterprise_id),
        "submissions": list(sa.submissions.order_by("-number").select_related("submitted_by")),
        "revision": revision,
        "revision_numbers": set(revision.indicator_numbers()) if revision else set(),
        "previous_submissions": _previous_submissions(sa)
        if sa.is_editable() and not sa.submissions.exists()
        else [],
        "days_left": sa.campaign.days_left(),
    }


def _previous_submissions(sa: SelfAssessment) -> list[Submission]:
    return list(
        Submission.objects.filter(
            self_assessment__enterprise_id=sa.enterprise_id,
            self_assessment__campaign__framework__key=sa.campaign.framework.key,
        )
        .exclude(self_assessment=sa)
        .select_related("self_assessment__campaign")
        .order_by("-submitted_at")[:5]
    )


@login_required
@require_GET
def overview(request: AuthedRequest, pk: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk)
    ctx = _overview_context(request, sa)
    ctx["check_open"] = request.GET.get("check") == "1"
    return render(request, "assessments/overview.html", ctx)


@login_required
@require_GET
def check(request: AuthedRequest, pk: int) -> HttpResponse:
    """完整性检查 as a fragment."""
    sa = access.get_self_assessment_for_user(request.user, pk)
    if not request.headers.get("HX-Request"):
        return redirect(reverse("assessments:overview", args=[sa.pk]) + "?check=1#check")
    ctx = _overview_context(request, sa)
    ctx["check_open"] = True
    return render(request, "assessments/overview.html#check", ctx)


@login_required
@require_GET
def indicator(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk)
    answer = access.get_answer_for_user(request.user, sa, number)
    spec = spec_from_db(sa.campaign.framework)
    ind = spec.indicator(number)
    numbers = [i.number for i in spec.indicators]
    idx = numbers.index(number)
    revision = _latest_revision_request(sa)
    revision_comment = None
    if revision:
        revision_comment = next(
            (c["comment"] for c in revision.comments if int(c["indicator"]) == number), None
        )
    return render(
        request,
        "assessments/indicator.html",
        {
            "sa": sa,
            "spec": spec,
            "ind": ind,
            "area": spec.area_of(number),
            "answer": answer,
            "editable": sa.is_editable() and access.can_edit_answer(request.user, answer, sa),
            "prev_number": numbers[idx - 1] if idx > 0 else None,
            "next_number": numbers[idx + 1] if idx + 1 < len(numbers) else None,
            "evidence": answer.evidence.order_by("seq").prefetch_related("files"),
            "library": sa.files.filter(kind=StoredFile.Kind.EVIDENCE).order_by("original_name"),
            "comments": answer.comments.select_related("author").order_by("created_at"),
            "colleagues": access.colleagues(request.user, sa.enterprise_id),
            "revision_comment": revision_comment,
            "max_upload_mb": settings.ZEREN_MAX_UPLOAD_MB,
            "evidence_needed": evidence_needed(answer, spec.evidence_levels),
            "earlier_actions": earlier_actions(sa).get(number, []),
        },
    )


def _evidence_levels(answer: Answer) -> list[int]:
    levels = Framework.objects.filter(
        campaigns__self_assessments=answer.self_assessment_id
    ).values_list("evidence_levels", flat=True)
    return list(levels.first() or [])


@login_required_json
@require_POST
def save_answer(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    """Autosave of one answer: JSON in the user's language, 409 on a conflicting save."""
    answer = access.get_answer_for_autosave(request.user, pk, number)
    version = int_or_none(request.POST.get("version"))
    if version is None:
        return JsonResponse({"error": _("页面已过期，请刷新后重试")}, status=400)
    changes: dict[str, Any] = {}
    for field in services.ANSWER_FIELDS:
        if field in request.POST:
            changes[field] = request.POST[field]
    if "level" in changes:
        changes["level"], error = level_from_post(changes["level"])
        if error:
            return JsonResponse({"error": error}, status=400)
    return autosave_response(
        lambda: services.save_answer(
            answer=answer, by=request.user, expected_version=version, changes=changes
        ),
        changes,
        # Only a new level can change the evidence warning; other saves skip the two queries.
        live=lambda saved: (
            {"evidence-needed": evidence_needed(saved, _evidence_levels(saved))}
            if "level" in changes
            else {}
        ),
    )


@login_required_json
@require_POST
def save_cover(request: AuthedRequest, pk: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    if not access.can_manage_assessment(request.user, sa):
        return JsonResponse({"error": _("只有企业管理员可以修改封面和承诺书")}, status=403)
    version = int_or_none(request.POST.get("version"))
    if version is None:
        return JsonResponse({"error": _("页面已过期，请刷新后重试")}, status=400)
    changes: dict[str, Any] = {
        f: request.POST[f].strip() for f in services.COVER_FIELDS if f in request.POST
    }
    if changes.get("contact_info"):
        error = contact_info_error(changes["contact_info"])
        if error:
            return JsonResponse({"error": error, "field": "contact_info"}, status=400)
    if "pledge_date" in changes:
        try:
            changes["pledge_date"] = (
                dt.date.fromisoformat(changes["pledge_date"]) if changes["pledge_date"] else None
            )
        except ValueError:
            return JsonResponse(
                {"error": _("日期格式应为 年-月-日"), "field": "pledge_date"}, status=400
            )
    return autosave_response(
        lambda: services.save_cover(
            assessment=sa, by=request.user, expected_version=version, changes=changes
        ),
        {k: str(v) if v is not None else "" for k, v in changes.items()},
    )


@login_required
@require_POST
def assign(request: AuthedRequest, pk: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    if not access.can_manage_assessment(request.user, sa):
        raise PermissionDenied
    numbers = [
        n for n in (int_or_none(x) for x in request.POST.getlist("indicators")) if n is not None
    ]
    assignee_id = int_or_none(request.POST.get("assignee"))
    assignee = (
        access.colleagues(request.user, sa.enterprise_id).filter(pk=assignee_id).first()
        if assignee_id
        else None
    )
    if assignee_id and assignee is None:
        messages.error(request, _("只能分派给本企业的成员"))
    elif not numbers:
        messages.error(request, _("请先勾选要分派的指标"))
    else:
        try:
            n = services.assign_indicators(
                assessment=sa, numbers=numbers, assignee=assignee, by=request.user
            )
            who = str(assignee) if assignee else _("无人")
            messages.success(request, _("已将 %(n)d 个指标分派给 %(who)s") % {"n": n, "who": who})
        except services.ServiceError as exc:
            messages.error(request, exc.message)
    return redirect(reverse("assessments:overview", args=[sa.pk]) + "#indicators")


@login_required
@require_POST
def comment(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    answer = access.get_answer_for_user(request.user, sa, number)
    try:
        services.add_comment(answer=answer, by=request.user, body=request.POST.get("body", ""))
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("assessments:indicator", args=[sa.pk, number]) + "#comments")


@login_required
@require_POST
def submit(request: AuthedRequest, pk: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    if not access.can_manage_assessment(request.user, sa):
        raise PermissionDenied
    try:
        submission = submissions.submit_self_assessment(assessment=sa, by=request.user)
    except services.Incomplete as exc:
        messages.error(request, exc.message)
        # The problems are the answer to "why not": shown open, not folded away.
        return redirect(reverse("assessments:overview", args=[sa.pk]) + "?check=1#check")
    except services.ServiceError as exc:
        sa.refresh_from_db(fields=["status"])  # the other request may have submitted meanwhile
        latest = sa.submissions.order_by("-number").first()
        if latest is not None and sa.status == SelfAssessment.Status.SUBMITTED:
            # A double click or a second tab: the first submit went through; show its receipt.
            messages.info(request, exc.message)
            return redirect("assessments:receipt", pk=latest.pk)
        messages.error(request, exc.message)
        return redirect("assessments:overview", pk=sa.pk)
    messages.success(request, _("提交成功，请保存或打印提交回执"))
    return redirect("assessments:receipt", pk=submission.pk)


# What the enterprise sees of its own history: its own changes, not who reviews it.
ENTERPRISE_TIMELINE = r"^(self_assessment|answer|evidence)\."


@login_required
@require_GET
def activity(request: AuthedRequest, pk: int) -> HttpResponse:
    """操作记录 of a self-assessment, as sentences (the same as on the organizer's page)."""

    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    events = sa.audit_events.filter(action__regex=ENTERPRISE_TIMELINE).select_related("actor")
    return render(
        request,
        "assessments/activity.html",
        {"sa": sa, "timeline": access.describe_all(events.order_by("-at", "-pk")[:300])},
    )


@login_required
@require_GET
def receipt(request: AuthedRequest, pk: int) -> HttpResponse:
    submission = access.get_submission_for_user(request.user, pk)
    form = FormData.model_validate(submission.snapshot)
    files = [f for a in form.answers for e in a.evidence for f in e.files]
    return render(
        request,
        "assessments/receipt.html",
        {
            "submission": submission,
            "sa": submission.self_assessment,
            "form": form,
            "file_count": len(files),
        },
    )


@login_required
@require_GET
def versions_diff(request: AuthedRequest, pk: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk)
    submissions = list(sa.submissions.order_by("number"))
    if not submissions:
        raise Http404
    numbers = [s.number for s in submissions]
    a_num = int_or_none(request.GET.get("a")) or (numbers[-2] if len(numbers) > 1 else numbers[-1])
    b_raw = request.GET.get("b", "current")
    by_number = {s.number: s for s in submissions}
    if a_num not in by_number:
        raise Http404
    spec = spec_from_db(sa.campaign.framework)
    old = FormData.model_validate(by_number[a_num].snapshot)
    if b_raw == "current":
        new = form_from_assessment(sa)
        b_label = _("当前草稿")
    else:
        b_num = int_or_none(b_raw)
        if b_num not in by_number:
            raise Http404
        new = FormData.model_validate(by_number[b_num].snapshot)
        b_label = _("第 %(n)d 版") % {"n": b_num}
    changes = diff_forms(old, new, spec)
    return render(
        request,
        "assessments/diff.html",
        {
            "sa": sa,
            "changes": changes,
            "numbers": numbers,
            "a": a_num,
            "b": b_raw,
            "a_label": _("第 %(n)d 版") % {"n": a_num},
            "b_label": b_label,
        },
    )


@login_required
@require_POST
def start_from(request: AuthedRequest, pk: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    if not access.can_manage_assessment(request.user, sa):
        raise PermissionDenied
    source_pk = int_or_none(request.POST.get("submission"))
    source = (
        access.submissions_visible_to(request.user)
        .filter(pk=source_pk or 0, self_assessment__enterprise_id=sa.enterprise_id)
        .first()
    )
    if source is None:
        raise Http404
    try:
        n = submissions.start_from_submission(assessment=sa, source=source, by=request.user)
        messages.success(
            request, _("已从往年材料导入 %(n)d 个指标的内容，请逐项核对更新") % {"n": n}
        )
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("assessments:overview", pk=sa.pk)
