"""Creating, checking and revoking API tokens; each change audited with the token's name."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zeren.accounts.models import User
from zeren.api.models import ApiToken
from zeren.assessments.services import ServiceError
from zeren.audit.log import record

PREFIX = "zrn_"
MAX_DAYS = 3650
# last_used_at is written at most once a minute per token, not on every request.
TOUCH_EVERY = dt.timedelta(seconds=60)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    *, user: User, name: str, scope: str, expires_days: int | None, by: User
) -> tuple[ApiToken, str]:
    """A new token for user; returns (row, the token itself), which is never stored."""
    name = name.strip()
    if not name:
        raise ServiceError(_("请为令牌命名"))
    if len(name) > 100:
        raise ServiceError(_("令牌名称不能超过 100 个字符"))
    if scope not in ApiToken.Scope.values:
        raise ServiceError(_("权限只能是只读（read）或读写（write）"))
    if expires_days is not None and not 1 <= expires_days <= MAX_DAYS:
        raise ServiceError(_("有效期应为 1 到 %(n)d 天") % {"n": MAX_DAYS})
    plain = PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=expires_days) if expires_days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            scope=scope,
            token_hash=hash_token(plain),
            prefix=plain[:10],
            expires_at=expires_at,
        )
        record(
            by,
            "api_token.created",
            token,
            after={
                "token": name,
                "user": user.username,
                "scope": scope,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    return token, plain


def revoke_token(*, token: ApiToken, by: User) -> None:
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            return
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        token.revoked_at = locked.revoked_at
        record(by, "api_token.revoked", locked, after={"token": locked.name})


def token_for(plain: str) -> ApiToken | None:
    """The active token with this value, its user loaded; None when unknown, expired or revoked."""
    if not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(plain), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not token.is_active():
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def record_write(token: ApiToken, method: str, path: str, status: int) -> None:
    """A successful write made with a token, audited with its name."""
    record(
        token.user,
        "api_token.used_for_write",
        token,
        after={"token": token.name, "method": method, "path": path, "status": status},
    )
