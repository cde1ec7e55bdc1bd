"""Every named route of the site, as a member of another enterprise and as a reviewer who is
not assigned: nothing of enterprise A answers 200, whatever the id."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.assessments.helpers import fill_completely
from zeren.accounts.models import Invitation
from zeren.accounts.services import invite_member
from zeren.api.tokens import create_token
from zeren.assessments import submissions
from zeren.documents.models import DocumentJob
from zeren.intake.models import ImportBatch, ImportItem, ScanCheck
from zeren.reviews import services as review_services

pytestmark = pytest.mark.django_db

# Pages that belong to whoever asks (their own home, their own review list).
OPEN_TO_EVERY_USER = {
    "home",
    "review:mine",
    "set_language",
    # Each person's own security pages (issue 10).
    "accounts:otp",
    "accounts:password_change",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:session_keepalive",
    "accounts:session_status",
    "ops:healthz",
    "ops:readyz",
    "ops:metrics",
    # Each person's own API tokens (issue 11).
    "api_tokens:list",
}
# The REST API answers bearer tokens, not sessions: tests/api/test_api_access.py tries each of
# its operations as every persona.
SKIP_NAMESPACES = {"admin", "api"}
SKIP = {"accounts:login", "accounts:logout", "accounts:accept_invitation"}


def _routes(resolver: URLResolver, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    out = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace in SKIP_NAMESPACES:
                continue
            out += _routes(p, prefix + str(p.pattern), f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern) and p.name:
            out.append((f"{ns}{p.name}", prefix + str(p.pattern)))
    return out


ROUTES = [(name, pattern) for name, pattern in _routes(get_resolver()) if name not in SKIP]


@pytest.fixture
def ids(assessment, alice, olga, rita, enterprise_a):  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    assignment = review_services.assign_reviewer(assessment=assessment, reviewer=rita, by=olga)
    invite_member(
        enterprise=enterprise_a,
        email="new@example.com",
        name="新人",
        role="enterprise_member",
        by=alice,
    )
    batch = ImportBatch.objects.create(campaign=assessment.campaign, created_by=olga)
    item = ImportItem.objects.create(
        batch=batch, original_name="a.docx", sha256="0" * 64, size=1, storage_key="x"
    )
    job = DocumentJob.objects.create(kind="pdf", requested_by=alice, self_assessment=assessment)
    token, _plain = create_token(user=alice, name="erp", scope="write", expires_days=None, by=alice)
    scan_check = ScanCheck.objects.create(
        self_assessment=assessment, stored_file=assessment.files.first(), requested_by=alice
    )
    return {
        "token": token.pk,
        "assessment": assessment.pk,
        "submission": submission.pk,
        "campaign": assessment.campaign_id,
        "enterprise": enterprise_a.pk,
        "assignment": assignment.pk,
        "batch": batch.pk,
        "item": item.pk,
        "job": job.pk,
        "scan_check": scan_check.pk,
        "invitation": Invitation.objects.get().pk,
        "file": assessment.files.first().pk,
        "evidence": assessment.answers.get(indicator__number=1).evidence.get().pk,
    }


def _url(name: str, pattern: str, ids: dict[str, int]) -> str:
    kwargs: dict[str, int] = {}
    for key in re.findall(r"<int:(\w+)>", pattern):
        if key == "number":
            kwargs[key] = 1
        elif key == "item_id":
            kwargs[key] = ids["evidence"]
        elif key == "file_id":
            kwargs[key] = ids["file"]
        elif key == "assignment_id":
            kwargs[key] = ids["assignment"]
        elif key == "invitation_id":
            kwargs[key] = ids["invitation"]
        elif key == "enterprise_id":
            kwargs[key] = ids["enterprise"]
        elif name.startswith("api_tokens:"):
            kwargs[key] = ids["token"]
        elif name.startswith("assessments:"):
            kwargs[key] = ids["submission"] if "submissions/" in pattern else ids["assessment"]
        elif name.startswith("review:"):
            kwargs[key] = ids["submission"]
        elif name.startswith("campaigns:"):
            kwargs[key] = ids["campaign"]
        else:
            for part, target in (
                ("submissions/", "submission"),
                ("campaigns/", "campaign"),
                ("assessments/", "assessment"),
                ("import-items/", "item"),
                ("imports/", "batch"),
                ("jobs/", "job"),
                ("scan-checks/", "scan_check"),
            ):
                if part in pattern:
                    kwargs[key] = ids[target]
                    break
    return reverse(name, kwargs=kwargs)


def test_the_route_list_covers_the_site() -> None:
    names = {n for n, _ in ROUTES}
    for expected in (
        "assessments:overview",
        "review:review",
        "reviews:submission",
        "campaigns:detail",
        "intake:import_batch",
        "documents:submission_bundle",
        "accounts:members",
    ):
        assert expected in names
    assert len(ROUTES) > 60


@pytest.mark.parametrize(
    ("name", "pattern"),
    [r for r in ROUTES if r[0] not in OPEN_TO_EVERY_USER],
    ids=[r[0] for r in ROUTES if r[0] not in OPEN_TO_EVERY_USER],
)
def test_another_enterprise_reaches_nothing(name: str, pattern: str, ids, charlie) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(charlie)
    url = _url(name, pattern, ids)
    for response in (
        c.get(url),
        c.post(url, {"version": "1", "level": "1", "title": "x", "confirm": "1"}),
    ):
        assert response.status_code in (403, 404, 405), (url, response.status_code)


@pytest.mark.parametrize(
    ("name", "pattern"),
    [r for r in ROUTES if r[0] not in OPEN_TO_EVERY_USER],
    ids=[r[0] for r in ROUTES if r[0] not in OPEN_TO_EVERY_USER],
)
def test_an_unassigned_reviewer_reaches_nothing(name: str, pattern: str, ids, rex) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(rex)
    url = _url(name, pattern, ids)
    assert c.get(url).status_code in (403, 404, 405), url


@pytest.fixture
def rex(db):  # type: ignore[no-untyped-def]
    from tests.conftest import make_user
    from zeren.accounts.models import Role

    return make_user("rex", Role.REVIEWER)
