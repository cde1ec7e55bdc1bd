"""Many enterprises in a campaign, made the way the services make them."""

from __future__ import annotations

from tests.campaigns.conftest import code
from zeren.accounts.models import Enterprise, User
from zeren.assessments import services
from zeren.assessments.models import Answer, SelfAssessment
from zeren.campaigns.models import Campaign


def populate(campaign: Campaign, n: int, by: User, *, start: int = 100) -> list[SelfAssessment]:
    """n enterprises, each with a self-assessment; every third has two indicators rated."""
    out = []
    for i in range(start, start + n):
        e = Enterprise.objects.create(name=f"企业{i:04d}", credit_code=code(i))
        sa = services.create_self_assessment(
            campaign=campaign, enterprise=e, business_scope="平台业务", by=by
        )
        if i % 3 == 0:
            for a in Answer.objects.filter(self_assessment=sa, indicator__number__in=(1, 4)):
                services.save_answer(
                    answer=a, by=by, expected_version=a.version, changes={"level": 2}
                )
        out.append(sa)
    return out
