"""Self-assessments: read as FormData, write answer by answer with the web's rules and services."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from zeren import access
from zeren.api.errors import ApiProblem
from zeren.api.paging import PageParams, paged
from zeren.api.responses import file_response
from zeren.api.schemas import (
    AnswerPatch,
    CheckOut,
    CoverIn,
    EvidenceIn,
    EvidenceOrder,
    Id,
    Page,
    PledgeIn,
    Receipt,
    Saved,
    SelfAssessmentItem,
    SelfAssessmentOut,
    StoredFileOut,
)
from zeren.api.serialize import receipt_out, self_assessment_out
from zeren.assessments import services, submissions
from zeren.assessments.autosave import run_save
from zeren.assessments.checks import contact_info_error
from zeren.assessments.models import EvidenceItem, SelfAssessment, StoredFile
from zeren.assessments.uploads import (
    HashingUploadHandler,
    UploadRejected,
    open_stored,
    store_upload,
)
from zeren.lib.http import AuthedRequest

router = Router(tags=["self-assessments"])


class SelfAssessmentFilter(Schema):
    campaign: int | None = Field(default=None, ge=1, le=2**62)
    status: SelfAssessment.Status | None = None


@router.get("/self-assessments", response=Page[SelfAssessmentItem], summary="自评材料列表")
def list_self_assessments(
    request: AuthedRequest, page: Query[PageParams], filters: Query[SelfAssessmentFilter]
) -> Any:
    qs = access.self_assessments_visible_to(request.user).select_related("enterprise")
    if filters.campaign is not None:
        qs = qs.filter(campaign_id=filters.campaign)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    return paged(
        qs,
        page,
        lambda sa: {
            "id": sa.pk,
            "campaign": sa.campaign_id,
            "enterprise": sa.enterprise.name,
            "enterprise_credit_code": sa.enterprise.credit_code,
            "business_scope": sa.business_scope,
            "status": sa.status,
            "updated_at": sa.updated_at,
        },
    )


@router.get("/self-assessments/{sa_id}", response=SelfAssessmentOut, summary="自评材料（FormData）")
def get_self_assessment(request: AuthedRequest, sa_id: Id) -> Any:
    return self_assessment_out(access.get_self_assessment_for_user(request.user, sa_id))


@router.patch(
    "/self-assessments/{sa_id}/answers/{indicator}",
    response=Saved,
    summary="保存一个指标 / save one answer (optimistic locking, as the editor's autosave)",
)
def patch_answer(request: AuthedRequest, sa_id: Id, indicator: Id, body: AnswerPatch) -> Any:
    answer = access.get_answer_for_autosave(request.user, sa_id, indicator)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    for field in ("remarks", "work_summary"):
        if field in changes and changes[field] is None:
            changes[field] = ""
    return _autosave(
        lambda: services.save_answer(
            answer=answer, by=request.user, expected_version=body.version, changes=changes
        ),
        changes,
    )


def _autosave(save: Any, mine: dict[str, Any]) -> dict[str, Any]:
    """The editor's autosave rule (assessments/autosave.py): 200 with the new version, 409 with
    both versions (theirs, mine), a refusal as 409 with its reason."""
    status, body, saved = run_save(save, mine)
    if status == 409:
        raise ApiProblem(
            409, body["message"], version=body["version"], theirs=body["theirs"], mine=mine
        )
    if status != 200:
        raise ApiProblem(409, body["error"])
    return {"version": saved.version, "saved_at": saved.updated_at}


def _manageable(request: AuthedRequest, sa_id: int) -> SelfAssessment:
    sa = access.get_self_assessment_for_user(request.user, sa_id, write=True)
    if not access.can_manage_assessment(request.user, sa):
        raise ApiProblem(403, _("只有企业管理员可以修改封面和承诺书"))
    return sa


@router.put("/self-assessments/{sa_id}/cover", response=Saved, summary="封面 / the cover")
def put_cover(request: AuthedRequest, sa_id: Id, body: CoverIn) -> Any:
    sa = _manageable(request, sa_id)
    changes = body.model_dump(exclude={"version"})
    changes = {k: v.strip() for k, v in changes.items()}
    if changes["contact_info"]:
        error = contact_info_error(changes["contact_info"])
        if error:
            raise ApiProblem(409, error, errors=[{"field": "contact_info", "message": error}])
    return _autosave(
        lambda: services.save_cover(
            assessment=sa, by=request.user, expected_version=body.version, changes=changes
        ),
        changes,
    )


@router.put("/self-assessments/{sa_id}/pledge", response=Saved, summary="诚信承诺书 / the pledge")
def put_pledge(request: AuthedRequest, sa_id: Id, body: PledgeIn) -> Any:
    sa = _manageable(request, sa_id)
    scan = None
    if body.scan is not None:
        scan = sa.files.filter(pk=body.scan, kind=StoredFile.Kind.PLEDGE_SCAN).first()
        if scan is None:
            message = _("文件不属于本自评材料")
            raise ApiProblem(409, message, errors=[{"field": "scan", "message": message}])
    changes = {"pledge_lead": body.lead.strip(), "pledge_date": body.date}
    result = _autosave(
        lambda: services.save_cover(
            assessment=sa, by=request.user, expected_version=body.version, changes=changes
        ),
        changes,
    )
    if scan is not None and scan.pk != sa.pledge_scan_id:
        services.set_pledge_scan(assessment=sa, stored_file=scan, by=request.user)
        sa.refresh_from_db(fields=["updated_at", "version"])
        result = {"version": sa.version, "saved_at": sa.updated_at}
    return result


# Evidence catalog -----------------------------------------------------------------------------


def _files(sa: SelfAssessment, ids: list[int]) -> list[StoredFile]:
    files = list(sa.files.filter(pk__in=ids, kind=StoredFile.Kind.EVIDENCE))
    if len(files) != len(set(ids)):
        message = _("文件不属于本自评材料")
        raise ApiProblem(409, message, errors=[{"field": "files", "message": message}])
    return files


def _item(request: AuthedRequest, sa: SelfAssessment, item_id: int) -> tuple[EvidenceItem, Any]:
    item = (
        EvidenceItem.objects.select_related("answer__indicator")
        .filter(pk=item_id, answer__self_assessment=sa)
        .first()
    )
    if item is None:
        raise Http404
    answer = access.get_answer_for_user(request.user, sa, item.answer.indicator.number, write=True)
    return item, answer


class ItemOut(Schema):
    id: int
    seq: int


@router.post(
    "/self-assessments/{sa_id}/answers/{indicator}/evidence",
    response={201: ItemOut},
    summary="添加佐证材料 / add an evidence item",
)
def create_evidence(request: AuthedRequest, sa_id: Id, indicator: Id, body: EvidenceIn) -> Any:
    sa = access.get_self_assessment_for_user(request.user, sa_id, write=True)
    answer = access.get_answer_for_user(request.user, sa, indicator, write=True)
    item = services.save_evidence_item(
        answer=answer,
        by=request.user,
        title=body.title,
        note=body.note,
        text=body.text,
        files=_files(sa, body.files),
    )
    return Status(201, {"id": item.pk, "seq": item.seq})


@router.put(
    "/self-assessments/{sa_id}/evidence/{item_id}",
    response=ItemOut,
    summary="修改佐证材料（文件列表整体替换）/ change an item (its files replaced as a whole)",
)
def change_evidence(request: AuthedRequest, sa_id: Id, item_id: Id, body: EvidenceIn) -> Any:
    sa = access.get_self_assessment_for_user(request.user, sa_id, write=True)
    item, answer = _item(request, sa, item_id)
    wanted = _files(sa, body.files)
    services.save_evidence_item(
        answer=answer,
        by=request.user,
        item=item,
        title=body.title,
        note=body.note,
        text=body.text,
        files=wanted,
    )
    keep = {f.pk for f in wanted}
    for f in list(item.files.all()):
        if f.pk not in keep:
            services.detach_file(item=item, stored_file=f, by=request.user)
    return {"id": item.pk, "seq": item.seq}


@router.delete(
    "/self-assessments/{sa_id}/evidence/{item_id}",
    response={204: None},
    summary="删除佐证材料 / delete an evidence item",
)
def delete_evidence(request: AuthedRequest, sa_id: Id, item_id: Id) -> Any:
    sa = access.get_self_assessment_for_user(request.user, sa_id, write=True)
    item, _answer = _item(request, sa, item_id)
    services.delete_evidence_item(item=item, by=request.user)
    return Status(204, None)


@router.put(
    "/self-assessments/{sa_id}/answers/{indicator}/evidence-order",
    response=list[ItemOut],
    summary="佐证材料排序 / reorder the evidence items",
)
def reorder_evidence(request: AuthedRequest, sa_id: Id, indicator: Id, body: EvidenceOrder) -> Any:
    sa = access.get_self_assessment_for_user(request.user, sa_id, write=True)
    answer = access.get_answer_for_user(request.user, sa, indicator, write=True)
    services.reorder_evidence(answer=answer, order=body.order, by=request.user)
    return [{"id": e.pk, "seq": e.seq} for e in answer.evidence.order_by("seq")]


# Files ---------------------------------------------------------------------------------------

MULTIPART = "multipart/form-data"
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            MULTIPART: {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "kind": {
                            "type": "string",
                            "enum": ["evidence", "pledge_scan"],
                            "default": "evidence",
                        },
                    },
                }
            }
        },
    }
}


def _stored_out(f: StoredFile) -> dict[str, Any]:
    return {
        "id": f.pk,
        "name": f.original_name,
        "sha256": f.sha256,
        "size": f.size,
        "content_type": f.content_type,
        "kind": f.kind,
    }


def _upload_status(size: int) -> int:
    """413 too large, 422 empty, 415 a type (by content or extension) not allowed."""
    if size > settings.ZEREN_MAX_UPLOAD_MB * 1024 * 1024:
        return 413
    return 422 if size == 0 else 415


@router.post(
    "/self-assessments/{sa_id}/files",
    response={200: StoredFileOut, 201: StoredFileOut},
    summary="上传文件（流式，检查与网页相同）/ upload a file (streamed, the web's checks)",
    description="201 新文件；200 相同内容的文件已存在 / 201 new; 200 the same content was there",
    openapi_extra=UPLOAD_BODY,
)
def upload_file(request: AuthedRequest, sa_id: Id) -> Any:
    # The streaming, hashing handler must be in place before anything reads the body.
    request.upload_handlers = [HashingUploadHandler(request)]
    sa = access.get_self_assessment_for_user(request.user, sa_id, write=True)
    if not (request.content_type or "").startswith(MULTIPART):
        raise ApiProblem(415, _("请以 multipart/form-data 上传文件"))
    files = request.FILES.getlist("file")
    if request.META.get("ZEREN_UPLOAD_TOO_LARGE"):
        raise ApiProblem(
            413,
            _("文件超过 %(mb)d MB 的大小限制，未上传") % {"mb": settings.ZEREN_MAX_UPLOAD_MB},
        )
    if len(files) != 1:
        message = _("请选择要上传的文件")
        raise ApiProblem(422, message, errors=[{"field": "file", "message": message}])
    kind = request.POST.get("kind", StoredFile.Kind.EVIDENCE)
    if kind not in (StoredFile.Kind.EVIDENCE, StoredFile.Kind.PLEDGE_SCAN):
        message = _("文件类别只能是 evidence 或 pledge_scan")
        raise ApiProblem(422, message, errors=[{"field": "kind", "message": message}])
    if kind == StoredFile.Kind.PLEDGE_SCAN and not access.can_manage_assessment(request.user, sa):
        raise ApiProblem(403, _("只有企业管理员可以修改封面和承诺书"))
    if not sa.is_editable():
        raise ApiProblem(409, _("该自评材料已提交，当前不能修改；如需修改，请等待主办方退回"))
    try:
        stored, created = store_upload(assessment=sa, upload=files[0], by=request.user, kind=kind)
    except UploadRejected as exc:
        raise ApiProblem(
            _upload_status(files[0].size or 0),
            exc.message,
            errors=[{"field": "file", "message": exc.message}],
        ) from None
    return Status(201 if created else 200, _stored_out(stored))


@router.get(
    "/files/{file_id}",
    response={200: None},
    summary="下载文件（流式）/ a stored file, streamed",
    openapi_extra={
        "responses": {
            "200": {
                "description": "文件内容 / the file",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_file(request: AuthedRequest, file_id: Id) -> HttpResponseBase:
    f = access.get_stored_file_for_user(request.user, file_id)
    response = file_response(open_stored(f), f.original_name, f.content_type)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    # RFC 9530: the SHA-256 of the content, as FormData names it (hex there, base64 here).
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(f.sha256)).decode()}:"
    return response


# Check and submit ----------------------------------------------------------------------------


@router.get("/self-assessments/{sa_id}/check", response=CheckOut, summary="完整性检查 / check")
def check(request: AuthedRequest, sa_id: Id) -> Any:
    sa = access.get_self_assessment_for_user(request.user, sa_id)
    findings = submissions.check_assessment(sa)
    errors = sum(f.is_error for f in findings)
    return {
        "ok": errors == 0,
        "errors": errors,
        "warnings": len(findings) - errors,
        "findings": [
            {
                "severity": f.severity,
                "code": f.code,
                "message": f.message,
                "indicator": f.indicator,
                "field": f.field,
            }
            for f in findings
        ],
    }


@router.post(
    "/self-assessments/{sa_id}/submit",
    response={201: Receipt},
    summary="提交（回执）/ submit (the receipt)",
    description="409 附完整性检查结果 / 409 carries the findings",
)
def submit(request: AuthedRequest, sa_id: Id) -> Any:
    sa = access.get_self_assessment_for_user(request.user, sa_id, write=True)
    if not access.can_manage_assessment(request.user, sa):
        raise ApiProblem(403, _("只有企业管理员可以提交"))
    submission = submissions.submit_self_assessment(assessment=sa, by=request.user)
    submission.self_assessment = sa
    return Status(201, receipt_out(submission))
