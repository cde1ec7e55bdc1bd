"""Documents for people: the form as Word/PDF, bundles and batch exports, with jobs for the slow ones.

Word is rendered in the request (about 10 ms); PDF goes through LibreOffice (a second or more)
as a background job whose progress the page polls. Results are stored under random names.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from zeren.accounts.models import User
from zeren.assessments.formdata import FormData
from zeren.assessments.models import SelfAssessment, StoredFile, Submission
from zeren.assessments.snapshot import form_from_assessment
from zeren.documents import bundle as bundle_mod
from zeren.documents.models import DocumentJob
from zeren.documents.pdf import PdfFailed, PdfUnavailable, docx_to_pdf, docx_to_pdfs
from zeren.documents.render import render_docx
from zeren.frameworks.loader import spec_from_db
from zeren.jobs.attempts import attempt, is_last_attempt, user_error
from zeren.jobs.queue import enqueue
from zeren.lib.names import safe_filename
from zeren.lib.storage import open_stream

if TYPE_CHECKING:
    from zeren.campaigns.models import Campaign

Kind = DocumentJob.Kind
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Document:
    filename: str
    mimetype: str
    data: bytes


def _name(sa: SelfAssessment, suffix: str, ext: str) -> str:
    return safe_filename(f"自评材料-{sa.enterprise.name}-{sa.business_scope}{suffix}.{ext}")


def assessment_docx(sa: SelfAssessment) -> Document:
    """The living form: marked 草稿 while it can still change."""
    form = form_from_assessment(sa)
    data = render_docx(form, spec_from_db(sa.campaign.framework), draft=sa.is_editable())
    return Document(_name(sa, "-草稿" if sa.is_editable() else "", "docx"), DOCX_MIMETYPE, data)


def submission_docx(submission: Submission) -> Document:
    sa = submission.self_assessment
    form = FormData.model_validate(submission.snapshot)
    data = render_docx(form, spec_from_db(sa.campaign.framework), draft=False)
    return Document(_name(sa, f"-第{submission.number}版", "docx"), DOCX_MIMETYPE, data)


def blank_docx(campaign: Campaign) -> Document:
    data = render_docx(None, spec_from_db(campaign.framework))
    return Document(safe_filename(f"自评材料-空白表-{campaign.title}.docx"), DOCX_MIMETYPE, data)


def store_result(job: DocumentJob, name: str, data: bytes) -> None:
    key = default_storage.save(
        f"jobs/{secrets.token_hex(16)}/{secrets.token_hex(4)}", ContentFile(data)
    )
    job.result_key, job.result_name = key, name
    job.status, job.progress, job.finished_at = DocumentJob.Status.DONE, 100, timezone.now()
    job.message = ""  # the last step's "正在…" is over; a note about the result is set after
    job.save(
        update_fields=["result_key", "result_name", "status", "progress", "finished_at", "message"]
    )


def progress(job: DocumentJob, percent: int, message: str = "") -> None:
    job.progress, job.message = percent, message
    job.save(update_fields=["progress", "message"])


def request_pdf(
    *,
    by: User,
    self_assessment: SelfAssessment | None = None,
    submission: Submission | None = None,
) -> DocumentJob:
    """Queues a PDF of the living form or of a submission; the worker makes it."""
    job = DocumentJob.objects.create(
        kind=DocumentJob.Kind.PDF,
        requested_by=by,
        self_assessment=self_assessment,
        submission=submission,
    )
    _enqueue(job)
    return job


def request_campaign_export(*, by: User, campaign: Campaign) -> DocumentJob:
    """Queues one ZIP of every latest submission of a campaign, as Word and PDF."""
    job = DocumentJob.objects.create(
        kind=DocumentJob.Kind.CAMPAIGN_EXPORT, requested_by=by, campaign=campaign
    )
    _enqueue(job)
    return job


def _enqueue(job: DocumentJob) -> None:
    enqueue("document", job_id=job.pk)


def run_job(job_id: int) -> None:
    """The job kind "document": a PDF of a form, or a campaign's export."""
    make_document(job_id, {Kind.PDF: _run_pdf, Kind.CAMPAIGN_EXPORT: _run_campaign_export})


def make_document(job_id: int, makers: dict[str, Callable[[DocumentJob], None]]) -> None:
    """Runs the maker of one DocumentJob's kind with its status and progress kept for the page;
    failures are recorded for the user, never raised to them (the results' documents use this
    too, with their own makers)."""
    job = DocumentJob.objects.get(pk=job_id)
    if job.is_finished:
        return
    job.status = DocumentJob.Status.RUNNING
    job.save(update_fields=["status"])
    try:
        makers[job.kind](job)
    except PdfUnavailable as exc:
        _fail(job, str(exc))
    except PdfFailed as exc:
        _fail(job, _("PDF 生成失败：%(reason)s") % {"reason": exc})
    except Exception as exc:
        # The worker tries again after a back-off; the last attempt ends the job, so the page
        # stops waiting and says why.
        if is_last_attempt():
            fail_job(job.pk, user_error(exc))
        else:
            n, most = attempt()
            job.status, job.message = (
                DocumentJob.Status.QUEUED,
                _("生成遇到问题，稍后自动重试（第 %(n)d/%(most)d 次）") % {"n": n, "most": most},
            )
            job.save(update_fields=["status", "message"])
        raise


