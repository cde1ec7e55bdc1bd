"""zeren enterprises: the enterprises with their credit codes and platform types."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zeren.accounts.models import Enterprise


class Command(BaseCommand):
    help = "列出企业 / List the enterprises"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="以 JSON 输出 / print as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        rows = Enterprise.objects.order_by("name", "pk").values_list(
            "name", "credit_code", "segment"
        )
        if opts["json"]:
            self.stdout.write(
                json.dumps(
                    [{"name": n, "credit_code": c, "segment": s} for n, c, s in rows],
                    ensure_ascii=False,
                )
            )
            return
        for name, code, segment in rows:
            self.stdout.write(f"{code}  {segment or '—':<6} {name}")
