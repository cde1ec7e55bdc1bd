"""API personas: a token for each, and a client that sends it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zeren.accounts.models import User
from zeren.api import tokens


class ApiClient:
    """django.test.Client with a bearer token and JSON bodies."""

    def __init__(self, token: str | None, language: str = "zh-hans"):
        self.client = Client()
        self.headers: dict[str, str] = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method: str, path: str, body: Any = None, **kw: Any) -> Any:
        fn = getattr(self.client, method)
        if body is not None:
            kw.setdefault("content_type", "application/json")
            return fn("/api/v1" + path, body, headers=self.headers, **kw)
        return fn("/api/v1" + path, headers=self.headers, **kw)

    def get(self, path: str, **kw: Any) -> Any:
        return self._call("get", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self._call("post", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self._call("put", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self._call("patch", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self._call("delete", path, **kw)


def token_for(user: User, scope: str = "write") -> str:
    _row, plain = tokens.create_token(
        user=user, name=f"{user.username}-{scope}", scope=scope, expires_days=30, by=user
    )
    return plain


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Any:
    """Each test starts with every token's allowance whole (the throttle counts in the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_as():  # type: ignore[no-untyped-def]
    def make(user: User | None, scope: str = "write", language: str = "zh-hans") -> ApiClient:
        return ApiClient(token_for(user, scope) if user else None, language)

    return make


def submitted_elsewhere(assessment: Any, alice: User, olga: User, rita: User) -> Any:
    """A's second self-assessment, in another campaign, submitted (frozen as it stands, without
    filling every indicator: quick) with one evidence file, and rita assigned to review it."""
    from django.db import transaction

    from tests.assessments.helpers import pdf_upload
    from zeren.assessments import services, submissions
    from zeren.assessments.snapshot import form_from_assessment
    from zeren.assessments.uploads import store_upload
    from zeren.campaigns.models import Campaign
    from zeren.reviews import services as review_services

    other = Campaign.objects.create(
        framework=assessment.campaign.framework,
        title="2025年度自评",
        year=2025,
        status=Campaign.Status.OPEN,
        opens_at=assessment.campaign.opens_at,
        closes_at=assessment.campaign.closes_at,
    )
    sa = services.create_self_assessment(
        campaign=other, enterprise=assessment.enterprise, business_scope="搜索", by=alice
    )
    stored, _created = store_upload(assessment=sa, upload=pdf_upload(), by=alice)
    services.save_evidence_item(
        answer=sa.answers.get(indicator__number=1), by=alice, title="制度", files=[stored]
    )
    with transaction.atomic():
        submission = submissions.freeze_submission(sa, form_from_assessment(sa), by=alice)
    review_services.assign_reviewer(assessment=sa, reviewer=rita, by=olga)
    return submission
