from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from zeren.accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """Log in with a username or an e-mail address; failures count towards the lockout."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        from zeren.audit.context import client_address
        from zeren.audit.log import record
        from zeren.security import lockout

        if not username or password is None:
            return None
        login = username.strip()
        if "@" in login:
            user = User.objects.filter(email__iexact=login).order_by("pk").first()
        else:
            user = User.objects.filter(username=login).first()
        key = user.username if user is not None else login
        address = client_address(request) if request is not None else None
        if lockout.is_locked(key, address):
            User().set_password(password)  # same cost and the same answer as a wrong password
            record(
                None,
                "auth.login_refused_locked",
                user,
                result="failure",
                object_type="accounts.user",
                object_id=login[:50],
                after={"login": login[:100]},
            )
            return None
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
        elif user.check_password(password) and self.user_can_authenticate(user):
            lockout.clear_account(user.username)
            return user
        locks = lockout.add_failure(key, address)
        record(
            None,
            "auth.login_failed",
            user,
            result="failure",
            object_type="accounts.user",
            object_id=login[:50],
            after={"login": login[:100]},
        )
        if locks:
            record(
                None,
                "auth.locked_out",
                user,
                result="failure",
                object_type="accounts.user",
                object_id=login[:50],
                after={"login": login[:100], "address": address},
            )
        return None
