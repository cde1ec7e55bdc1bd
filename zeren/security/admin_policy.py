"""三员分立 in the Django admin, applied to every registered ModelAdmin.

- 系统管理员 manages users, roles and enterprises; 安全管理员 unlocks accounts and resets second
  factors; 审计管理员 reads the audit log (and nothing else); the organizer keeps campaign data.
- Never changeable by anyone, superusers included: submissions, answers and evidence of a form
  that is no longer a draft, ratings and settlements, stored files, the audit log. Users are
  deactivated, never deleted, so every audit event keeps its actor.
- Every change made in the admin is an audit event with before and after.
"""

from __future__ import annotations

from types import MethodType
from typing import Any

from django.contrib import admin
from django.db import models
from django.forms.models import model_to_dict
from django.http import HttpRequest

from zeren.accounts.models import Role

VIEW, CHANGE = "view", "change"

ROLE_MODELS: dict[str, dict[str, str]] = {
    Role.SYSTEM_ADMIN: {
        "accounts.user": CHANGE,
        "accounts.membership": CHANGE,
        "accounts.enterprise": CHANGE,
        "accounts.invitation": CHANGE,
    },
    Role.SECURITY_ADMIN: {
        "security.loginfailure": CHANGE,
        "otp_totp.totpdevice": CHANGE,
        "otp_static.staticdevice": CHANGE,
        "accounts.user": VIEW,
    },
    Role.AUDIT_ADMIN: {"audit.auditevent": VIEW},
    Role.ORGANIZER: {
        "campaigns.campaign": CHANGE,
        "assessments.selfassessment": VIEW,
        "assessments.answer": CHANGE,
        "assessments.storedfile": VIEW,
        "assessments.submission": VIEW,
        "assessments.revisionrequest": VIEW,
        "reviews.reviewassignment": VIEW,
        "reviews.reviewrating": VIEW,
        "reviews.settlement": VIEW,
        "documents.documentjob": VIEW,
        "documents.importbatch": VIEW,
        "frameworks.framework": VIEW,
        "frameworks.area": VIEW,
        "frameworks.topic": VIEW,
        "frameworks.indicator": VIEW,
    },
}

# Whatever the role: never changed in the admin.
ALWAYS_READ_ONLY = {
    "assessments.submission",
    "assessments.storedfile",
    "audit.auditevent",
    "reviews.reviewrating",
    "reviews.settlement",
}
NEVER_DELETED = {"accounts.user"}


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def role_allows(user: Any, label: str, wanted: str) -> bool:
    from zeren.accounts.roles import roles

    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    for role in roles(user):
        level = ROLE_MODELS.get(role, {}).get(label)
        if level == CHANGE or (level == VIEW and wanted == VIEW):
            return True
    return False


def frozen(obj: Any) -> bool:
    """An object that belongs to a form no longer editable (submitted, accepted …)."""
    from zeren.assessments.models import Answer, EvidenceItem, SelfAssessment

    sa = None
    if isinstance(obj, SelfAssessment):
        sa = obj
    elif isinstance(obj, Answer):
        sa = obj.self_assessment
    elif isinstance(obj, EvidenceItem):
        sa = obj.answer.self_assessment
    return sa is not None and not sa.is_editable()


def _snapshot(obj: models.Model) -> dict[str, Any]:
    data = model_to_dict(obj)
    data.pop("password", None)
    return {k: (list(v) if isinstance(v, set | tuple) else v) for k, v in data.items()}


def _overridden(model_admin: Any, name: str) -> bool:
    base = (
        admin.options.InlineModelAdmin
        if isinstance(model_admin, admin.options.InlineModelAdmin)
        else admin.ModelAdmin
    )
    return getattr(type(model_admin), name) is not getattr(base, name)


