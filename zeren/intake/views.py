"""The organizer's batch import of Word forms (pages over documents.imports)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zeren import access
from zeren.accounts.models import Enterprise
from zeren.assessments.formdata import FormData
from zeren.assessments.services import ServiceError
from zeren.assessments.uploads import HashingUploadHandler
from zeren.frameworks.loader import spec_from_db
from zeren.intake import imports
from zeren.intake.models import ImportBatch
from zeren.intake.scan_checks import display
from zeren.lib.http import AuthedRequest, int_or_none
from zeren.lib.storage import file_response


@csrf_exempt
def upload(request: AuthedRequest, pk: int) -> HttpResponse:
    request.upload_handlers = [HashingUploadHandler(request)]
    return _upload(request, pk)


@csrf_protect
@login_required
@require_http_methods(["GET", "POST"])
def _upload(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    if request.method == "POST":
        if request.META.get("ZEREN_UPLOAD_TOO_LARGE"):
            messages.error(request, _("文件过大，未上传"))
        else:
            try:
                batch = imports.create_batch(
                    campaign=campaign, uploads=request.FILES.getlist("files"), by=request.user
                )
                return redirect("intake:import_batch", pk=batch.pk)
            except ServiceError as exc:
                messages.error(request, exc.message)
    batches = ImportBatch.objects.filter(campaign=campaign).order_by("-created_at")[:20]
    return render(request, "intake/import_upload.html", {"campaign": campaign, "batches": batches})


@login_required
@require_GET
def batch(request: AuthedRequest, pk: int) -> HttpResponse:
    b = access.get_import_batch_for_user(request.user, pk)
    if request.headers.get("HX-Request") and b.status != ImportBatch.Status.DONE:
        return render(request, "intake/import_batch.html#progress", {"batch": b})
    if request.headers.get("HX-Request"):
        response = HttpResponse()
        response["HX-Refresh"] = "true"  # reading finished: show the review table
        return response
    spec = spec_from_db(b.campaign.framework)
    rows = []
    for item in b.items.select_related("enterprise", "self_assessment").order_by(
        "original_name", "pk"
    ):
        form = FormData.model_validate(item.form) if item.form else None
        levels = {a.indicator: a.level for a in form.answers} if form else {}
        problem_numbers = sorted(
            {p["indicator"] for p in item.problems if p["indicator"] is not None}
        )
        rows.append(
            {
                "item": item,
                "form": form,
                "levels": [(ind, levels.get(ind.number)) for ind in spec.indicators],
                "problem_rows": [
                    {
                        "ind": spec.indicator(n),
                        "problems": [p for p in item.problems if p["indicator"] == n],
                        "answer": form.answer(n) if form else None,
                    }
                    for n in problem_numbers
                    if n in {i.number for i in spec.indicators}
                ],
                "general_problems": [p for p in item.problems if p["indicator"] is None],
            }
        )
    enterprises = Enterprise.objects.order_by("name")
    return render(
        request,
        "intake/import_batch.html",
        {"batch": b, "rows": rows, "enterprises": enterprises, "spec": spec},
    )


@login_required
@require_POST
def item_update(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access.get_import_item_for_user(request.user, pk)
    enterprise = Enterprise.objects.filter(
        pk=int_or_none(request.POST.get("enterprise")) or 0
    ).first()
    levels: dict[int, int | None] = {}
    for key, value in request.POST.items():
        if key.startswith("level_") and value != "":
            n, lv = int_or_none(key[6:]), int_or_none(value)
            if n is not None and lv in (1, 2, 3, 4, 5):
                levels[n] = lv
    try:
        imports.update_item(
            item=item,
            by=request.user,
            enterprise=enterprise,
            business_scope=request.POST.get("business_scope", ""),
            levels=levels,
        )
        if request.POST.get("confirm") == "1":
            sa = imports.confirm_item(item=item, by=request.user)
            messages.success(
                request,
                _("已导入：%(name)s · %(scope)s")
                % {"name": sa.enterprise.name, "scope": sa.business_scope},
            )
        else:
            messages.success(request, _("已保存修改"))
    except ServiceError as exc:
        messages.error(request, f"{item.original_name}：{exc.message}")
    return redirect(reverse("intake:import_batch", args=[item.batch_id]) + f"#item-{item.pk}")


@login_required
@require_POST
def confirm_ready(request: AuthedRequest, pk: int) -> HttpResponse:
    b = access.get_import_batch_for_user(request.user, pk)
    n, errors = imports.confirm_ready(batch=b, by=request.user)
    messages.success(request, _("已导入 %(n)d 份无问题的材料") % {"n": n})
    for e in errors:
        messages.error(request, e)
    return redirect("intake:import_batch", pk=b.pk)


@login_required
@require_GET
def item_source(request: AuthedRequest, pk: int) -> HttpResponseBase:
    item = access.get_import_item_for_user(request.user, pk)
    response = file_response(
        item.storage_key,
        as_attachment=True,
        filename=item.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def item_crop(request: AuthedRequest, pk: int, number: int) -> HttpResponseBase:
    """The scanned 企业自评 cell of one problem row, for the organizer to decide by looking."""
    item = access.get_import_item_for_user(request.user, pk)
    key = next(
        (p.get("crop") for p in item.problems if p.get("indicator") == number and p.get("crop")),
        None,
    )
    if not key:
        raise Http404
    response = file_response(
        key, as_attachment=False, filename=f"indicator-{number}.png", content_type="image/png"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def scan_check(request: AuthedRequest, pk: int) -> HttpResponse:
    """The paper-against-submission result; the fragment polls itself until it is finished."""
    check = access.get_scan_check_for_user(request.user, pk)
    return render(request, "intake/_scan_check.html", {"scan_check": display(check)})
