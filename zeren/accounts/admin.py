from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from zeren.accounts.models import Enterprise, Invitation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "email", "is_active", "last_login")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Zeren"), {"fields": ("display_name",)}))  # type: ignore[misc]
    inlines = [MembershipInline]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
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
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "enterprise", "role", "created_at", "expires_at", "accepted_at")
    exclude = ("token_hash",)
    readonly_fields = ("accepted_at", "accepted_by", "created_by")
