"""zeren worker: run background jobs (PDF rendering, imports, exports)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from zeren.jobs.worker import Policy, Worker
from zeren.lib.storage import check_storage


class Command(BaseCommand):
    help = "运行后台任务 / Run background jobs from the database queue"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="处理完现有任务后退出 / exit when the queue is empty",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="队列为空时的等待秒数 / seconds to wait when the queue is empty (1)",
        )
        parser.add_argument(
            "--worker-id",
            default="",
            help="进程标识（默认随机）/ worker id (random by default)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        check_storage()
        if opts["verbosity"] > 0:
            logging.getLogger("zeren.worker").setLevel(logging.INFO)
        Worker(
            worker_id=opts["worker_id"] or get_random_string(32),
            policy=Policy.from_settings(),
            interval=opts["interval"],
            batch=opts["batch"],
        ).run()
