"""The organizer's side: progress, results, exports, the Word batch import, jobs."""

from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Router, Status

from zeren import access
from zeren.api.errors import ApiProblem
from zeren.api.responses import bytes_response
from zeren.api.routes.self_assessments import MULTIPART
from zeren.api.routes.submissions import job_out
from zeren.api.schemas import Id, ImportBatchOut, JobOut, ProgressOut, ResultRow
from zeren.assessments.models import SelfAssessment, Submission
from zeren.assessments.uploads import HashingUploadHandler
from zeren.documents import jobs
from zeren.frameworks.loader import spec_from_db
from zeren.intake import imports
from zeren.intake.models import ImportBatch
from zeren.lib.http import AuthedRequest
from zeren.reports.exports import progress_xlsx
from zeren.reports.queries import campaign_progress
from zeren.reviews.results import submission_result

router = Router(tags=["organizer"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/campaigns/{campaign_id}/progress", response=ProgressOut, summary="填报进度 / progress"
)
def progress(request: AuthedRequest, campaign_id: Id) -> Any:
    campaign = access.get_campaign_for_user(request.user, campaign_id, manage=True)
    p = campaign_progress(campaign)
    return {
        "campaign": campaign.pk,
        "counts": {value: count for value, _label, count in p.count_list()},
        "total": p.total,
        "days_left": p.days_left,
        "rows": [
            {
                "self_assessment": r.self_assessment_id,
                "enterprise": r.enterprise_name,
                "credit_code": r.credit_code,
                "business_scope": r.business_scope,
                "status": r.status,
                "stage": r.stage.value,
                "rated": r.rated,
                "total": r.total,
                "percent": r.percent,
                "areas": [{"name": a.name, "rated": a.rated, "total": a.total} for a in r.areas],
                "latest_submission": r.latest_submission_id,
            }
            for r in p.rows
        ],
    }


@router.get(
    "/campaigns/{campaign_id}/progress.xlsx",
    response={200: None},
    summary="填报进度 Excel（与网页导出相同）/ progress as XLSX, as the web exports it",
    openapi_extra={"responses": {"200": {"description": "XLSX", "content": {XLSX: {}}}}},
)
def progress_export(request: AuthedRequest, campaign_id: Id) -> HttpResponseBase:
    campaign = access.get_campaign_for_user(request.user, campaign_id, manage=True)
    filename, mimetype, data = progress_xlsx(campaign_progress(campaign))
    return bytes_response(data, filename, mimetype)


@router.get(
    "/campaigns/{campaign_id}/results",
    response=list[ResultRow],
    summary="评审结果（自评与评审得分）/ results: self and reviewed scores",
)
def results(request: AuthedRequest, campaign_id: Id) -> Any:
    campaign = access.get_campaign_for_user(request.user, campaign_id, manage=True)
    spec = spec_from_db(campaign.framework)
    latest: dict[int, Submission] = {
        s.self_assessment_id: s
        for s in Submission.objects.filter(self_assessment__campaign=campaign)
        .select_related("self_assessment__enterprise")
        .order_by("self_assessment_id", "number")
    }
    rows = []
    for s in latest.values():
        r = submission_result(s, spec, rule=campaign.consolidation_rule)
        sa: SelfAssessment = s.self_assessment
        rows.append(
            {
                "self_assessment": sa.pk,
                "submission": s.pk,
                "number": s.number,
                "enterprise": sa.enterprise.name,
                "business_scope": sa.business_scope,
                "status": sa.status,
                "self_score": _dec(r.self_scores.total.value),
                "reviewed_score": _dec(r.reviewed_scores.total.value),
            }
        )
    return rows


def _dec(value: Any) -> str | None:
    return None if value is None else str(value)


@router.post(
    "/campaigns/{campaign_id}/export",
    response={202: JobOut},
    summary="整批导出（Word 与 PDF 的 ZIP，后台任务）/ the cohort export, a background job",
)
def cohort_export(request: AuthedRequest, campaign_id: Id) -> Any:
    campaign = access.get_campaign_for_user(request.user, campaign_id, manage=True)
    return Status(202, job_out(jobs.request_campaign_export(by=request.user, campaign=campaign)))


IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            MULTIPART: {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                }
            }
        },
    }
}


def batch_out(batch: ImportBatch) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "campaign": batch.campaign_id,
        "status": batch.status,
        "progress": batch.progress,
        "items": [
            {
                "id": i.pk,
                "name": i.original_name,
                "status": i.status,
                "enterprise": i.enterprise.name if i.enterprise else None,
                "self_assessment": i.self_assessment_id,
                "error": i.error_message,
                "problems": i.problems,
            }
            for i in batch.items.select_related("enterprise").order_by("original_name", "pk")
        ],
    }


@router.post(
    "/campaigns/{campaign_id}/imports",
    response={202: ImportBatchOut},
    summary="批量导入 Word 自评材料（后台读取，轮询批次）/ Word batch import: poll the batch",
    openapi_extra=IMPORT_BODY,
)
def create_import(request: AuthedRequest, campaign_id: Id) -> Any:
    request.upload_handlers = [HashingUploadHandler(request)]
    campaign = access.get_campaign_for_user(request.user, campaign_id, manage=True)
    if not (request.content_type or "").startswith(MULTIPART):
        raise ApiProblem(415, _("请以 multipart/form-data 上传文件"))
    if request.META.get("ZEREN_UPLOAD_TOO_LARGE"):
        raise ApiProblem(413, _("文件过大，未上传"))
    batch = imports.create_batch(
        campaign=campaign, uploads=request.FILES.getlist("files"), by=request.user
    )
    return Status(202, batch_out(batch))


@router.get("/imports/{batch_id}", response=ImportBatchOut, summary="导入批次 / an import batch")
def get_import(request: AuthedRequest, batch_id: Id) -> Any:
    return batch_out(access.get_import_batch_for_user(request.user, batch_id))


@router.post(
    "/imports/{batch_id}/confirm",
    response={200: dict[str, Any]},
    summary="导入所有可确认的文件 / confirm every ready file",
)
def confirm_import(request: AuthedRequest, batch_id: Id) -> Any:
    batch = access.get_import_batch_for_user(request.user, batch_id)
    n, errs = imports.confirm_ready(batch=batch, by=request.user)
    return {"confirmed": n, "errors": errs}
