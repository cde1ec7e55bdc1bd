from __future__ import annotations

import hashlib
import json

import pytest

from tests.assessments.helpers import fill_completely
from zeren.assessments import services, submissions
from zeren.assessments.formdata import FormData, canonical_json
from zeren.assessments.models import Answer, SelfAssessment, Submission
from zeren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_creates_an_answer_for_every_indicator(assessment) -> None:  # type: ignore[no-untyped-def]
    assert sorted(assessment.answers.values_list("indicator__number", flat=True)) == list(
        range(1, 29)
    )


def test_it_saves_an_answer_and_bumps_its_version(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    answer = assessment.answers.get(indicator__number=3)
    loaded = answer.version
    services.save_answer(
        answer=answer,
        by=alice,
        expected_version=loaded,
        changes={"level": 2, "work_summary": "第一段\n第二段"},
    )
    saved = Answer.objects.get(pk=answer.pk)
    assert (saved.level, saved.work_summary, saved.version) == (2, "第一段\n第二段", loaded + 1)
    assert answer.version == loaded + 1  # the caller's copy is current too
    event = AuditEvent.objects.filter(action="answer.saved").latest("at")
    assert event.after == {"level": 2, "work_summary": "第一段\n第二段"} and event.before == {
        "level": None,
        "work_summary": "",
    }


def test_it_refuses_a_stale_save_and_shows_the_other_version(assessment, alice, bob) -> None:  # type: ignore[no-untyped-def]
    answer = assessment.answers.get(indicator__number=3)
    loaded = answer.version
    services.save_answer(
        answer=answer, by=bob, expected_version=loaded, changes={"work_summary": "bob 的文字"}
    )
    with pytest.raises(services.Conflict) as exc:
        services.save_answer(
            answer=answer,
            by=alice,
            expected_version=loaded,
            changes={"work_summary": "alice 的文字"},
        )
    assert exc.value.current["work_summary"] == "bob 的文字"
    assert exc.value.version == loaded + 1
    assert "Bob" in exc.value.message
    # Nothing was overwritten; choosing "keep mine" resends with the new version.
    assert Answer.objects.get(pk=answer.pk).work_summary == "bob 的文字"
    services.save_answer(
        answer=answer,
        by=alice,
        expected_version=exc.value.version,
        changes={"work_summary": "alice 的文字"},
    )
    assert Answer.objects.get(pk=answer.pk).work_summary == "alice 的文字"


def test_it_rejects_a_level_outside_one_to_five(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    answer = assessment.answers.get(indicator__number=1)
    with pytest.raises(services.ServiceError):
        services.save_answer(
            answer=answer, by=alice, expected_version=answer.version, changes={"level": 6}
        )


def test_it_refuses_to_submit_an_incomplete_form_and_saves_nothing(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(services.Incomplete) as exc:
        submissions.submit_self_assessment(assessment=assessment, by=alice)
    codes = {f.code for f in exc.value.findings}
    assert {"no_level", "pledge_scan_missing", "pledge_incomplete"} <= codes
    sa = SelfAssessment.objects.get(pk=assessment.pk)
    assert sa.status == SelfAssessment.Status.DRAFT and sa.submission_date is None
    assert not Submission.objects.exists()


def test_it_requires_evidence_for_the_top_two_levels(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice, level=2)
    answer = assessment.answers.get(indicator__number=5)
    for item in list(answer.evidence.all()):
        services.delete_evidence_item(item=item, by=alice)
    findings = submissions.check_assessment(assessment)
    assert [
        (f.code, f.indicator, f.severity) for f in findings if f.code == "evidence_missing"
    ] == [("evidence_missing", 5, "error")]


def test_it_freezes_a_snapshot_whose_hash_covers_the_evidence_files(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    assert submission.number == 1
    assert hashlib.sha256(canonical_json(submission.snapshot)).hexdigest() == submission.sha256
    form = FormData.model_validate(submission.snapshot)
    file_hashes = {f.sha256 for a in form.answers for e in a.evidence for f in e.files}
    assert len(file_hashes) == 1 and all(len(h) == 64 for h in file_hashes)
    assert form.pledge.scan is not None and form.pledge.scan.sha256
    assert form.cover.submission_date is not None
    # Changing one byte of a file's hash changes the receipt hash.
    tampered = json.loads(json.dumps(submission.snapshot))
    tampered["answers"][0]["evidence"][0]["files"][0]["sha256"] = "0" * 64
    assert hashlib.sha256(canonical_json(tampered)).hexdigest() != submission.sha256
    sa = SelfAssessment.objects.get(pk=assessment.pk)
    assert sa.status == SelfAssessment.Status.SUBMITTED and not sa.is_editable()


def test_it_refuses_edits_and_a_second_submit_after_submitting(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submissions.submit_self_assessment(assessment=assessment, by=alice)
    answer = assessment.answers.get(indicator__number=1)
    with pytest.raises(services.ServiceError):
        services.save_answer(
            answer=answer, by=alice, expected_version=answer.version, changes={"level": 3}
        )
    with pytest.raises(services.ServiceError):
        submissions.submit_self_assessment(assessment=assessment, by=alice)
    assert Submission.objects.count() == 1


def test_it_refuses_to_submit_when_the_campaign_is_closed(assessment, alice, campaign) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    campaign.status = campaign.Status.CLOSED
    campaign.save()
    with pytest.raises(services.ServiceError):
        submissions.submit_self_assessment(assessment=assessment, by=alice)


def test_it_returns_revises_and_resubmits_as_version_two(assessment, alice, olga) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    first = submissions.submit_self_assessment(assessment=assessment, by=alice)
    submissions.return_for_revision(
        submission=first,
        by=olga,
        comments=[{"indicator": 7, "comment": "请补充辟谣工作材料"}],
        message="请修改",
    )
    assert SelfAssessment.objects.get(pk=assessment.pk).status == SelfAssessment.Status.RETURNED
    answer = assessment.answers.get(indicator__number=7)
    services.save_answer(
        answer=answer,
        by=alice,
        expected_version=answer.version,
        changes={"work_summary": "补充了辟谣工作"},
    )
    second = submissions.submit_self_assessment(assessment=assessment, by=alice)
    assert second.number == 2 and second.sha256 != first.sha256
    from zeren.assessments.diff import diff_forms
    from zeren.frameworks.spec import seed_spec

    changes = diff_forms(
        FormData.model_validate(first.snapshot),
        FormData.model_validate(second.snapshot),
        seed_spec(),
    )
    assert [c.indicator for c in changes if c.indicator] == [7]
    submissions.accept_submission(submission=second, by=olga)
    assert SelfAssessment.objects.get(pk=assessment.pk).status == SelfAssessment.Status.ACCEPTED


def test_it_refuses_invalid_transitions(assessment, alice, olga) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    first = submissions.submit_self_assessment(assessment=assessment, by=alice)
    submissions.return_for_revision(
        submission=first, by=olga, comments=[{"indicator": 1, "comment": "x"}]
    )
    with pytest.raises(services.ServiceError):
        submissions.accept_submission(submission=first, by=olga)  # a returned form is not accepted
    with pytest.raises(services.ServiceError):
        submissions.return_for_revision(
            submission=first, by=olga, comments=[{"indicator": 1, "comment": "x"}]
        )
    with pytest.raises(services.ServiceError):
        submissions.return_for_revision(
            submission=first, by=olga, comments=[{"indicator": 99, "comment": "x"}]
        )


def test_audit_events_cannot_be_changed_or_deleted(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    event = AuditEvent.objects.filter(self_assessment=assessment).first()
    assert event is not None
    event.action = "tampered"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_it_starts_a_new_draft_from_last_years_submission(
    assessment, alice, campaign, enterprise_a
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from zeren.campaigns.models import Campaign

    fill_completely(assessment, alice, level=2)
    old = submissions.submit_self_assessment(assessment=assessment, by=alice)
    next_year = Campaign.objects.create(
        framework=campaign.framework,
        title="2027年度",
        year=2027,
        status="open",
        opens_at=campaign.opens_at,
        closes_at=campaign.closes_at + timedelta(days=365),
    )
    new = services.create_self_assessment(
        campaign=next_year, enterprise=enterprise_a, business_scope="电商平台", by=alice
    )
    n = submissions.start_from_submission(assessment=new, source=old, by=alice)
    assert n == 28
    a = new.answers.get(indicator__number=4)
    assert (a.level, a.work_summary) == (2, "指标4的工作情况")
    item = a.evidence.get()
    assert item.title == "制度文件" and item.files.get().self_assessment_id == new.pk
    new.refresh_from_db()
    assert new.pledge_scan is None and new.pledge_date is None


def test_a_mention_notifies_the_colleague_only(
    assessment, alice, bob, charlie, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    answer = assessment.answers.get(indicator__number=4)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.add_comment(answer=answer, by=alice, body="@bob 请补充获奖证书 @charlie")
    assert list(comment.mentions.all()) == [bob]  # charlie is of another enterprise
    assert [m.to for m in mailoutbox] == [["bob@example.com"]]
    assert (
        "指标 4" in mailoutbox[0].subject
        and f"/assessments/{assessment.pk}/indicators/4/" in mailoutbox[0].body
    )


def test_a_stale_copy_still_audits_the_true_before_values(assessment, alice, bob) -> None:  # type: ignore[no-untyped-def]
    stale = assessment.answers.get(indicator__number=6)
    fresh = assessment.answers.get(indicator__number=6)
    services.save_answer(
        answer=fresh, by=bob, expected_version=fresh.version, changes={"remarks": "bob"}
    )
    services.save_answer(
        answer=stale, by=alice, expected_version=fresh.version, changes={"remarks": "alice"}
    )
    event = AuditEvent.objects.filter(action="answer.saved").order_by("-pk").first()
    assert event.before == {"remarks": "bob"} and event.after == {"remarks": "alice"}


def test_a_save_on_a_submitted_form_says_so_rather_than_conflict(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submissions.submit_self_assessment(assessment=assessment, by=alice)
    answer = assessment.answers.get(indicator__number=1)
    with pytest.raises(services.ServiceError) as exc:
        services.save_answer(
            answer=answer, by=alice, expected_version=answer.version, changes={"level": 3}
        )
    assert not isinstance(exc.value, services.Conflict)
    assert "已提交" in exc.value.message


def test_the_pledge_scan_must_be_a_pdf_or_a_picture(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from zeren.assessments.models import StoredFile
    from zeren.assessments.uploads import store_upload

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    word, _ = store_upload(
        assessment=assessment,
        upload=SimpleUploadedFile("承诺书.docx", buf.getvalue()),
        by=alice,
        kind=StoredFile.Kind.PLEDGE_SCAN,
    )
    with pytest.raises(services.ServiceError) as exc:
        services.set_pledge_scan(assessment=assessment, stored_file=word, by=alice)
    assert "PDF 或图片" in exc.value.message
    png, _ = store_upload(
        assessment=assessment,
        upload=SimpleUploadedFile("承诺书.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),
        by=alice,
        kind=StoredFile.Kind.PLEDGE_SCAN,
    )
    services.set_pledge_scan(assessment=assessment, stored_file=png, by=alice)
    assessment.refresh_from_db()
    assert assessment.pledge_scan == png
