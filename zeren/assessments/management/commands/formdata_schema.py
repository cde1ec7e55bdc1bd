"""zeren formdata-schema: print (or check) the FormData JSON schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zeren.assessments.formdata import json_schema


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "输出 FormData 的 JSON 模式 / Print the FormData JSON schema"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", metavar="FILE", help="检查文件是否为最新 / check that FILE is up to date"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        text = schema_text()
        if opts["check"]:
            path = Path(opts["check"])
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(
                    f"{path} 不是最新的，请重新生成 / {path} is out of date: zeren formdata-schema > {path}"
                )
            return
        self.stdout.write(text, ending="")
