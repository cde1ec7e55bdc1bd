"""zeren load-framework: validate a framework file (YAML or XLSX) and store it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from zeren.frameworks.loader import load_framework_file
from zeren.frameworks.spec import FrameworkInvalid


class Command(BaseCommand):
    help = (
        "载入指标体系文件（YAML 或 XLSX）；有任何错误时不载入任何内容 / "
        "Load a framework file (YAML or XLSX); nothing is stored when it has any error"
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Usage reads as people type it: `zeren load-framework`.
        return super().create_parser(prog_name, "load-framework", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="指标体系文件 .yaml 或 .xlsx / the framework file, .yaml or .xlsx"
        )
        parser.add_argument(
            "--new-version",
            action="store_true",
            help=(
                "另存为该标识的下一个版本（已有版本不变）/ "
                "store it as the next version of its key (existing versions stay as they are)"
            ),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        try:
            framework, created = load_framework_file(path, new_version=opts["new_version"])
        except FrameworkInvalid as exc:
            count = len(exc.errors)
            lines = [
                f"{path.name} 有 {count} 处错误，未载入任何内容 / "
                f"{path.name} has {count} error(s); nothing was loaded:",
                *(str(e) for e in exc.errors),
            ]
            raise CommandError("\n".join(lines)) from None
        except IsADirectoryError:
            raise CommandError(f"{path} 是目录，不是文件 / {path} is a directory") from None
        except OSError as exc:
            raise CommandError(f"无法读取 {path}：{exc} / cannot read {path}: {exc}") from None
        except DatabaseError as exc:
            raise CommandError(
                f"数据库错误，请先运行 zeren migrate：{exc} / "
                f"database error; run zeren migrate first: {exc}"
            ) from None
        count = framework.indicators.count()
        name = f"{framework.title}（{framework.key} v{framework.version}）"
        if created:
            self.stdout.write(
                f"已载入指标体系 {name}，{count} 个指标 / "
                f"loaded framework {framework.key} version {framework.version} "
                f"with {count} indicators"
            )
        else:
            self.stdout.write(
                f"指标体系 {name} 已载入过，内容相同，未作改动 / "
                f"framework {framework.key} version {framework.version} is already loaded "
                f"with the same content; nothing changed"
            )
