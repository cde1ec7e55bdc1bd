"""Invitations: create, send, accept."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zeren.accounts.models import Enterprise, Invitation, Membership, User
from zeren.audit.log import record


class InvitationError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def invite_member(
    *, enterprise: Enterprise | None, email: str, name: str, role: str, by: User | None
) -> tuple[Invitation, str]:
    """Creates an invitation and e-mails its link; returns (invitation, link)."""
    token, token_hash = Invitation.new_token()
    with transaction.atomic():
        inv = Invitation.objects.create(
            enterprise=enterprise,
            email=email.strip(),
            name=name.strip(),
            role=role,
            token_hash=token_hash,
            created_by=by,
            expires_at=Invitation.default_expiry(),
        )
        record(by, "invitation.created", inv, after={"email": inv.email, "role": inv.role})
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:accept_invitation", args=[token])
    who = enterprise.name if enterprise else _("主办方")
    transaction.on_commit(
        lambda: send_mail(
            subject=_("邀请您加入 Zeren 自评填报（%(who)s）") % {"who": who},
            message=_(
                "%(name)s，您好：\n\n请打开下面的链接设置密码并登录（14 天内有效）：\n%(link)s\n"
            )
            % {"name": name, "link": link},
            from_email=None,
            recipient_list=[email],
        )
    )
    return inv, link


def accept_invitation(*, token: str, username: str, display_name: str, password: str) -> User:
    with transaction.atomic():
        inv = (
            Invitation.objects.select_for_update()
            .filter(token_hash=Invitation.hash_token(token))
            .first()
        )
        if inv is None or not inv.is_usable():
            raise InvitationError(_("邀请链接无效或已过期，请联系管理员重新发送"))
        user = User.objects.create_user(
            username=username, email=inv.email, password=password, display_name=display_name
        )
        Membership.objects.create(user=user, enterprise=inv.enterprise, role=inv.role)
        inv.accepted_at = timezone.now()
        inv.accepted_by = user
        inv.save(update_fields=["accepted_at", "accepted_by"])
        record(user, "invitation.accepted", inv, after={"email": inv.email, "role": inv.role})
    return user
