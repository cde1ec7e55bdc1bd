"""结果分析 (organizer), 评估结果 and 整改 (enterprise), the cohort workbook."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zeren import access
from zeren.accounts.models import Segment
from zeren.assessments.services import ServiceError
from zeren.lib.http import AuthedRequest, int_or_none
from zeren.reports import compute, services
from zeren.reports import jobs as report_jobs
from zeren.reports.analytics import RESULT_STATUSES, Filters
from zeren.reports.models import ImprovementAction
from zeren.reports.page import analysis_page
from zeren.reports.peers import enterprise_result
from zeren.reports.trajectory import cohort_year_over_year, enterprise_trajectory


def _filters(request: AuthedRequest) -> Filters:
    segment = request.GET.get("segment", "")
    status = request.GET.get("status", "")
    return Filters(
        segment=segment if segment in Segment.values else "",
        status=status if status in RESULT_STATUSES else "",
    )


@login_required
@require_GET
def analysis(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    f = _filters(request)
    page = max(1, int_or_none(request.GET.get("page")) or 1)
    area = int_or_none(request.GET.get("area"))
    data = analysis_page(campaign, f, page=page, area=area)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/analysis.html",
        {
            "campaign": campaign,
            "p": data,
            "chart_data": data.chart_data(),
            "state": compute.results_state(campaign),
            "yoy": cohort_year_over_year(campaign, f),
            "segments": Segment.choices,
            "statuses": [(s.value, s.label) for s in RESULT_STATUSES],
            "query": query.urlencode(),
        },
    )


@login_required
@require_POST
def results_action(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    action = request.POST.get("action", "")
    if action == "compute":
        compute.compute_results(campaign)
        messages.success(request, _("结果已重新计算。"))
    elif action == "release":
        compute.release_results(campaign, by=request.user)
        messages.success(request, _("结果已公布，参评企业可以查看本企业的评估结果。"))
    elif action == "withdraw":
        compute.withdraw_results(campaign, by=request.user)
        messages.success(request, _("已撤回公布。"))
    return redirect("results:analysis", pk=campaign.pk)


@login_required
@require_GET
def workbook(request: AuthedRequest, pk: int) -> StreamingHttpResponse:
    from zeren.reports.workbook import cohort_workbook

    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    filename, mimetype, chunks = cohort_workbook(campaign, _filters(request))
    response = StreamingHttpResponse(chunks, content_type=mimetype)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


@login_required
@require_GET
def enterprise(request: AuthedRequest, pk: int) -> HttpResponse:
    result = access.get_result_for_user(request.user, pk)
    er = enterprise_result(result)
    sa = result.self_assessment
    trajectory = enterprise_trajectory(result, released_only=not access.is_organizer(request.user))
    actions: dict[int, list[ImprovementAction]] = {}
    for a in ImprovementAction.objects.filter(self_assessment=sa):
        actions.setdefault(a.indicator, []).append(a)
    return render(
        request,
        "reports/enterprise.html",
        {
            "sa": sa,
            "er": er,
            "actions": actions,
            "statuses": ImprovementAction.Status.choices,
            "can_manage": access.can_manage_assessment(request.user, sa),
            "trajectory": trajectory,
            "chart_data": {
                "areas": er.areas,
                "indicators": [
                    {
                        "number": r.number,
                        "name": r.name,
                        "mine": r.reviewed_points,
                        "median": r.cohort_median,
                        "peer_median": r.peer_median,
                        "peer_best": r.peer_best,
                    }
                    for r in er.rows
                ],
            },
        },
    )


def _action_changes(request: AuthedRequest) -> dict[str, object]:
    due_raw = request.POST.get("due_date", "").strip()
    try:
        due = dt.date.fromisoformat(due_raw) if due_raw else None
    except ValueError as exc:
        raise ServiceError(_("完成期限无效")) from exc
    return {
        "action": request.POST.get("action", ""),
        "owner": request.POST.get("owner", ""),
        "due_date": due,
        "status": request.POST.get("status", ""),
    }


@login_required
@require_POST
def action_create(request: AuthedRequest, pk: int) -> HttpResponse:
    result = access.get_result_for_user(request.user, pk)
    sa = result.self_assessment
    if not access.can_manage_assessment(request.user, sa):
        raise PermissionDenied
    spec_numbers = {
        i.number: i.name for i in sa.campaign.framework.indicators.only("number", "name")
    }
    number = int_or_none(request.POST.get("indicator"))
    try:
        if number not in spec_numbers:
            raise ServiceError(_("指标无效"))
        assert number is not None
        services.create_action(
            assessment=sa,
            indicator=number,
            indicator_name=spec_numbers[number],
            by=request.user,
            changes=_action_changes(request),
        )
        messages.success(request, _("已加入整改事项。"))
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("results:enterprise", pk=sa.pk)


@login_required
@require_POST
def action_update(request: AuthedRequest, pk: int, action_id: int) -> HttpResponse:
    action = access.get_improvement_action_for_user(request.user, pk, action_id)
    try:
        services.update_action(action=action, by=request.user, changes=_action_changes(request))
        messages.success(request, _("整改事项已更新。"))
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("results:enterprise", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: AuthedRequest, pk: int) -> HttpResponse:
    """行业报告: the organizer writes the narratives, picks typical cases, then makes it."""
    from zeren.reports.documents import case_candidates

    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    state = compute.results_state(campaign)
    if request.method == "POST":
        cases = []
        for value in request.POST.getlist("case"):
            sa_id, _sep, number = value.partition(":")
            if sa_id.isdigit() and number.isdigit():
                cases.append((int(sa_id), int(number)))
        services.save_report_settings(
            campaign=campaign,
            by=request.user,
            narratives={k: request.POST.get(k, "") for k in services.NARRATIVE_KEYS},
            cases=cases,
            name_enterprises=request.POST.get("name_enterprises") == "1",
        )
        action = request.POST.get("make", "")
        if action == "industry":
            job = report_jobs.request_industry_report(by=request.user, campaign=campaign)
            return redirect("documents:job", pk=job.pk)
        if action == "scorecards":
            job = report_jobs.request_scorecards(by=request.user, campaign=campaign)
            return redirect("documents:job", pk=job.pk)
        messages.success(request, _("已保存。"))
        return redirect("results:report", pk=campaign.pk)
    narratives = dict(state.narratives) if state else {}
    picked = {
        f"{c.get('self_assessment')}:{c.get('indicator')}"
        for c in narratives.get("cases", [])
        if isinstance(c, dict)
    }
    candidates = case_candidates(campaign)
    for c in candidates:
        c["picked"] = f"{c['self_assessment']}:{c['indicator']}" in picked
    return render(
        request,
        "reports/report.html",
        {
            "campaign": campaign,
            "state": state,
            "narratives": narratives,
            "candidates": candidates,
        },
    )


@login_required
@require_POST
def scorecard(request: AuthedRequest, pk: int) -> HttpResponse:
    """评估报告 of one self-assessment, made in the background (same access as the page)."""
    result = access.get_result_for_user(request.user, pk)
    job = report_jobs.request_scorecard(by=request.user, result=result)
    return redirect("documents:job", pk=job.pk)
