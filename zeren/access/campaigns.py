"""Campaigns (评估工作): organizers see all; enterprise people those they take part in."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from zeren.access.assessments import self_assessments_visible_to
from zeren.accounts.roles import is_organizer
from zeren.campaigns.models import Campaign


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    if is_organizer(user):
        return Campaign.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Campaign.objects.none()
    return Campaign.objects.filter(
        self_assessments__in=self_assessments_visible_to(user)
    ).distinct()


def get_campaign_for_user(user: Any, pk: int, *, manage: bool = False) -> Campaign:
    campaign = campaigns_visible_to(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    if manage and not is_organizer(user):
        raise PermissionDenied
    return campaign
