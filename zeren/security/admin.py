"""The security models in the admin (the 安全管理员's), and 三员分立 over the whole admin.

This module is imported last by admin autodiscovery (zeren.security is the last app), so every
ModelAdmin registered before it is hardened here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zeren.security import lockout
from zeren.security.admin_policy import harden
from zeren.security.models import LoginFailure


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin[LoginFailure]):
    list_display = ("username", "address", "at")
    search_fields = ("username", "address")
    actions = ["unlock"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("解除锁定（所选账号和地址）"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[LoginFailure]) -> None:
        from zeren.audit.log import record

        n = 0
        for username, address in set(queryset.values_list("username", "address")):
            n += lockout.unlock(username=username, address=address)
            record(
                request.user,
                "auth.unlocked",
                None,
                object_type="accounts.user",
                object_id=username[:50],
                after={"username": username, "address": address},
            )
        messages.success(request, _("已解除锁定"))


harden(admin.site)
