import json
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from zeren.accounts.models import Enterprise, Invitation, Membership, User


class MembershipInline(admin.TabularInline[Membership, Any]):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    """Users are deactivated, never deleted: their audit events keep a named actor."""

    list_display = ("username", "display_name", "email", "is_active", "last_login")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Zeren"), {"fields": ("display_name", "password_changed_at")}),
    )
    readonly_fields = ("password_changed_at", "last_login", "date_joined")
    inlines = [MembershipInline]
    actions = ["deactivate", "export_personal_data", "erase_personal_data"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("导出所选用户的个人信息"))
    def export_personal_data(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse:
        from zeren.audit.log import record
        from zeren.security.privacy import export_person

        data = []
        for user in queryset:
            data.append(export_person(user))
            record(request.user, "account.exported", user)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response

    @admin.action(description=_("删除所选用户的个人信息（匿名化，保留审计记录）"))
    def erase_personal_data(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        from zeren.security.privacy import erase_person

        for user in queryset:
            erase_person(user, by=request.user)
        messages.success(request, _("已删除个人信息"))

    @admin.action(description=_("停用所选用户"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        from zeren.audit.log import record

        for user in queryset.filter(is_active=True):
            user.is_active = False
            user.save(update_fields=["is_active"])
            record(
                request.user,
                "admin.changed",
                user,
                before={"is_active": True},
                after={"is_active": False},
            )


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin[Enterprise]):
    list_display = (
        "name",
        "credit_code",
        "segment",
        "contact_name",
        "contact_email",
        "contact_phone",
    )
    list_filter = ("segment",)
    search_fields = ("name", "credit_code")
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ("email", "enterprise", "role", "created_at", "expires_at", "accepted_at")
    exclude = ("token_hash",)
    readonly_fields = ("accepted_at", "accepted_by", "created_by")
