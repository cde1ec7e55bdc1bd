from __future__ import annotations

import pytest
from django.test import Client

from tests.assessments.helpers import fill_completely
from zeren.assessments.models import Submission

pytestmark = pytest.mark.django_db


def _c(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_it_submits_and_shows_the_receipt(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    r = _c(alice).post(f"/assessments/{assessment.pk}/submit/", follow=True)
    s = Submission.objects.get()
    assert r.redirect_chain[-1][0] == f"/assessments/submissions/{s.pk}/receipt/"
    assert s.sha256 in r.content.decode()


def test_a_second_click_lands_on_the_same_receipt(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    c = _c(alice)
    c.post(f"/assessments/{assessment.pk}/submit/")
    r = c.post(f"/assessments/{assessment.pk}/submit/", follow=True)
    s = Submission.objects.get()
    assert r.redirect_chain[-1][0] == f"/assessments/submissions/{s.pk}/receipt/"
    assert "无需重复提交" in r.content.decode()


def test_an_incomplete_form_goes_back_to_the_check(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    r = _c(alice).post(f"/assessments/{assessment.pk}/submit/", follow=True)
    assert not Submission.objects.exists()
    page = r.content.decode()
    assert "必须修改后才能提交" in page and "尚未上传盖章的诚信承诺书扫描件" in page
    # An empty form has dozens of problems; the list is shown open all the same.
    assert '<section id="check"' in page
    check = page[page.index('<section id="check"') :]
    assert "<details open>" in check[: check.index("</section>")]


def test_only_the_admin_submits_and_only_by_post(assessment, alice, bob, charlie) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    assert _c(bob).post(f"/assessments/{assessment.pk}/submit/").status_code == 403
    assert _c(charlie).post(f"/assessments/{assessment.pk}/submit/").status_code == 404
    assert _c(alice).get(f"/assessments/{assessment.pk}/submit/").status_code == 405
    assert not Submission.objects.exists()
