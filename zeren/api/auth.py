"""Authorization: Bearer <token>. The token acts as its user, through zeren.access."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from zeren.api import tokens
from zeren.api.errors import ApiProblem
from zeren.api.models import ApiToken

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = tokens.token_for(token.strip())
        if found is None:
            return None
        request.user = found.user
        if request.method not in SAFE_METHODS:
            if not found.can_write:
                raise ApiProblem(403, _("此令牌为只读令牌，不能修改数据"))
        return found


def audit_writes(view: Callable[..., Any]) -> Callable[..., Any]:
    """Every write made with a token, once it succeeded, in the audit log with the token's name."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        token = getattr(request, "auth", None)
        status = getattr(response, "status_code", 500)
        if isinstance(token, ApiToken) and request.method not in SAFE_METHODS and status < 400:
            tokens.record_write(token, request.method or "", request.path, status)
        return response

    return wrapper


class TokenThrottle(SimpleRateThrottle):
    """Requests per token (429 with Retry-After beyond ZEREN_API_RATE)."""

    scope = "api_token"

    def __init__(self) -> None:
        super().__init__(rate=settings.ZEREN_API_RATE)

    def get_rate(self) -> str | None:
        return settings.ZEREN_API_RATE

    def allow_request(self, request: HttpRequest) -> bool:
        # The rate is read per request so that an operator's (or a test's) setting applies.
        self.rate = settings.ZEREN_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        auth: Any = getattr(request, "auth", None)
        if isinstance(auth, ApiToken):
            ident = auth.token_hash[:24]  # unique per token, never reused (unlike a pk)
        else:
            ident = hashlib.sha256(str(self.get_ident(request)).encode()).hexdigest()[:16]
        return self.cache_format % {"scope": self.scope, "ident": ident}
