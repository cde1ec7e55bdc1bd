"""State changes of the results side: 整改 items (each with its audit event, one transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zeren.assessments.models import SelfAssessment
from zeren.assessments.services import ServiceError
from zeren.audit.log import record
from zeren.reports.models import ImprovementAction

FIELDS = ("action", "owner", "due_date", "status")


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    action = str(changes.get("action", "")).strip()
    owner = str(changes.get("owner", "")).strip()
    if not action:
        raise ServiceError(_("请填写整改措施"))
    if not owner:
        raise ServiceError(_("请填写责任人"))
    status = changes.get("status") or ImprovementAction.Status.PLANNED
    if status not in ImprovementAction.Status.values:
        raise ServiceError(_("整改状态无效"))
    due = changes.get("due_date")
    if due is not None and not isinstance(due, dt.date):
        raise ServiceError(_("完成期限无效"))
    return {"action": action[:2000], "owner": owner[:100], "due_date": due, "status": status}


def _snapshot(a: ImprovementAction) -> dict[str, Any]:
    return {
        "indicator": a.indicator,
        "action": a.action,
        "owner": a.owner,
        "due_date": a.due_date.isoformat() if a.due_date else None,
        "status": a.status,
    }


def create_action(
    *,
    assessment: SelfAssessment,
    indicator: int,
    indicator_name: str,
    by: Any,
    changes: dict[str, Any],
) -> ImprovementAction:
    data = _clean(changes)
    with transaction.atomic():
        a = ImprovementAction.objects.create(
            enterprise_id=assessment.enterprise_id,
            self_assessment=assessment,
            indicator=indicator,
            indicator_name=indicator_name,
            created_by=by,
            **data,
        )
        record(by, "improvement.created", a, after=_snapshot(a), self_assessment=assessment)
    return a


def update_action(
    *, action: ImprovementAction, by: Any, changes: dict[str, Any]
) -> ImprovementAction:
    data = _clean(changes)
    with transaction.atomic():
        a = ImprovementAction.objects.select_for_update().get(pk=action.pk)
        before = _snapshot(a)
        for k, v in data.items():
            setattr(a, k, v)
        a.save()
        record(
            by,
            "improvement.updated",
            a,
            before=before,
            after=_snapshot(a),
            self_assessment=a.self_assessment,
        )
    return a


def earlier_actions(sa: SelfAssessment) -> dict[int, list[ImprovementAction]]:
    """The enterprise's 整改 items from earlier campaigns, by the indicator of this form they
    concern (through the framework mapping when the versions differ), for showing beside it."""
    from zeren.frameworks.mapping import map_numbers

    out: dict[int, list[ImprovementAction]] = {}
    for a in (
        ImprovementAction.objects.filter(enterprise_id=sa.enterprise_id)
        .exclude(self_assessment__campaign_id=sa.campaign_id)
        .filter(self_assessment__campaign__year__lt=sa.campaign.year)
        .select_related("self_assessment__campaign__framework")
        .order_by("indicator", "pk")
    ):
        old_fw = a.self_assessment.campaign.framework
        for number in map_numbers(old_fw, sa.campaign.framework, a.indicator):
            out.setdefault(number, []).append(a)
    return out


NARRATIVE_KEYS = ("overview", "problems", "suggestions")


def save_report_settings(
    *,
    campaign: Any,
    by: Any,
    narratives: dict[str, str],
    cases: list[tuple[int, int]],
    name_enterprises: bool,
) -> None:
    """The organizer's texts, picked typical cases and whether named scores go in the report."""
    from zeren.reports.models import CampaignResults

    with transaction.atomic():
        state, _created = CampaignResults.objects.select_for_update().get_or_create(
            campaign=campaign
        )
        before = {"narratives": state.narratives, "name_enterprises": state.name_enterprises}
        data = {k: str(narratives.get(k, ""))[:20000] for k in NARRATIVE_KEYS}
        data["cases"] = [{"self_assessment": sa, "indicator": n} for sa, n in cases[:50]]  # type: ignore[assignment]
        state.narratives = data
        state.name_enterprises = name_enterprises
        state.save(update_fields=["narratives", "name_enterprises"])
        record(
            by,
            "results.report_settings_saved",
            campaign,
            before=before,
            after={"narratives": data, "name_enterprises": name_enterprises},
        )
