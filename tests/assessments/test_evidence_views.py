"""The evidence catalog's fragments: add, edit, reorder, detach, delete — and refusals."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.assessments.helpers import fill_completely, pdf_upload
from zeren.assessments import submissions
from zeren.assessments.models import EvidenceItem
from zeren.assessments.uploads import store_upload

pytestmark = pytest.mark.django_db


def _c(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _titles(assessment, number: int) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        EvidenceItem.objects.filter(
            answer__self_assessment=assessment, answer__indicator__number=number
        )
        .order_by("seq")
        .values_list("title", flat=True)
    )


def test_add_edit_reorder_detach_delete(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    c = _c(alice)
    base = f"/assessments/{assessment.pk}"
    library, _ = store_upload(assessment=assessment, upload=pdf_upload("章程.pdf"), by=alice)
    r = c.post(
        f"{base}/indicators/5/evidence/",
        {"title": "社会责任报告", "note": "2026", "library": [str(library.pk)]},
    )
    assert r.status_code == 200 and "章程.pdf" in r.content.decode()
    c.post(f"{base}/indicators/5/evidence/", {"title": "培训记录", "text": "全年 12 次"})
    assert _titles(assessment, 5) == ["社会责任报告", "培训记录"]
    first, second = EvidenceItem.objects.filter(answer__indicator__number=5).order_by("seq")
    r = c.post(f"{base}/evidence/{first.pk}/", {"title": "社会责任报告（公开版）", "note": "官网"})
    assert r.status_code == 200
    first.refresh_from_db()
    assert (first.title, first.note) == ("社会责任报告（公开版）", "官网")
    c.post(f"{base}/evidence/{second.pk}/move/", {"direction": "up"})
    assert _titles(assessment, 5) == ["培训记录", "社会责任报告（公开版）"]
    c.post(f"{base}/evidence/{second.pk}/move/", {"direction": "up"})  # already first: unchanged
    assert _titles(assessment, 5) == ["培训记录", "社会责任报告（公开版）"]
    r = c.post(f"{base}/evidence/{first.pk}/files/{library.pk}/remove/")
    assert r.status_code == 200 and not first.files.exists()
    c.post(f"{base}/evidence/{second.pk}/delete/")
    assert _titles(assessment, 5) == ["社会责任报告（公开版）"]
    assert EvidenceItem.objects.get(answer__indicator__number=5).seq == 1


def test_a_missing_title_is_refused_with_a_message(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    r = _c(alice).post(f"/assessments/{assessment.pk}/indicators/5/evidence/", {"title": "  "})
    assert r.status_code == 400 and "请填写材料名称" in r.content.decode()
    assert not EvidenceItem.objects.exists()


def test_nothing_changes_after_submitting_or_for_an_unassigned_member(
    assessment, alice, bob
) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    item = EvidenceItem.objects.filter(answer__indicator__number=2).first()
    assert (
        _c(bob).post(f"/assessments/{assessment.pk}/evidence/{item.pk}/delete/").status_code == 403
    )
    submissions.submit_self_assessment(assessment=assessment, by=alice)
    r = _c(alice).post(f"/assessments/{assessment.pk}/evidence/{item.pk}/delete/")
    assert r.status_code == 400 and "已提交" in r.content.decode()
    assert EvidenceItem.objects.filter(pk=item.pk).exists()
