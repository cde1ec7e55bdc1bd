"""Personas shared by the whole suite.

alice: admin of enterprise A; bob: member of A; charlie: admin of enterprise B;
rita: reviewer; olga: organizer; anonymous: nobody logged in.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from zeren.accounts.credit_code import make_credit_code
from zeren.accounts.models import Enterprise, Membership, Role, User
from zeren.assessments.models import SelfAssessment
from zeren.assessments.services import create_self_assessment
from zeren.campaigns.models import Campaign
from zeren.frameworks.models import Framework

PASSWORD = "correct-horse-battery"


def make_user(username: str, role: str, enterprise: Enterprise | None = None) -> User:
    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.com",
        password=PASSWORD,
        display_name=username.title(),
    )
    Membership.objects.create(user=user, enterprise=enterprise, role=role)
    return user


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request in English leaves English active in the test's thread; every test starts from
    # the site's default language instead of whatever ran before it on this worker.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:  # type: ignore[no-untyped-def]
    # PBKDF2 costs ~0.3 s a user; the suite creates hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _security_opt_in(request, settings) -> None:  # type: ignore[no-untyped-def]
    """The second factor is enforced only in tests marked @pytest.mark.otp, so that every other
    test may log organizers and reviewers in with force_login or the login form."""
    if request.node.get_closest_marker("otp") is None:
        settings.ZEREN_REQUIRE_OTP = False


@pytest.fixture
def immediate_tasks(settings) -> None:  # type: ignore[no-untyped-def]
    """Background jobs run as soon as they are enqueued (after commit), in the test's process."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def framework(db: None) -> Framework:
    return Framework.objects.get(key="platform-csr", version=1)


@pytest.fixture
def campaign(framework: Framework) -> Campaign:
    now = timezone.now()
    return Campaign.objects.create(
        framework=framework,
        title="2026年度自评",
        year=2026,
        status=Campaign.Status.OPEN,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )


@pytest.fixture
def enterprise_a(db: None) -> Enterprise:
    return Enterprise.objects.create(
        name="甲平台有限公司",
        credit_code=make_credit_code("91110108MA0000001"),
        contact_name="张三",
        contact_phone="13800000000",
    )


@pytest.fixture
def enterprise_b(db: None) -> Enterprise:
    return Enterprise.objects.create(
        name="乙平台有限公司", credit_code=make_credit_code("91310115MA0000002")
    )


@pytest.fixture
def alice(enterprise_a: Enterprise) -> User:
    return make_user("alice", Role.ENTERPRISE_ADMIN, enterprise_a)


@pytest.fixture
def bob(enterprise_a: Enterprise) -> User:
    return make_user("bob", Role.ENTERPRISE_MEMBER, enterprise_a)


@pytest.fixture
def charlie(enterprise_b: Enterprise) -> User:
    return make_user("charlie", Role.ENTERPRISE_ADMIN, enterprise_b)


@pytest.fixture
def rita(db: None) -> User:
    return make_user("rita", Role.REVIEWER)


@pytest.fixture
def olga(db: None) -> User:
    return make_user("olga", Role.ORGANIZER)


@pytest.fixture
def assessment(campaign: Campaign, enterprise_a: Enterprise, alice: User) -> SelfAssessment:
    return create_self_assessment(
        campaign=campaign, enterprise=enterprise_a, business_scope="电商平台", by=alice
    )


@pytest.fixture
def assessment_b(campaign: Campaign, enterprise_b: Enterprise, charlie: User) -> SelfAssessment:
    return create_self_assessment(
        campaign=campaign, enterprise=enterprise_b, business_scope="短视频", by=charlie
    )


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A real S3 server (moto in server mode) on loopback, one per test process."""
    from tests.servers import moto_server

    with moto_server() as url:
        yield url


@pytest.fixture
def s3_bucket(moto_endpoint: str, settings) -> str:  # type: ignore[no-untyped-def]
    """A fresh, empty bucket made the default storage for this test."""
    from tests.servers import new_bucket, s3_env, s3_storages

    bucket = new_bucket(moto_endpoint)
    settings.STORAGES = s3_storages(s3_env(moto_endpoint, bucket), settings.STORAGES)
    return bucket
