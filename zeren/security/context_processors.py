from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from zeren.lib.limits import TEXT_LIMITS


def security(request: HttpRequest) -> dict[str, Any]:
    from zeren.accounts.roles import is_audit_admin

    user = getattr(request, "user", None)
    return {
        "zeren_idle_seconds": int(settings.ZEREN_SESSION_IDLE_MINUTES * 60),
        "text_limits": TEXT_LIMITS,
        "zeren_is_audit_admin": lambda: user is not None and is_audit_admin(user),
    }
