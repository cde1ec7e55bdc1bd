"""评估报告 (one enterprise's scorecard) and 行业报告 (the sector report) as Word documents, with
charts drawn on the server; a batch of scorecards as one ZIP. Each returns (filename, bytes)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from zeren.assessments.models import Answer
from zeren.campaigns.models import Campaign
from zeren.reports import analytics, charts
from zeren.reports.analytics import Filters
from zeren.reports.docx_style import Writer
from zeren.reports.exports import _safe
from zeren.reports.models import AssessmentResult, CampaignResults, ImprovementAction
from zeren.reports.peers import CohortStats, cohort_stats, enterprise_result
from zeren.reviews.models import ReviewRating

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _n(v: Any) -> str:
    return "—" if v is None else f"{v:.2f}" if isinstance(v, float) else str(v)


def scorecard(result: AssessmentResult, stats: CohortStats | None = None) -> tuple[str, bytes]:
    """One enterprise's 评估报告: scores, percentile, radar and bars, strengths, improvement
    areas with their 整改 items, and the reviewers' comments when released (never names)."""
    er = enterprise_result(result, stats)
    sa = result.self_assessment
    campaign = result.campaign
    w = Writer(f"{result.enterprise.name} 评估报告")
    w.title(result.enterprise.name, "履行社会责任评估报告")
    w.subtitle(f"{campaign.title} · {sa.business_scope}")
    w.h1("总体情况")
    sentence = (
        f"评审总分 {_n(er.result.reviewed_total)} 分，自评总分 {_n(er.result.self_total)} 分。"
    )
    if er.percentile is not None:
        sentence += f"评审总分高于 {er.percentile}% 的参评企业（共 {er.cohort_size} 家）。"
    w.para(sentence)
    w.h1("各领域得分")
    w.table(
        ["一级指标", "评审得分", "自评得分", "参评企业中位数"],
        [[a["name"], _n(a["reviewed"]), _n(a["self"]), _n(a["cohort_median"])] for a in er.areas],
    )
    w.image(
        charts.radar(
            [a["name"] for a in er.areas],
            [
                ("本企业", [a["reviewed"] for a in er.areas]),
                ("参评企业中位数", [a["cohort_median"] for a in er.areas]),
            ],
        ),
        120,
    )
    w.h1("各指标得分")
    if not er.peer_shown:
        w.para(f"同类企业少于 {er.k} 家，不显示对比。")
    heads = ["序号", "三级指标", "自评", "评审", "评审得分", "参评企业中位数"]
    if er.peer_shown:
        heads += ["同类企业中位数", "同类企业最好"]
    rows = []
    for r in er.rows:
        row = [
            r.number,
            r.name,
            r.self_label,
            r.reviewed_label,
            _n(r.reviewed_points),
            _n(r.cohort_median),
        ]
        if er.peer_shown:
            row += [_n(r.peer_median), _n(r.peer_best)]
        rows.append(row)
    w.table(heads, rows)
    series = [
        ("本企业", [r.reviewed_points for r in er.rows]),
        ("参评企业中位数", [r.cohort_median for r in er.rows]),
    ]
    if er.peer_shown:
        series.append(("同类企业中位数", [r.peer_median for r in er.rows]))
    w.image(charts.bars([str(r.number) for r in er.rows], series, ylabel="得分"))
    w.h1("优势指标")
    w.para(
        "；".join(f"{r.number}. {r.name}（{r.reviewed_label}）" for r in er.strengths) or "暂无。"
    )
    w.h1("待改进指标")
    actions: dict[int, list[ImprovementAction]] = {}
    for a in ImprovementAction.objects.filter(self_assessment=sa):
        actions.setdefault(a.indicator, []).append(a)
    for r in er.improvements:
        text = f"{r.number}. {r.name}：评审为“{r.reviewed_label}”，得分 {_n(r.reviewed_points)}，参评企业中位数 {_n(r.cohort_median)}。"
        for a in actions.get(r.number, []):
            due = a.due_date.isoformat() if a.due_date else "未定"
            text += f"整改措施：{a.action}（责任人：{a.owner}，完成期限：{due}，{a.get_status_display()}）。"
        w.para(text)
    if not er.improvements:
        w.para("暂无。")
    if campaign.release_comments:
        comments = (
            ReviewRating.objects.filter(submission_id=result.submission_id)
            .exclude(comment="")
            .order_by("indicator", "pk")
            .values_list("indicator", "comment")
        )
        w.h1("评审意见")
        lines = [f"指标 {n}：{c}" for n, c in comments]
        w.para("\n".join(lines) or "无。")
    return f"{_safe(result.enterprise.name)}-{_safe(campaign.title)}-评估报告.docx", w.bytes()


