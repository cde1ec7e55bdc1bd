"""zeren export-framework: write a stored framework version as an Excel workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from zeren.frameworks.loader import spec_from_db
from zeren.frameworks.models import Framework
from zeren.frameworks.xlsx import write_xlsx


def find_framework(ident: str) -> Framework:
    """`key:version`, the numeric id, or a key alone (its latest version)."""
    ident = ident.strip()
    if ident.isdigit():
        found = Framework.objects.filter(pk=int(ident)).first()
    elif ":" in ident:
        key, _, version = ident.rpartition(":")
        if not version.isdigit():
            raise CommandError(
                f"版本号应为正整数：{ident} / the version must be a positive integer: {ident}"
            )
        found = Framework.objects.filter(key=key, version=int(version)).first()
    else:
        found = Framework.objects.filter(key=ident).order_by("-version").first()
    if found is None:
        known = ", ".join(
            f"{f.key}:{f.version}" for f in Framework.objects.order_by("key", "version")
        )
        raise CommandError(
            f"找不到指标体系 {ident}；已有：{known or '无'} / "
            f"no framework {ident}; available: {known or 'none'}"
        )
    return found


class Command(BaseCommand):
    help = (
        "导出指标体系为 Excel，可编辑后用 load-framework --new-version 载入 / "
        "Export a framework to XLSX, to edit and load back with load-framework --new-version"
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Usage reads as people type it: `zeren export-framework`.
        return super().create_parser(prog_name, "export-framework", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "framework",
            metavar="ID",
            help=(
                "标识:版本（如 platform-csr:1）、编号，或仅标识（最新版本） / "
                "key:version (e.g. platform-csr:1), the numeric id, or a key (its latest version)"
            ),
        )
        parser.add_argument(
            "--xlsx",
            required=True,
            metavar="FILE",
            help="输出的 .xlsx 文件 / the .xlsx file to write",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        out = Path(opts["xlsx"])
        try:
            framework = find_framework(opts["framework"])
            data = write_xlsx(spec_from_db(framework))
        except DatabaseError as exc:
            raise CommandError(
                f"数据库错误，请先运行 zeren migrate：{exc} / "
                f"database error; run zeren migrate first: {exc}"
            ) from None
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入 {out}：{exc} / cannot write {out}: {exc}") from None
        self.stdout.write(
            f"已导出指标体系 {framework.key} 第 {framework.version} 版到 {out} / "
            f"exported framework {framework.key} version {framework.version} to {out}"
        )
