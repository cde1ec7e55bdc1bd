from __future__ import annotations

import pytest
from django.test import Client

from tests.assessments.helpers import fill_completely
from tests.conftest import make_user
from zeren.accounts.models import Role
from zeren.assessments import services, submissions
from zeren.assessments.services import ServiceError
from zeren.frameworks.spec import seed_spec
from zeren.reviews import services as review_services
from zeren.reviews.models import ReviewAssignment, ReviewRating
from zeren.reviews.results import submission_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(assessment, alice):  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice, level=2)
    return submissions.submit_self_assessment(assessment=assessment, by=alice)


@pytest.fixture
def rex(db):  # type: ignore[no-untyped-def]
    return make_user("rex", Role.REVIEWER)


def _c(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_an_assigned_reviewer_rates_with_autosave_and_an_unassigned_one_gets_404(
    submitted, rita, rex, olga
) -> None:  # type: ignore[no-untyped-def]
    review_services.assign_reviewer(assessment=submitted.self_assessment, reviewer=rita, by=olga)
    url = f"/review/{submitted.pk}/indicators/3/"
    assert _c(rita).get(url).status_code == 200
    assert _c(rex).get(url).status_code == 404
    assert _c(rex).post(url + "save/", {"level": "2"}).status_code == 404
    r = _c(rita).post(
        url + "save/",
        {"level": "3", "sufficiency": "partial", "comment": "制度有，执行记录不足", "version": "0"},
    )
    assert r.status_code == 200, r.content
    rating = ReviewRating.objects.get()
    assert (rating.indicator, rating.level, rating.sufficiency) == (3, 3, "partial")
    # A stale page: conflict, both versions shown.
    r = _c(rita).post(url + "save/", {"comment": "另一页面", "version": "1"})
    assert r.status_code == 409 and r.json()["theirs"]["comment"] == "制度有，执行记录不足"


def test_the_review_page_shows_the_claim_and_evidence_side_by_side(submitted, rita, olga) -> None:  # type: ignore[no-untyped-def]
    review_services.assign_reviewer(assessment=submitted.self_assessment, reviewer=rita, by=olga)
    page = _c(rita).get(f"/review/{submitted.pk}/indicators/1/").content.decode()
    assert "2.比较重视" in page and "指标1的工作情况" in page and "制度文件.pdf" in page
    assert "?inline=1" in page  # the PDF is previewed inline
    f = submitted.self_assessment.files.first()
    assert (
        _c(rita).get(f"/assessments/{submitted.self_assessment_id}/files/{f.pk}/").status_code
        == 200
    )
    # …but not the enterprise's workspace.
    assert _c(rita).get(f"/assessments/{submitted.self_assessment_id}/").status_code == 404


def test_a_declared_conflict_removes_access_and_auto_assign_skips_it(
    submitted, rita, rex, olga
) -> None:  # type: ignore[no-untyped-def]
    a = review_services.assign_reviewer(
        assessment=submitted.self_assessment, reviewer=rita, by=olga
    )
    r = _c(rita).post(f"/review/{submitted.pk}/conflict/", {"reason": "曾为该企业提供咨询"})
    assert r.status_code == 302
    assert _c(rita).get(f"/review/{submitted.pk}/indicators/1/").status_code == 404
    a.refresh_from_db()
    assert a.conflict_declared_at is not None
    n = review_services.auto_assign(
        campaign=submitted.self_assessment.campaign, per_assessment=1, by=olga
    )
    assert n == 1
    assert (
        ReviewAssignment.objects.get(
            self_assessment=submitted.self_assessment, conflict_declared_at__isnull=True
        ).reviewer
        == rex
    )


def test_auto_assign_balances_the_load(campaign, enterprise_a, alice, rita, rex, olga) -> None:  # type: ignore[no-untyped-def]
    from zeren.accounts.credit_code import make_credit_code
    from zeren.accounts.models import Enterprise

    for i in range(4):
        e = Enterprise.objects.create(
            name=f"企业{i}", credit_code=make_credit_code(f"9111010800000{i:03d}A"[:17])
        )
        admin = make_user(f"admin{i}", Role.ENTERPRISE_ADMIN, e)
        sa = services.create_self_assessment(
            campaign=campaign, enterprise=e, business_scope="平台", by=admin
        )
        fill_completely(sa, admin)
        submissions.submit_self_assessment(assessment=sa, by=admin)
    assert review_services.auto_assign(campaign=campaign, per_assessment=1, by=olga) == 4
    loads = sorted(ReviewAssignment.objects.filter(reviewer=r).count() for r in (rita, rex))
    assert loads == [2, 2]
    assert (
        review_services.auto_assign(campaign=campaign, per_assessment=1, by=olga) == 0
    )  # idempotent


def test_disagreement_is_flagged_settled_and_scored(submitted, rita, rex, olga) -> None:  # type: ignore[no-untyped-def]
    sa = submitted.self_assessment
    a1 = review_services.assign_reviewer(assessment=sa, reviewer=rita, by=olga)
    a2 = review_services.assign_reviewer(assessment=sa, reviewer=rex, by=olga)
    for n in range(1, 29):
        review_services.save_rating(
            assignment=a1,
            submission=submitted,
            indicator=n,
            by=rita,
            expected_version=None,
            changes={"level": 2, "sufficiency": "sufficient"},
        )
        review_services.save_rating(
            assignment=a2,
            submission=submitted,
            indicator=n,
            by=rex,
            expected_version=None,
            changes={"level": 4 if n == 5 else 2, "sufficiency": "sufficient"},
        )
    result = submission_result(submitted, seed_spec())
    assert [r.indicator.number for r in result.flagged] == [5]
    assert result.rows[4].consolidated.level == 4  # worse middle of (2, 4)
    page = _c(olga).get(f"/organizer/submissions/{submitted.pk}/").content.decode()
    assert "分歧" in page
    assert (
        _c(olga)
        .post(
            f"/organizer/submissions/{submitted.pk}/settle/",
            {"indicator": "5", "level": "3", "note": "以现场核查为准"},
        )
        .status_code
        == 302
    )
    result = submission_result(submitted, seed_spec())
    assert result.flagged == [] and result.rows[4].consolidated.level == 3
    # Self: all level 2 = 75. Reviewed: 27 × 75 + 50 = 2075 / 28 = 74.107 → 74.11
    assert str(result.self_scores.total.value) == "75.00"
    assert str(result.reviewed_scores.total.value) == "74.11"
    assert result.rows[4].gap == -25


def test_a_returned_form_cannot_be_reviewed(submitted, rita, olga) -> None:  # type: ignore[no-untyped-def]
    a = review_services.assign_reviewer(
        assessment=submitted.self_assessment, reviewer=rita, by=olga
    )
    submissions.return_for_revision(
        submission=submitted, by=olga, comments=[{"indicator": 1, "comment": "补充"}]
    )
    with pytest.raises(ServiceError):
        review_services.save_rating(
            assignment=a,
            submission=submitted,
            indicator=1,
            by=rita,
            expected_version=None,
            changes={"level": 2},
        )
    r = _c(rita).post(f"/review/{submitted.pk}/indicators/1/save/", {"level": "2"})
    assert r.status_code == 400 and "不能评审" in r.json()["error"]


def test_a_resubmission_goes_back_to_the_same_reviewers_with_changes_marked(
    submitted, alice, rita, olga
) -> None:  # type: ignore[no-untyped-def]
    sa = submitted.self_assessment
    review_services.assign_reviewer(assessment=sa, reviewer=rita, by=olga)
    submissions.return_for_revision(
        submission=submitted, by=olga, comments=[{"indicator": 4, "comment": "补充"}]
    )
    answer = sa.answers.get(indicator__number=4)
    services.save_answer(
        answer=answer,
        by=alice,
        expected_version=answer.version,
        changes={"work_summary": "补充后的说明"},
    )
    second = submissions.submit_self_assessment(assessment=sa, by=alice)
    page = _c(rita).get(f"/review/{second.pk}/indicators/4/").content.decode()
    assert "本版已修改" in page and "补充后的说明" in page
    assert "本版已修改" not in _c(rita).get(f"/review/{second.pk}/indicators/5/").content.decode()
    assert "第 2 版" in _c(rita).get("/review/").content.decode()


def test_only_the_organizer_manages_reviews(submitted, alice, charlie, rita, olga) -> None:  # type: ignore[no-untyped-def]
    review_services.assign_reviewer(assessment=submitted.self_assessment, reviewer=rita, by=olga)
    for user, expected in ((alice, 403), (rita, 404), (charlie, 404)):
        c = _c(user)
        assert c.get(f"/organizer/submissions/{submitted.pk}/").status_code == expected
        assert (
            c.post(
                f"/organizer/submissions/{submitted.pk}/settle/", {"indicator": "1", "level": "1"}
            ).status_code
            == expected
        )
        assert (
            c.post(
                f"/organizer/submissions/{submitted.pk}/assign/", {"reviewer": str(rita.pk)}
            ).status_code
            == expected
        )
        assert c.get(
            f"/organizer/campaigns/{submitted.self_assessment.campaign_id}/reviewers/"
        ).status_code in (403, 404)
    assert (
        _c(olga)
        .get(f"/organizer/campaigns/{submitted.self_assessment.campaign_id}/reviewers/")
        .status_code
        == 200
    )
    assert (
        _c(olga).get("/review/1/indicators/1/").status_code == 404
    )  # the organizer is not a reviewer


def test_enterprises_see_only_what_the_organizer_released_and_never_reviewer_names(
    submitted, alice, rita, olga
) -> None:  # type: ignore[no-untyped-def]
    sa = submitted.self_assessment
    a = review_services.assign_reviewer(assessment=sa, reviewer=rita, by=olga)
    review_services.save_rating(
        assignment=a,
        submission=submitted,
        indicator=1,
        by=rita,
        expected_version=None,
        changes={"level": 4, "comment": "佐证与自评不符"},
    )
    url = f"/assessments/{sa.pk}/"
    page = _c(alice).get(url).content.decode()
    assert "评审结果" not in page and "佐证与自评不符" not in page
    review_services.set_release(
        campaign=sa.campaign, by=olga, levels=True, comments=True, scores=False
    )
    page = _c(alice).get(url).content.decode()
    assert "评审结果" in page and "4.不太重视" in page and "佐证与自评不符" in page
    assert "Rita" not in page and "rita" not in page
    assert "评审得分" not in page


def test_the_lead_reviewer_may_return_and_other_reviewers_may_not(
    submitted, rita, rex, alice, olga
) -> None:  # type: ignore[no-untyped-def]
    sa = submitted.self_assessment
    lead = review_services.assign_reviewer(assessment=sa, reviewer=rita, by=olga, is_lead=True)
    review_services.assign_reviewer(assessment=sa, reviewer=rex, by=olga)
    review_services.save_rating(
        assignment=lead,
        submission=submitted,
        indicator=2,
        by=rita,
        expected_version=None,
        changes={"level": 4, "comment": "报告未公开发布"},
    )
    assert (
        "退回修改（评审组长）"
        in _c(rita).get(f"/review/{submitted.pk}/indicators/1/").content.decode()
    )
    assert (
        "退回修改（评审组长）"
        not in _c(rex).get(f"/review/{submitted.pk}/indicators/1/").content.decode()
    )
    url = f"/organizer/submissions/{submitted.pk}/return/"
    assert _c(rex).post(url, {"indicators": ["2"]}).status_code == 403
    assert _c(alice).post(url, {"indicators": ["2"]}).status_code == 403
    r = _c(rita).post(
        url, {"indicators": ["2"], "comment_2": "报告未公开发布", "message": "请补充"}
    )
    assert r.status_code == 302 and r["Location"] == "/review/"
    sa.refresh_from_db()
    assert sa.status == "returned"
    request = submitted.revision_requests.get()
    assert (
        request.comments == [{"indicator": 2, "comment": "报告未公开发布"}]
        and request.created_by == rita
    )


def test_the_reviewers_list_shows_progress_in_a_fixed_number_of_queries(
    campaign, submitted, rita, olga, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zeren.accounts.credit_code import make_credit_code
    from zeren.accounts.models import Enterprise

    a = review_services.assign_reviewer(
        assessment=submitted.self_assessment, reviewer=rita, by=olga
    )
    for n in (1, 2, 3):
        review_services.save_rating(
            assignment=a,
            submission=submitted,
            indicator=n,
            by=rita,
            expected_version=None,
            changes={"level": 2},
        )
    c = _c(rita)
    with CaptureQueriesContext(connection) as one:
        page = c.get("/review/").content.decode()
    assert "3/28" in page
    for i in range(3):
        e = Enterprise.objects.create(
            name=f"另一企业{i}", credit_code=make_credit_code(f"9144030000000{i:03d}B"[:17])
        )
        admin = make_user(f"other{i}", Role.ENTERPRISE_ADMIN, e)
        sa = services.create_self_assessment(
            campaign=campaign, enterprise=e, business_scope="平台", by=admin
        )
        fill_completely(sa, admin)
        submissions.submit_self_assessment(assessment=sa, by=admin)
        review_services.assign_reviewer(assessment=sa, reviewer=rita, by=olga)
    with CaptureQueriesContext(connection) as four:
        page = c.get("/review/").content.decode()
    assert page.count("0/28") == 3 and "3/28" in page
    assert len(four.captured_queries) == len(one.captured_queries)
