"""zeren serve: migrate, then run gunicorn and a background-job worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from zeren.lib.storage import check_storage


class Command(BaseCommand):
    help = "迁移数据库后用 gunicorn 启动服务，并启动后台任务进程 / Apply migrations, then serve with gunicorn and run a background worker"

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
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="不启动后台任务进程（另行运行 zeren worker）/ do not start the background worker (run zeren worker separately)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        check_storage()
        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        bind = f"{opts['host']}:{opts['port']}"
        self.stdout.write(f"Zeren 正在 http://{bind} 提供服务 / serving at http://{bind}")
        self.stdout.flush()
        server = [
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
            # Zeren does not use gunicorn's control interface; its default socket lives in the
            # home directory, where two servers on one machine would share (and steal) it.
            "--no-control-socket",
            # Invitation and password-reset links never reach the log.
            "--logger-class",
            "zeren.lib.gunicorn_logger.RedactingLogger",
        ]
        if opts["no_worker"]:
            os.execv(sys.executable, server)
        # One command for one machine: the web server and the job worker live and die together.
        worker = subprocess.Popen([sys.executable, "-m", "zeren.cli", "worker"])
        web = subprocess.Popen(server)

        def stop(signum: int, frame: Any) -> None:
            for p in (web, worker):
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            code = web.wait()
        finally:
            stop(0, None)
            worker.wait(timeout=30)
        raise SystemExit(code)
