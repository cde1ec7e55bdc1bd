"""Who is reminded of a campaign's deadline: the admins of every enterprise whose
self-assessment is still a draft or returned (the reminder page and the reminder mails)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zeren.accounts.models import Membership, Role
from zeren.assessments.models import SelfAssessment
from zeren.campaigns.models import Campaign

SA = SelfAssessment.Status


@dataclass(frozen=True)
class PendingAssessment:
    enterprise_name: str
    business_scope: str
    status_label: str


@dataclass
class ReminderRecipient:
    user_id: int
    name: str
    email: str
    assessments: list[PendingAssessment] = field(default_factory=list)


def reminder_recipients(
    campaign: Campaign,
) -> tuple[list[ReminderRecipient], list[PendingAssessment]]:
    """Who gets a reminder: every active admin (with an e-mail) of an enterprise whose
    self-assessment is still a draft or returned; and the unsubmitted ones nobody can be
    reminded of (no admin yet). Two queries."""
    pending: dict[int, list[PendingAssessment]] = {}
    for name, scope, status, ent_id in (
        SelfAssessment.objects.filter(campaign=campaign, status__in=[SA.DRAFT, SA.RETURNED])
        .order_by("enterprise__name", "business_scope")
        .values_list("enterprise__name", "business_scope", "status", "enterprise_id")
    ):
        pending.setdefault(ent_id, []).append(PendingAssessment(name, scope, str(SA(status).label)))
    recipients: dict[int, ReminderRecipient] = {}
    reached: set[int] = set()
    memberships: Any = (
        Membership.objects.filter(
            enterprise_id__in=pending, role=Role.ENTERPRISE_ADMIN, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username")
    )
    for m in memberships:
        r = recipients.get(m.user_id)
        if r is None:
            r = recipients[m.user_id] = ReminderRecipient(m.user_id, str(m.user), m.user.email)
        r.assessments.extend(pending[m.enterprise_id])
        reached.add(m.enterprise_id)
    unreachable = [a for ent_id, items in pending.items() if ent_id not in reached for a in items]
    return list(recipients.values()), unreachable
