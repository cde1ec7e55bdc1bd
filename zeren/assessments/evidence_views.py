"""The evidence catalog and files: catalog rows (add, edit, reorder, detach, delete), uploads of
evidence and of the sealed pledge scan, the pledge .docx, and downloads of stored files."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from zeren import access
from zeren.assessments import services
from zeren.assessments.models import Answer, EvidenceItem, SelfAssessment, StoredFile
from zeren.assessments.snapshot import form_from_assessment
from zeren.assessments.uploads import (
    PREVIEWABLE,
    HashingUploadHandler,
    UploadRejected,
    store_upload,
)
from zeren.audit.log import record
from zeren.frameworks.loader import spec_from_db
from zeren.lib.http import AuthedRequest, int_or_none, login_required_json
from zeren.lib.storage import file_response


def evidence_needed(answer: Answer, evidence_levels: Sequence[int]) -> bool:
    """The rule of the form: a rating in the levels that need evidence has at least one item."""
    return answer.level in evidence_levels and not answer.evidence.exists()


def _evidence_fragment(
    request: AuthedRequest,
    sa: SelfAssessment,
    answer: Answer,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    spec = spec_from_db(sa.campaign.framework)
    return render(
        request,
        "assessments/indicator.html#evidence",
        {
            "sa": sa,
            "answer": answer,
            "ind": spec.indicator(answer.indicator.number),
            "editable": sa.is_editable() and access.can_edit_answer(request.user, answer, sa),
            "evidence": answer.evidence.order_by("seq").prefetch_related("files"),
            "library": sa.files.filter(kind=StoredFile.Kind.EVIDENCE).order_by("original_name"),
            "evidence_error": error,
            "max_upload_mb": settings.ZEREN_MAX_UPLOAD_MB,
            "evidence_needed": evidence_needed(answer, spec.evidence_levels),
        },
        status=status,
    )


def _library_files(sa: SelfAssessment, ids: list[str]) -> list[StoredFile]:
    wanted = [i for i in (int_or_none(x) for x in ids) if i is not None]
    return list(sa.files.filter(pk__in=wanted, kind=StoredFile.Kind.EVIDENCE))


def _evidence_change(
    request: AuthedRequest, sa: SelfAssessment, answer: Answer, change: Callable[[], object]
) -> HttpResponse:
    """Runs one change to the evidence catalog and answers with the refreshed catalog."""
    try:
        change()
    except services.ServiceError as exc:
        return _evidence_fragment(request, sa, answer, error=exc.message, status=400)
    return _evidence_fragment(request, sa, answer)


def _save_item_from_post(
    request: AuthedRequest, sa: SelfAssessment, answer: Answer, item: EvidenceItem | None
) -> Callable[[], object]:
    return lambda: services.save_evidence_item(
        answer=answer,
        by=request.user,
        item=item,
        title=request.POST.get("title", ""),
        note=request.POST.get("note", ""),
        text=request.POST.get("text", ""),
        files=_library_files(sa, request.POST.getlist("library")),
    )


def _evidence_item(
    request: AuthedRequest, sa: SelfAssessment, item_id: int
) -> tuple[EvidenceItem, Answer]:
    item = (
        EvidenceItem.objects.select_related("answer__indicator")
        .filter(pk=item_id, answer__self_assessment=sa)
        .first()
    )
    if item is None:
        raise Http404
    answer = access.get_answer_for_user(request.user, sa, item.answer.indicator.number, write=True)
    return item, answer


@login_required_json
@require_POST
def evidence_add(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    answer = access.get_answer_for_user(request.user, sa, number, write=True)
    return _evidence_change(request, sa, answer, _save_item_from_post(request, sa, answer, None))


@login_required_json
@require_POST
def evidence_edit(request: AuthedRequest, pk: int, item_id: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    item, answer = _evidence_item(request, sa, item_id)
    return _evidence_change(request, sa, answer, _save_item_from_post(request, sa, answer, item))


@login_required_json
@require_POST
def evidence_delete(request: AuthedRequest, pk: int, item_id: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    item, answer = _evidence_item(request, sa, item_id)
    return _evidence_change(
        request, sa, answer, lambda: services.delete_evidence_item(item=item, by=request.user)
    )


@login_required_json
@require_POST
def evidence_detach(request: AuthedRequest, pk: int, item_id: int, file_id: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    item, answer = _evidence_item(request, sa, item_id)
    f = item.files.filter(pk=file_id).first()
    if f is None:
        raise Http404
    return _evidence_change(
        request,
        sa,
        answer,
        lambda: services.detach_file(item=item, stored_file=f, by=request.user),
    )


@login_required_json
@require_POST
def evidence_move(request: AuthedRequest, pk: int, item_id: int) -> HttpResponse:
    """Moves a catalog row up or down by one (keyboard-friendly reordering)."""
    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    item, answer = _evidence_item(request, sa, item_id)
    order = list(answer.evidence.order_by("seq").values_list("pk", flat=True))
    i = order.index(item.pk)
    j = i - 1 if request.POST.get("direction") == "up" else i + 1
    if not 0 <= j < len(order):
        return _evidence_fragment(request, sa, answer)
    order[i], order[j] = order[j], order[i]
    return _evidence_change(
        request,
        sa,
        answer,
        lambda: services.reorder_evidence(answer=answer, order=order, by=request.user),
    )


@csrf_exempt
def upload(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    # Upload handlers must be set before anything reads request.POST, which the CSRF middleware
    # would do: so CSRF is checked inside, after the streaming handler is in place.
    request.upload_handlers = [HashingUploadHandler(request)]
    return _upload(request, pk, number)


@csrf_protect
@login_required_json
@require_POST
def _upload(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    """Files dropped on an indicator: each becomes a catalog row, or joins the row given."""
    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    answer = access.get_answer_for_user(request.user, sa, number, write=True)
    files = request.FILES.getlist("files")
    if request.META.get("ZEREN_UPLOAD_TOO_LARGE"):
        return _evidence_fragment(
            request,
            sa,
            answer,
            error=_("文件超过 %(mb)d MB 的大小限制，未上传") % {"mb": settings.ZEREN_MAX_UPLOAD_MB},
            status=400,
        )
    if not files:
        return _evidence_fragment(request, sa, answer, error=_("请选择要上传的文件"), status=400)
    item = None
    item_id = int_or_none(request.POST.get("item"))
    if item_id is not None:
        item, answer = _evidence_item(request, sa, item_id)
    errors = []
    for upload_file in files:
        try:
            stored, _created = store_upload(assessment=sa, upload=upload_file, by=request.user)
        except UploadRejected as exc:
            errors.append(exc.message)
            continue
        try:
            if item is None:
                title = (
                    upload_file.name.rsplit(".", 1)[0] if upload_file.name else stored.original_name
                )
                services.save_evidence_item(
                    answer=answer, by=request.user, title=title, files=[stored]
                )
            else:
                services.save_evidence_item(
                    answer=answer,
                    by=request.user,
                    item=item,
                    title=item.title,
                    note=item.note,
                    text=item.text,
                    files=[stored],
                )
        except services.ServiceError as exc:
            errors.append(exc.message)
    return _evidence_fragment(
        request,
        sa,
        answer,
        error="；".join(errors),
        status=400 if errors and len(errors) == len(files) else 200,
    )


@csrf_exempt
def pledge_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    request.upload_handlers = [HashingUploadHandler(request)]
    return _pledge_upload(request, pk)


@csrf_protect
@login_required
@require_POST
def _pledge_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk, write=True)
    if not access.can_manage_assessment(request.user, sa):
        raise PermissionDenied
    f = request.FILES.get("scan")
    if request.META.get("ZEREN_UPLOAD_TOO_LARGE"):
        messages.error(
            request,
            _("文件超过 %(mb)d MB 的大小限制，未上传") % {"mb": settings.ZEREN_MAX_UPLOAD_MB},
        )
    elif f is None:
        messages.error(request, _("请选择盖章承诺书的扫描件"))
    else:
        try:
            stored, _created = store_upload(
                assessment=sa, upload=f, by=request.user, kind=StoredFile.Kind.PLEDGE_SCAN
            )
            services.set_pledge_scan(assessment=sa, stored_file=stored, by=request.user)
            from zeren.intake.scan_checks import request_check

            request_check(assessment=sa, stored_file=stored, by=request.user)
            messages.success(request, _("已上传盖章承诺书"))
        except (UploadRejected, services.ServiceError) as exc:
            messages.error(request, exc.message)
    return redirect(reverse("assessments:overview", args=[sa.pk]) + "#pledge")


@login_required
@require_GET
def pledge_docx(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The pre-filled pledge page to print, sign and seal."""
    from zeren.documents.pledge import render_pledge_docx

    sa = access.get_self_assessment_for_user(request.user, pk)
    spec = spec_from_db(sa.campaign.framework)
    data = render_pledge_docx(form_from_assessment(sa), spec)
    return _bytes_download(
        data,
        f"诚信承诺书-{sa.enterprise.name}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def _bytes_download(data: bytes, filename: str, content_type: str) -> HttpResponseBase:
    from io import BytesIO

    response = FileResponse(
        BytesIO(data), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@xframe_options_sameorigin
@login_required
@require_GET
def file_download(request: AuthedRequest, pk: int, file_id: int) -> HttpResponseBase:
    """A stored file, only through this access check; inline only for PDF and images.

    Assigned reviewers may fetch the evidence they judge."""
    sa = access.get_self_assessment_for_user(request.user, pk, reviewing=True)
    f = access.get_stored_file_for_user(request.user, file_id)
    if f.self_assessment_id != sa.pk:
        raise Http404
    inline = request.GET.get("inline") == "1" and f.content_type in PREVIEWABLE
    record(request.user, "file.downloaded", f, self_assessment=sa, after={"name": f.original_name})
    response = file_response(
        f.storage_key,
        as_attachment=not inline,
        filename=f.original_name,
        content_type=f.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if f.content_type != "application/pdf":
        # Browsers refuse to show a PDF under a sandbox policy; images and downloads get one.
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response
