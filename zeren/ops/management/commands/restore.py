"""zeren restore ARCHIVE: fill an empty database and store, checking every hash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zeren.ops.backup import BackupError, restore
from zeren.ops.verify import verify_all


class Command(BaseCommand):
    help = "从归档恢复到空的数据库与存储并校验 / Restore an archive into an empty database and store, and verify"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive", help="zeren backup 写出的归档 / an archive from zeren backup"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        archive = Path(opts["archive"])
        if not archive.is_file():
            raise CommandError(f"找不到 {archive} / not found")
        try:
            restore(archive, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        report = verify_all()
        for m in report.mismatches or []:
            self.stderr.write(str(m))
        if not report.ok:
            raise CommandError("恢复后校验未通过 / verification after restore failed")
        self.stdout.write(
            f"已恢复并校验 restored and verified: {report.submissions} 份提交 submissions, "
            f"{report.files} 个文件 files"
        )
