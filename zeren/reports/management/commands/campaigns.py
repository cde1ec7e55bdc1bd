"""zeren campaigns: the campaigns with their numbers of enterprises and submissions."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count, Q

from zeren.assessments.models import SelfAssessment
from zeren.campaigns.models import Campaign

SUBMITTED = [
    SelfAssessment.Status.SUBMITTED,
    SelfAssessment.Status.RETURNED,
    SelfAssessment.Status.ACCEPTED,
]


def campaign_rows() -> list[dict[str, Any]]:
    rows = (
        Campaign.objects.select_related("framework")
        .annotate(
            n_enterprises=Count("self_assessments__enterprise", distinct=True),
            n_submitted=Count("self_assessments", filter=Q(self_assessments__status__in=SUBMITTED)),
        )
        .order_by("-year", "pk")
    )
    return [
        {
            "id": c.pk,
            "title": c.title,
            "year": c.year,
            "framework": f"{c.framework.key}:{c.framework.version}",
            "status": c.status,
            "enterprises": c.n_enterprises,
            "submitted": c.n_submitted,
        }
        for c in rows
    ]


class Command(BaseCommand):
    help = "列出评估工作 / List the campaigns"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="以 JSON 输出 / print as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        rows = campaign_rows()
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for r in rows:
            self.stdout.write(
                f"{r['id']:>4}  {r['year']}  {r['status']:<8} {r['framework']:<16} "
                f"{r['enterprises']:>6} 家 / {r['submitted']:>6} 已提交  {r['title']}"
            )
