"""Excel exports of the organizer's lists; each returns (filename, mimetype, bytes)."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from zeren.lib.names import safe_stem
from zeren.lib.xlsx import cells_as_text
from zeren.reports.queries import CampaignProgress

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(name: str) -> str:
    return safe_stem(name) or "export"


def progress_xlsx(progress: CampaignProgress) -> tuple[str, str, bytes]:
    """填报进度 of a campaign, one row per self-assessment, in the dashboard's order."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "填报进度"
    headers = [
        "企业名称",
        "统一社会信用代码",
        "自评业务版块或产品",
        "填报状态",
        *(f"{name}（已填/总数）" for name in progress.area_names),
        "已填指标",
        "指标总数",
        "完成度（%）",
        "最近活动时间",
        "最新提交版本",
    ]
    ws.append(headers)
    for r in progress.rows:
        last = (
            timezone.localtime(r.last_activity_at).strftime("%Y-%m-%d %H:%M")
            if r.last_activity_at
            else ""
        )
        ws.append(
            [
                r.enterprise_name,
                r.credit_code,
                r.business_scope,
                str(r.stage.label),
                *(f"{a.rated}/{a.total}" for a in r.areas),
                r.rated,
                r.total,
                r.percent,
                last,
                f"第{r.latest_submission_number}版" if r.latest_submission_number else "",
            ]
        )
    fill = PatternFill("solid", fgColor="F3F5F8")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, 2 * len(header) + 4))
    cells_as_text(ws)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    out = BytesIO()
    wb.save(out)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{_safe(progress.campaign.title)}-填报进度-{stamp}.xlsx", XLSX_MIMETYPE, out.getvalue()
