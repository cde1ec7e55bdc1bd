"""The admin's shared pieces."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ReadOnly:
    """Records the admin shows and nobody changes there: immutable ones (submissions, the audit
    log) and ones that change only another way (frameworks, as new versions)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
