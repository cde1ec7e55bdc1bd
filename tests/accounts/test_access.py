"""Every URL, as every persona: strangers get 404, whatever id they guess."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.assessments.helpers import fill_completely
from zeren import access
from zeren.assessments import services, submissions
from zeren.assessments.models import EvidenceItem, StoredFile, Submission

pytestmark = pytest.mark.django_db


def _patterns(resolver: URLResolver, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    out = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            out += _patterns(
                p, prefix + str(p.pattern), f"{ns}{p.namespace}:" if p.namespace else ns
            )
        elif isinstance(p, URLPattern) and p.name:
            out.append((f"{ns}{p.name}", prefix + str(p.pattern)))
    return out


ENTERPRISE_ROUTES = [
    name for name, _ in _patterns(get_resolver()) if name.startswith("assessments:")
]


def _url(name: str, ids: dict[str, int]) -> str:
    from django.urls import reverse

    kwargs = {}
    pattern = dict(_patterns(get_resolver()))[name]
    for key in ("pk", "number", "item_id", "file_id"):
        if f"<int:{key}>" in pattern:
            kwargs[key] = ids[key]
    if name == "assessments:receipt":
        kwargs["pk"] = ids["submission"]
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def world(assessment, alice, bob, charlie, rita, olga, assessment_b):  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    item = EvidenceItem.objects.filter(answer__self_assessment=assessment).first()
    f = StoredFile.objects.filter(self_assessment=assessment).first()
    assert item is not None and f is not None
    return {
        "pk": assessment.pk,
        "number": 1,
        "item_id": item.pk,
        "file_id": f.pk,
        "submission": submission.pk,
    }


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_it_lists_every_enterprise_route() -> None:
    assert len(ENTERPRISE_ROUTES) >= 20


@pytest.mark.parametrize("route", ENTERPRISE_ROUTES)
def test_it_answers_404_to_another_enterprise_on_every_route(route: str, world, charlie) -> None:  # type: ignore[no-untyped-def]
    c = _client(charlie)
    url = _url(route, world)
    assert c.get(url).status_code in (404, 405)
    assert c.post(url, {"version": "1", "level": "1", "title": "x"}).status_code in (404, 405)


@pytest.mark.parametrize("route", ENTERPRISE_ROUTES)
def test_it_never_serves_data_to_anonymous(route: str, world) -> None:  # type: ignore[no-untyped-def]
    c = _client(None)
    url = _url(route, world)
    for response in (c.get(url), c.post(url, {"version": "1"})):
        assert response.status_code in (302, 401, 403, 405)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("route", ENTERPRISE_ROUTES)
def test_it_answers_404_to_an_unassigned_reviewer(route: str, world, rita) -> None:  # type: ignore[no-untyped-def]
    c = _client(rita)
    assert c.get(_url(route, world)).status_code in (404, 405)


def test_it_refuses_guessed_ids_of_other_enterprises_files(
    world, assessment_b, charlie, alice
) -> None:  # type: ignore[no-untyped-def]
    # charlie's own self-assessment with alice's file id: still 404
    c = _client(charlie)
    assert c.get(f"/assessments/{assessment_b.pk}/files/{world['file_id']}/").status_code == 404
    assert c.get(f"/assessments/submissions/{world['submission']}/receipt/").status_code == 404
    assert c.get(f"/organizer/submissions/{world['submission']}/").status_code == 404


def test_it_lets_the_enterprise_and_the_organizer_see_and_only_the_organizer_manage(
    world, alice, bob, olga
) -> None:  # type: ignore[no-untyped-def]
    for user in (alice, bob, olga):
        assert _client(user).get(f"/assessments/{world['pk']}/").status_code == 200
        assert (
            _client(user)
            .get(f"/assessments/submissions/{world['submission']}/receipt/")
            .status_code
            == 200
        )
    assert _client(alice).get(f"/organizer/submissions/{world['submission']}/").status_code == 403
    assert _client(olga).get(f"/organizer/submissions/{world['submission']}/").status_code == 200


def test_it_forbids_the_organizer_to_edit_enterprise_answers(world, olga) -> None:  # type: ignore[no-untyped-def]
    r = _client(olga).post(
        f"/assessments/{world['pk']}/indicators/1/save/", {"version": "1", "level": "2"}
    )
    assert r.status_code == 403


def test_it_scopes_querysets(
    world, alice, bob, charlie, rita, olga, assessment, assessment_b
) -> None:  # type: ignore[no-untyped-def]
    assert set(access.self_assessments_visible_to(alice)) == {assessment}
    assert set(access.self_assessments_visible_to(bob)) == {assessment}
    assert set(access.self_assessments_visible_to(charlie)) == {assessment_b}
    assert set(access.self_assessments_visible_to(rita)) == set()
    assert set(access.self_assessments_visible_to(olga)) == {assessment, assessment_b}
    assert set(access.submissions_visible_to(charlie)) == set()
    assert (
        access.submissions_visible_to(alice).count()
        == Submission.objects.filter(self_assessment=assessment).count()
        == 1
    )


def test_it_keeps_members_to_their_assigned_indicators(world, assessment, alice, bob, olga) -> None:  # type: ignore[no-untyped-def]
    submissions.return_for_revision(
        submission=Submission.objects.get(pk=world["submission"]),
        by=olga,
        comments=[{"indicator": 1, "comment": "补充"}],
    )
    c = _client(bob)
    assert (
        c.post(
            f"/assessments/{assessment.pk}/indicators/2/save/", {"version": "2", "level": "3"}
        ).status_code
        == 403
    )
    services.assign_indicators(assessment=assessment, numbers=[2], assignee=bob, by=alice)
    answer = assessment.answers.get(indicator__number=2)
    r = c.post(
        f"/assessments/{assessment.pk}/indicators/2/save/",
        {"version": str(answer.version), "level": "3"},
    )
    assert r.status_code == 200, r.content


def test_the_autosave_getter_decides_like_the_two_general_getters(
    world, assessment, alice, bob, charlie, olga
) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    assert access.get_answer_for_autosave(alice, assessment.pk, 3).indicator.number == 3
    with pytest.raises(PermissionDenied):
        access.get_answer_for_autosave(bob, assessment.pk, 3)  # not assigned to bob
    with pytest.raises(PermissionDenied):
        access.get_answer_for_autosave(olga, assessment.pk, 3)  # organizers read, never write
    with pytest.raises(Http404):
        access.get_answer_for_autosave(charlie, assessment.pk, 3)
    with pytest.raises(Http404):
        access.get_answer_for_autosave(alice, assessment.pk, 99)
