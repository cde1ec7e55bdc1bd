"""API tokens: a person's own, nobody else's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from zeren.api.models import ApiToken


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    """A person's own API tokens; nobody sees another's."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def get_api_token_for_user(user: Any, pk: int) -> ApiToken:
    token = api_tokens_of(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token
