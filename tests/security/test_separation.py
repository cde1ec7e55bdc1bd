"""三员分立: system, security and audit administrators each reach their own part; the admin
audits every change with before and after; the audit page is the 审计管理员's alone."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import make_user
from zeren.accounts.models import Role, User
from zeren.audit.log import record
from zeren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _staff(username: str, role: str) -> User:
    user = make_user(username, role)
    user.is_staff = True
    user.save()
    return user


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_system_admin_manages_users_but_reads_no_audit_or_data(alice, enterprise_a) -> None:  # type: ignore[no-untyped-def]
    c = _client(_staff("sys", Role.SYSTEM_ADMIN))
    assert c.get(f"/admin/accounts/user/{alice.pk}/change/").status_code == 200
    assert c.get("/admin/audit/auditevent/").status_code == 403
    assert c.get("/admin/assessments/submission/").status_code == 403
    assert c.get("/audit/").status_code == 404


def test_an_admin_change_is_audited_with_before_and_after(enterprise_a) -> None:  # type: ignore[no-untyped-def]
    sysadmin = _staff("sys", Role.SYSTEM_ADMIN)
    c = _client(sysadmin)
    r = c.post(
        f"/admin/accounts/enterprise/{enterprise_a.pk}/change/",
        {
            "name": enterprise_a.name,
            "credit_code": enterprise_a.credit_code,
            "contact_name": "李四",
            "contact_email": "",
            "contact_phone": "13800000000",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    e = AuditEvent.objects.get(action="admin.changed", actor=sysadmin)
    assert e.before == {"contact_name": "张三"} and e.after == {"contact_name": "李四"}


def test_users_are_deactivated_not_deleted(alice) -> None:  # type: ignore[no-untyped-def]
    c = _client(_staff("sys", Role.SYSTEM_ADMIN))
    assert c.get(f"/admin/accounts/user/{alice.pk}/delete/").status_code == 403
    c.post("/admin/accounts/user/", {"action": "deactivate", "_selected_action": [alice.pk]})
    alice.refresh_from_db()
    assert not alice.is_active
    assert AuditEvent.objects.filter(action="admin.changed", object_id=str(alice.pk)).exists()


def test_the_organizer_cannot_manage_users_in_the_admin(olga, alice) -> None:  # type: ignore[no-untyped-def]
    olga.is_staff = True
    olga.save()
    c = _client(olga)
    assert c.get(f"/admin/accounts/user/{alice.pk}/change/").status_code == 403
    assert c.get("/admin/campaigns/campaign/").status_code == 200


def test_only_the_audit_admin_reads_the_audit_page(alice, olga, rita) -> None:  # type: ignore[no-untyped-def]
    auditor = make_user("auditor", Role.AUDIT_ADMIN)
    record(alice, "auth.login", alice)
    for user in (alice, olga, rita):
        assert _client(user).get("/audit/").status_code == 404
        assert _client(user).get("/audit/export.xlsx").status_code == 404
    page = _client(auditor).get("/audit/?action=auth.").content.decode()
    assert "登录" in page and "alice" in page.lower()


def test_the_audit_export_writes_user_text_as_text(alice) -> None:  # type: ignore[no-untyped-def]
    auditor = make_user("auditor", Role.AUDIT_ADMIN)
    c = Client(HTTP_USER_AGENT='=HYPERLINK("http://evil.example","x")')
    c.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    r = _client(auditor).get("/audit/export.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = [cell for row in ws.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert AuditEvent.objects.filter(action="audit.exported", actor=auditor).exists()


def test_the_audit_page_filters_by_result_and_user(alice, bob) -> None:  # type: ignore[no-untyped-def]
    auditor = make_user("auditor", Role.AUDIT_ADMIN)
    record(alice, "auth.login", alice)
    record(None, "auth.login_failed", bob, result="failure", after={"login": "bob"})
    c = _client(auditor)
    failures = c.get("/audit/?result=failure").content.decode()
    assert "登录失败（bob）" in failures and "登录了系统" not in failures
    assert "登录失败" not in c.get("/audit/?user=alice").content.decode()


def test_createadmin_makes_no_superuser(db) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    call_command(
        "createadmin",
        username="sys",
        role="system_admin",
        password="Str0ng-Passw0rd!",
        stdout=io.StringIO(),
    )
    call_command(
        "createadmin",
        username="aud",
        role="audit_admin",
        password="Str0ng-Passw0rd!",
        stdout=io.StringIO(),
    )
    sys_user, aud = User.objects.get(username="sys"), User.objects.get(username="aud")
    assert sys_user.is_staff and not sys_user.is_superuser
    assert not aud.is_staff and not aud.is_superuser
    assert aud.memberships.get().role == Role.AUDIT_ADMIN


def test_an_unassigned_reviewer_loses_files_and_jobs(assessment, alice, olga, rita) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tests.assessments.helpers import PDF_BYTES, fill_completely
    from zeren.assessments import submissions
    from zeren.assessments.models import StoredFile
    from zeren.documents.models import DocumentJob
    from zeren.reviews import services as review_services

    fill_completely(assessment, alice)
    s = submissions.submit_self_assessment(assessment=assessment, by=alice)
    a = review_services.assign_reviewer(assessment=assessment, reviewer=rita, by=olga)
    f = StoredFile.objects.get(self_assessment=assessment, kind="evidence")
    job = DocumentJob.objects.create(kind=DocumentJob.Kind.PDF, requested_by=rita, submission=s)
    job.result_key = default_storage.save("jobs/t/x", ContentFile(PDF_BYTES))
    job.result_name, job.status = "x.pdf", DocumentJob.Status.DONE
    job.save()
    c = _client(rita)
    assert c.get(f"/assessments/{assessment.pk}/files/{f.pk}/").status_code == 200
    assert c.get(f"/documents/jobs/{job.pk}/download/").status_code == 200
    review_services.unassign_reviewer(assignment=a, by=olga)
    assert c.get(f"/assessments/{assessment.pk}/files/{f.pk}/").status_code == 404
    assert c.get(f"/documents/jobs/{job.pk}/download/").status_code == 404
    assert c.get(f"/documents/jobs/{job.pk}/").status_code == 404
