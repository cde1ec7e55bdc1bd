"""The JSON answer every autosave endpoint gives (answers, the cover, reviewers' ratings)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from zeren.assessments.services import Conflict, ServiceError


def level_from_post(raw: str) -> tuple[int | None, str]:
    """A level from a form field: (level or None for ""), or an error message."""
    if raw == "":
        return None, ""
    try:
        return int(raw), ""
    except ValueError:
        return None, _("请选择 1 到 5 中的一个等级")


def run_save(
    save: Callable[[], Any],
    mine: dict[str, Any],
    *,
    live: Callable[[Any], dict[str, Any]] | None = None,
) -> tuple[int, dict[str, Any], Any]:
    """Runs one save under the editor's rule: (200, new version, the saved row); (409, both
    versions, None) when someone saved first; (400, the reason, None) when refused.

    The web's autosave and the REST API answer from this one function. `live` gives what the
    page shows that the save changed (`{"evidence-needed": True}`): the editor's script updates
    the elements marked `data-live="evidence-needed"` without a reload."""
    try:
        saved = save()
    except Conflict as exc:
        return (
            409,
            {
                "conflict": True,
                "message": exc.message,
                "theirs": exc.current,
                "mine": mine,
                "version": exc.version,
            },
            None,
        )
    except ServiceError as exc:
        body: dict[str, Any] = {"error": exc.message}
        if exc.field:
            body["field"] = exc.field
        return 400, body, None
    ok: dict[str, Any] = {
        "ok": True,
        "version": saved.version,
        "saved_at": timezone.localtime(saved.updated_at).strftime("%H:%M:%S"),
    }
    if live is not None:
        ok["live"] = live(saved)
    return 200, ok, saved


def autosave_response(
    save: Callable[[], Any],
    mine: dict[str, Any],
    *,
    live: Callable[[Any], dict[str, Any]] | None = None,
) -> JsonResponse:
    """Runs one save: 200 with the new version, 409 with both versions, 400 with the reason."""
    status, body, _saved = run_save(save, mine, live=live)
    return JsonResponse(body, status=status)
