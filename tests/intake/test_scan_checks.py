"""Paper against submission: the enterprise uploads its sealed scan (the pledge-scan upload),
Zeren reads it in the background and shows, before submitting, which indicators differ; the
organizer sees the same on the submission page; the audit records it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.intake import scangen
from zeren.assessments.models import Answer, SelfAssessment, StoredFile
from zeren.assessments.snapshot import form_from_assessment
from zeren.audit.models import AuditEvent
from zeren.documents.pdf import pdf_available
from zeren.intake.models import ScanCheck
from zeren.intake.parse.results import ParseResult
from zeren.intake.scan import ocr
from zeren.intake.scan_checks import compare

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed"),
    pytest.mark.skipif(not ocr.available(), reason="tesseract is not installed"),
]


def _fill(sa: SelfAssessment) -> None:
    for a in Answer.objects.filter(self_assessment=sa).select_related("indicator"):
        a.level = (a.indicator.number % 5) + 1
        a.save(update_fields=["level"])


def sealed_scan_pdf(sa: SelfAssessment, *, change: dict[int, int]) -> bytes:
    """The enterprise's own form printed, changed by pen on paper where `change` says (here:
    printed with another level), sealed and scanned: cover, pledge and the first table pages."""
    form = form_from_assessment(sa)
    for a in form.answers:
        if a.indicator in change:
            a.level = change[a.indicator]
    scan = scangen.printed(0, 200, form=form)
    pdf = scangen.form_pdf(form)
    lay = scangen.layout(pdf)
    import random

    for _key, (page, x, y) in lay.seal_spots.items():
        scangen.draw_seal(
            scan.pages[page], scangen._pt(x, 200), scangen._pt(y, 200), 200, random.Random(1)
        )
    pages = scan.key_only().pages[:4]  # cover, pledge, indicators 1–9
    return scangen.images_to_pdf(pages, 200)


@pytest.fixture
def uploaded(  # type: ignore[no-untyped-def]
    assessment: SelfAssessment, alice, immediate_tasks, django_capture_on_commit_callbacks
) -> ScanCheck:
    _fill(assessment)
    seven = Answer.objects.get(self_assessment=assessment, indicator__number=7).level
    data = sealed_scan_pdf(assessment, change={7: 5 if seven != 5 else 1})
    c = Client()
    c.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            reverse("assessments:pledge_upload", args=[assessment.pk]),
            {"scan": SimpleUploadedFile("盖章扫描件.pdf", data, content_type="application/pdf")},
        )
    assert r.status_code == 302
    return ScanCheck.objects.get(self_assessment=assessment)


def test_it_reads_the_sealed_scan_and_shows_the_enterprise_which_indicator_differs(
    uploaded: ScanCheck, assessment: SelfAssessment, alice
) -> None:  # type: ignore[no-untyped-def]
    assert uploaded.status == ScanCheck.Status.DONE, uploaded.error_message
    assert uploaded.differing == [7]
    assert uploaded.unreadable == []
    agree = [r["indicator"] for r in uploaded.result["rows"] if r["state"] == "agree"]
    assert agree == [1, 2, 3, 4, 5, 6, 8, 9]
    assert uploaded.result["cover_sealed"] is True and uploaded.result["pledge_sealed"] is True
    c = Client()
    c.force_login(alice)
    page = c.get(reverse("assessments:overview", args=[assessment.pk])).content.decode()
    assert "纸质版与电子版不一致：三级指标 7" in page
    event = AuditEvent.objects.filter(action="scan_check.done").get()
    assert event.after["differ"] == [7]
    assert AuditEvent.objects.filter(action="scan_check.requested").count() == 1


def test_it_shows_the_check_to_the_organizer_and_hides_it_from_other_enterprises(
    uploaded: ScanCheck, olga, charlie
) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(olga)
    fragment = c.get(reverse("intake:scan_check", args=[uploaded.pk])).content.decode()
    assert "纸质版与电子版不一致：三级指标 7" in fragment
    c.force_login(charlie)
    assert c.get(reverse("intake:scan_check", args=[uploaded.pk])).status_code == 404


def test_a_seal_seen_only_by_its_shape_on_a_grey_scan_is_shown_so(
    assessment: SelfAssessment, olga
) -> None:  # type: ignore[no-untyped-def]
    """A grey scan: the cover's seal was found by its round shape (its colour unknown), the
    pledge's not at all (unknown, not absent); the page says which."""
    electronic = form_from_assessment(assessment)
    scan = {
        "pages": [{"page": 1}, {"page": 2}],
        "cover": {"sealed": True, "position": [0.4, 0.4, 0.2, 0.14], "by": "shape"},
        "pledge": {"sealed": None, "position": None, "by": None},
    }
    result = compare(ParseResult(form=electronic, scan=scan), electronic)
    assert result["cover_sealed"] is True and result["cover_seal_by"] == "shape"
    assert result["pledge_sealed"] is None and result["pledge_seal_by"] is None
    stored = StoredFile.objects.create(
        enterprise=assessment.enterprise,
        self_assessment=assessment,
        kind=StoredFile.Kind.PLEDGE_SCAN,
        sha256="0" * 64,
        size=1,
        content_type="image/jpeg",
        original_name="灰度.jpg",
        storage_key="blobs/00/" + "0" * 64,
    )
    check = ScanCheck.objects.create(
        self_assessment=assessment,
        stored_file=stored,
        status=ScanCheck.Status.DONE,
        result=result,
    )
    c = Client()
    c.force_login(olga)
    url = reverse("intake:scan_check", args=[check.pk])
    page = " ".join(c.get(url).content.decode().split())
    assert '封面盖章：<span class="ok">有（按印章形状识别，灰度扫描无法确认颜色）</span>' in page
    assert "承诺书盖章：无法判断（黑白或灰度扫描）" in page
    english = c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Yes (recognised by the seal's shape; a grey scan cannot show its colour)" in english
    # a red seal on a colour scan (and a check stored before `by` existed) reads just “有”
    for by in ("colour", None):
        check.result = {**result, "cover_seal_by": by}
        check.save(update_fields=["result"])
        page = " ".join(c.get(url).content.decode().split())
        assert '封面盖章：<span class="ok">有</span>' in page
    del check.result["cover_seal_by"]
    check.save(update_fields=["result"])
    page = " ".join(c.get(url).content.decode().split())
    assert '封面盖章：<span class="ok">有</span>' in page
