"""zeren createadmin: an organizer who may also use the Django admin."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from zeren.accounts.models import ADMIN_ROLES, Membership, Role, User


class Command(BaseCommand):
    help = "创建主办方管理员 / Create an organizer administrator"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="用户名 / username")
        parser.add_argument("--email", default="", help="邮箱 / e-mail")
        parser.add_argument("--name", default="", help="姓名 / display name")
        parser.add_argument(
            "--role",
            default=Role.ORGANIZER.value,
            choices=[Role.ORGANIZER.value, *(r.value for r in ADMIN_ROLES)],
            help="角色（三员分立）/ role: organizer, system_admin, security_admin, audit_admin",
        )
        parser.add_argument(
            "--password",
            default=os.environ.get("ZEREN_ADMIN_PASSWORD", ""),
            help="密码（或环境变量 ZEREN_ADMIN_PASSWORD；省略则提示输入）/ password (or ZEREN_ADMIN_PASSWORD; prompted when omitted)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        username = opts["username"].strip()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户 {username} 已存在 / user {username} already exists")
        password = opts["password"] or getpass.getpass("密码 / password: ")
        try:
            validate_password(password, User(username=username))
        except ValidationError as exc:
            raise CommandError(
                "密码不符合要求 / password rejected: " + "；".join(exc.messages)
            ) from None
        with transaction.atomic():
            user = User.objects.create_user(
                username=username,
                email=opts["email"],
                password=password,
                display_name=opts["name"],
                # Nobody is a superuser (三员分立); the audit administrator needs no admin site.
                is_staff=opts["role"] != Role.AUDIT_ADMIN,
            )
            Membership.objects.create(user=user, role=opts["role"])
        self.stdout.write(
            f"已创建 {Role(opts['role']).label} {username} / {opts['role']} {username} created"
        )
