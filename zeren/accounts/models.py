from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zeren.accounts.credit_code import credit_code_error


def validate_credit_code(value: str) -> None:
    error = credit_code_error(value)
    if error:
        raise ValidationError(error, code="credit_code")


class User(AbstractUser):
    """A person; what they may do comes from their memberships."""

    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    # Demo data only: the demo accounts' published password does not expire.
    password_never_expires = models.BooleanField(_("密码永不过期"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class Segment(models.TextChoices):
    """平台类型: the peer group an enterprise is compared with."""

    ECOMMERCE = "电商", _("电商")
    SHORT_VIDEO = "短视频", _("短视频")
    RIDE_HAILING = "网约车", _("网约车")
    SOCIAL = "社交", _("社交")
    LOCAL_SERVICES = "本地生活", _("本地生活")
    SEARCH = "搜索", _("搜索")
    FOOD_DELIVERY = "外卖", _("外卖")
    GAMES = "游戏", _("游戏")
    OTHER = "其他", _("其他")


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    segment = models.CharField(
        _("平台类型"), max_length=16, choices=Segment.choices, blank=True, db_index=True
    )
    contact_name = models.CharField(_("联系人"), max_length=100, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.credit_code = self.credit_code.strip().upper()
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    ORGANIZER = "organizer", _("主办方")
    REVIEWER = "reviewer", _("评审专家")
    ENTERPRISE_ADMIN = "enterprise_admin", _("企业管理员")
    ENTERPRISE_MEMBER = "enterprise_member", _("企业成员")
    # 三员分立: the three administrators of 等保2.0, none of whom sees the others' work.
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


ENTERPRISE_ROLES = (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_MEMBER)
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
SITE_ROLES = ("organizer", "reviewer", "system_admin", "security_admin", "audit_admin")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="memberships", null=True, blank=True
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("成员身份")
        verbose_name_plural = _("成员身份")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "enterprise", "role"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        role__in=["enterprise_admin", "enterprise_member"], enterprise__isnull=False
                    )
                    | models.Q(role__in=SITE_ROLES, enterprise__isnull=True)
                ),
                name="membership_enterprise_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}" + (
            f" · {self.enterprise}" if self.enterprise else ""
        )


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A link that lets a new member set a password; only the token's hash is stored."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="invitations", null=True, blank=True
    )
    email = models.EmailField(_("邮箱"))
    name = models.CharField(_("姓名"), max_length=100, blank=True)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("邀请")
        verbose_name_plural = _("邀请")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @staticmethod
    def hash_token(token: str) -> str:
        return _hash_token(token)

    @staticmethod
    def default_expiry() -> datetime:
        return timezone.now() + timedelta(days=14)

    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
