"""Downloads of the official documents, and the pages that follow background jobs."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zeren import access
from zeren.audit.log import record
from zeren.documents import jobs
from zeren.documents.bundle import ZIP_MIMETYPE
from zeren.documents.models import DocumentJob
from zeren.lib.http import AuthedRequest
from zeren.lib.storage import file_response


def _download(doc: jobs.Document, request: AuthedRequest, obj: Any, sa: Any) -> HttpResponseBase:
    record(
        request.user, "document.downloaded", obj, self_assessment=sa, after={"name": doc.filename}
    )
    response = FileResponse(
        BytesIO(doc.data), as_attachment=True, filename=doc.filename, content_type=doc.mimetype
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def assessment_docx(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The living form as Word (草稿 watermark while it can change)."""
    sa = access.get_self_assessment_for_user(request.user, pk)
    return _download(jobs.assessment_docx(sa), request, sa, sa)


@login_required
@require_GET
def submission_docx(request: AuthedRequest, pk: int) -> HttpResponseBase:
    s = access.get_submission_for_user(request.user, pk, reviewing=True)
    return _download(jobs.submission_docx(s), request, s, s.self_assessment)


@login_required
@require_GET
def blank_docx(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The empty form of a campaign, for those who work offline."""
    campaign = access.get_campaign_for_user(request.user, pk)
    return _download(jobs.blank_docx(campaign), request, campaign, None)


@login_required
@require_GET
def submission_bundle(request: AuthedRequest, pk: int) -> HttpResponseBase:
    s = access.get_submission_for_user(request.user, pk, reviewing=True)
    filename, chunks = jobs.submission_bundle(s)
    record(
        request.user,
        "bundle.downloaded",
        s,
        self_assessment=s.self_assessment,
        after={"name": filename},
    )
    response = StreamingHttpResponse(chunks, content_type=ZIP_MIMETYPE)
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def assessment_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    sa = access.get_self_assessment_for_user(request.user, pk)
    job = jobs.request_pdf(by=request.user, self_assessment=sa)
    return redirect("documents:job", pk=job.pk)


@login_required
@require_POST
def submission_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    s = access.get_submission_for_user(request.user, pk, reviewing=True)
    job = jobs.request_pdf(by=request.user, submission=s)
    return redirect("documents:job", pk=job.pk)


@login_required
@require_POST
def campaign_export(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    job = jobs.request_campaign_export(by=request.user, campaign=campaign)
    return redirect("documents:job", pk=job.pk)


def _job_for(request: AuthedRequest, pk: int) -> DocumentJob:
    # A job and its result belong to whoever asked for it, while they still may see its source:
    # a reviewer unassigned or conflicted loses the jobs made before.
    job = access.get_document_job_for_user(request.user, pk)
    return job


@login_required
@require_GET
def job(request: AuthedRequest, pk: int) -> HttpResponse:
    """The job's page; its progress fragment polls itself until the job is finished."""
    j = _job_for(request, pk)
    template = (
        "documents/job.html#progress" if request.headers.get("HX-Request") else "documents/job.html"
    )
    return render(request, template, {"job": j})


@login_required
@require_GET
def job_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    j = _job_for(request, pk)
    if j.status != DocumentJob.Status.DONE:
        raise Http404
    mimetype = (
        "application/pdf"
        if j.result_name.endswith(".pdf")
        else jobs.DOCX_MIMETYPE
        if j.result_name.endswith(".docx")
        else ZIP_MIMETYPE
    )
    sa = j.self_assessment or (j.submission.self_assessment if j.submission else None)
    record(request.user, "export.downloaded", j, self_assessment=sa, after={"name": j.result_name})
    response = file_response(
        j.result_key, as_attachment=True, filename=j.result_name, content_type=mimetype
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
