"""The organizer's side: campaigns, submissions, return for revision, accept."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zeren.accounts import access
from zeren.assessments import services
from zeren.assessments.formdata import FormData
from zeren.frameworks.loader import spec_from_db
from zeren.lib.http import AuthedRequest, int_or_none
from zeren.reviews.scoring import score_levels


@login_required
@require_GET
def campaign(request: AuthedRequest, pk: int) -> HttpResponse:
    c = access.get_campaign_for_user(request.user, pk, manage=True)
    assessments = (
        access.self_assessments_visible_to(request.user)
        .filter(campaign=c)
        .select_related("enterprise")
        .prefetch_related("submissions")
        .order_by("enterprise__name", "business_scope")
    )
    rows = []
    for sa in assessments:
        subs = sorted(sa.submissions.all(), key=lambda s: s.number)
        rows.append({"sa": sa, "latest": subs[-1] if subs else None})
    return render(request, "reviews/campaign.html", {"campaign": c, "rows": rows})


@login_required
@require_GET
def submission(request: AuthedRequest, pk: int) -> HttpResponse:
    s = access.get_submission_for_user(request.user, pk, manage=True)
    sa = s.self_assessment
    spec = spec_from_db(sa.campaign.framework)
    form = FormData.model_validate(s.snapshot)
    answers = {a.indicator: a for a in form.answers}
    scores = score_levels(spec, {n: a.level for n, a in answers.items()})
    rows = [
        {"ind": ind, "area": area, "answer": answers.get(ind.number)}
        for area in spec.areas
        for ind in area.indicators
    ]
    latest = sa.submissions.order_by("-number").first()
    return render(
        request,
        "reviews/submission.html",
        {
            "submission": s,
            "sa": sa,
            "form": form,
            "rows": rows,
            "scores": scores,
            "is_latest": latest is not None and latest.pk == s.pk,
            "revisions": s.revision_requests.order_by("-created_at"),
            "events": sa.audit_events.select_related("actor").order_by("-at", "-pk")[:100],
        },
    )


@login_required
@require_POST
def return_submission(request: AuthedRequest, pk: int) -> HttpResponse:
    s = access.get_submission_for_user(request.user, pk, manage=True)
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
            return redirect("reviews:submission", pk=s.pk)
    try:
        services.return_for_revision(
            submission=s,
            by=request.user,
            comments=comments,
            message=request.POST.get("message", ""),
            deadline=deadline,
        )
        messages.success(request, _("已退回修改"))
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("reviews:submission", pk=s.pk)


@login_required
@require_POST
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    s = access.get_submission_for_user(request.user, pk, manage=True)
    if not access.is_organizer(request.user):
        raise PermissionDenied
    try:
        services.accept_submission(submission=s, by=request.user)
        messages.success(request, _("已审核通过"))
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("reviews:submission", pk=s.pk)
