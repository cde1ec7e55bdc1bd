"""The organizer's campaign pages: list, create, edit, state changes, progress dashboard,
enterprises and their invitations, XLSX import with preview, reminders, export.

Only organizers reach these pages: a campaign somebody cannot see is a 404, a campaign they can
see (an enterprise's own) but not manage is a 403.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zeren import access
from zeren.accounts.credit_code import credit_code_error
from zeren.accounts.models import Invitation
from zeren.assessments.services import ServiceError
from zeren.campaigns import services
from zeren.campaigns.enterprise_import import (
    DEFAULT_SCOPE,
    MAX_FILE_BYTES,
    EnterpriseRow,
    ImportFileError,
    check_rows,
    existing_for,
    parse_workbook,
    template_xlsx,
)
from zeren.campaigns.models import Campaign
from zeren.campaigns.reminders import reminder_recipients
from zeren.frameworks.models import Framework
from zeren.lib.http import AuthedRequest, confirmed, int_or_none
from zeren.reports.exports import progress_xlsx
from zeren.reports.queries import Sort, Stage, campaign_enterprises, campaign_progress

Status = Campaign.Status
DASHBOARD_PAGE = 100  # rows of the progress dashboard per page


def _file_response(filename: str, mimetype: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def _require_organizer(request: AuthedRequest) -> None:
    if not access.is_organizer(request.user):
        raise Http404


def _campaign(request: AuthedRequest, pk: int) -> Campaign:
    return access.get_campaign_for_user(request.user, pk, manage=True)


# Forms ---------------------------------------------------------------------------------------


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class CampaignForm(forms.Form):
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.all(), label=gettext_lazy("指标体系版本"), empty_label=None
    )
    title = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    opens_at = forms.DateTimeField(label=gettext_lazy("开始时间"), widget=DateTimeLocal())
    closes_at = forms.DateTimeField(label=gettext_lazy("截止时间"), widget=DateTimeLocal())
    instructions = forms.CharField(
        label=gettext_lazy("填报说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("显示给企业的填报要求，可留空"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("截止时间必须晚于开始时间"))
        return data


class ExtendForm(forms.Form):
    closes_at = forms.DateTimeField(label=gettext_lazy("新的截止时间"), widget=DateTimeLocal())


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("企业名称"), max_length=200)
    credit_code = forms.CharField(
        label=gettext_lazy("统一社会信用代码"),
        max_length=30,
        help_text=gettext_lazy("18 位，末位为校验位"),
    )
    contact_name = forms.CharField(label=gettext_lazy("联系人"), max_length=100)
    email = forms.EmailField(
        label=gettext_lazy("邮箱"), help_text=gettext_lazy("联系人将收到邀请邮件，成为企业管理员")
    )
    phone = forms.CharField(label=gettext_lazy("电话"), max_length=50)
    business_scope = forms.CharField(
        label=gettext_lazy("自评业务版块或产品"), max_length=200, initial=DEFAULT_SCOPE
    )

    def clean_credit_code(self) -> str:
        code = "".join(self.cleaned_data["credit_code"].split()).upper()
        problem = credit_code_error(code)
        if problem:
            raise forms.ValidationError(problem.split(" / ")[0])
        return code


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("企业名单（Excel 工作簿 .xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


# Campaigns -----------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request: AuthedRequest) -> HttpResponse:
    _require_organizer(request)
    campaigns = (
        access.campaigns_visible_to(request.user)
        .select_related("framework")
        .annotate(n=Count("self_assessments"))
    )
    return render(request, "campaigns/list.html", {"campaigns": campaigns})


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    _require_organizer(request)
    latest = Framework.objects.order_by("-created_at", "-pk").first()
    form = CampaignForm(request.POST or None, initial={"framework": latest})
    if request.method == "POST" and form.is_valid():
        try:
            c = services.create_campaign(by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已创建评估工作“%(title)s”") % {"title": c.title})
            return redirect("campaigns:detail", pk=c.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    c = _campaign(request, pk)
    initial = {f: getattr(c, f) for f in services.EDITABLE_FIELDS}
    form = CampaignForm(request.POST or None, initial=initial)
    if c.status != Status.DRAFT:
        form.fields["opens_at"].disabled = True
        form.fields["closes_at"].disabled = True
    if c.status != Status.DRAFT or c.self_assessments.exists():
        form.fields["framework"].disabled = True
    if request.method == "POST":
        if c.status == Status.ARCHIVED:
            messages.error(request, _("已归档的评估工作不能修改"))
            return redirect("campaigns:detail", pk=c.pk)
        if form.is_valid():
            try:
                changes = {
                    k: v for k, v in form.cleaned_data.items() if not form.fields[k].disabled
                }
                services.update_campaign(campaign=c, by=request.user, changes=changes)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存"))
                return redirect("campaigns:detail", pk=c.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": c})


TRANSITIONS = {
    "open": (services.open_campaign, gettext_lazy("评估工作已开启，企业可以提交自评材料")),
    "close": (services.close_campaign, gettext_lazy("评估工作已截止，不再接受提交")),
    "archive": (services.archive_campaign, gettext_lazy("评估工作已归档")),
}
# Cannot be undone from the web: taken only with the confirmation box ticked.
IRREVERSIBLE = {"close", "archive"}


@login_required
@require_POST
def transition(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    c = _campaign(request, pk)
    service, done = TRANSITIONS[action]
    if action in IRREVERSIBLE and not confirmed(request):
        messages.error(request, _("请先勾选确认，再执行此操作"))
        return redirect("campaigns:detail", pk=c.pk)
    try:
        service(campaign=c, by=request.user)
        messages.success(request, str(done))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("campaigns:detail", pk=c.pk)


@login_required
@require_POST
def extend(request: AuthedRequest, pk: int) -> HttpResponse:
    c = _campaign(request, pk)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写新的截止时间"))
    else:
        try:
            services.extend_deadline(
                campaign=c, closes_at=form.cleaned_data["closes_at"], by=request.user
            )
            messages.success(request, _("截止时间已延长"))
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("campaigns:detail", pk=c.pk)


# Progress dashboard --------------------------------------------------------------------------


def _filters(request: AuthedRequest) -> dict[str, str]:
    stage = request.GET.get("status", "")
    sort = request.GET.get("sort", Sort.NAME)
    return {
        "stage": stage if stage in Stage.values else "",
        "search": request.GET.get("q", "").strip()[:100],
        "sort": sort if sort in Sort.values else Sort.NAME,
    }


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    c = _campaign(request, pk)
    filters = _filters(request)
    page = max(1, int_or_none(request.GET.get("page")) or 1)
    progress = campaign_progress(
        c,
        stage=filters["stage"],
        search=filters["search"],
        sort=filters["sort"],
        offset=(page - 1) * DASHBOARD_PAGE,
        limit=DASHBOARD_PAGE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": c,
            "progress": progress,
            "filters": filters,
            "stages": Stage.choices,
            "sorts": Sort.choices,
            "query": query.urlencode(),
            "extend_form": ExtendForm(initial={"closes_at": c.closes_at}),
            "can_add": c.status in (Status.DRAFT, Status.OPEN),
        },
    )


@login_required
@require_GET
def export(request: AuthedRequest, pk: int) -> HttpResponse:
    c = _campaign(request, pk)
    f = _filters(request)
    progress = campaign_progress(c, stage=f["stage"], search=f["search"], sort=f["sort"])
    return _file_response(*progress_xlsx(progress))


# Enterprises ---------------------------------------------------------------------------------


@login_required
@require_GET
def enterprises(request: AuthedRequest, pk: int) -> HttpResponse:
    c = _campaign(request, pk)
    return render(
        request,
        "campaigns/enterprises.html",
        {
            "campaign": c,
            "enterprises": campaign_enterprises(c),
            "can_add": c.status in (Status.DRAFT, Status.OPEN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_add(request: AuthedRequest, pk: int) -> HttpResponse:
    c = _campaign(request, pk)
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = EnterpriseRow.clean(**form.cleaned_data)
        try:
            result = services.add_enterprise(campaign=c, row=row, by=request.user)
        except services.ImportRefused as exc:
            for problem in exc.preview.rows[0].errors:
                form.add_error(None, problem)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            sa = result.self_assessments[0]
            text = _("已将“%(name)s”加入本次评估工作") % {"name": sa.enterprise.name}
            if result.invitations:
                text += _("，邀请邮件已发送至 %(email)s") % {"email": row.email}
            messages.success(request, text)
            return redirect("campaigns:enterprises", pk=c.pk)
    return render(request, "campaigns/enterprise_add.html", {"campaign": c, "form": form})


def _import_key(c: Campaign) -> str:
    return f"zeren.campaign_import.{c.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    c = _campaign(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_FILE_BYTES:  # refused before reading it
                raise ImportFileError(
                    _("文件超过 %(n)d MB，请拆分后分批导入")
                    % {"n": MAX_FILE_BYTES // (1024 * 1024)}
                )
            rows = parse_workbook(upload.read())
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            # The parsed rows stay on the server; the confirm form only names them.
            request.session[_import_key(c)] = {
                "token": secrets.token_urlsafe(16),
                "filename": upload.name,
                "rows": [r.to_json() for r in rows],
            }
            return redirect("campaigns:import_preview", pk=c.pk)
    return render(request, "campaigns/import.html", {"campaign": c, "form": form})


def _stored_import(request: AuthedRequest, c: Campaign) -> dict[str, Any] | None:
    stored = request.session.get(_import_key(c))
    return stored if isinstance(stored, dict) and stored.get("rows") else None


@login_required
@require_GET
def import_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    c = _campaign(request, pk)
    stored = _stored_import(request, c)
    if stored is None:
        messages.error(request, _("请先上传企业名单"))
        return redirect("campaigns:import", pk=c.pk)
    rows = [EnterpriseRow.from_json(r) for r in stored["rows"]]
    preview = check_rows(rows, **existing_for(c, rows))
    return render(
        request,
        "campaigns/import_preview.html",
        {
            "campaign": c,
            "preview": preview,
            "filename": stored["filename"],
            "token": stored["token"],
        },
    )


@login_required
@require_POST
def import_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    c = _campaign(request, pk)
    stored = _stored_import(request, c)
    if stored is None or not secrets.compare_digest(
        str(stored["token"]), request.POST.get("token", "")
    ):
        messages.error(request, _("预览已过期或已导入，请重新上传企业名单"))
        return redirect("campaigns:import", pk=c.pk)
    rows = [EnterpriseRow.from_json(r) for r in stored["rows"]]
    try:
        result = services.import_enterprises(campaign=c, rows=rows, by=request.user)
    except services.ImportRefused:
        messages.error(request, _("名单中有错误，未导入任何数据，请查看每行的提示"))
        return redirect("campaigns:import_preview", pk=c.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("campaigns:import_preview", pk=c.pk)
    del request.session[_import_key(c)]
    messages.success(
        request,
        _(
            "已导入 %(rows)d 行：新建企业 %(created)d 家，沿用已有企业 %(reused)d 家，"
            "发送邀请 %(invited)d 封"
        )
        % {
            "rows": len(rows),
            "created": result.created_enterprises,
            "reused": result.reused_enterprises,
            "invited": len(result.invitations),
        },
    )
    return redirect("campaigns:enterprises", pk=c.pk)


@login_required
@require_GET
def import_template(request: AuthedRequest, pk: int) -> HttpResponse:
    _campaign(request, pk)
    return _file_response(*template_xlsx())


@login_required
@require_POST
def resend(request: AuthedRequest, pk: int, invitation_id: int) -> HttpResponse:
    c = _campaign(request, pk)
    inv = (
        Invitation.objects.filter(pk=invitation_id, enterprise__self_assessments__campaign=c)
        .select_related("enterprise")
        .first()
    )
    if inv is None:
        raise Http404
    try:
        new, _link = services.resend_invitation(invitation=inv, by=request.user)
        # The link goes by e-mail only: never into a page, a flash message or a log.
        messages.success(
            request, _("已重新发送邀请至 %(email)s，原链接已失效") % {"email": new.email}
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("campaigns:enterprises", pk=c.pk)


# Reminders -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def remind(request: AuthedRequest, pk: int) -> HttpResponse:
    c = _campaign(request, pk)
    if request.method == "POST":
        try:
            n = services.send_reminders(campaign=c, by=request.user)
            messages.success(request, _("已向 %(n)d 位企业管理员发送提醒") % {"n": n})
            return redirect("campaigns:detail", pk=c.pk)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("campaigns:remind", pk=c.pk)
    recipients, unreachable = reminder_recipients(c)
    sample = services.reminder_message(c, recipients[0]) if recipients else None
    return render(
        request,
        "campaigns/remind.html",
        {
            "campaign": c,
            "recipients": recipients,
            "unreachable": unreachable,
            "sample": sample,
            "can_send": bool(recipients) and c.status == Status.OPEN,
        },
    )
