"""Submissions: the frozen snapshot, its receipt and hash, and its documents."""

from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from ninja import Router, Status

from zeren import access
from zeren.api.responses import bytes_response, file_response
from zeren.api.schemas import Id, JobOut, SubmissionOut, VerifyOut
from zeren.api.serialize import receipt_out
from zeren.assessments.formdata import FormData, canonical_json
from zeren.documents import jobs
from zeren.documents.models import DocumentJob
from zeren.lib.http import AuthedRequest

router = Router(tags=["submissions"])

PDF = "application/pdf"
ZIP = "application/zip"


@router.get("/submissions/{submission_id}", response=SubmissionOut, summary="提交版本")
def get_submission(request: AuthedRequest, submission_id: Id) -> Any:
    s = access.get_submission_for_user(request.user, submission_id, reviewing=True)
    out = receipt_out(s)
    out.update(self_assessment=s.self_assessment_id, snapshot=s.snapshot)
    return out


@router.get(
    "/submissions/{submission_id}/verify",
    response=VerifyOut,
    summary="重新计算 SHA-256 / recompute the hash",
)
def verify_submission(request: AuthedRequest, submission_id: Id) -> Any:
    import hashlib

    s = access.get_submission_for_user(request.user, submission_id, reviewing=True)
    # The snapshot's canonical JSON, as stored and as FormData reads it, must give the seal.
    computed = hashlib.sha256(canonical_json(s.snapshot)).hexdigest()
    reread = FormData.model_validate(s.snapshot).sha256()
    return {
        "ok": computed == reread == s.sha256,
        "stored_sha256": s.sha256,
        "computed_sha256": computed,
    }


DOCX_EXTRA = {
    "responses": {"200": {"description": "Word", "content": {jobs.DOCX_MIMETYPE: {}}}},
}


@router.get(
    "/submissions/{submission_id}/document.docx",
    response={200: None},
    summary="正式文档 Word / the official document",
    openapi_extra=DOCX_EXTRA,
)
def submission_docx(request: AuthedRequest, submission_id: Id) -> HttpResponseBase:
    s = access.get_submission_for_user(request.user, submission_id, reviewing=True)
    doc = jobs.submission_docx(s)
    return bytes_response(doc.data, doc.filename, doc.mimetype)


@router.get(
    "/submissions/{submission_id}/document.pdf",
    response={200: None, 202: JobOut},
    summary="正式文档 PDF（后台生成）/ the PDF, made in the background",
    description="202: 已排队，轮询任务后再次请求 / queued: poll the job, then ask again",
    openapi_extra={"responses": {"200": {"description": "PDF", "content": {PDF: {}}}}},
)
def submission_pdf(request: AuthedRequest, submission_id: Id) -> Any:
    s = access.get_submission_for_user(request.user, submission_id, reviewing=True)
    job = (
        DocumentJob.objects.filter(
            kind=DocumentJob.Kind.PDF, submission=s, requested_by=request.user
        )
        .exclude(status=DocumentJob.Status.FAILED)
        .order_by("-created_at")
        .first()
    )
    if job is not None and job.status == DocumentJob.Status.DONE:
        return file_response(jobs.open_result(job), job.result_name, PDF)
    if job is None:
        job = jobs.request_pdf(by=request.user, submission=s)
    return Status(202, job_out(job))


def job_out(job: DocumentJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "result_name": job.result_name,
        "download": f"/api/v1/jobs/{job.pk}/download"
        if job.status == DocumentJob.Status.DONE
        else None,
    }


@router.get("/jobs/{job_id}", response=JobOut, tags=["jobs"], summary="后台任务进度 / a job")
def get_job(request: AuthedRequest, job_id: Id) -> Any:
    return job_out(access.get_document_job_for_user(request.user, job_id))


@router.get(
    "/jobs/{job_id}/download",
    response={200: None},
    tags=["jobs"],
    summary="任务结果 / the job's result",
    openapi_extra={
        "responses": {"200": {"description": "PDF / ZIP", "content": {PDF: {}, ZIP: {}}}}
    },
)
def job_download(request: AuthedRequest, job_id: Id) -> HttpResponseBase:
    from django.http import Http404

    from zeren.documents.bundle import ZIP_MIMETYPE

    job = access.get_document_job_for_user(request.user, job_id)
    if job.status != DocumentJob.Status.DONE:
        raise Http404
    mimetype = PDF if job.result_name.endswith(".pdf") else ZIP_MIMETYPE
    return file_response(jobs.open_result(job), job.result_name, mimetype)
