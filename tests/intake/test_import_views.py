"""The organizer's batch import: upload Word files or a ZIP, read in the background, correct,
confirm; each confirmed form becomes a submitted self-assessment with its source file."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.intake import formgen
from zeren.assessments.models import SelfAssessment, StoredFile
from zeren.intake.models import ImportBatch, ImportItem

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def _c(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _form(enterprise_name: str, **kwargs) -> bytes:  # type: ignore[no-untyped-def]
    return formgen.build(
        formgen.Fill(enterprise_name=enterprise_name, pledge_name=enterprise_name, **kwargs)
    )


def _upload(
    client: Client, campaign_id: int, files: list[tuple[str, bytes]], capture
) -> ImportBatch:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        r = client.post(
            f"/documents/campaigns/{campaign_id}/import/",
            {"files": [SimpleUploadedFile(n, d) for n, d in files]},
        )
    assert r.status_code == 302, r.content.decode()[:500]
    return ImportBatch.objects.latest("created_at")


def test_it_reads_matches_and_imports_clean_forms(
    campaign, enterprise_a, enterprise_b, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    c = _c(olga)
    batch = _upload(
        c,
        campaign.pk,
        [
            ("甲.docx", _form(enterprise_a.name, levels={1: 2})),
            ("乙.docx", _form(enterprise_b.name)),
        ],
        django_capture_on_commit_callbacks,
    )
    assert batch.status == "done" and batch.progress == 100
    items = {i.original_name: i for i in batch.items.all()}
    assert items["甲.docx"].status == "read" and items["甲.docx"].enterprise == enterprise_a
    assert items["乙.docx"].enterprise == enterprise_b
    page = c.get(f"/documents/imports/{batch.pk}/").content.decode()
    assert "甲.docx" in page and "读取到的自评等级" in page
    r = c.post(f"/documents/imports/{batch.pk}/confirm/")
    assert r.status_code == 302
    sa = SelfAssessment.objects.get(campaign=campaign, enterprise=enterprise_a)
    assert sa.status == "submitted"
    assert sa.answers.get(indicator__number=1).level == 2
    assert sa.submissions.count() == 1
    assert sa.source_file is not None and sa.source_file.kind == StoredFile.Kind.IMPORT_SOURCE
    assert sa.source_file.sha256 == items["甲.docx"].sha256


def test_uncertain_ticks_wait_for_the_organizer(
    campaign, enterprise_a, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    c = _c(olga)
    data = _form(enterprise_a.name, styles={3: "highlight"})
    batch = _upload(c, campaign.pk, [("甲.docx", data)], django_capture_on_commit_callbacks)
    item = batch.items.get()
    assert any(p["indicator"] == 3 and p["code"] == "uncertain_choice" for p in item.problems)
    c.post(f"/documents/imports/{batch.pk}/confirm/")
    assert not SelfAssessment.objects.filter(
        enterprise=enterprise_a
    ).exists()  # not confirmed blindly
    page = c.get(f"/documents/imports/{batch.pk}/").content.decode()
    assert "uncertain_choice" in page and "预览该指标内容" in page
    r = c.post(
        f"/documents/import-items/{item.pk}/",
        {
            "enterprise": str(enterprise_a.pk),
            "business_scope": "短视频",
            "level_3": "2",
            "confirm": "1",
        },
    )
    assert r.status_code == 302
    sa = SelfAssessment.objects.get(enterprise=enterprise_a)
    assert sa.business_scope == "短视频" and sa.answers.get(indicator__number=3).level == 2


def test_a_zip_of_forms_and_a_reimport_is_detected(
    campaign, enterprise_a, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    c = _c(olga)
    data = _form(enterprise_a.name)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("表格/甲平台自评.docx", data)
        zf.writestr("说明.txt", "忽略")
    first = _upload(
        c, campaign.pk, [("全部.zip", buf.getvalue())], django_capture_on_commit_callbacks
    )
    assert [i.original_name for i in first.items.all()] == ["甲平台自评.docx"]
    second = _upload(c, campaign.pk, [("again.docx", data)], django_capture_on_commit_callbacks)
    item = second.items.get()
    assert item.status == ImportItem.Status.DUPLICATE and "甲平台自评.docx" in item.error_message


def test_unreadable_files_say_why_and_import_nothing(
    campaign, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    c = _c(olga)
    batch = _upload(
        c,
        campaign.pk,
        [("伪装.docx", b"%PDF-1.4 not a word file"), ("空.docx", b"")],
        django_capture_on_commit_callbacks,
    )
    for item in batch.items.all():
        assert item.status == "failed" and item.error_message
    assert not SelfAssessment.objects.exists()


def test_only_the_organizer_imports(
    campaign, alice, charlie, rita, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    batch = _upload(
        _c(olga), campaign.pk, [("甲.docx", _form("某企业"))], django_capture_on_commit_callbacks
    )
    item = batch.items.get()
    for user in (alice, charlie, rita):
        c = _c(user)
        assert c.get(f"/documents/campaigns/{campaign.pk}/import/").status_code in (403, 404)
        assert c.get(f"/documents/imports/{batch.pk}/").status_code in (403, 404)
        assert c.post(f"/documents/import-items/{item.pk}/", {"confirm": "1"}).status_code in (
            403,
            404,
        )
        assert c.get(f"/documents/import-items/{item.pk}/source/").status_code in (403, 404)
