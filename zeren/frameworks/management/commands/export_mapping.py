"""zeren export-mapping: write a stored indicator mapping to a workbook to edit in Excel."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zeren.frameworks.mapping import export_mapping_xlsx
from zeren.frameworks.models import Framework


def _framework(ref: str) -> Framework:
    key, _, version = ref.partition(":")
    fw = Framework.objects.filter(
        key=key, version=int(version) if version.isdigit() else -1
    ).first()
    if fw is None:
        raise CommandError(f"找不到指标体系 {ref}（格式 key:版本）/ unknown framework {ref}")
    return fw


class Command(BaseCommand):
    help = "导出指标映射为 Excel / Export an indicator mapping to XLSX"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return super().create_parser(prog_name, "export-mapping", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="原版本 / old version, e.g. platform-csr:1")
        parser.add_argument("target", help="新版本 / new version, e.g. platform-csr:2")
        parser.add_argument("--xlsx", required=True, help="输出文件 / output file")

    def handle(self, *args: Any, **opts: Any) -> None:
        n = export_mapping_xlsx(
            _framework(opts["source"]), _framework(opts["target"]), opts["xlsx"]
        )
        if not n:
            raise CommandError("这两个版本之间没有指标映射 / no mapping joins these versions")
        self.stdout.write(f"已导出 {n} 行 / wrote {n} rows to {opts['xlsx']}")
