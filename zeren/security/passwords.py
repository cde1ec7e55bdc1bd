"""The password policy (身份鉴别): three of four character classes, not the username, not one of
the last five; every change remembered so expiry and history can be enforced."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def _classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassesValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if _classes(password) < 3:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少三类"), code="password_classes"
            )

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少三类")


class NotContainingUsernameValidator:
    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError(_("密码不能包含用户名"), code="password_has_username")

    def get_help_text(self) -> str:
        return _("密码不能包含用户名")


class NotRecentlyUsedValidator:
    """Not one of the last ZEREN_PASSWORD_HISTORY passwords; records each change."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from zeren.security.models import PasswordHistory

        recent = PasswordHistory.objects.filter(user_id=user.pk)[: settings.ZEREN_PASSWORD_HISTORY]
        if any(check_password(password, h.password) for h in recent):
            raise ValidationError(
                _("新密码不能与最近 %(n)d 次使用过的密码相同")
                % {"n": settings.ZEREN_PASSWORD_HISTORY},
                code="password_reused",
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from zeren.accounts.models import User
        from zeren.security.models import PasswordHistory

        now = timezone.now()
        PasswordHistory.objects.create(user_id=user.pk, password=user.password, at=now)
        keep = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[
                : settings.ZEREN_PASSWORD_HISTORY
            ]
        )
        PasswordHistory.objects.filter(user_id=user.pk).exclude(pk__in=keep).delete()
        User.objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now

    def get_help_text(self) -> str:
        return _("新密码不能与最近 %(n)d 次使用过的密码相同") % {
            "n": settings.ZEREN_PASSWORD_HISTORY
        }


def password_expired(user: Any) -> bool:
    days = settings.ZEREN_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or getattr(user, "password_never_expires", True):
        return False
    changed = getattr(user, "password_changed_at", None)
    return changed is not None and changed < timezone.now() - timedelta(days=days)
