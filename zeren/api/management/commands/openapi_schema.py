"""zeren openapi-schema: print (or check) the API's OpenAPI 3.1 document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation


def schema_text() -> str:
    from zeren.api.api import api

    # Always in the default language, so the committed file does not depend on the caller's.
    with translation.override("zh-hans"):
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "输出接口的 OpenAPI 文档 / Print the API's OpenAPI document"

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
                    f"{path} 不是最新的，请重新生成 / {path} is out of date: zeren openapi-schema > {path}"
                )
            return
        self.stdout.write(text, ending="")
