"""The organizer's page of one submission: evidence files are links, as on the reviewer's page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.assessments.helpers import fill_completely
from zeren.assessments import submissions
from zeren.assessments.formdata import FormData

pytestmark = pytest.mark.django_db


def test_it_links_every_evidence_file(assessment, alice, olga) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    c = Client()
    c.force_login(olga)
    page = c.get(reverse("reviews:submission", args=[submission.pk])).content.decode()
    form = FormData.model_validate(submission.snapshot)
    names = {f.name for a in form.answers for e in a.evidence for f in e.files}
    links = re.findall(r'<a href="(/assessments/\d+/files/\d+/[^"]*)"[^>]*>([^<]+)</a>', page)
    assert links, "no evidence file is a link"
    for href, _name in links:
        r = c.get(href)
        assert r.status_code == 200
    assert names and {n for _h, n in links} == names
