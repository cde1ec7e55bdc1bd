"""zeren backup OUT: one archive of the database, the stored files and their SHA-256s."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zeren.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库与文件到一个归档（服务不停）/ Back up the database and files into one archive (while serving)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="归档文件（.tar）/ the archive to write (.tar)")

    def handle(self, *args: Any, **opts: Any) -> None:
        out = Path(opts["out"])
        if out.exists():
            raise CommandError(f"{out} 已存在 / already exists")
        try:
            manifest = backup(out, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已备份 backed up: {out} ({len(manifest.members)} 项 members, {manifest.vendor})"
        )