def _harden(model_admin: Any) -> None:
    """Replaces the four permission checks by the role policy (a class's own stricter rule,
    such as lib.admin.ReadOnly, still applies); audits saves and deletes."""
    if getattr(model_admin, "_zeren_hardened", False):
        return
    model_admin._zeren_hardened = True
    label = _label(model_admin.model)
    own = {
        name: getattr(model_admin, name)
        for name in (
            "has_view_permission",
            "has_add_permission",
            "has_change_permission",
            "has_delete_permission",
        )
        if _overridden(model_admin, name)
    }

    def can_write(request: HttpRequest, obj: Any) -> bool:
        if label in ALWAYS_READ_ONLY or not role_allows(request.user, label, CHANGE):
            return False
        return not (obj is not None and frozen(obj))

    def has_view(self: Any, request: HttpRequest, obj: Any = None) -> bool:
        if not role_allows(request.user, label, VIEW):
            return False
        return own["has_view_permission"](request, obj) if "has_view_permission" in own else True

    inline = isinstance(model_admin, admin.options.InlineModelAdmin)

    def has_add(self: Any, request: HttpRequest, obj: Any = None) -> bool:
        if not can_write(request, obj):
            return False
        if "has_add_permission" not in own:
            return True
        return bool(
            own["has_add_permission"](request, obj)
            if inline
            else own["has_add_permission"](request)
        )

    def has_change(self: Any, request: HttpRequest, obj: Any = None) -> bool:
        if not can_write(request, obj):
            return False
        return (
            own["has_change_permission"](request, obj) if "has_change_permission" in own else True
        )

    def has_delete(self: Any, request: HttpRequest, obj: Any = None) -> bool:
        if label in NEVER_DELETED or not can_write(request, obj):
            return False
        return (
            own["has_delete_permission"](request, obj) if "has_delete_permission" in own else True
        )

    if inline:
        # Inline checks receive the parent object.
        model_admin.has_add_permission = MethodType(has_add, model_admin)
    else:
        model_admin.has_add_permission = MethodType(
            lambda self, request: has_add(self, request, None), model_admin
        )
    model_admin.has_view_permission = MethodType(has_view, model_admin)
    model_admin.has_change_permission = MethodType(has_change, model_admin)
    model_admin.has_delete_permission = MethodType(has_delete, model_admin)
    if isinstance(model_admin, admin.ModelAdmin):
        _audit_changes(model_admin, label)
        orig_inlines = model_admin.get_inline_instances

        def get_inline_instances(self: Any, request: HttpRequest, obj: Any = None) -> list[Any]:
            instances = orig_inlines(request, obj)
            for i in instances:
                _harden(i)
            return instances

        model_admin.get_inline_instances = MethodType(get_inline_instances, model_admin)  # type: ignore[method-assign]


def _audit_changes(model_admin: admin.ModelAdmin, label: str) -> None:  # type: ignore[type-arg]
    orig_save = model_admin.save_model
    orig_delete = model_admin.delete_model

    def save_model(self: Any, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from zeren.audit.log import record

        before = None
        if change and obj.pk is not None:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = _snapshot(old) if old is not None else None
        orig_save(request, obj, form, change)
        after = _snapshot(obj)
        if before is not None:
            changed = {k for k in after if before.get(k) != after.get(k)}
            before = {k: before.get(k) for k in changed}
            after = {k: after[k] for k in changed}
        record(
            request.user,
            "admin.changed" if change else "admin.added",
            obj,
            before=before,
            after=after,
        )

    def delete_model(self: Any, request: HttpRequest, obj: Any) -> None:
        from zeren.audit.log import record

        record(request.user, "admin.deleted", obj, before=_snapshot(obj))
        orig_delete(request, obj)

    def delete_queryset(self: Any, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            delete_model(self, request, obj)

    model_admin.save_model = MethodType(save_model, model_admin)  # type: ignore[method-assign]
    model_admin.delete_model = MethodType(delete_model, model_admin)  # type: ignore[method-assign]
    model_admin.delete_queryset = MethodType(delete_queryset, model_admin)  # type: ignore[method-assign]


def harden(site: admin.AdminSite) -> None:
    for model_admin in site._registry.values():
        _harden(model_admin)
