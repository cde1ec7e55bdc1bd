"""Who is asking, from where: set per request by RequestContextMiddleware, read by the audit."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class Client:
    address: str | None = None
    user_agent: str = ""
    user: Any = None  # who is logged in on this request (for events raised by signals)


_NOBODY = Client()
_current: ContextVar[Client | None] = ContextVar("zeren_client", default=None)


def client_address(request: HttpRequest) -> str | None:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # Behind our own proxy: its last hop is the address it saw.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def client_of(request: HttpRequest) -> Client:
    return Client(
        client_address(request),
        request.META.get("HTTP_USER_AGENT", "")[:300],
        getattr(request, "user", None),
    )


def set_client(client: Client) -> object:
    return _current.set(client)


def reset_client(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def current_client() -> Client:
    return _current.get() or _NOBODY