def scorecards_zip(
    campaign: Campaign, progress: Callable[[int, int], None] | None = None
) -> tuple[str, bytes]:
    """Every enterprise's scorecard in one ZIP; the cohort is read once."""
    stats = cohort_stats(campaign)
    results = list(
        AssessmentResult.objects.filter(campaign=campaign)
        .select_related("enterprise", "self_assessment", "campaign__framework")
        .order_by("enterprise__name", "pk")
    )
    buf = io.BytesIO()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, res in enumerate(results, start=1):
            name, data = scorecard(res, stats)
            zf.writestr(zipfile.ZipInfo(name, date_time=stamp), data)
            if progress:
                progress(i, len(results))
    return f"{_safe(campaign.title)}-评估报告.zip", buf.getvalue()


def _share(counts: list[int], level: int = 1) -> int:
    total = sum(counts)
    return round(100 * counts[level - 1] / total) if total else 0


def industry_report(campaign: Campaign) -> tuple[str, bytes]:
    """行业报告: 总体情况, 各领域表现, 问题与挑战, 思考与建议, 典型案例; figures from the data,
    narratives and typical cases chosen by the organizer. Named scores only when turned on."""
    from zeren.frameworks.loader import spec_from_db

    spec = spec_from_db(campaign.framework)
    state = CampaignResults.objects.filter(campaign=campaign).first()
    narratives: dict[str, Any] = dict(state.narratives) if state else {}
    named = bool(state and state.name_enterprises)
    f = Filters()
    summary = analytics.summary(campaign, f)
    dist = analytics.level_distribution(campaign, f)
    stats = analytics.indicator_stats(campaign, f)
    boxes = analytics.totals_by_segment(campaign, f)
    w = Writer(f"{campaign.title} 行业报告")
    w.title("互联网平台企业履行社会责任", f"{campaign.year}年度评估报告")

    w.h1("总体情况")
    enterprises = campaign.self_assessments.values("enterprise").distinct().count()
    w.para(
        f"本年度共有 {enterprises} 家平台企业参加自评，提交自评材料 {summary['count']} 份，"
        f"完成评审 {summary['reviewed']} 份。参评企业平均自评得分 {_n(summary['self_avg'])} 分，"
        f"评审后平均得分 {_n(summary['reviewed_avg'])} 分。"
    )
    w.table(
        ["平台类型", "企业数", "最低分", "中位数", "最高分"],
        [[b["segment"], b["n"], b["box"][0], b["box"][2], b["box"][4]] for b in boxes],
        "表1 各类型平台评审总分",
    )
    if boxes:
        w.image(charts.boxes(boxes))
    w.para(narratives.get("overview", ""))

    w.h1("各领域表现")
    area_rows = []
    for area in spec.areas:
        vals = [
            float(v)
            for i in area.indicators
            if (v := stats.get(i.number, {}).get("reviewed_avg")) is not None
        ]
        selfs = [
            float(v)
            for i in area.indicators
            if (v := stats.get(i.number, {}).get("self_avg")) is not None
        ]
        area_rows.append(
            [
                area.name,
                _n(sum(selfs) / len(selfs) if selfs else None),
                _n(sum(vals) / len(vals) if vals else None),
            ]
        )
    w.table(["一级指标", "平均自评得分", "平均评审得分"], area_rows, "表2 各领域平均得分")
    for area in spec.areas:
        w.h2(area.name)
        sentences = []
        for ind in area.indicators:
            d = dist.get(ind.number)
            if not d:
                continue
            sentences.append(
                f"{_share(d['self'])}% 的企业在“{ind.name}”上自评为{ind.label(1)}，评审后为 {_share(d['reviewed'])}%。"
            )
        w.para("".join(sentences) or "暂无数据。")
    w.image(
        charts.level_stacks(
            [str(i.number) for i in spec.indicators],
            [dist.get(i.number, {"self": [0] * 5})["self"] for i in spec.indicators],
            [dist.get(i.number, {"reviewed": [0] * 5})["reviewed"] for i in spec.indicators],
        )
    )

    w.h1("问题与挑战")
    rated = [
        (i, stats[i.number])
        for i in spec.indicators
        if stats.get(i.number, {}).get("reviewed_avg") is not None
    ]
    weakest = sorted(rated, key=lambda x: x[1]["reviewed_avg"] or 0)[:3]
    over = sorted(rated, key=lambda x: -(x[1]["over"] or 0))[:3]
    disagree = sorted(rated, key=lambda x: -(x[1]["disagreement_rate"] or 0))[:3]
    if weakest:
        w.para(
            "评审得分最低的指标是"
            + "、".join(f"“{i.name}”（{_n(s['reviewed_avg'])} 分）" for i, s in weakest)
            + "。"
        )
        w.para(
            "自评与评审差距最大的指标是"
            + "、".join(f"“{i.name}”（平均高出 {_n(s['over'])} 分）" for i, s in over)
            + "，部分企业自评偏高、佐证不足。"
        )
        w.para(
            "评审专家意见分歧最多的指标是"
            + "、".join(f"“{i.name}”（{_n(s['disagreement_rate'])}%）" for i, s in disagree)
            + "，指标说明有待进一步细化。"
        )
    w.para(narratives.get("problems", ""))

    w.h1("思考与建议")
    w.para(narratives.get("suggestions", "") or "（由主办方撰写。）")

    w.h1("典型案例")
    cases = [c for c in narratives.get("cases", []) if isinstance(c, dict)]
    answers: dict[tuple[Any, Any], Answer] = {
        (a.self_assessment_id, a.indicator.number): a
        for a in Answer.objects.filter(
            self_assessment__campaign=campaign,
            self_assessment_id__in=[c.get("self_assessment") for c in cases],
        ).select_related("indicator", "self_assessment__enterprise")
    }
    shown = 0
    for c in cases:
        a = answers.get((c.get("self_assessment"), c.get("indicator")))
        if a is None or not a.work_summary.strip():
            continue
        shown += 1
        who = (
            a.self_assessment.enterprise.name
            if named
            else f"某{a.self_assessment.enterprise.segment or ''}平台"
        )
        w.h2(f"{who}：{a.indicator.name}")
        w.para(a.work_summary)
    if not shown:
        w.para("（主办方尚未选择典型案例。）")

    if named:
        w.h1("评审得分排名")
        rows, _total = analytics.ranking(campaign, f, limit=20)
        w.table(
            ["名次", "企业", "平台类型", "评审得分"],
            [[r.rank, r.enterprise, r.segment, _n(r.score)] for r in rows],
        )
    return f"{_safe(campaign.title)}-行业报告.docx", w.bytes()


