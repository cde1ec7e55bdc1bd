"""The API's ground rules: tokens, problem details in the caller's language, the editor's
optimistic locking, FormData in and out."""

from __future__ import annotations

import pytest

from zeren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_refuses_a_call_without_a_token(assessment, api_as) -> None:  # type: ignore[no-untyped-def]
    r = api_as(None).get(f"/self-assessments/{assessment.pk}")
    assert r.status_code == 401
    assert r["Content-Type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == 401 and body["title"] == "未认证"
    assert r["WWW-Authenticate"].startswith("Bearer")


def test_it_answers_in_the_callers_language(assessment_b, alice, api_as) -> None:  # type: ignore[no-untyped-def]
    zh = api_as(alice).get(f"/self-assessments/{assessment_b.pk}")
    en = api_as(alice, language="en").get(f"/self-assessments/{assessment_b.pk}")
    assert zh.status_code == en.status_code == 404  # another enterprise's id
    assert zh.json()["title"] == "不存在"
    assert en.json()["title"] == "Not found"


def test_it_reads_a_self_assessment_as_formdata_with_ids_and_versions(
    assessment, alice, api_as
) -> None:  # type: ignore[no-untyped-def]
    r = api_as(alice, "read").get(f"/self-assessments/{assessment.pk}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["id"] == assessment.pk and body["status"] == "draft"
    assert body["framework"] == {"id": "platform-csr", "version": 1}
    assert body["cover"]["business_scope"] == "电商平台"
    assert {"indicator", "level", "version", "evidence"} <= set(body["answers"][0])


def test_it_saves_an_answer_with_the_editors_locking(assessment, alice, bob, api_as) -> None:  # type: ignore[no-untyped-def]
    a, b = api_as(alice), api_as(alice)
    r = a.patch(f"/self-assessments/{assessment.pk}/answers/1", {"version": 1, "level": 2})
    assert r.status_code == 200, r.content
    assert r.json()["version"] == 2
    stale = b.patch(
        f"/self-assessments/{assessment.pk}/answers/1", {"version": 1, "work_summary": "mine"}
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["version"] == 2 and body["theirs"]["level"] == 2
    assert body["mine"] == {"work_summary": "mine"}
    assert assessment.answers.get(indicator__number=1).work_summary == ""


def test_it_gives_field_details_for_bad_input(assessment, alice, api_as) -> None:  # type: ignore[no-untyped-def]
    r = api_as(alice).patch(
        f"/self-assessments/{assessment.pk}/answers/1", {"version": 1, "level": 9}
    )
    assert r.status_code == 422
    assert r["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in r.json()["errors"]] == ["level"]


def test_a_read_only_token_cannot_write(assessment, alice, api_as) -> None:  # type: ignore[no-untyped-def]
    r = api_as(alice, "read").patch(
        f"/self-assessments/{assessment.pk}/answers/1", {"version": 1, "level": 2}
    )
    assert r.status_code == 403
    assert assessment.answers.get(indicator__number=1).level is None


def test_a_write_is_audited_with_the_tokens_name(assessment, alice, api_as) -> None:  # type: ignore[no-untyped-def]
    api_as(alice).patch(f"/self-assessments/{assessment.pk}/answers/1", {"version": 1, "level": 2})
    event = AuditEvent.objects.filter(action="api_token.used_for_write").get()
    assert event.after["token"] == "alice-write"
    assert event.after["method"] == "PATCH" and event.after["status"] == 200
    assert AuditEvent.objects.filter(action="answer.saved", actor=alice).exists()


def test_a_refused_write_is_not_audited_as_a_write(assessment_b, alice, api_as) -> None:  # type: ignore[no-untyped-def]
    r = api_as(alice).patch(f"/self-assessments/{assessment_b.pk}/answers/1", {"version": 1})
    assert r.status_code == 404
    assert not AuditEvent.objects.filter(action="api_token.used_for_write").exists()


def test_the_committed_openapi_document_is_current() -> None:
    from pathlib import Path

    from zeren.api.management.commands.openapi_schema import Command

    path = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
    assert path.read_text(encoding="utf-8") == Command().schema_text()


def test_the_docs_page_uses_local_files_only(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html
    assert client.get("/api/v1/openapi.json").json()["openapi"] == "3.1.0"


def test_every_operation_has_a_unique_id_and_documents_its_errors() -> None:
    from zeren.api.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    ops = [op for path in schema["paths"].values() for op in path.values()]
    ids = [op["operationId"] for op in ops]
    assert len(ids) == len(set(ids)) > 30
    for op in ops:
        for code in ("401", "403", "404", "422", "429"):
            content = op["responses"][code]["content"]
            assert list(content) == ["application/problem+json"], (op["operationId"], code)


def test_an_id_beyond_the_databases_integers_is_422_not_a_crash(assessment, alice, api_as) -> None:  # type: ignore[no-untyped-def]
    # Found by schemathesis: a file id over 64 bits reached SQLite and failed with a 500.
    r = api_as(alice).post(
        f"/self-assessments/{assessment.pk}/answers/1/evidence",
        {"title": "x", "files": [179953477649664376832]},
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"].startswith("files")


@pytest.mark.parametrize(
    "path", ["/frameworks/platform-csr/179953477649664376832", "/campaigns/179953477649664376832"]
)
def test_a_path_id_beyond_the_databases_integers_is_422(path: str, alice, api_as) -> None:  # type: ignore[no-untyped-def]
    assert api_as(alice).get(path).status_code == 422
