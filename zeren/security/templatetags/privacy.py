from __future__ import annotations

from django import template

from zeren.security import privacy

register = template.Library()


@register.filter
def mask_email(value: str) -> str:
    return privacy.mask_email(value or "")


@register.filter
def mask_phone(value: str) -> str:
    return privacy.mask_phone(value or "")
