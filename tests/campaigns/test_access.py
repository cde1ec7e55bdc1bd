"""Every campaign route as every persona: organizers only; a campaign one cannot see is a 404,
one's own enterprise's campaign a 403; anonymous visitors are sent to log in."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.campaigns.conftest import client_for
from zeren.accounts.models import Invitation, Role
from zeren.accounts.services import invite_member

pytestmark = pytest.mark.django_db

GET_ONLY = {"list", "detail", "export", "enterprises", "import_preview", "import_template"}
POST_ONLY = {"open", "close", "archive", "extend", "import_confirm", "resend_invitation"}
BOTH = {"create", "edit", "remind", "enterprise_add", "import"}
WITHOUT_CAMPAIGN = {"list", "create"}


def _route_names() -> set[str]:
    resolver = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "campaigns"
    )
    return {p.name for p in resolver.url_patterns if isinstance(p, URLPattern) and p.name}


ROUTES = sorted(GET_ONLY | POST_ONLY | BOTH)


@pytest.fixture
def invitation(assessment, olga) -> Invitation:  # type: ignore[no-untyped-def]
    inv, _link = invite_member(
        enterprise=assessment.enterprise,
        email="new@example.com",
        name="新人",
        role=Role.ENTERPRISE_ADMIN,
        by=olga,
    )
    return inv


def _url(name: str, campaign_pk: int, invitation_pk: int) -> str:
    if name in WITHOUT_CAMPAIGN:
        return reverse(f"campaigns:{name}")
    if name == "resend_invitation":
        return reverse(f"campaigns:{name}", args=[campaign_pk, invitation_pk])
    return reverse(f"campaigns:{name}", args=[campaign_pk])


def test_it_covers_every_campaign_route() -> None:
    assert _route_names() == set(ROUTES)


@pytest.mark.parametrize("route", ROUTES)
def test_it_sends_anonymous_visitors_to_log_in(route, assessment, invitation) -> None:  # type: ignore[no-untyped-def]
    url = _url(route, assessment.campaign_id, invitation.pk)
    for response in (client_for(None).get(url), client_for(None).post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["alice", "bob"])
@pytest.mark.parametrize("route", ROUTES)
def test_it_forbids_the_enterprise_of_the_campaign(
    route, persona, request, assessment, invitation
) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(persona)
    url = _url(route, assessment.campaign_id, invitation.pk)
    expected = 404 if route in WITHOUT_CAMPAIGN else 403
    c = client_for(user)
    if route not in POST_ONLY:
        assert c.get(url).status_code == expected
    if route not in GET_ONLY:
        assert c.post(url, {"token": "x", "closes_at": "2099-01-01T00:00"}).status_code == expected


@pytest.mark.parametrize("persona", ["dave", "rita"])
@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_to_other_enterprises_and_reviewers(
    route, persona, request, assessment, invitation
) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(persona)
    url = _url(route, assessment.campaign_id, invitation.pk)
    c = client_for(user)
    if route not in POST_ONLY:
        assert c.get(url).status_code == 404
    if route not in GET_ONLY:
        assert c.post(url).status_code == 404


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_405_to_a_wrong_method(route, olga, assessment, invitation) -> None:  # type: ignore[no-untyped-def]
    url = _url(route, assessment.campaign_id, invitation.pk)
    c = client_for(olga)
    assert c.put(url).status_code == 405
    if route in GET_ONLY:
        assert c.post(url).status_code == 405
    if route in POST_ONLY:
        assert c.get(url).status_code == 405


@pytest.mark.parametrize("route", sorted(GET_ONLY | BOTH))
def test_it_serves_every_page_to_the_organizer(route, olga, assessment, invitation) -> None:  # type: ignore[no-untyped-def]
    response = client_for(olga).get(_url(route, assessment.campaign_id, invitation.pk))
    # The preview without an upload sends the organizer back to the upload form.
    assert response.status_code == (302 if route == "import_preview" else 200)


def test_it_answers_404_for_a_campaign_that_does_not_exist(olga) -> None:  # type: ignore[no-untyped-def]
    assert client_for(olga).get(reverse("campaigns:detail", args=[999999])).status_code == 404


def test_it_answers_404_for_an_invitation_of_another_campaign(
    olga, assessment, draft_campaign, invitation
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("campaigns:resend_invitation", args=[draft_campaign.pk, invitation.pk])
    assert client_for(olga).post(url).status_code == 404
    assert Invitation.objects.count() == 1
