"""安全审计: a hash chain that names the first changed or removed event, kept 180 days, one
chain even with concurrent writers, sentences instead of codes."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.translation import override

from zeren.audit.log import record, verify
from zeren.audit.models import AuditEvent
from zeren.security.audit_text import describe


def _events(user, n: int = 5) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    return [record(user, "auth.login", user) for _ in range(n)]


@pytest.mark.django_db
def test_an_untouched_chain_verifies(alice) -> None:  # type: ignore[no-untyped-def]
    _events(alice)
    assert verify() is None
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "完整" in out.getvalue()


@pytest.mark.django_db
def test_a_changed_event_is_named(alice) -> None:  # type: ignore[no-untyped-def]
    events = _events(alice)
    with connection.cursor() as cur:  # what an intruder with database access would do
        cur.execute(
            "UPDATE assessments_auditevent SET action = 'auth.logout' WHERE id = %s",
            [events[2].pk],
        )
    broken = verify()
    assert broken is not None and broken.event_id == events[2].pk and broken.reason == "changed"
    with pytest.raises(CommandError, match=f"#{events[2].pk}"):
        call_command("audit", "verify", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_removed_event_is_found_at_the_next_one(alice) -> None:  # type: ignore[no-untyped-def]
    events = _events(alice)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM assessments_auditevent WHERE id = %s", [events[1].pk])
    broken = verify()
    assert broken is not None and broken.event_id == events[2].pk


@pytest.mark.django_db
def test_removing_the_last_event_is_found(alice) -> None:  # type: ignore[no-untyped-def]
    events = _events(alice)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM assessments_auditevent WHERE id = %s", [events[-1].pk])
    broken = verify()
    assert broken is not None and broken.event_id == events[-1].pk


@pytest.mark.django_db
def test_events_younger_than_180_days_are_not_deleted(alice) -> None:  # type: ignore[no-untyped-def]
    _events(alice, 2)
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(RuntimeError):
        AuditEvent.objects.first().delete()  # type: ignore[union-attr]
    with pytest.raises(CommandError):
        call_command("audit", "purge", "--days", "30", stdout=io.StringIO())
    assert AuditEvent.objects.count() >= 2


@pytest.mark.django_db
def test_purging_old_events_keeps_the_chain_verifiable(alice) -> None:  # type: ignore[no-untyped-def]
    events = _events(alice, 4)
    old = timezone.now() - timedelta(days=400)
    # Backdate the first two (and rehash them, as if written then).
    from zeren.audit.log import event_hash

    prev = ""
    for e in AuditEvent.objects.order_by("pk"):
        if e.pk <= events[1].pk:
            e.at = old
        e.prev_hash = prev
        e.hash = event_hash(e)
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE assessments_auditevent SET at = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [e.at, prev, e.hash, e.pk],
            )
        prev = e.hash
    from zeren.audit.models import AuditChainHead

    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)
    call_command("audit", "purge", stdout=io.StringIO())
    assert not AuditEvent.objects.filter(pk__in=[events[0].pk, events[1].pk]).exists()
    assert verify() is None


@pytest.mark.django_db
def test_long_text_is_kept_as_a_digest(alice) -> None:  # type: ignore[no-untyped-def]
    e = record(alice, "answer.saved", alice, after={"work_summary": "字" * 5000})
    assert e.after["work_summary"]["length"] == 5000
    assert len(e.after["work_summary"]["sha256"]) == 64


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(alice) -> None:  # type: ignore[no-untyped-def]
    n, per = 4, 10
    barrier = threading.Barrier(n)
    errors: list[Exception] = []

    def write() -> None:
        barrier.wait()
        try:
            for _ in range(per):
                record(alice, "auth.login", alice)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert verify() is None
    hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(hashes) == len(set(hashes))  # no two events share a predecessor


@pytest.mark.django_db
def test_every_event_reads_as_a_sentence_in_both_languages(assessment, alice, olga, rita) -> None:  # type: ignore[no-untyped-def]
    from tests.assessments.helpers import fill_completely
    from zeren.assessments import submissions
    from zeren.reviews.services import assign_reviewer

    fill_completely(assessment, alice)
    submissions.submit_self_assessment(assessment=assessment, by=alice)
    assign_reviewer(assessment=assessment, reviewer=rita, by=olga)
    e = AuditEvent.objects.get(action="review.assigned")
    assert describe(e) == "分配给评审专家 rita"
    with override("en"):
        assert describe(e) == "assigned to reviewer rita"
    submitted = AuditEvent.objects.get(action="self_assessment.submitted")
    assert describe(submitted) == "提交了第 1 版"
    for event in AuditEvent.objects.all():
        text = describe(event)
        assert "{" not in text and "." not in text.split("“")[0].replace("…", ""), text


@pytest.mark.django_db
def test_security_events_carry_address_user_agent_and_result(alice) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import PASSWORD

    c = Client(REMOTE_ADDR="10.9.8.7", HTTP_USER_AGENT="UA/2")
    c.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    c.post("/accounts/logout/")
    logout = AuditEvent.objects.get(action="auth.logout")
    assert (logout.address, logout.user_agent, logout.result) == ("10.9.8.7", "UA/2", "success")


@pytest.mark.django_db
def test_the_enterprise_timeline_shows_its_own_changes_as_sentences(
    assessment, alice, olga, rita
) -> None:  # type: ignore[no-untyped-def]
    from tests.assessments.helpers import fill_completely
    from zeren.assessments import submissions
    from zeren.reviews.services import assign_reviewer

    fill_completely(assessment, alice)
    submissions.submit_self_assessment(assessment=assessment, by=alice)
    assign_reviewer(assessment=assessment, reviewer=rita, by=olga)
    c = Client()
    c.force_login(alice)
    page = c.get(f"/assessments/{assessment.pk}/activity/").content.decode()
    assert "提交了第 1 版" in page and "修改了指标 1 的" in page
    assert "rita" not in page and "review." not in page and "{&#x27;" not in page


def test_every_recorded_action_has_a_sentence() -> None:
    import re
    from pathlib import Path

    from zeren.security.audit_text import SENTENCES

    root = Path(__file__).resolve().parents[2] / "zeren"
    source = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))
    dotted = r'"([a-z_]+\.[a-z_]+)"'
    actions = set(re.findall(r"record\(\s*[^,()]+(?:\([^()]*\))?,\s*" + dotted, source))
    actions |= set(re.findall(r"action=" + dotted, source))
    for pair in re.findall(dotted + r" if [a-z_]+ else " + dotted, source):
        actions |= set(pair)
    assert {"review.assigned", "evidence.changed", "admin.added", "campaign.opened"} <= actions
    missing = sorted(a for a in actions if a not in SENTENCES)
    assert not missing, missing
