"""zeren token create: a personal API token, printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zeren.accounts.models import User
from zeren.api import tokens
from zeren.assessments.services import ServiceError


class Command(BaseCommand):
    help = "管理 API 令牌 / Manage API tokens"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="创建令牌并只显示一次 / create a token, shown once")
        create.add_argument("--user", required=True, help="用户名 / username")
        create.add_argument(
            "--scope", required=True, choices=["read", "write"], help="只读或读写 / read or write"
        )
        create.add_argument("--expires", type=int, metavar="DAYS", help="有效天数 / days valid")
        create.add_argument("--name", default="", help="名称 / a name")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username=opts["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有用户 {opts['user']} / no such user: {opts['user']}")
        name = opts["name"] or f"cli-{opts['scope']}"
        try:
            _token, plain = tokens.create_token(
                user=user, name=name, scope=opts["scope"], expires_days=opts["expires"], by=user
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(plain)
