"""The 审计管理员's audit page: filters, sentences, XLSX export (user text as text)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from zeren import access
from zeren.audit.log import record
from zeren.audit.models import AuditEvent
from zeren.lib.http import AuthedRequest
from zeren.lib.xlsx import cells_as_text

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 100_000


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _filtered(request: AuthedRequest) -> tuple[QuerySet[AuditEvent], dict[str, str]]:
    qs = access.audit_events_visible_to(request.user).select_related("actor", "enterprise")
    f = {
        k: request.GET.get(k, "").strip()[:100]
        for k in ("user", "action", "result", "address", "since", "until")
    }
    if f["user"]:
        qs = qs.filter(actor__username__icontains=f["user"])
    if f["action"]:
        qs = qs.filter(action__startswith=f["action"])
    if f["result"] in AuditEvent.Result.values:
        qs = qs.filter(result=f["result"])
    if f["address"]:
        qs = (
            qs.filter(address=f["address"])
            if ":" in f["address"] or f["address"].count(".") == 3
            else qs.none()
        )
    since, until = _date(f["since"]), _date(f["until"])
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(at__gte=dt.datetime.combine(since, dt.time.min, tz))
    if until:
        qs = qs.filter(at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tz))
    return qs.order_by("-at", "-pk"), f


@login_required
@require_GET
def audit_list(request: AuthedRequest) -> HttpResponse:
    qs, filters = _filtered(request)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "security/audit.html",
        {
            "page": page,
            "timeline": access.describe_all(page.object_list),
            "filters": filters,
            "query": query,
            "results": AuditEvent.Result.choices,
        },
    )


@login_required
@require_GET
def audit_export(request: AuthedRequest) -> HttpResponse:
    qs, filters = _filtered(request)
    wb = Workbook(write_only=False)
    ws = wb.active
    assert ws is not None
    ws.title = "审计记录"
    ws.append(["编号", "时间", "用户", "地址", "客户端", "操作", "说明", "对象", "结果", "哈希"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for e, sentence in access.describe_all(qs[:EXPORT_LIMIT]):
        ws.append(
            [
                e.pk,
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                e.actor.username if e.actor else "",
                e.address or "",
                e.user_agent,
                e.action,
                sentence,
                f"{e.object_type}#{e.object_id}",
                e.get_result_display(),
                e.hash,
            ]
        )
    cells_as_text(ws)
    out = BytesIO()
    wb.save(out)
    record(request.user, "audit.exported", None, object_type="audit.auditevent", after=filters)
    name = f"审计记录-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response = HttpResponse(out.getvalue(), content_type=XLSX_MIMETYPE)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response
