"""Test helpers: filled self-assessments and uploads made the way the web makes them."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from zeren.accounts.models import User
from zeren.assessments import services
from zeren.assessments.models import Answer, SelfAssessment, StoredFile
from zeren.assessments.uploads import store_upload

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf_upload(name: str = "制度文件.pdf", extra: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES + extra, content_type="application/pdf")


def fill_completely(sa: SelfAssessment, by: User, *, level: int = 1) -> None:
    """Rates every indicator, writes summaries, attaches evidence and the sealed pledge."""
    sa = services.save_cover(
        assessment=sa,
        by=by,
        expected_version=sa.version,
        changes={
            "enterprise_name": "甲平台有限公司",
            "contact_person": "张三",
            "contact_info": "13800000000",
            "pledge_lead": "李四",
            "pledge_date": dt.date(2026, 11, 20),
        },
    )
    evidence_file, _ = store_upload(assessment=sa, upload=pdf_upload(), by=by)
    for answer in Answer.objects.filter(self_assessment=sa).select_related("indicator"):
        services.save_answer(
            answer=answer,
            by=by,
            expected_version=answer.version,
            changes={"level": level, "work_summary": f"指标{answer.indicator.number}的工作情况"},
        )
        services.save_evidence_item(answer=answer, by=by, title="制度文件", files=[evidence_file])
    scan, _ = store_upload(
        assessment=sa,
        upload=pdf_upload("承诺书.pdf", b"scan"),
        by=by,
        kind=StoredFile.Kind.PLEDGE_SCAN,
    )
    services.set_pledge_scan(assessment=sa, stored_file=scan, by=by)
