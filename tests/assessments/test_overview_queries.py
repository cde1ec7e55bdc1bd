"""The overview and indicator pages cost a constant number of SQL queries, whatever the evidence.

Each page is fetched as alice with no evidence item, with one item of one file on every indicator
and with three items of two files each on every indicator. The count must not grow with the
evidence. With no evidence item at all Django skips the nested prefetch of the items' files
(nothing to prefetch for), so that state spends exactly that one query less.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.assessments.helpers import fill_completely, pdf_upload
from zeren.accounts.models import User
from zeren.assessments.models import Answer, EvidenceItem, SelfAssessment, StoredFile
from zeren.assessments.uploads import store_upload

pytestmark = pytest.mark.django_db

FILES_PREFETCH = '"assessments_evidenceitem_files"'


def _queries(client: Client, url: str) -> list[str]:
    client.get(url)  # warm: anything done once per process is not what is measured
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _set_evidence(
    sa: SelfAssessment, files: list[StoredFile], *, items: int, per_item: int
) -> None:
    """Replaces the evidence of every indicator with `items` rows of `per_item` files each."""
    EvidenceItem.objects.filter(answer__self_assessment=sa).delete()
    rows = EvidenceItem.objects.bulk_create(
        EvidenceItem(answer=answer, seq=k + 1, title=f"材料{k + 1}")
        for answer in Answer.objects.filter(self_assessment=sa)
        for k in range(items)
    )
    links = EvidenceItem.files.through
    links.objects.bulk_create(
        links(evidenceitem_id=row.pk, storedfile_id=f.pk)
        for row in rows
        for f in files[(row.seq - 1) * per_item : row.seq * per_item]
    )


def _counts(client: Client, sa: SelfAssessment, by: User, url: str) -> dict[str, list[str]]:
    fill_completely(sa, by)  # levels, summaries, cover and pledge scan: only evidence varies below
    files = [
        store_upload(assessment=sa, upload=pdf_upload(f"佐证{i}.pdf", b"%d" % i), by=by)[0]
        for i in range(6)
    ]
    client.force_login(by)
    seen = {}
    for name, items, per_item in (("none", 0, 0), ("one", 1, 1), ("many", 3, 2)):
        _set_evidence(sa, files, items=items, per_item=per_item)
        seen[name] = _queries(client, url)
    assert EvidenceItem.objects.filter(answer__self_assessment=sa).count() == 3 * len(
        Answer.objects.filter(self_assessment=sa)
    )
    return seen


def _assert_constant(seen: dict[str, list[str]]) -> None:
    counts = {name: len(qs) for name, qs in seen.items()}
    detail = "\n".join(f"--- {name}\n" + "\n".join(qs) for name, qs in seen.items())
    assert counts["many"] == counts["one"], f"queries grow with the evidence {counts}\n{detail}"
    # No item at all: the one query left out is the (empty) prefetch of the items' files.
    assert counts["none"] == counts["many"] - 1, f"{counts}\n{detail}"
    assert not any(FILES_PREFETCH in q for q in seen["none"]), detail
    assert sum(FILES_PREFETCH in q for q in seen["many"]) == 1, detail


def test_overview_queries_do_not_grow_with_evidence(
    client: Client, assessment: SelfAssessment, alice: User
) -> None:
    _assert_constant(_counts(client, assessment, alice, f"/assessments/{assessment.pk}/"))


def test_indicator_page_queries_do_not_grow_with_evidence(
    client: Client, assessment: SelfAssessment, alice: User
) -> None:
    url = f"/assessments/{assessment.pk}/indicators/3/"
    _assert_constant(_counts(client, assessment, alice, url))
