"""Length limits of every free-text field (入侵防范): refused above the limit by the services,
shown with a counter in the page (maxlength + zeren.js)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

TEXT_LIMITS: dict[str, int] = {
    # an answer
    "work_summary": 5000,
    "remarks": 1000,
    # the cover
    "enterprise_name": 200,
    "business_scope": 200,
    "contact_person": 100,
    "contact_info": 200,
    "pledge_lead": 100,
    # evidence
    "title": 200,
    "note": 500,
    "text": 5000,
    # comments, reviews, returns, conflicts
    "body": 2000,
    "comment": 2000,
    "message": 2000,
    "reason": 1000,
    "instructions": 5000,
}


class TextTooLong(Exception):
    def __init__(self, field: str, limit: int):
        self.field, self.limit = field, limit
        self.message = _("内容过长：最多 %(n)d 个字") % {"n": limit}
        super().__init__(self.message)


def check_lengths(values: dict[str, Any]) -> None:
    """Raises TextTooLong for the first text value longer than its field's limit."""
    for field, value in values.items():
        limit = TEXT_LIMITS.get(field)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            raise TextTooLong(field, limit)
