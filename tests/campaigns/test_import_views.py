"""Upload, preview, confirm: a clean file imports in one go; a file with any error imports
nothing; the rows come from the server's copy, never from the form."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.campaigns.conftest import client_for, code, row, xlsx
from zeren.accounts.models import Enterprise, Invitation, Role
from zeren.assessments.models import SelfAssessment
from zeren.audit.models import AuditEvent
from zeren.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def _upload(client, campaign, data: bytes, name: str = "企业名单.xlsx"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("campaigns:import", args=[campaign.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def _token(client, campaign) -> str:  # type: ignore[no-untyped-def]
    text = client.get(reverse("campaigns:import_preview", args=[campaign.pk])).content.decode()
    match = re.search(r'name="token" value="([^"]+)"', text)
    assert match, "no confirm button"
    return match.group(1)


def test_it_imports_a_clean_file_after_the_preview(
    olga, draft_campaign, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    c = client_for(olga)
    response = _upload(c, draft_campaign, xlsx([row(1), row(2, scope="短视频")]))
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:import_preview", args=[draft_campaign.pk])
    preview = c.get(response["Location"]).content.decode()
    assert "全部 2 行检查通过" in preview and "第1网络科技有限公司" in preview
    assert not Enterprise.objects.exists()  # nothing before the confirmation

    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("campaigns:import_confirm", args=[draft_campaign.pk]),
            {"token": _token(c, draft_campaign)},
            follow=True,
        )
    assert (
        "已导入 2 行：新建企业 2 家，沿用已有企业 0 家，发送邀请 2 封" in response.content.decode()
    )
    assert set(
        SelfAssessment.objects.filter(campaign=draft_campaign).values_list(
            "enterprise__credit_code", "business_scope"
        )
    ) == {(code(1), "平台业务"), (code(2), "短视频")}
    e1 = Enterprise.objects.get(credit_code=code(1))
    assert (e1.contact_name, e1.contact_email, e1.contact_phone) == (
        "联系人1",
        "contact1@example.com",
        "0755-80000001",
    )
    inv = Invitation.objects.get(enterprise=e1)
    assert (inv.email, inv.role, inv.name) == (
        "contact1@example.com",
        Role.ENTERPRISE_ADMIN,
        "联系人1",
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["contact1@example.com", "contact2@example.com"]
    assert AuditEvent.objects.filter(action="campaign.enterprise_added").count() == 2
    assert AuditEvent.objects.get(action="campaign.enterprises_imported").after == {
        "rows": 2,
        "created_enterprises": 2,
        "reused_enterprises": 0,
        "invitations": 2,
    }
    # The stored rows are spent: confirming twice imports nothing more.
    response = c.post(
        reverse("campaigns:import_confirm", args=[draft_campaign.pk]), {"token": "x"}, follow=True
    )
    assert "预览已过期或已导入" in response.content.decode()
    assert SelfAssessment.objects.filter(campaign=draft_campaign).count() == 2


def test_it_imports_nothing_from_a_file_with_errors(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    bad = code(2)[:-1] + ("0" if code(2)[-1] != "0" else "1")
    data = xlsx([row(1), row(2, code=bad), row(1), row(3, email="张三@")])
    c = client_for(olga)
    _upload(c, draft_campaign, data)
    text = c.get(reverse("campaigns:import_preview", args=[draft_campaign.pk])).content.decode()
    assert "有 3 行存在错误，未导入任何数据。" in text
    assert "第 3 行：统一社会信用代码校验位错误" in text
    assert "第 4 行：与第 2 行重复" in text
    assert "第 5 行：邮箱格式不正确：张三@" in text
    assert 'name="token"' not in text
    # Even a hand-made confirmation with the right token is refused.
    token = c.session[f"zeren.campaign_import.{draft_campaign.pk}"]["token"]
    response = c.post(
        reverse("campaigns:import_confirm", args=[draft_campaign.pk]), {"token": token}, follow=True
    )
    assert "名单中有错误，未导入任何数据" in response.content.decode()
    assert not Enterprise.objects.exists()
    assert not SelfAssessment.objects.exists()
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exclude(action__regex=r"^(auth|account)\.").exists()


def test_it_reuses_an_existing_enterprise(
    olga, alice, enterprise_a, draft_campaign, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            row(1, name="甲平台有限公司", code=enterprise_a.credit_code, email="alice@example.com"),
            row(2),
        ]
    )
    c = client_for(olga)
    _upload(c, draft_campaign, data)
    text = c.get(reverse("campaigns:import_preview", args=[draft_campaign.pk])).content.decode()
    assert "系统中已有该企业（甲平台有限公司），将沿用，不重复创建" in text
    with django_capture_on_commit_callbacks(execute=True):
        c.post(
            reverse("campaigns:import_confirm", args=[draft_campaign.pk]),
            {"token": _token(c, draft_campaign)},
        )
    assert Enterprise.objects.filter(credit_code=enterprise_a.credit_code).count() == 1
    assert SelfAssessment.objects.get(campaign=draft_campaign, enterprise=enterprise_a)
    # alice is already the admin: no invitation for her, one for the new enterprise.
    assert [m.to for m in mail.outbox] == [["contact2@example.com"]]
    assert not Invitation.objects.filter(enterprise=enterprise_a).exists()

    # The same file again: the enterprise is already in the campaign, so nothing is imported.
    _upload(c, draft_campaign, data)
    text = c.get(reverse("campaigns:import_preview", args=[draft_campaign.pk])).content.decode()
    assert "该企业在本次评估工作中已有“平台业务”的自评材料" in text
    assert SelfAssessment.objects.filter(campaign=draft_campaign).count() == 2


def test_it_takes_the_rows_from_the_server_not_from_the_form(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    c = client_for(olga)
    _upload(c, draft_campaign, xlsx([row(1)]))
    token = _token(c, draft_campaign)
    c.post(
        reverse("campaigns:import_confirm", args=[draft_campaign.pk]),
        {"token": token, "name": "伪造企业", "credit_code": code(7)},
    )
    assert list(Enterprise.objects.values_list("credit_code", flat=True)) == [code(1)]


def test_it_refuses_a_stale_preview(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    c = client_for(olga)
    _upload(c, draft_campaign, xlsx([row(1)]))
    old = _token(c, draft_campaign)
    _upload(c, draft_campaign, xlsx([row(2)]))  # another tab, another file
    response = c.post(
        reverse("campaigns:import_confirm", args=[draft_campaign.pk]), {"token": old}, follow=True
    )
    assert "预览已过期" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_it_explains_an_unreadable_file_on_the_upload_page(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    c = client_for(olga)
    response = _upload(c, draft_campaign, b"a,b,c\n", "名单.csv")
    assert response.status_code == 200
    assert "无法读取该文件，请上传 Excel 工作簿（.xlsx）" in response.content.decode()
    assert f"zeren.campaign_import.{draft_campaign.pk}" not in c.session


def test_it_refuses_to_import_into_a_closed_campaign(olga, campaign) -> None:  # type: ignore[no-untyped-def]
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    c = client_for(olga)
    _upload(c, campaign, xlsx([row(1)]))
    response = c.post(
        reverse("campaigns:import_confirm", args=[campaign.pk]),
        {"token": _token(c, campaign)},
        follow=True,
    )
    assert "已截止的评估工作不能再添加企业" in response.content.decode()
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()


def test_it_sends_the_preview_back_to_the_upload_without_a_file(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    response = client_for(olga).get(
        reverse("campaigns:import_preview", args=[draft_campaign.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("campaigns:import", args=[draft_campaign.pk])
    assert "请先上传企业名单" in response.content.decode()


def test_it_offers_the_template(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    response = client_for(olga).get(reverse("campaigns:import_template", args=[draft_campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert "attachment; filename*=utf-8''" in response["Content-Disposition"]
    ws = load_workbook(BytesIO(response.content)).worksheets[0]
    assert ws["A1"].value == "企业名称" and ws["F1"].value == "自评业务版块或产品"


def test_it_refuses_a_file_too_large_before_reading_it(olga, draft_campaign, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("zeren.campaigns.views.MAX_FILE_BYTES", 1024)
    response = _upload(client_for(olga), draft_campaign, xlsx([row(n) for n in range(1, 40)]))
    assert "文件超过 0 MB，请拆分后分批导入" in response.content.decode()


def test_it_invites_a_contact_once_for_two_business_scopes(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    from zeren.campaigns.enterprise_import import parse_workbook
    from zeren.campaigns.services import import_enterprises

    rows = parse_workbook(xlsx([row(1), row(1, scope="短视频")]))
    result = import_enterprises(campaign=draft_campaign, rows=rows, by=olga)
    assert (result.created_enterprises, result.reused_enterprises) == (1, 0)
    assert Invitation.objects.count() == 1
    assert SelfAssessment.objects.filter(enterprise__credit_code=code(1)).count() == 2
