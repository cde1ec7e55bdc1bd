"""Security events into the audit log: login, logout, password changes, role changes."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from zeren.accounts.models import Membership
from zeren.audit.context import current_client


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from zeren.audit.log import record
    from zeren.security.models import ActiveSession

    record(user, "auth.login", user)
    if request is not None and getattr(request, "session", None) is not None:
        # The idle clock starts at login (no session write on the first page).
        request.session["zeren_last_seen"] = time.time()
        # Someone who enrolled voluntarily (an enterprise admin) is asked for the code too.
        from zeren.security.otp import confirmed_totp

        request.session["zeren_has_otp"] = confirmed_totp(user) is not None
        if not request.session.session_key:
            request.session.save()
        ActiveSession.objects.update_or_create(
            user=user, defaults={"session_key": request.session.session_key or ""}
        )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from zeren.audit.log import record

    if user is not None:
        record(user, "auth.logout", user)


@receiver(post_save, sender=Membership)
def _role_granted(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    from zeren.audit.log import record

    if created:
        record(
            current_client().user,
            "account.role_granted",
            instance.user,
            after={"role": instance.role, "enterprise": instance.enterprise_id},
        )


@receiver(post_delete, sender=Membership)
def _role_revoked(sender: Any, instance: Membership, **kwargs: Any) -> None:
    from zeren.audit.log import record

    record(
        current_client().user,
        "account.role_revoked",
        instance.user,
        before={"role": instance.role, "enterprise": instance.enterprise_id},
    )
