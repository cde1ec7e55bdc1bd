"""Request-level security: the audit's client context, CSP and no-store headers, the idle
timeout, the optional single active session, the second factor and password expiry."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zeren.audit.context import client_of, reset_client, set_client

Handler = Callable[[HttpRequest], HttpResponse]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Pages reachable while the second step or a password change is still due.
OPEN_PREFIXES = (
    "/static/",
    "/i18n/",
    "/favicon",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/otp/",
    "/accounts/password/",
    "/accounts/session/",
    "/accounts/invitation/",
)


def _has_user(request: HttpRequest) -> bool:
    """A user already loaded by the view (a login just made) without forcing the lazy load."""
    user = getattr(request, "_cached_user", None)
    return user is not None and user.is_authenticated


def _is_fetch(request: HttpRequest) -> bool:
    return bool(request.headers.get("X-Zeren-Fetch") or request.headers.get("HX-Request"))


class RequestContextMiddleware:
    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_client(client_of(request))
        try:
            return self.get_response(request)
        finally:
            reset_client(token)


class SecurityHeadersMiddleware:
    """A CSP without inline script on every page; no-store on everything a logged-in user sees."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/static/"):
            return response
        if response.get("Content-Type", "").startswith("text/html"):
            # Pages only: a PDF shown inline would be refused under a policy.
            response.headers.setdefault("Content-Security-Policy", CSP)
        # Whoever carries a session cookie may see private pages: nothing of theirs is cached
        # (checked on the cookie, so a public request costs no session read).
        if settings.SESSION_COOKIE_NAME in request.COOKIES or _has_user(request):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


class IdleTimeoutMiddleware:
    """Ends a session unused for ZEREN_SESSION_IDLE_MINUTES. A fetch gets 401 so the page keeps
    what was typed (zeren.js stores it and saves it after the next login)."""

    KEY = "zeren_last_seen"

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        minutes = settings.ZEREN_SESSION_IDLE_MINUTES
        user = (
            getattr(request, "user", None)
            if settings.SESSION_COOKIE_NAME in request.COOKIES
            else None
        )
        if user is not None and user.is_authenticated and minutes > 0:
            now = time.time()
            last = request.session.get(self.KEY)
            if last is not None and now - float(last) > minutes * 60:
                from zeren.audit.log import record

                record(user, "auth.session_expired", user)
                logout(request)
                if request.path.startswith(OPEN_PREFIXES):
                    return self.get_response(request)  # e.g. the login page itself
                if _is_fetch(request):
                    return JsonResponse(
                        {"error": _("登录已过期，请重新登录；您输入的内容仍保留在页面上")},
                        status=401,
                    )
                login = reverse("accounts:login")
                return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
            # Written at most every 30 s: not a session write on every autosave.
            refresh = min(30.0, minutes * 15)
            stale = last is None or now - float(last) > refresh
            if stale and request.path != reverse("accounts:session_status"):
                request.session[self.KEY] = now
        return self.get_response(request)


class SingleSessionMiddleware:
    """With ZEREN_SINGLE_SESSION, a new login ends the user's earlier sessions."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if settings.ZEREN_SINGLE_SESSION and user is not None and user.is_authenticated:
            from zeren.security.models import ActiveSession

            active = ActiveSession.objects.filter(user=user).values_list("session_key", flat=True)
            key = next(iter(active), None)
            if key and key != request.session.session_key:
                logout(request)
                if _is_fetch(request):
                    return JsonResponse({"error": _("您已在其他地方登录")}, status=401)
                return redirect("accounts:login")
        return self.get_response(request)


class SecondFactorMiddleware:
    """Organizers, reviewers and administrators confirm a one-time code before anything else."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from zeren.security.otp import needs_second_factor

        user = getattr(request, "user", None)
        if (
            settings.ZEREN_REQUIRE_OTP
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
            and (needs_second_factor(user) or request.session.get("zeren_has_otp"))
        ):
            if _is_fetch(request):
                return JsonResponse({"error": _("请先完成两步验证")}, status=401)
            url = reverse("accounts:otp")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """A password older than ZEREN_PASSWORD_MAX_AGE_DAYS must be changed before anything else."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from zeren.security.passwords import password_expired

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and password_expired(user)
        ):
            if _is_fetch(request):
                return JsonResponse({"error": _("密码已过期，请先修改密码")}, status=401)
            return redirect("accounts:password_change")
        return self.get_response(request)
