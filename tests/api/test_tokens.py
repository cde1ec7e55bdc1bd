"""API tokens: created in the web (shown once) and with `zeren token create`, hashed, expiring,
revocable, last use recorded, every change audited with the token's name."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.api.conftest import ApiClient
from zeren.api.models import ApiToken
from zeren.api.tokens import hash_token
from zeren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_creates_a_token_in_the_web_and_shows_it_once(client, alice, assessment) -> None:  # type: ignore[no-untyped-def]
    client.force_login(alice)
    r = client.post("/api-tokens/", {"name": "ERP", "scope": "write", "expires_days": "30"})
    assert r.status_code == 200
    plain = re.search(r'<code id="new-token">(zrn_[^<]+)</code>', r.content.decode()).group(1)  # type: ignore[union-attr]
    token = ApiToken.objects.get()
    assert token.token_hash == hash_token(plain) and plain not in token.token_hash
    assert token.expires_at and token.expires_at > timezone.now() + dt.timedelta(days=29)
    listing = client.get("/api-tokens/").content.decode()
    assert "ERP" in listing and plain not in listing  # never shown again
    assert ApiClient(plain).get(f"/self-assessments/{assessment.pk}").status_code == 200
    event = AuditEvent.objects.get(action="api_token.created")
    assert event.after["token"] == "ERP" and event.actor == alice


def test_the_account_menu_links_to_the_tokens_page(client, alice) -> None:  # type: ignore[no-untyped-def]
    client.force_login(alice)
    assert 'href="/api-tokens/"' in client.get("/").content.decode()


def test_it_refuses_a_token_without_a_name(client, alice) -> None:  # type: ignore[no-untyped-def]
    client.force_login(alice)
    r = client.post("/api-tokens/", {"name": " ", "scope": "read"})
    assert r.status_code == 400
    assert "请为令牌命名" in r.content.decode()
    assert not ApiToken.objects.exists()


def test_a_revoked_token_no_longer_works(client, alice, assessment) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command(
        "token", "create", "--user", "alice", "--scope", "read", "--name", "BI", stdout=out
    )
    plain = out.getvalue().strip()
    api = ApiClient(plain)
    assert api.get(f"/self-assessments/{assessment.pk}").status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    client.force_login(alice)
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 302
    assert api.get(f"/self-assessments/{assessment.pk}").status_code == 401
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.after == {"token": "BI"}


def test_nobody_revokes_anothers_token(client, alice, charlie) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("token", "create", "--user", "alice", "--scope", "write", stdout=out)
    token = ApiToken.objects.get()
    client.force_login(charlie)
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_expired_token_is_refused(alice, assessment) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command(
        "token", "create", "--user", "alice", "--scope", "read", "--expires", "1", stdout=out
    )
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert ApiClient(out.getvalue().strip()).get("/campaigns").status_code == 401


def test_the_command_refuses_an_unknown_user(db) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such user"):
        call_command("token", "create", "--user", "nobody", "--scope", "read")


def test_the_tokens_page_in_english(client, alice) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    from tests.test_i18n import assert_no_chinese_chrome

    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    created = client.post("/api-tokens/", {"name": "ERP", "scope": "write", "expires_days": "30"})
    content = created.content.decode()
    assert "shown this once only" in content
    assert_no_chinese_chrome(content)
