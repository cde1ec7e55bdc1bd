"""zeren load-mapping: validate an indicator mapping between framework versions and store it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zeren.frameworks.mapping import MappingInvalid, load_mapping, read_mapping_file


class Command(BaseCommand):
    help = (
        "载入指标映射文件（YAML 或 XLSX）；有任何错误时不载入 / "
        "Load an indicator mapping between framework versions (YAML or XLSX); nothing is stored on any error"
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return super().create_parser(prog_name, "load-mapping", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="映射文件 .yaml 或 .xlsx / the mapping file")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 {path} / no such file: {path}")
        try:
            mapping, rows = load_mapping(read_mapping_file(path))
        except MappingInvalid as exc:
            raise CommandError(
                "\n".join(
                    [
                        f"{path.name} 有 {len(exc.errors)} 处错误，未载入 / "
                        f"{path.name} has {len(exc.errors)} error(s); nothing was loaded:",
                        *(str(e) for e in exc.errors),
                    ]
                )
            ) from None
        self.stdout.write(
            f"已载入指标映射 {mapping}，{rows} 行 / loaded the mapping with {rows} rows"
        )
