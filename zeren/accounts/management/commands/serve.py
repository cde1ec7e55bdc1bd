"""zeren serve: migrate, then run gunicorn."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "迁移数据库后用 gunicorn 启动服务 / Apply migrations, then serve with gunicorn"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=os.environ.get("ZEREN_HOST", "127.0.0.1"),
            help="监听地址 / address to listen on (127.0.0.1)",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("ZEREN_PORT", "8000")),
            help="端口 / port (8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("ZEREN_WORKERS", "3")),
            help="工作进程数 / worker processes (3)",
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="不迁移数据库 / skip migrations"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        bind = f"{opts['host']}:{opts['port']}"
        self.stdout.write(f"Zeren 正在 http://{bind} 提供服务 / serving at http://{bind}")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "zeren.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(opts["workers"]),
            "--threads",
            "4",
            "--timeout",
            "300",
            "--access-logfile",
            "-",
        ]
        os.execv(sys.executable, argv)
