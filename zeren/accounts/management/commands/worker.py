"""zeren worker: run background jobs (PDF rendering, imports, exports)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from zeren.lib.storage import check_storage


class Command(BaseCommand):
    help = "运行后台任务 / Run background jobs from the database queue"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="处理完现有任务后退出 / exit when the queue is empty",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        check_storage()
        extra = ["--batch"] if opts["batch"] else []
        call_command("db_worker", *extra)
