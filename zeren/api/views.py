"""API 令牌: a person creates (shown once), lists and revokes their own tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zeren import access
from zeren.api import tokens
from zeren.api.models import ApiToken
from zeren.assessments.services import ServiceError
from zeren.lib.http import AuthedRequest, int_or_none


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthedRequest) -> HttpResponse:
    new_token = ""
    error = ""
    if request.method == "POST":
        raw_days = request.POST.get("expires_days", "").strip()
        days = int_or_none(raw_days) if raw_days else None
        try:
            if raw_days and days is None:
                raise ServiceError(_("有效期应为 1 到 %(n)d 天") % {"n": tokens.MAX_DAYS})
            _token, new_token = tokens.create_token(
                user=request.user,
                name=request.POST.get("name", ""),
                scope=request.POST.get("scope", ApiToken.Scope.READ),
                expires_days=days,
                by=request.user,
            )
        except ServiceError as exc:
            error = exc.message
    return render(
        request,
        "api/tokens.html",
        {
            "tokens": access.api_tokens_of(request.user),
            "new_token": new_token,
            "error": error,
            "scopes": ApiToken.Scope.choices,
            "status": 400 if error else 200,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = access.get_api_token_for_user(request.user, pk)
    tokens.revoke_token(token=token, by=request.user)
    messages.success(request, _("已撤销令牌“%(name)s”") % {"name": token.name})
    return redirect("api_tokens:list")
