"""Limits: requests per token (429 with Retry-After) and body sizes as the web's."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.assessments.helpers import PDF_BYTES
from zeren.assessments.models import StoredFile

pytestmark = pytest.mark.django_db


def test_it_throttles_each_token_alone(assessment, alice, bob, api_as, settings) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    settings.ZEREN_API_RATE = "3/m"
    a, b = api_as(alice), api_as(bob)
    statuses = [a.get("/campaigns").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = a.get("/campaigns")
    assert refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert b.get("/campaigns").status_code == 200  # another token has its own allowance
    cache.clear()


def test_an_upload_over_the_limit_is_413_and_not_stored(
    assessment, alice, api_as, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (2 * 1024 * 1024))
    api = api_as(alice)
    r = api.client.post(
        f"/api/v1/self-assessments/{assessment.pk}/files", {"file": big}, headers=api.headers
    )
    assert r.status_code == 413, r.content
    assert not StoredFile.objects.exists()


def test_an_upload_is_checked_as_on_the_web(assessment, alice, api_as) -> None:  # type: ignore[no-untyped-def]
    api = api_as(alice)
    fake = SimpleUploadedFile("制度.pdf", b"MZ\x90\x00 not a pdf")
    r = api.client.post(
        f"/api/v1/self-assessments/{assessment.pk}/files", {"file": fake}, headers=api.headers
    )
    assert r.status_code == 415
    assert "类型不在允许范围内" in r.json()["detail"]
    good = SimpleUploadedFile("制度.pdf", PDF_BYTES)
    r = api.client.post(
        f"/api/v1/self-assessments/{assessment.pk}/files", {"file": good}, headers=api.headers
    )
    assert r.status_code == 201
    assert r.json()["content_type"] == "application/pdf"


def test_an_upload_must_be_multipart(assessment, alice, api_as) -> None:  # type: ignore[no-untyped-def]
    r = api_as(alice).post(f"/self-assessments/{assessment.pk}/files", {"file": "x"})
    assert r.status_code == 415


def test_a_json_body_over_the_webs_limit_is_413(assessment, alice, api_as, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    r = api_as(alice).patch(
        f"/self-assessments/{assessment.pk}/answers/1", {"version": 1, "remarks": "长" * 2000}
    )
    assert r.status_code == 413
    assert assessment.answers.get(indicator__number=1).remarks == ""


def test_a_body_in_another_media_type_is_415(assessment, alice, api_as) -> None:  # type: ignore[no-untyped-def]
    api = api_as(alice)
    r = api.client.patch(
        f"/api/v1/self-assessments/{assessment.pk}/answers/1",
        "version=1&level=2",
        content_type="application/x-www-form-urlencoded",
        headers=api.headers,
    )
    assert r.status_code == 415
    assert r["Content-Type"] == "application/problem+json"
    assert assessment.answers.get(indicator__number=1).level is None


@pytest.mark.parametrize(
    ("title", "stored"),
    [("\u0000报告", "报告"), ("\u0000\ud8e8\ude50", "\U0004a250"), ("年报\ud800", "年报\ufffd")],
)
def test_text_that_cannot_be_stored_is_made_storable_not_a_500(
    assessment, alice, api_as, title, stored
) -> None:  # type: ignore[no-untyped-def]
    """schemathesis found a 500 on PostgreSQL: a NUL character in a title reached the
    database, which refuses it. NUL is dropped and a lone surrogate becomes U+FFFD."""
    import json

    from zeren.assessments.models import EvidenceItem

    api = api_as(alice)
    body = json.dumps({"title": title})  # the \u escapes, as a client sends them
    r = api.client.post(
        f"/api/v1/self-assessments/{assessment.pk}/answers/1/evidence",
        body,
        content_type="application/json",
        headers=api.headers,
    )
    assert r.status_code == 201, r.content
    item = EvidenceItem.objects.get(answer__self_assessment=assessment)
    assert item.title == stored
