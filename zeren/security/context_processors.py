from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def security(request: HttpRequest) -> dict[str, int]:
    return {"zeren_idle_seconds": int(settings.ZEREN_SESSION_IDLE_MINUTES * 60)}
