"""zeren verify: recompute every submission's snapshot hash and every stored file's hash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zeren.ops.backup import BackupError, check_archive
from zeren.ops.verify import verify_all


class Command(BaseCommand):
    help = "校验所有提交快照与文件的哈希 / Verify every submission snapshot and stored file hash"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--archive",
            help="改为校验一个备份归档的每一项 / check each member of a backup archive instead",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["archive"]:
            try:
                problems = check_archive(Path(opts["archive"]))
            except BackupError as exc:
                raise CommandError(str(exc)) from None
            for p in problems:
                self.stderr.write(p)
            if problems:
                raise CommandError(
                    f"备份校验未通过：{len(problems)} 处 / archive verification failed: {len(problems)}"
                )
            self.stdout.write("备份完好 / the archive is intact")
            return
        report = verify_all()
        for m in report.mismatches or []:
            self.stderr.write(str(m))
        summary = (
            f"{report.submissions} 份提交 submissions, {report.files} 个文件 files, "
            f"{len(report.mismatches or [])} 处不符 mismatches"
        )
        if not report.ok:
            raise CommandError(f"校验未通过 verification failed: {summary}")
        self.stdout.write(f"校验通过 verified: {summary}")
