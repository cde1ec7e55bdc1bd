from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.campaigns.conftest import client_for
from tests.campaigns.helpers import populate
from zeren.reports.exports import progress_xlsx
from zeren.reports.queries import campaign_progress

pytestmark = pytest.mark.django_db


def test_it_exports_the_dashboard_list(olga, campaign) -> None:  # type: ignore[no-untyped-def]
    populate(campaign, 4, olga)
    filename, mimetype, data = progress_xlsx(campaign_progress(campaign))
    assert filename.startswith("2026年度自评-填报进度-") and filename.endswith(".xlsx")
    assert mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("企业名称", "统一社会信用代码", "自评业务版块或产品", "填报状态")
    assert rows[0][4] == "企业内部治理（已填/总数）"
    assert "完成度（%）" in rows[0] and "最近活动时间" in rows[0]
    assert [r[0] for r in rows[1:]] == ["企业0100", "企业0101", "企业0102", "企业0103"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["填报状态"] == "未开始" and first["指标总数"] == 28
    drafting = dict(zip(rows[0], rows[3], strict=True))  # 企业0102: two indicators rated
    assert drafting["填报状态"] == "填报中" and drafting["已填指标"] == 2


def test_it_downloads_what_the_filter_shows(olga, campaign) -> None:  # type: ignore[no-untyped-def]
    populate(campaign, 4, olga)
    response = client_for(olga).get(
        reverse("campaigns:export", args=[campaign.pk]), {"status": "drafting"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    ws = load_workbook(BytesIO(response.content)).active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["企业0102"]


def test_it_forbids_the_enterprise(alice, assessment) -> None:  # type: ignore[no-untyped-def]
    url = reverse("campaigns:export", args=[assessment.campaign_id])
    assert client_for(alice).get(url).status_code == 403
