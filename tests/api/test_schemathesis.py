"""schemathesis against the API, in process (WSGI), with an enterprise and an organizer token:
every check (no server error, schema-conformant responses, documented statuses and content
types, negative data rejected, valid data accepted, auth enforced, 405 for other methods)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from tests.api.conftest import submitted_elsewhere, token_for
from tests.assessments.helpers import PDF_BYTES
from zeren.api.schemas import MAX_ID
from zeren.assessments import services
from zeren.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

MAX_EXAMPLES = 12


CASES = {"calls": 0}


@pytest.fixture(scope="module", autouse=True)
def _count_cases() -> Any:
    """Prints how many generated requests were checked (see it with -s)."""
    yield
    print(f"\nschemathesis: {CASES['calls']} generated requests checked")


@pytest.fixture
def in_test_transaction() -> Any:
    # Django's WSGI handler closes the connection after each request (close_old_connections),
    # which would end the test's transaction; the test client disconnects it the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, assessment, assessment_b, alice, charlie, olga, rita, framework):  # type: ignore[no-untyped-def]
    """A draft to write to and a submitted form under review, so ids point at real things."""
    submission = submitted_elsewhere(assessment, alice, olga, rita)
    submitted = submission.self_assessment
    evidence = services.save_evidence_item(
        answer=assessment.answers.get(indicator__number=1), by=alice, title="制度"
    )
    return {
        "sa_id": assessment.pk,
        "campaign_id": assessment.campaign_id,
        "submission_id": submission.pk,
        "item_id": evidence.pk,
        "file_id": submitted.files.first().pk,  # type: ignore[union-attr]
        "indicator": 1,
        "tokens": {"enterprise": token_for(alice), "organizer": token_for(olga)},
    }


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("persona", ["enterprise", "organizer"])
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_passes_every_schemathesis_check(
    case, persona, world, in_test_transaction, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_API_RATE = "100000/m"
    for name, value in case.path_parameters.items() if case.path_parameters else ():
        # Point half the generated ids at real objects, so the bodies reach the services.
        # (Only valid ids: an out-of-range id is the negative case being tested.)
        if name in world and isinstance(value, int) and 1 <= value <= MAX_ID and value % 2 == 0:
            case.path_parameters[name] = world[name]
    if (
        case.operation.path.endswith("/files")
        and case.meta
        and case.meta.generation.mode.is_positive
    ):
        case.body = {"file": ("evidence.pdf", PDF_BYTES), "kind": "evidence"}
    CASES["calls"] += 1
    if case.meta and case.meta.is_negative_at(ParameterLocation.HEADER):
        case.call_and_validate()  # the generated (broken or missing) Authorization header
    else:
        case.call_and_validate(headers={"Authorization": f"Bearer {world['tokens'][persona]}"})
