"""导出结果 (the cohort workbook) and the progress export: Chinese headers, frozen header,
filters, number formats, a sheet per area; text from users is text, never a formula."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.campaigns.conftest import client_for, code
from tests.reports.helpers import result_row
from zeren.accounts.models import Enterprise
from zeren.assessments.services import create_self_assessment
from zeren.reports.analytics import Filters
from zeren.reports.exports import progress_xlsx
from zeren.reports.queries import campaign_progress
from zeren.reports.workbook import cohort_workbook

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]


def _book(campaign, f: Filters | None = None):  # type: ignore[no-untyped-def]
    filename, mimetype, chunks = cohort_workbook(campaign, f or Filters())
    return filename, load_workbook(BytesIO(b"".join(chunks)))


def test_it_writes_one_row_per_self_assessment_with_scores_and_ranks(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    result_row(campaign, "A公司", level=1)
    result_row(campaign, "B公司", level=2)
    result_row(campaign, "C公司", level=2)
    e = Enterprise.objects.create(name="D公司", credit_code=code(999), segment="社交")
    create_self_assessment(campaign=campaign, enterprise=e, business_scope="社交", by=olga)
    filename, wb = _book(campaign)
    assert filename.startswith("2026年度自评-评估结果-") and filename.endswith(".xlsx")
    assert wb.sheetnames[0] == "评估结果" and len(wb.sheetnames) == 1 + 4
    ws = wb["评估结果"]
    head = [c.value for c in ws[1]]
    assert head[:5] == ["企业名称", "统一社会信用代码", "平台类型", "自评业务版块或产品", "状态"]
    assert head[5] == "1. 责任意识建立 自评等级" and head[-3:] == ["自评总分", "评审总分", "排名"]
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref
    rows = {
        r[0]: dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
    }
    assert set(rows) == {"A公司", "B公司", "C公司", "D公司"}
    assert rows["A公司"]["排名"] == 1 and rows["B公司"]["排名"] == 2 and rows["C公司"]["排名"] == 2
    assert rows["A公司"]["评审总分"] == 100.0 and rows["B公司"]["1 评审得分"] == 75.0
    assert rows["D公司"]["状态"] == "填报中" and rows["D公司"]["评审总分"] is None
    total_col = head.index("评审总分") + 1
    assert ws.cell(row=2, column=total_col).number_format == "0.00"
    area = wb[wb.sheetnames[1]]
    assert [c.value for c in area[1]][:3] == ["序号", "三级指标", "自评 等级1"]
    first = [c.value for c in area[2]]
    assert first[0] == 1 and first[2:7] == [1, 2, 0, 0, 0]


def test_it_filters_by_segment(campaign) -> None:  # type: ignore[no-untyped-def]
    result_row(campaign, "A公司", level=1, segment="电商")
    result_row(campaign, "B公司", level=2, segment="社交")
    _, wb = _book(campaign, Filters(segment="社交"))
    names = [r[0] for r in wb["评估结果"].iter_rows(min_row=2, values_only=True)]
    assert names == ["B公司"]


def test_cohort_workbook_writes_user_text_as_text(campaign) -> None:  # type: ignore[no-untyped-def]
    for i, name in enumerate(HOSTILE):
        result_row(campaign, name, level=2, n=7000 + i)
    _, wb = _book(campaign)
    cells = [r[0] for r in wb["评估结果"].iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(HOSTILE)
    assert all(c.data_type == "s" for c in cells)


def test_progress_export_writes_user_text_as_text(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    for i, name in enumerate(HOSTILE):
        e = Enterprise.objects.create(name=name, credit_code=code(800 + i))
        create_self_assessment(campaign=campaign, enterprise=e, business_scope=name, by=olga)
    _, _, data = progress_xlsx(campaign_progress(campaign))
    ws = load_workbook(BytesIO(data)).active
    for row in ws.iter_rows(min_row=2, max_col=3):
        assert row[0].value in HOSTILE and row[0].data_type == "s"
        assert row[2].value in HOSTILE and row[2].data_type == "s"


def test_the_workbook_download_streams(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    result_row(campaign, "A公司", level=1)
    r = client_for(olga).get(reverse("results:workbook", args=[campaign.pk]), {"segment": "电商"})
    assert r.status_code == 200 and r.streaming
    assert r["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    wb = load_workbook(BytesIO(b"".join(r.streaming_content)))
    assert wb["评估结果"]["A2"].value == "A公司"
