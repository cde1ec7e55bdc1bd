"""Self-service security pages: the second step of the login, password change and reset,
the session keep-alive of the idle-timeout warning."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView, PasswordResetConfirmView
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from zeren.audit.context import client_address
from zeren.audit.log import record
from zeren.lib.http import AuthedRequest
from zeren.lib.http import safe_next as _safe_next
from zeren.security import lockout, otp


class OtpForm(forms.Form):
    otp_token = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def safe_next(request: AuthedRequest, fallback: str = "home") -> str:
    return _safe_next(request, reverse(fallback))


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: AuthedRequest) -> HttpResponse:
    """Enrol (QR code, first login) or confirm a code; recovery codes are shown once."""
    user = request.user
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(safe_next(request))
    device = otp.confirmed_totp(user)
    enrolling = device is None
    pending = otp.pending_totp(user) if enrolling else None
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["otp_token"]
        if pending is not None:
            codes = otp.confirm_enrolment(pending, token)
            if codes is not None:
                otp_login(request, pending)
                record(user, "otp.enrolled", user)
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next": safe_next(request)},
                )
        else:
            matched = otp.check_code(user, token)
            if matched is not None:
                otp_login(request, matched)
                record(user, "otp.verified", user, after={"device": matched.name})
                return redirect(safe_next(request))
        address = client_address(request)
        locks = lockout.add_failure(user.username, address)
        record(user, "otp.failed", user, result="failure")
        if locks or lockout.is_locked(user.username, address):
            record(None, "auth.locked_out", user, result="failure")
            logout(request)
            messages.error(request, _("验证码不正确"))
            return redirect("accounts:login")
        form.add_error("otp_token", _("验证码不正确"))
    context = {"form": form, "enrolling": enrolling, "next": request.GET.get("next", "")}
    if pending is not None:
        context |= {"qr": otp.qr_svg(pending), "secret": otp.base32_secret(pending)}
    return render(request, "accounts/otp.html", context)


class ZerenPasswordChangeView(PasswordChangeView):
    template_name = "accounts/password_change.html"

    def get_success_url(self) -> str:
        return reverse("home")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        record(self.request.user, "auth.password_changed", form.user)
        messages.success(self.request, _("密码已修改"))
        return response


@require_POST
def session_keepalive(request: AuthedRequest) -> HttpResponse:
    """Called by the idle warning's “continue” button: any request counts as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"ok": False}, status=401)
    return JsonResponse({"ok": True})


def session_status(request: AuthedRequest) -> HttpResponse:
    """Whether the session is still alive (does not count as activity)."""
    return JsonResponse({"ok": request.user.is_authenticated})


class ZerenPasswordResetConfirmView(PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    post_reset_login = False

    def get_success_url(self) -> str:
        return reverse("accounts:login")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        record(None, "auth.password_reset", form.user)
        lockout.clear_account(form.user.username)
        messages.success(self.request, _("密码已重设，请用新密码登录"))
        return response
