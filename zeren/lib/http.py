"""Small HTTP helpers shared by views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def login_required_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For fetch/htmx endpoints: 401 with a message instead of a redirect to the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse(
                {"error": _("登录已过期，请重新登录；您输入的内容仍保留在页面上")}, status=401
            )
        return view(request, *args, **kwargs)

    return wrapper


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` target of a form or link when it stays on this site; otherwise the fallback."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


if TYPE_CHECKING:
    from zeren.accounts.models import User

    class AuthedRequest(HttpRequest):
        """A request behind login_required: request.user is a User."""

        user: User
else:
    AuthedRequest = HttpRequest


def confirmed(request: HttpRequest) -> bool:
    """An irreversible action is taken only with its confirmation box ticked (name="confirm")."""
    return request.POST.get("confirm") == "1"