def fail_job(job_id: int, reason: str) -> None:
    """Ends a job that cannot be made, with the reason shown to the person who asked."""
    job = DocumentJob.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    _fail(
        job, _("生成失败：%(reason)s。请稍后重试；如果问题持续，请联系管理员") % {"reason": reason}
    )


def _fail(job: DocumentJob, message: str) -> None:
    job.status, job.message, job.finished_at = (
        DocumentJob.Status.FAILED,
        message[:500],
        timezone.now(),
    )
    job.save(update_fields=["status", "message", "finished_at"])


def _run_pdf(job: DocumentJob) -> None:
    progress(job, 10, _("正在生成 Word 文档"))
    if job.submission is not None:
        doc = submission_docx(job.submission)
    elif job.self_assessment is not None:
        doc = assessment_docx(job.self_assessment)
    else:
        raise ValueError("a PDF job needs a self-assessment or a submission")
    progress(job, 30, _("正在转换为 PDF"))
    pdf = docx_to_pdf(doc.data)
    store_result(job, doc.filename.rsplit(".", 1)[0] + ".pdf", pdf)


def _run_campaign_export(job: DocumentJob) -> None:
    campaign = job.campaign
    assert campaign is not None
    latest: list[Submission] = []
    for sa in (
        SelfAssessment.objects.filter(campaign=campaign)
        .select_related("enterprise", "campaign__framework")
        .order_by("enterprise__name", "business_scope")
    ):
        s = sa.submissions.order_by("-number").first()
        if s is not None:
            latest.append(s)
    if not latest:
        _fail(job, _("本次评估工作还没有提交的材料"))
        return
    docs = []
    for i, s in enumerate(latest, start=1):
        docs.append(submission_docx(s))
        progress(
            job,
            int(40 * i / len(latest)),
            _("正在生成 Word 文档（%(i)d/%(n)d）") % {"i": i, "n": len(latest)},
        )
    pdfs: list[bytes | None] = [None] * len(docs)
    step = 10
    for start in range(0, len(docs), step):
        chunk = [d.data for d in docs[start : start + step]]
        try:
            converted = docx_to_pdfs(chunk)
        except PdfUnavailable:
            break  # Word only: the message says why
        pdfs[start : start + len(converted)] = converted
        done = min(start + step, len(docs))
        progress(
            job,
            40 + int(55 * done / len(docs)),
            _("正在转换为 PDF（%(i)d/%(n)d）") % {"i": done, "n": len(docs)},
        )
    buf = io.BytesIO()
    names = bundle_mod._Names()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for doc, pdf in zip(docs, pdfs, strict=True):
            stem = safe_filename(doc.filename)[:-5]
            docx_name = names.unique(stem, ".docx")
            zf.writestr(
                zipfile.ZipInfo(docx_name, date_time=timezone.localtime().timetuple()[:6]),
                doc.data,
            )
            if pdf is not None:
                zf.writestr(
                    zipfile.ZipInfo(
                        docx_name[:-5] + ".pdf", date_time=timezone.localtime().timetuple()[:6]
                    ),
                    pdf,
                )
    store_result(job, safe_filename(f"{campaign.title}-自评材料.zip"), buf.getvalue())
    if any(p is None for p in pdfs):
        job.message = _("未安装 LibreOffice，只导出了 Word 文档")
        job.save(update_fields=["message"])


def open_result(job: DocumentJob) -> IO[bytes]:
    return open_stream(job.result_key)


def submission_bundle(submission: Submission) -> tuple[str, Iterator[bytes]]:
    """The streamed evidence bundle of a submission: form, PDF when it can be made, pledge, evidence."""
    sa = submission.self_assessment
    form = FormData.model_validate(submission.snapshot)
    doc = submission_docx(submission)
    pdf = None
    done = (
        DocumentJob.objects.filter(
            submission=submission, kind=DocumentJob.Kind.PDF, status=DocumentJob.Status.DONE
        )
        .exclude(result_key="")
        .first()
    )
    if done is not None:
        with open_result(done) as fh:
            pdf = fh.read()
    files = {f.sha256: f for f in StoredFile.objects.filter(self_assessment=sa)}

    def opener(f: StoredFile):  # type: ignore[no-untyped-def]
        return lambda: open_stream(f.storage_key)

    evidence = []
    for a in form.answers:
        for e in a.evidence:
            for ref in e.files:
                f = files.get(ref.sha256)
                if f is not None:
                    evidence.append(
                        bundle_mod.EvidenceFile(
                            indicator=a.indicator,
                            seq=e.seq,
                            title=e.title,
                            name=ref.name,
                            open=opener(f),
                            size=f.size,
                            sha256=f.sha256,
                        )
                    )
    scan = None
    if form.pledge.scan is not None and form.pledge.scan.sha256 in files:
        f = files[form.pledge.scan.sha256]
        scan = bundle_mod.BundleFile(f.original_name, opener(f), f.size)
    chunks = bundle_mod.stream_bundle(
        form_docx=doc.data, form_pdf=pdf, pledge_scan=scan, evidence=evidence
    )
    return doc.filename[:-5] + "-佐证材料.zip", chunks
