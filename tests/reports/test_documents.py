"""评估报告 and 行业报告: content from the data, the k rule and named scores in documents, the
command line, and the background jobs an organizer and an enterprise start from the web."""

from __future__ import annotations

import zipfile
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from docx import Document

from tests.campaigns.conftest import client_for
from tests.reports.helpers import result_row
from zeren.documents.models import DocumentJob
from zeren.reports.documents import industry_report, scorecard, scorecards_zip
from zeren.reports.models import CampaignResults
from zeren.reports.peers import median_without

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    doc = Document(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_median_without_takes_out_one_value() -> None:
    assert median_without([1.0, 2.0, 3.0, 4.0], 4.0) == 2.0
    assert median_without([1.0, 2.0, 3.0, 4.0], 1.0) == 3.0
    assert median_without([1.0, 2.0, 3.0], 2.0) == 2.0
    assert median_without([5.0], 5.0) is None
    assert median_without([1.0, 3.0], None) == 2.0


@pytest.fixture
def cohort(campaign, enterprise_a, settings):  # type: ignore[no-untyped-def]
    settings.ZEREN_PEER_MIN_GROUP = 5
    enterprise_a.segment = "电商"
    enterprise_a.save()
    mine = result_row(campaign, "甲平台有限公司", enterprise=enterprise_a, level=3, self_level=1)
    for i in range(3):
        result_row(campaign, f"同类{i}", level=2, segment="电商")
    for i in range(2):
        result_row(campaign, f"社交{i}", level=1, segment="社交")
    return mine


def test_the_scorecard_has_scores_percentile_and_hides_small_peer_groups(cohort) -> None:  # type: ignore[no-untyped-def]
    name, data = scorecard(cohort)
    assert name.endswith("评估报告.docx")
    text = _text(data)
    assert "甲平台有限公司" in text and "评审总分 50.00 分" in text and "自评总分 100.00 分" in text
    assert "高于 0% 的参评企业（共 6 家）" in text
    assert "同类企业少于 5 家，不显示对比" in text and "同类企业中位数" not in text
    assert "待改进指标" in text
    assert len(Document(BytesIO(data)).inline_shapes) == 2  # radar and bars


def test_the_industry_report_has_its_sections_and_names_nobody_by_default(cohort, campaign) -> None:  # type: ignore[no-untyped-def]
    text = _text(industry_report(campaign)[1])
    for heading in (
        "一、总体情况",
        "二、各领域表现",
        "三、问题与挑战",
        "四、思考与建议",
        "五、典型案例",
    ):
        assert heading in text
    assert "50% 的企业在“责任意识建立”上自评为非常重视，评审后为 33%" in text
    assert "甲平台有限公司" not in text and "同类0" not in text
    CampaignResults.objects.create(
        campaign=campaign,
        name_enterprises=True,
        narratives={"suggestions": "建议加强佐证材料建设。", "cases": []},
    )
    text = _text(industry_report(campaign)[1])
    assert "建议加强佐证材料建设。" in text and "评审得分排名" in text and "社交0" in text


def test_scorecards_come_as_one_zip(cohort, campaign) -> None:  # type: ignore[no-untyped-def]
    name, data = scorecards_zip(campaign)
    names = zipfile.ZipFile(BytesIO(data)).namelist()
    assert name.endswith("评估报告.zip") and len(names) == 6


def test_the_command_writes_both_documents(cohort, campaign, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "s.docx"
    call_command(
        "report",
        "scorecard",
        "--campaign",
        str(campaign.pk),
        "--enterprise",
        cohort.enterprise.credit_code,
        "-o",
        str(out),
        stdout=StringIO(),
    )
    assert "甲平台有限公司" in _text(out.read_bytes())
    call_command(
        "report",
        "scorecard",
        "--submission",
        str(cohort.submission_id),
        "-o",
        str(out),
        stdout=StringIO(),
    )
    call_command(
        "report",
        "industry",
        "--campaign",
        str(campaign.pk),
        "-o",
        str(tmp_path / "i.docx"),
        stdout=StringIO(),
    )
    assert "总体情况" in _text((tmp_path / "i.docx").read_bytes())
    with pytest.raises(CommandError, match="没有找到"):
        call_command(
            "report",
            "scorecard",
            "--campaign",
            str(campaign.pk),
            "--enterprise",
            "无此企业",
            "-o",
            str(out),
        )
    with pytest.raises(CommandError, match="--campaign"):
        call_command("report", "industry", "-o", str(out))


def test_jobs_from_the_web(
    cohort, campaign, alice, charlie, olga, immediate_tasks, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    c = client_for(olga)
    url = reverse("results:report", args=[campaign.pk])
    assert c.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url, {"suggestions": "建议一", "make": "industry", "case": ["x", "1:2"]})
    job = DocumentJob.objects.get(kind="industry_report")
    assert r.url == reverse("documents:job", args=[job.pk])
    assert job.status == "done" and job.result_name.endswith("行业报告.docx")
    assert CampaignResults.objects.get(campaign=campaign).narratives["suggestions"] == "建议一"
    download = c.get(reverse("documents:job_download", args=[job.pk]))
    assert download["Content-Type"].endswith("wordprocessingml.document")
    for user in (alice, charlie):
        assert client_for(user).post(url, {"make": "industry"}).status_code in (403, 404)
    sc = reverse("results:scorecard", args=[cohort.self_assessment_id])
    assert client_for(alice).post(sc).status_code == 404  # not released
    CampaignResults.objects.filter(campaign=campaign).update(released_at=timezone.now())
    assert client_for(charlie).post(sc).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(alice).post(sc).status_code == 302
    assert DocumentJob.objects.get(kind="scorecard").status == "done"


def test_reused_chart_figures_draw_each_call_s_own_data() -> None:
    from zeren.reports import charts

    names = ["甲", "乙", "丙"]
    a = charts.radar(names, [("本企业", [10.0, 20.0, 30.0])])
    b = charts.radar(names, [("本企业", [90.0, 80.0, 70.0])])
    assert a != b and a == charts.radar(names, [("本企业", [10.0, 20.0, 30.0])])
    x = charts.bars(["1", "2"], [("本企业", [10.0, None]), ("中位数", [50.0, 50.0])])
    y = charts.bars(["1", "2"], [("本企业", [90.0, 40.0]), ("中位数", [50.0, 50.0])])
    assert x != y and x.startswith(b"\x89PNG")