def case_candidates(campaign: Campaign, *, limit: int = 30) -> list[dict[str, Any]]:
    """Work summaries worth a look as typical cases: indicators reviewed at the best level."""
    from zeren.reports.models import IndicatorResult

    best = list(
        IndicatorResult.objects.filter(campaign=campaign, reviewed_level=1)
        .values_list("result__self_assessment_id", "indicator")
        .order_by("indicator", "result__self_assessment_id")[: limit * 3]
    )
    wanted = {sa for sa, _n in best}
    texts = {
        (sa, n): (text, name, seg, ind_name)
        for sa, n, text, name, seg, ind_name in Answer.objects.filter(self_assessment_id__in=wanted)
        .exclude(work_summary="")
        .values_list(
            "self_assessment_id",
            "indicator__number",
            "work_summary",
            "self_assessment__enterprise__name",
            "self_assessment__enterprise__segment",
            "indicator__name",
        )
    }
    out = []
    for sa, n in best:
        if (sa, n) in texts:
            text, name, seg, ind_name = texts[(sa, n)]
            out.append(
                {
                    "self_assessment": sa,
                    "indicator": n,
                    "indicator_name": ind_name,
                    "enterprise": name,
                    "segment": seg,
                    "text": text,
                }
            )
        if len(out) >= limit:
            break
    return out
