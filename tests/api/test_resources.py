"""Each resource of the API does what the web does, through the same services."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import submitted_elsewhere
from tests.assessments.helpers import PDF_BYTES, fill_completely
from tests.intake import formgen
from zeren.assessments import services, submissions
from zeren.reports.queries import campaign_progress

pytestmark = pytest.mark.django_db


def _upload(api, sa_id: int, name: str, data: bytes, kind: str = "evidence"):  # type: ignore[no-untyped-def]
    return api.client.post(
        f"/api/v1/self-assessments/{sa_id}/files",
        {"file": SimpleUploadedFile(name, data), "kind": kind},
        headers=api.headers,
    )


def test_it_lists_visible_self_assessments_with_filters_and_stable_paging(  # type: ignore[no-untyped-def]
    assessment, assessment_b, alice, olga, api_as, campaign, enterprise_a
) -> None:
    more = [
        services.create_self_assessment(
            campaign=campaign, enterprise=enterprise_a, business_scope=f"业务{i}", by=alice
        )
        for i in range(3)
    ]
    a = api_as(alice)
    body = a.get("/self-assessments?limit=2").json()
    assert body["count"] == 4 and [i["id"] for i in body["items"]] == [assessment.pk, more[0].pk]
    page2 = a.get("/self-assessments?limit=2&offset=2").json()
    assert [i["id"] for i in page2["items"]] == [more[1].pk, more[2].pk]
    assert assessment_b.pk not in {i["id"] for i in body["items"] + page2["items"]}
    assert api_as(olga).get("/self-assessments").json()["count"] == 5
    assert a.get("/self-assessments?status=submitted").json()["count"] == 0
    assert a.get(f"/self-assessments?campaign={campaign.pk}").json()["count"] == 4
    assert a.get("/self-assessments?status=nonsense").status_code == 422


def test_it_builds_the_evidence_catalogue(assessment, alice, api_as) -> None:  # type: ignore[no-untyped-def]
    a = api_as(alice)
    f1 = _upload(a, assessment.pk, "制度.pdf", PDF_BYTES).json()
    f2 = _upload(a, assessment.pk, "报告.pdf", PDF_BYTES + b"2").json()
    assert _upload(a, assessment.pk, "again.pdf", PDF_BYTES).status_code == 200  # stored once
    base = f"/self-assessments/{assessment.pk}"
    first = a.post(f"{base}/answers/1/evidence", {"title": "制度", "files": [f1["id"]]})
    second = a.post(f"{base}/answers/1/evidence", {"title": "报告", "text": "文字说明"})
    assert first.status_code == second.status_code == 201
    one, two = first.json()["id"], second.json()["id"]
    r = a.put(f"{base}/evidence/{one}", {"title": "制度（新）", "files": [f2["id"]]})
    assert r.status_code == 200
    r = a.put(f"{base}/answers/1/evidence-order", {"order": [two, one]})
    assert [i["id"] for i in r.json()] == [two, one]
    answer = a.get(base).json()["answers"][0]
    assert [(e["id"], e["seq"], e["title"]) for e in answer["evidence"]] == [
        (two, 1, "报告"),
        (one, 2, "制度（新）"),
    ]
    files = answer["evidence"][1]["files"]
    assert [(f["id"], f["sha256"]) for f in files] == [(f2["id"], f2["sha256"])]
    download = a.get(f"/files/{f2['id']}")
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == f2["sha256"]
    digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
    assert download["Repr-Digest"] == f"sha-256=:{digest}:"
    assert a.delete(f"{base}/evidence/{two}").status_code == 204
    assert [e["seq"] for e in a.get(base).json()["answers"][0]["evidence"]] == [1]
    r = a.post(f"{base}/answers/1/evidence", {"title": "x", "files": [10**9]})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "files"


def test_cover_and_pledge_as_the_web(assessment, alice, bob, api_as) -> None:  # type: ignore[no-untyped-def]
    a = api_as(alice)
    base = f"/self-assessments/{assessment.pk}"
    cover = {
        "version": 1,
        "enterprise_name": "甲平台有限公司",
        "business_scope": "电商平台",
        "contact_person": "王五",
        "contact_info": "not a phone",
    }
    bad = a.put(f"{base}/cover", cover)
    assert bad.status_code == 409 and bad.json()["errors"][0]["field"] == "contact_info"
    assert (
        api_as(bob).put(f"{base}/cover", {**cover, "contact_info": "13800000000"}).status_code
        == 403
    )
    v = a.put(f"{base}/cover", {**cover, "contact_info": "13800000000"}).json()["version"]
    scan = _upload(a, assessment.pk, "承诺书.pdf", PDF_BYTES + b"s", "pledge_scan").json()
    r = a.put(
        f"{base}/pledge", {"version": v, "lead": "赵六", "date": "2026-11-20", "scan": scan["id"]}
    )
    assert r.status_code == 200
    body = a.get(base).json()
    assert body["cover"]["contact_person"] == "王五"
    assert body["pledge"]["lead"] == "赵六" and body["pledge"]["scan"]["id"] == scan["id"]
    evidence = _upload(a, assessment.pk, "制度.pdf", PDF_BYTES).json()
    wrong = a.put(f"{base}/pledge", {"version": r.json()["version"], "scan": evidence["id"]})
    assert wrong.status_code == 409  # an evidence file is not the sealed pledge
    stale = a.put(f"{base}/pledge", {"version": v, "lead": "别人"})
    assert stale.status_code == 409 and stale.json()["version"] == r.json()["version"]


def test_check_submit_and_the_submission(assessment, alice, bob, api_as) -> None:  # type: ignore[no-untyped-def]
    a = api_as(alice)
    base = f"/self-assessments/{assessment.pk}"
    check = a.get(f"{base}/check").json()
    assert not check["ok"] and check["errors"] == sum(
        f.is_error for f in submissions.check_assessment(assessment)
    )
    refused = a.post(f"{base}/submit")
    assert refused.status_code == 409 and refused.json()["findings"]
    fill_completely(assessment, alice)
    assert a.get(f"{base}/check").json()["ok"]
    assert api_as(bob).post(f"{base}/submit").status_code == 403
    receipt = a.post(f"{base}/submit")
    assert receipt.status_code == 201
    r = receipt.json()
    assert r["number"] == 1 and len(r["sha256"]) == 64
    assert a.post(f"{base}/submit").status_code == 409  # already submitted
    assert a.patch(f"{base}/answers/1", {"version": 99, "level": 1}).status_code == 409
    s = a.get(f"/submissions/{r['submission']}").json()
    assert s["sha256"] == r["sha256"] and s["snapshot"]["answers"][0]["level"] == 1
    assert a.get(f"/submissions/{r['submission']}/verify").json() == {
        "ok": True,
        "stored_sha256": r["sha256"],
        "computed_sha256": r["sha256"],
    }
    docx = a.get(f"/submissions/{r['submission']}/document.docx")
    assert docx.status_code == 200 and b"".join(docx.streaming_content)[:2] == b"PK"
    pdf = a.get(f"/submissions/{r['submission']}/document.pdf")
    assert pdf.status_code == 202 and pdf.json()["status"] == "queued"
    job = a.get(f"/jobs/{pdf.json()['id']}").json()
    assert job["progress"] == 0 and job["download"] is None
    assert a.get(f"/submissions/{r['submission']}/document.pdf").json()["id"] == job["id"]


def test_a_reviewer_rates_with_the_editors_locking(assessment, alice, olga, rita, api_as) -> None:  # type: ignore[no-untyped-def]
    submission = submitted_elsewhere(assessment, alice, olga, rita)
    r = api_as(rita)
    items = r.get("/review/assignments").json()["items"]
    assert [(i["self_assessment"], i["submission"]) for i in items] == [
        (submission.self_assessment_id, submission.pk)
    ]
    url = f"/review/submissions/{submission.pk}/ratings/1"
    first = r.put(url, {"level": 2, "sufficiency": "partial", "comment": "证据不足"})
    assert first.status_code == 200 and first.json()["level"] == 2
    version = first.json()["version"]
    assert r.put(url, {"level": 3, "version": version}).status_code == 200
    stale = r.put(url, {"level": 4, "version": version})
    assert stale.status_code == 409 and stale.json()["theirs"]["level"] == 3
    assert (
        r.put(f"/review/submissions/{submission.pk}/ratings/999", {"level": 1}).status_code == 404
    )


def test_the_organizer_sees_the_dashboards_figures(
    assessment, assessment_b, alice, olga, api_as
) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submissions.submit_self_assessment(assessment=assessment, by=alice)
    o = api_as(olga)
    body = o.get(f"/campaigns/{assessment.campaign_id}/progress").json()
    web = campaign_progress(assessment.campaign)
    assert body["counts"] == {v: n for v, _label, n in web.count_list()}
    assert [(r["self_assessment"], r["rated"], r["percent"]) for r in body["rows"]] == [
        (r.self_assessment_id, r.rated, r.percent) for r in web.rows
    ]
    xlsx = o.get(f"/campaigns/{assessment.campaign_id}/progress.xlsx")
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    results = o.get(f"/campaigns/{assessment.campaign_id}/results").json()
    assert [(r["self_assessment"], r["self_score"]) for r in results] == [(assessment.pk, "100.00")]
    export = o.post(f"/campaigns/{assessment.campaign_id}/export")
    assert export.status_code == 202 and export.json()["kind"] == "campaign_export"
    assert api_as(alice).get(f"/jobs/{export.json()['id']}").status_code == 404


@pytest.mark.usefixtures("immediate_tasks")
def test_the_organizer_imports_word_forms_and_polls(  # type: ignore[no-untyped-def]
    campaign, enterprise_a, olga, api_as, django_capture_on_commit_callbacks
) -> None:
    o = api_as(olga)
    data = formgen.build(
        formgen.Fill(enterprise_name=enterprise_a.name, pledge_name=enterprise_a.name)
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = o.client.post(
            f"/api/v1/campaigns/{campaign.pk}/imports",
            {"files": [SimpleUploadedFile("甲.docx", data)]},
            headers=o.headers,
        )
    assert r.status_code == 202, r.content
    batch = o.get(f"/imports/{r.json()['id']}").json()
    assert batch["status"] == "done" and batch["progress"] == 100
    assert [(i["name"], i["status"], i["enterprise"]) for i in batch["items"]] == [
        ("甲.docx", "read", enterprise_a.name)
    ]
    nothing = o.client.post(
        f"/api/v1/campaigns/{campaign.pk}/imports",
        {"note": "no files"},
        headers=o.headers,
    )
    assert nothing.status_code == 409
    assert nothing.json()["detail"] == "请选择要导入的 Word 文件或压缩包"
