"""Where users get the documents: Word in the request, PDF and batch exports as jobs."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from docx import Document

from tests.assessments.helpers import PDF_BYTES, fill_completely
from zeren.assessments import submissions
from zeren.documents.models import DocumentJob
from zeren.documents.pdf import pdf_available

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def _c(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    for s in doc.sections:
        parts.extend(p.text for p in s.header.paragraphs)
    return "\n".join(parts)


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def _xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "".join(
            zf.read(n).decode("utf-8", "replace")
            for n in zf.namelist()
            if n.startswith("word/") and n.endswith(".xml")
        )


def test_the_living_form_is_a_draft_and_a_submission_is_not(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice, level=2)
    c = _c(alice)
    r = c.get(f"/documents/assessments/{assessment.pk}/form.docx")
    assert r.status_code == 200 and r["X-Content-Type-Options"] == "nosniff"
    draft = _body(r)
    assert "草稿" in _xml(draft)
    assert "指标1的工作情况" in _text(draft)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    final = _body(c.get(f"/documents/submissions/{submission.pk}/form.docx"))
    assert "草稿" not in _xml(final)
    assert "☑" in _text(final)


def test_strangers_get_404_for_every_document(assessment, alice, charlie, rita) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    for user in (charlie, rita):
        c = _c(user)
        assert c.get(f"/documents/assessments/{assessment.pk}/form.docx").status_code == 404
        assert c.get(f"/documents/submissions/{submission.pk}/form.docx").status_code == 404
        assert c.get(f"/documents/submissions/{submission.pk}/bundle.zip").status_code == 404
        assert c.post(f"/documents/submissions/{submission.pk}/form.pdf").status_code == 404
        assert c.post(f"/documents/campaigns/{assessment.campaign_id}/export/").status_code in (
            403,
            404,
        )
    assert (
        _c(alice).post(f"/documents/campaigns/{assessment.campaign_id}/export/").status_code == 403
    )


def test_the_blank_form_is_the_campaign_framework_with_nothing_ticked(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    r = _c(alice).get(f"/documents/campaigns/{assessment.campaign_id}/blank.docx")
    text = _text(_body(r))
    assert "责任意识建立" in text and "传递环保理念" in text and "☑" not in text


def test_the_bundle_holds_the_form_the_pledge_and_the_evidence_in_catalog_order(
    assessment, alice
) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    r = _c(alice).get(f"/documents/submissions/{submission.pk}/bundle.zip")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(_body(r))) as zf:
        names = zf.namelist()
        assert names[0] == "自评材料.docx"
        assert any(n.startswith("诚信承诺书") for n in names)
        evidence = [n for n in names if n.startswith("指标")]
        assert evidence[0] == "指标01-01-制度文件.pdf" and evidence[-1] == "指标28-01-制度文件.pdf"
        assert len(evidence) == 28
        assert zf.read(evidence[0]) == PDF_BYTES
        assert "manifest.csv" in names


@pytest.mark.skipif(
    not pdf_available(), reason="LibreOffice is not installed (scripts/install-system-packages)"
)
def test_a_pdf_job_runs_and_only_its_requester_downloads_it(
    assessment, alice, bob, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    c = _c(alice)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"/documents/assessments/{assessment.pk}/form.pdf")
    job = DocumentJob.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/documents/jobs/{job.pk}/"
    assert job.status == "done" and job.progress == 100, job.message
    page = c.get(f"/documents/jobs/{job.pk}/").content.decode()
    assert "已完成" in page
    # The last progress step is not shown as if it were still going on.
    assert "正在转换为 PDF" not in page and "正在生成" not in page
    pdf = _body(c.get(f"/documents/jobs/{job.pk}/download/"))
    assert pdf.startswith(b"%PDF")
    assert _c(bob).get(f"/documents/jobs/{job.pk}/").status_code == 404
    assert _c(bob).get(f"/documents/jobs/{job.pk}/download/").status_code == 404


@pytest.mark.skipif(
    not pdf_available(), reason="LibreOffice is not installed (scripts/install-system-packages)"
)
def test_the_organizer_exports_a_whole_campaign_as_one_job(
    assessment, assessment_b, alice, charlie, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    for sa, user in ((assessment, alice), (assessment_b, charlie)):
        fill_completely(sa, user)
        submissions.submit_self_assessment(assessment=sa, by=user)
    c = _c(olga)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/documents/campaigns/{assessment.campaign_id}/export/")
    job = DocumentJob.objects.get()
    assert job.status == "done", job.message
    with zipfile.ZipFile(io.BytesIO(_body(c.get(f"/documents/jobs/{job.pk}/download/")))) as zf:
        names = sorted(zf.namelist())
    assert len(names) == 4
    assert (
        sum(n.endswith(".pdf") for n in names) == 2 and sum(n.endswith(".docx") for n in names) == 2
    )
