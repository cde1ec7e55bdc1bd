"""Login failures (lockout), password history and the one active session of a user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginFailure(models.Model):
    """One failed login; counted per account and per address over a sliding window."""

    username = models.CharField(_("用户名"), max_length=254, db_index=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.address or ''} {self.at:%Y-%m-%d %H:%M}"


class PasswordHistory(models.Model):
    """The hashes of a user's last passwords: a new password may not be one of them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d}"


class ActiveSession(models.Model):
    """The session a user logged in with last (for the optional single active session)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="active_session"
    )
    session_key = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id} {self.session_key[:6]}…"
