"""zeren report: 评估报告 (scorecard) of one enterprise, or the 行业报告 of a campaign, as Word
(and PDF with --pdf)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from zeren.assessments.models import Submission
from zeren.campaigns.models import Campaign
from zeren.reports.compute import compute_results
from zeren.reports.documents import industry_report, scorecard
from zeren.reports.models import AssessmentResult, CampaignResults


def _ensure_results(campaign: Campaign) -> None:
    if not CampaignResults.objects.filter(campaign=campaign, computed_at__isnull=False).exists():
        compute_results(campaign)


class Command(BaseCommand):
    help = (
        "生成评估报告或行业报告 / Make a scorecard or the industry report: "
        "report scorecard (--submission ID | --campaign ID --enterprise NAME_OR_CREDIT_CODE) -o OUT.docx [--pdf]; "
        "report industry --campaign ID -o OUT.docx [--pdf]"
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return super().create_parser(prog_name, "report", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind", choices=["scorecard", "industry"], help="scorecard 评估报告 | industry 行业报告"
        )
        parser.add_argument("--submission", type=int, help="提交版本编号 / submission id")
        parser.add_argument("--campaign", type=int, help="评估工作编号 / campaign id")
        parser.add_argument("--enterprise", help="企业名称或统一社会信用代码 / name or credit code")
        parser.add_argument("-o", "--output", required=True, help="输出 .docx / output .docx")
        parser.add_argument("--pdf", action="store_true", help="同时生成 PDF / also write a PDF")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["kind"] == "industry":
            campaign = self._campaign(opts)
            _ensure_results(campaign)
            name, data = industry_report(campaign)
        else:
            result = self._result(opts)
            name, data = scorecard(result)
        out = Path(opts["output"])
        out.write_bytes(data)
        self.stdout.write(f"已生成 / wrote {out}（{name}）")
        if opts["pdf"]:
            from zeren.documents.pdf import PdfFailed, PdfUnavailable, docx_to_pdf

            try:
                pdf = docx_to_pdf(data)
            except (PdfUnavailable, PdfFailed) as exc:
                raise CommandError(f"PDF 生成失败 / PDF failed: {exc}") from None
            target = out.with_suffix(".pdf")
            target.write_bytes(pdf)
            self.stdout.write(f"已生成 / wrote {target}")

    def _campaign(self, opts: dict[str, Any]) -> Campaign:
        if not opts["campaign"]:
            raise CommandError("请指定 --campaign / --campaign is required")
        campaign = Campaign.objects.select_related("framework").filter(pk=opts["campaign"]).first()
        if campaign is None:
            raise CommandError(
                f"找不到评估工作 {opts['campaign']} / no campaign {opts['campaign']}"
            )
        return campaign

    def _result(self, opts: dict[str, Any]) -> AssessmentResult:
        qs = AssessmentResult.objects.select_related(
            "enterprise", "self_assessment", "campaign__framework"
        )
        if opts["submission"]:
            sub = (
                Submission.objects.select_related("self_assessment__campaign")
                .filter(pk=opts["submission"])
                .first()
            )
            if sub is None:
                raise CommandError(
                    f"找不到提交版本 {opts['submission']} / no submission {opts['submission']}"
                )
            _ensure_results(sub.self_assessment.campaign)
            result = qs.filter(self_assessment_id=sub.self_assessment_id).first()
        else:
            campaign = self._campaign(opts)
            if not opts["enterprise"]:
                raise CommandError(
                    "请指定 --enterprise 或 --submission / --enterprise or --submission is required"
                )
            _ensure_results(campaign)
            key = opts["enterprise"].strip()
            matches = list(
                qs.filter(campaign=campaign).filter(
                    Q(enterprise__credit_code=key.upper()) | Q(enterprise__name=key)
                )[:2]
            )
            if len(matches) > 1:
                raise CommandError(
                    f"“{key}”对应多份自评材料，请改用 --submission / several self-assessments match; use --submission"
                )
            result = matches[0] if matches else None
        if result is None:
            raise CommandError(
                "没有找到该企业已提交材料的评估结果 / no result for that enterprise (nothing submitted?)"
            )
        return result
