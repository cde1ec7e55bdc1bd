from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from zeren.accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """Log in with a username or an e-mail address."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        login = username.strip()
        if "@" in login:
            user = User.objects.filter(email__iexact=login).order_by("pk").first()
        else:
            user = User.objects.filter(username=login).first()
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
