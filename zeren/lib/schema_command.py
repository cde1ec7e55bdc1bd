"""The shape of `zeren formdata-schema` and `zeren openapi-schema`: print a JSON document, or
check that a committed copy is up to date (CI runs the check for both)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class SchemaCommand(BaseCommand):
    name = ""  # the zeren command, named in the message that says how to regenerate

    def schema(self) -> Any:
        raise NotImplementedError

    def schema_text(self) -> str:
        return json.dumps(self.schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", metavar="FILE", help="检查文件是否为最新 / check that FILE is up to date"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        text = self.schema_text()
        if opts["check"]:
            path = Path(opts["check"])
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(
                    f"{path} 不是最新的，请重新生成 / {path} is out of date: "
                    f"zeren {self.name} > {path}"
                )
            return
        self.stdout.write(text, ending="")
