"""Browsers ask for /favicon.ico on every page: it is there, and the pages name their icon."""

from __future__ import annotations

import pytest
from django.test import Client


def test_it_serves_the_favicon(db: None) -> None:
    r = Client().get("/favicon.ico", follow=True)
    assert r.status_code == 200
    body = b"".join(r.streaming_content) if r.streaming else r.content  # type: ignore[attr-defined]
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO header


@pytest.mark.django_db
def test_pages_name_their_icon() -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page and "favicon.png" in page
