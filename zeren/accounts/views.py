from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zeren import access
from zeren.accounts.forms import AcceptInvitationForm, InviteForm
from zeren.accounts.models import Invitation, User
from zeren.accounts.services import InvitationError, accept_invitation, invite_member
from zeren.lib.http import AuthedRequest


@require_http_methods(["GET", "POST"])
def accept_invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    inv = (
        Invitation.objects.filter(token_hash=Invitation.hash_token(token))
        .select_related("enterprise")
        .first()
    )
    if inv is None or not inv.is_usable():
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(User(), request.POST or None, initial={"display_name": inv.name})
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                token=token,
                username=form.cleaned_data["username"],
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["new_password1"],
            )
        except InvitationError as exc:
            messages.error(request, exc.message)
            return redirect("accounts:login")
        login(request, user, backend="zeren.security.backends.UsernameOrEmailBackend")
        messages.success(request, _("欢迎使用 Zeren，您的账号已设置完成"))
        return redirect("home")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invitation": inv})


@login_required
@require_http_methods(["GET", "POST"])
def members(request: AuthedRequest, enterprise_id: int) -> HttpResponse:
    enterprise = access.enterprises_visible_to(request.user).filter(pk=enterprise_id).first()
    if enterprise is None:
        from django.http import Http404

        raise Http404
    is_admin = access.is_enterprise_admin(request.user, enterprise.pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            invite_member(
                enterprise=enterprise,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
            # The link goes by e-mail only: never into a page, a flash message or a log.
            messages.success(
                request, _("已向 %(email)s 发送邀请") % {"email": form.cleaned_data["email"]}
            )
            return redirect("accounts:members", enterprise_id=enterprise.pk)
    people = access.colleagues(request.user, enterprise.pk).prefetch_related("memberships")
    invitations = Invitation.objects.filter(
        enterprise=enterprise, accepted_at__isnull=True
    ).order_by("-created_at")
    return render(
        request,
        "accounts/members.html",
        {
            "enterprise": enterprise,
            "people": people,
            "invitations": invitations,
            "form": form,
            "is_admin": is_admin,
        },
    )
