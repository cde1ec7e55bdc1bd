"""zeren audit verify | purge: check the audit chain; delete events past the retention period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = "审计记录：校验哈希链 / Audit log: verify the hash chain"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验哈希链 / verify the hash chain")
        purge = sub.add_parser(
            "purge", help="删除超过保存期限的记录 / delete events past the retention period"
        )
        purge.add_argument(
            "--days",
            type=int,
            default=settings.ZEREN_AUDIT_RETENTION_DAYS,
            help="保存天数（不少于 180）/ days kept (180 at least)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from zeren.audit.log import verify
        from zeren.audit.models import AuditEvent

        if opts["action"] == "verify":
            n = AuditEvent.objects.count()
            broken = verify()
            if broken is not None:
                what = {
                    "changed": "被修改 / was changed",
                    "removed-before": "之前的记录被删除 / an event before it was removed",
                    "removed-last": "之后的记录被删除 / the last event was removed",
                }[broken.reason]
                raise CommandError(
                    f"审计记录 #{broken.event_id} {what}（共 {n} 条）/ "
                    f"audit event #{broken.event_id}: chain broken ({n} events)"
                )
            self.stdout.write(f"审计记录完整，共 {n} 条 / audit chain intact, {n} events")
            return
        days = opts["days"]
        if days < settings.ZEREN_AUDIT_RETENTION_DAYS:
            raise CommandError(
                f"审计记录至少保存 {settings.ZEREN_AUDIT_RETENTION_DAYS} 天 / "
                f"audit events are kept {settings.ZEREN_AUDIT_RETENTION_DAYS} days at least"
            )
        from zeren.audit.log import purge_before

        deleted = purge_before(timezone.now() - timedelta(days=days))
        self.stdout.write(f"已删除 {deleted} 条 / {deleted} events deleted")
