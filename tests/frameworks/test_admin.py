"""A framework version is never changed in place, the admin included."""

from __future__ import annotations

import pytest
from django.test import Client

from zeren.frameworks.models import Indicator, Level

pytestmark = pytest.mark.django_db


def test_the_admin_shows_frameworks_but_cannot_change_them(framework, olga) -> None:  # type: ignore[no-untyped-def]
    olga.is_staff = olga.is_superuser = True
    olga.save()
    c = Client()
    c.force_login(olga)
    indicator = Indicator.objects.get(framework=framework, number=1)
    url = f"/admin/frameworks/indicator/{indicator.pk}/change/"
    assert c.get(url).status_code == 200
    r = c.post(url, {"name": "改过的名字", "number": "1", "description": "x", "weight": "1"})
    assert r.status_code == 403
    assert c.get("/admin/frameworks/indicator/add/").status_code == 403
    indicator.refresh_from_db()
    assert indicator.name == "责任意识建立"
    assert Level.objects.filter(indicator=indicator).count() == 5


def test_a_stored_spec_is_read_once_per_process(framework, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from zeren.frameworks.loader import spec_from_db

    first = spec_from_db(framework)
    with django_assert_num_queries(0):
        assert spec_from_db(framework) is first
