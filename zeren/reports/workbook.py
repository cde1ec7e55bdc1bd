"""导出结果: the cohort workbook of a campaign, written row by row (openpyxl write-only) into a
temporary file and streamed, so 10,000 self-assessments stay within a small memory budget.

Sheet 评估结果: one row per self-assessment — enterprise, credit code, platform type, status, self
and reviewed level and points per indicator, area scores, totals and rank (ties share a rank).
One sheet per area: the distribution of self and reviewed levels per indicator.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

from django.db.models import F, Window
from django.db.models.functions import Rank
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from zeren.assessments.models import SelfAssessment
from zeren.campaigns.models import Campaign
from zeren.frameworks.loader import spec_from_db
from zeren.lib.xlsx import text_cell
from zeren.reports import analytics
from zeren.reports.analytics import Filters
from zeren.reports.exports import XLSX_MIMETYPE, _safe
from zeren.reports.models import AreaResult, AssessmentResult, IndicatorResult

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F3F5F8")
SCORE = "0.00"
WHOLE = "0"
CHUNK = 1 << 16


def _header(ws: Any, titles: list[str]) -> None:
    ws.append(
        [
            text_cell(
                ws,
                t,
                font=HEADER_FONT,
                fill=HEADER_FILL,
                alignment=Alignment(wrap_text=True, vertical="center"),
            )
            for t in titles
        ]
    )


def _num(ws: Any, value: Any, fmt: str) -> Any:
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=float(value) if fmt == SCORE else int(value))
    cell.number_format = fmt
    return cell


def _plain(value: Any) -> float | None:
    return None if value is None else float(value)


def _status_labels() -> dict[str, str]:
    return {s.value: str(s.label) for s in SelfAssessment.Status}


def write_workbook(campaign: Campaign, f: Filters, path: str) -> None:
    spec = spec_from_db(campaign.framework)
    wb = Workbook(write_only=True)
    ws: Any = wb.create_sheet("评估结果")
    titles = ["企业名称", "统一社会信用代码", "平台类型", "自评业务版块或产品", "状态"]
    for ind in spec.indicators:
        titles += [
            f"{ind.number}. {ind.name} 自评等级",
            f"{ind.number} 自评得分",
            f"{ind.number} 评审等级",
            f"{ind.number} 评审得分",
        ]
    for area in spec.areas:
        titles += [f"{area.name} 自评得分", f"{area.name} 评审得分"]
    titles += ["自评总分", "评审总分", "排名"]
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}1"
    for i in range(1, len(titles) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 30 if i == 1 else 14
    _header(ws, titles)

    sas = SelfAssessment.objects.filter(campaign=campaign)
    if f.segment:
        sas = sas.filter(enterprise__segment=f.segment)
    if f.status:
        sas = sas.filter(status=f.status)
    ranks = dict(
        f.results(campaign)
        .filter(reviewed_total__isnull=False)
        .annotate(rank=Window(Rank(), order_by=F("reviewed_total").desc()))
        .values_list("self_assessment_id", "rank")
    )
    results = {
        r[0]: r[1:]
        for r in AssessmentResult.objects.filter(campaign=campaign).values_list(
            "self_assessment_id", "pk", "self_total", "reviewed_total"
        )
    }
    n_ind = len(spec.indicators)
    n_area = len(spec.areas)
    index = {ind.number: i for i, ind in enumerate(spec.indicators)}
    ind_rows = (
        IndicatorResult.objects.filter(campaign=campaign)
        .order_by("result__self_assessment_id", "indicator")
        .values_list(
            "result__self_assessment_id",
            "indicator",
            "self_level",
            "self_points",
            "reviewed_level",
            "reviewed_points",
        )
        .iterator(chunk_size=5000)
    )
    area_rows = (
        AreaResult.objects.filter(campaign=campaign)
        .order_by("result__self_assessment_id", "position")
        .values_list("result__self_assessment_id", "position", "self_score", "reviewed_score")
        .iterator(chunk_size=5000)
    )
    pending_ind: Any = next(ind_rows, None)
    pending_area: Any = next(area_rows, None)
    statuses = _status_labels()
    for sa_id, name, code, segment, scope, status in (
        sas.order_by("pk")
        .values_list(
            "pk",
            "enterprise__name",
            "enterprise__credit_code",
            "enterprise__segment",
            "business_scope",
            "status",
        )
        .iterator(chunk_size=5000)
    ):
        per_ind: list[Any] = [None] * (4 * n_ind)
        while pending_ind is not None and pending_ind[0] <= sa_id:
            if pending_ind[0] == sa_id and pending_ind[1] in index:
                j = 4 * index[pending_ind[1]]
                # Plain numbers here (levels are whole, points have at most two decimals):
                # a styled cell per value would make 10,000 rows several times slower.
                per_ind[j] = pending_ind[2]
                per_ind[j + 1] = _plain(pending_ind[3])
                per_ind[j + 2] = pending_ind[4]
                per_ind[j + 3] = _plain(pending_ind[5])
            pending_ind = next(ind_rows, None)
        per_area: list[Any] = [None] * (2 * n_area)
        while pending_area is not None and pending_area[0] <= sa_id:
            if pending_area[0] == sa_id and 1 <= pending_area[1] <= n_area:
                j = 2 * (pending_area[1] - 1)
                per_area[j] = _num(ws, pending_area[2], SCORE)
                per_area[j + 1] = _num(ws, pending_area[3], SCORE)
            pending_area = next(area_rows, None)
        res = results.get(sa_id)
        ws.append(
            [
                text_cell(ws, name),
                text_cell(ws, code),
                text_cell(ws, segment or ""),
                text_cell(ws, scope),
                text_cell(ws, statuses.get(status, status)),
                *per_ind,
                *per_area,
                _num(ws, res[1], SCORE) if res else None,
                _num(ws, res[2], SCORE) if res else None,
                _num(ws, ranks.get(sa_id), WHOLE),
            ]
        )

    dist = analytics.level_distribution(campaign, f)
    stats = analytics.indicator_stats(campaign, f)
    for area in spec.areas:
        sheet: Any = wb.create_sheet(_safe(area.name)[:31])
        sheet.freeze_panes = "C2"
        sheet.column_dimensions["B"].width = 24
        heads = ["序号", "三级指标"]
        heads += [f"自评 等级{lv}" for lv in analytics.LEVELS]
        heads += [f"评审 等级{lv}" for lv in analytics.LEVELS]
        heads += ["平均自评得分", "平均评审得分", "自评高于评审（分）", "评审分歧率（%）"]
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(heads))}1"
        _header(sheet, heads)
        for ind in area.indicators:
            d = dist.get(ind.number, {"self": [0] * 5, "reviewed": [0] * 5})
            s = stats.get(ind.number, {})
            sheet.append(
                [
                    _num(sheet, ind.number, WHOLE),
                    text_cell(sheet, ind.name),
                    *(_num(sheet, n, WHOLE) for n in d["self"]),
                    *(_num(sheet, n, WHOLE) for n in d["reviewed"]),
                    _num(sheet, s.get("self_avg"), SCORE),
                    _num(sheet, s.get("reviewed_avg"), SCORE),
                    _num(sheet, s.get("over"), SCORE),
                    _num(sheet, s.get("disagreement_rate"), SCORE),
                ]
            )
    wb.save(path)


def _stream(fh: Any) -> Iterator[bytes]:
    try:
        while chunk := fh.read(CHUNK):
            yield chunk
    finally:
        fh.close()


def cohort_workbook(campaign: Campaign, f: Filters) -> tuple[str, str, Iterator[bytes]]:
    """(filename, mimetype, chunks): the workbook written to a temporary file, then streamed."""
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=True)
    write_workbook(campaign, f, tmp.name)
    tmp.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{_safe(campaign.title)}-评估结果-{stamp}.xlsx", XLSX_MIMETYPE, _stream(tmp)
