"""Every API operation as every persona: nothing of enterprise A reaches anyone it should not.

anonymous; charlie (another enterprise); rex (a reviewer not assigned); bob (a member of A, not
admin); rita (the reviewer assigned to A's submission); olga (organizer); alice with a read-only
token writing. The operations come from the OpenAPI document, so a new one is covered at once.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import submitted_elsewhere, token_for
from tests.assessments.helpers import PDF_BYTES
from tests.conftest import make_user
from zeren.accounts.models import Role
from zeren.api.api import api
from zeren.assessments import services
from zeren.documents.models import DocumentJob
from zeren.intake.models import ImportBatch

pytestmark = pytest.mark.django_db

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
OPERATIONS = [
    (method.upper(), path)
    for path, ops in SCHEMA["paths"].items()
    for method in ops
    if method in ("get", "post", "put", "patch", "delete")
]
LISTS = {
    "/api/v1/frameworks",
    "/api/v1/campaigns",
    "/api/v1/self-assessments",
    "/api/v1/review/assignments",
}
PUBLIC_DATA = re.compile(r"^/api/v1/frameworks")  # the framework is the same for everyone
ORGANIZER_ONLY = re.compile(r"^/api/v1/(campaigns/\{campaign_id\}/.+|imports/.*)$")

BODIES: dict[str, Any] = {
    "/api/v1/self-assessments/{sa_id}/answers/{indicator}": {"version": 1, "level": 2},
    "/api/v1/self-assessments/{sa_id}/cover": {
        "version": 1,
        "enterprise_name": "甲",
        "business_scope": "电商平台",
        "contact_person": "张三",
        "contact_info": "13800000000",
    },
    "/api/v1/self-assessments/{sa_id}/pledge": {"version": 1, "lead": "李四"},
    "/api/v1/self-assessments/{sa_id}/answers/{indicator}/evidence": {"title": "制度"},
    "/api/v1/self-assessments/{sa_id}/evidence/{item_id}": {"title": "制度"},
    "/api/v1/self-assessments/{sa_id}/answers/{indicator}/evidence-order": {"order": []},
    "/api/v1/review/submissions/{submission_id}/ratings/{indicator}": {"level": 2},
}


@pytest.fixture
def ids(assessment, alice, olga, rita, framework):  # type: ignore[no-untyped-def]
    """A's draft (assessment), and A's submitted form in a second campaign under review."""
    submission = submitted_elsewhere(assessment, alice, olga, rita)
    submitted = submission.self_assessment
    item = services.save_evidence_item(
        answer=assessment.answers.get(indicator__number=1), by=alice, title="制度"
    )
    job = DocumentJob.objects.create(kind="pdf", requested_by=alice, submission=submission)
    batch = ImportBatch.objects.create(campaign=submitted.campaign, created_by=olga)
    return {
        "sa_id": assessment.pk,
        "campaign_id": submitted.campaign_id,
        "submission_id": submission.pk,
        "item_id": item.pk,
        "file_id": submitted.files.first().pk,  # type: ignore[union-attr]
        "job_id": job.pk,
        "batch_id": batch.pk,
        "indicator": 1,
        "key": "platform-csr",
        "version": 1,
        "secrets": [assessment.enterprise.name, assessment.enterprise.credit_code, "电商平台"],
    }


def _call(token: str | None, method: str, path: str, ids: dict[str, Any]) -> Any:
    url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    c = Client()
    if path.endswith("/files") or path.endswith("/imports"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        f = SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf")
        return c.post(url, {"file": f, "files": f}, headers=headers)
    body = BODIES.get(path)
    if method in ("GET", "DELETE") or body is None:
        return c.generic(method, url, headers=headers)
    return c.generic(
        method, url, json.dumps(body), content_type="application/json", headers=headers
    )


def _assert_no_leak(response: Any, ids: dict[str, Any], label: str) -> None:
    assert response.status_code < 500, label
    if 200 <= response.status_code < 300:
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        text = raw.decode("utf-8", "replace")
        for secret in ids["secrets"]:
            assert secret not in text, (label, secret)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_anonymous_gets_401_everywhere(method: str, path: str, ids) -> None:  # type: ignore[no-untyped-def]
    r = _call(None, method, path, ids)
    assert r.status_code == 401, r.content
    r = _call("zrn_not-a-token", method, path, ids)
    assert r.status_code == 401


@pytest.mark.parametrize("outsider", ["charlie", "rex"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_outsiders_reach_nothing_of_a(method: str, path: str, outsider: str, ids, charlie) -> None:  # type: ignore[no-untyped-def]
    user = charlie if outsider == "charlie" else make_user("rex", Role.REVIEWER)
    r = _call(token_for(user), method, path, ids)
    label = f"{outsider} {method} {path} -> {r.status_code}"
    if path in LISTS or PUBLIC_DATA.match(path):
        _assert_no_leak(r, ids, label)
    else:
        assert r.status_code in (403, 404), label


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_a_read_only_token_writes_nothing(method: str, path: str, ids, alice) -> None:  # type: ignore[no-untyped-def]
    r = _call(token_for(alice, "read"), method, path, ids)
    if method == "GET":
        assert r.status_code < 500
    else:
        assert r.status_code == 403, (method, path, r.status_code)


MANAGE_ONLY = {
    ("PUT", "/api/v1/self-assessments/{sa_id}/cover"),
    ("PUT", "/api/v1/self-assessments/{sa_id}/pledge"),
    ("POST", "/api/v1/self-assessments/{sa_id}/submit"),
    # Indicator 1 is not assigned to bob: he may not edit it or its evidence.
    ("PATCH", "/api/v1/self-assessments/{sa_id}/answers/{indicator}"),
    ("POST", "/api/v1/self-assessments/{sa_id}/answers/{indicator}/evidence"),
    ("PUT", "/api/v1/self-assessments/{sa_id}/evidence/{item_id}"),
    ("DELETE", "/api/v1/self-assessments/{sa_id}/evidence/{item_id}"),
    ("PUT", "/api/v1/self-assessments/{sa_id}/answers/{indicator}/evidence-order"),
}


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_a_member_is_not_an_admin(method: str, path: str, ids, bob) -> None:  # type: ignore[no-untyped-def]
    r = _call(token_for(bob), method, path, ids)
    label = f"bob {method} {path} -> {r.status_code}"
    if path == "/api/v1/review/assignments":
        assert r.json()["items"] == [], label
    elif (method, path) in MANAGE_ONLY or ORGANIZER_ONLY.match(path) or "/review/" in path:
        assert r.status_code in (403, 404), label
    elif path.startswith("/api/v1/jobs/"):
        assert r.status_code == 404, label  # alice's job
    else:
        assert r.status_code < 500, label


REVIEWER_MAY = {
    ("GET", "/api/v1/submissions/{submission_id}"),
    ("GET", "/api/v1/submissions/{submission_id}/verify"),
    ("GET", "/api/v1/submissions/{submission_id}/document.docx"),
    ("GET", "/api/v1/submissions/{submission_id}/document.pdf"),
    ("GET", "/api/v1/files/{file_id}"),
    ("PUT", "/api/v1/review/submissions/{submission_id}/ratings/{indicator}"),
}


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_assigned_reviewer_sees_the_submission_only(method: str, path: str, ids, rita) -> None:  # type: ignore[no-untyped-def]
    r = _call(token_for(rita), method, path, ids)
    label = f"rita {method} {path} -> {r.status_code}"
    if (method, path) in REVIEWER_MAY:
        assert 200 <= r.status_code < 300, label
    elif path in LISTS or PUBLIC_DATA.match(path):
        assert r.status_code == 200, label
    else:
        assert r.status_code in (403, 404), label


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_organizer_reads_but_does_not_fill_in(method: str, path: str, ids, olga) -> None:  # type: ignore[no-untyped-def]
    r = _call(token_for(olga), method, path, ids)
    label = f"olga {method} {path} -> {r.status_code}"
    if path.startswith("/api/v1/self-assessments/{sa_id}") and method != "GET":
        assert r.status_code == 403, label
    elif path.startswith("/api/v1/review/submissions") or path.startswith("/api/v1/jobs/"):
        assert r.status_code in (403, 404), label  # not her assignment, not her job
    else:
        assert r.status_code < 500, label
