"""Each hole found when Zeren was attacked (issue 10): a test that failed before the fix."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.assessments.helpers import PDF_BYTES, fill_completely, pdf_upload
from tests.conftest import PASSWORD
from zeren.accounts.models import User
from zeren.assessments import services, submissions
from zeren.assessments.models import Answer, StoredFile
from zeren.assessments.uploads import UploadRejected, check_upload, store_upload
from zeren.audit.models import AuditEvent
from zeren.documents.models import DocumentJob
from zeren.reviews import services as review_services

pytestmark = pytest.mark.django_db


def _login(c: Client, username: str, password: str, url: str = "/accounts/login/") -> bool:
    c.post(url, {"username": username, "password": password})
    return "_auth_user_id" in c.session


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(alice) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    for _ in range(30):
        assert not _login(c, "alice", "wrong-password")
    assert not _login(c, "alice", PASSWORD)


def test_the_admin_login_is_locked_out_too(olga) -> None:  # type: ignore[no-untyped-def]
    olga.is_staff = True
    olga.save()
    c = Client()
    for _ in range(6):
        c.post("/admin/login/", {"username": "olga", "password": "nope"})
    c.post("/admin/login/", {"username": "olga", "password": PASSWORD})
    assert "_auth_user_id" not in c.session


def test_the_demo_organizer_is_not_a_superuser(framework) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", stdout=io.StringIO())
    assert not User.objects.get(username="organizer").is_superuser


def test_a_session_does_not_last_fourteen_days(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_a_session_idle_too_long_ends(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_SESSION_IDLE_MINUTES = 15
    c = Client()
    assert _login(c, "alice", PASSWORD)
    assert c.get("/").status_code == 200
    session = c.session
    session["zeren_last_seen"] = (timezone.now() - timedelta(minutes=16)).timestamp()
    session.save()
    r = c.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_a_weak_password_is_refused() -> None:
    with pytest.raises(ValidationError):
        validate_password("weakpw22")


def test_password_change_and_reset_pages_exist(alice) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    assert c.get(reverse("accounts:password_reset")).status_code == 200
    c.force_login(alice)
    assert c.get(reverse("accounts:password_change")).status_code == 200


def test_the_admin_cannot_change_an_answer_of_a_submitted_form(assessment, alice, olga) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submissions.submit_self_assessment(assessment=assessment, by=alice)
    olga.is_staff = olga.is_superuser = True  # even a superuser
    olga.save()
    answer = Answer.objects.filter(self_assessment=assessment).first()
    assert answer is not None
    c = Client()
    c.force_login(olga)
    url = f"/admin/assessments/answer/{answer.pk}/change/"
    c.post(url, {"level": "5", "remarks": "changed in the admin"})
    answer.refresh_from_db()
    assert answer.remarks != "changed in the admin"
    f = StoredFile.objects.filter(self_assessment=assessment).first()
    assert f is not None
    page = c.get(f"/admin/assessments/storedfile/{f.pk}/change/").content.decode()
    assert 'name="original_name"' not in page


def test_deleting_a_user_in_the_admin_is_refused(alice, olga) -> None:  # type: ignore[no-untyped-def]
    olga.is_staff = olga.is_superuser = True
    olga.save()
    c = Client()
    c.force_login(olga)
    c.post(f"/admin/accounts/user/{alice.pk}/delete/", {"post": "yes"})
    assert User.objects.filter(pk=alice.pk).exists()


def test_logins_and_failures_are_audited_with_address(alice) -> None:  # type: ignore[no-untyped-def]
    c = Client(REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="attacker/1.0")
    _login(c, "alice", "wrong")
    _login(c, "alice", PASSWORD)
    failed = AuditEvent.objects.get(action="auth.login_failed")
    ok = AuditEvent.objects.get(action="auth.login")
    assert failed.address == "10.1.2.3" and failed.result == "failure"
    assert ok.user_agent == "attacker/1.0" and ok.result == "success" and ok.actor == alice


def test_a_file_download_is_audited(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    f, _ = store_upload(assessment=assessment, upload=pdf_upload(), by=alice)
    c = Client()
    c.force_login(alice)
    r = c.get(f"/assessments/{assessment.pk}/files/{f.pk}/")
    assert r.status_code == 200
    assert AuditEvent.objects.filter(action="file.downloaded", object_id=str(f.pk)).exists()


def test_the_timeline_shows_sentences_not_dicts(assessment, alice, olga, rita) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    s = submissions.submit_self_assessment(assessment=assessment, by=alice)
    review_services.assign_reviewer(assessment=assessment, reviewer=rita, by=olga)
    c = Client()
    c.force_login(olga)
    page = c.get(reverse("reviews:submission", args=[s.pk])).content.decode()
    assert "review.assigned" not in page and "{&#x27;reviewer&#x27;" not in page
    assert "分配给评审专家" in page


def test_an_xlsx_export_writes_a_formula_as_text(assessment, alice, olga) -> None:  # type: ignore[no-untyped-def]
    assessment.business_scope = '=HYPERLINK("http://evil.example","x")'
    assessment.save()
    c = Client()
    c.force_login(olga)
    r = c.get(reverse("campaigns:export", args=[assessment.campaign_id]))
    ws = load_workbook(
        io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content)
    ).active
    cells = [cell for row in ws.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_campaign_export_zip_entry_names_are_safe(assessment, alice, olga, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from zeren.documents import jobs

    assessment.business_scope = "x/../../<b>etc"
    assessment.save()
    fill_completely(assessment, alice)
    submissions.submit_self_assessment(assessment=assessment, by=alice)

    def no_pdf(chunk):  # type: ignore[no-untyped-def]
        raise jobs.PdfUnavailable("no")

    monkeypatch.setattr(jobs, "docx_to_pdfs", no_pdf)
    job = DocumentJob.objects.create(
        kind=DocumentJob.Kind.CAMPAIGN_EXPORT, requested_by=olga, campaign=assessment.campaign
    )
    jobs._run_campaign_export(job)
    job.refresh_from_db()
    with jobs.open_result(job) as fh, zipfile.ZipFile(fh) as zf:
        names = zf.namelist()
    assert names
    for n in names:
        assert "/" not in n and "\\" not in n and ".." not in n and "<" not in n, n


def test_a_two_megabyte_work_summary_is_refused(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    answer = Answer.objects.filter(self_assessment=assessment).first()
    assert answer is not None
    with pytest.raises(services.ServiceError):
        services.save_answer(
            answer=answer,
            by=alice,
            expected_version=answer.version,
            changes={"work_summary": "长" * (2 * 1024 * 1024)},
        )


def test_the_audit_stores_a_digest_of_long_text(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    answer = Answer.objects.filter(self_assessment=assessment).first()
    assert answer is not None
    services.save_answer(
        answer=answer,
        by=alice,
        expected_version=answer.version,
        changes={"work_summary": "长" * 4000},
    )
    e = AuditEvent.objects.filter(action="answer.saved").latest("pk")
    assert len(str(e.after)) < 1000
    assert "sha256" in str(e.after)


def test_a_conflicted_reviewer_cannot_download_an_earlier_pdf_job(
    assessment, alice, olga, rita
) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    s = submissions.submit_self_assessment(assessment=assessment, by=alice)
    a = review_services.assign_reviewer(assessment=assessment, reviewer=rita, by=olga)
    job = DocumentJob.objects.create(kind=DocumentJob.Kind.PDF, requested_by=rita, submission=s)
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    job.result_key = default_storage.save("jobs/test/x", ContentFile(PDF_BYTES))
    job.result_name, job.status = "x.pdf", DocumentJob.Status.DONE
    job.save()
    c = Client()
    c.force_login(rita)
    assert c.get(f"/documents/jobs/{job.pk}/download/").status_code == 200
    review_services.declare_conflict(assignment=a, by=rita, reason="亲属任职")
    assert c.get(f"/documents/jobs/{job.pk}/download/").status_code == 404


def test_a_reviewer_cannot_download_a_file_uploaded_after_the_submission(
    assessment, alice, olga, rita
) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submissions.submit_self_assessment(assessment=assessment, by=alice)
    review_services.assign_reviewer(assessment=assessment, reviewer=rita, by=olga)
    in_snapshot = StoredFile.objects.get(self_assessment=assessment, kind="evidence")
    later = StoredFile.objects.create(
        enterprise=assessment.enterprise,
        self_assessment=assessment,
        sha256="f" * 64,
        size=1,
        content_type="application/pdf",
        original_name="later.pdf",
        storage_key=in_snapshot.storage_key,
        uploaded_by=alice,
    )
    c = Client()
    c.force_login(rita)
    assert c.get(f"/assessments/{assessment.pk}/files/{in_snapshot.pk}/").status_code == 200
    assert c.get(f"/assessments/{assessment.pk}/files/{later.pk}/").status_code == 404


def test_release_does_not_redirect_off_site(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(olga)
    r = c.post(
        reverse("reviews:release", args=[campaign.pk]),
        {"levels": "1", "next": "http://evil.example/phish"},
    )
    assert r.status_code == 302 and "evil.example" not in r["Location"]


def test_pages_carry_a_csp_and_authenticated_pages_are_not_cached(alice) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    login_page = c.get("/accounts/login/")
    csp = login_page["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    c.force_login(alice)
    assert "no-store" in c.get("/")["Cache-Control"]


def test_hsts_and_secure_cookies_follow_an_https_site_url() -> None:
    from zeren.settings import transport_settings

    on = transport_settings("https://zeren.example.cn")
    assert on["SECURE_HSTS_SECONDS"] >= 31536000 and on["SESSION_COOKIE_SECURE"] is True
    assert transport_settings("http://127.0.0.1:8000")["SECURE_HSTS_SECONDS"] == 0


def test_stored_files_are_readable_by_the_owner_only(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.storage import default_storage

    f, _ = store_upload(assessment=assessment, upload=pdf_upload(extra=b"perm"), by=alice)
    path = default_storage.path(f.storage_key)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700


def test_an_invitation_link_is_not_in_the_flash_message(alice, enterprise_a, caplog) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(alice)
    r = c.post(
        reverse("accounts:members", args=[enterprise_a.pk]),
        {"email": "new@example.com", "name": "新人", "role": "enterprise_member"},
        follow=True,
    )
    assert "/accounts/invitation/" not in r.content.decode()
    assert "/accounts/invitation/" not in caplog.text


def _docx_bytes(*, macro: bool) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
        if macro:
            zf.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return buf.getvalue()


def test_a_docm_with_macros_is_refused() -> None:
    with pytest.raises(UploadRejected):
        check_upload(SimpleUploadedFile("宏.docm", _docx_bytes(macro=True)))
    with pytest.raises(UploadRejected):
        check_upload(SimpleUploadedFile("宏.docx", _docx_bytes(macro=True)))
    assert check_upload(SimpleUploadedFile("ok.docx", _docx_bytes(macro=False)))


def test_office_files_inside_an_evidence_zip_are_typed_by_content() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("report.pdf", PDF_BYTES)
        zf.writestr("fake.docx", b"MZ\x90\x00 this is an executable")
    with pytest.raises(UploadRejected):
        check_upload(SimpleUploadedFile("材料.zip", buf.getvalue()))
