"""zeren demo: demo data to look at (idempotent: running it again changes nothing)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from zeren.accounts.credit_code import make_credit_code
from zeren.accounts.models import Enterprise, Membership, Role, User
from zeren.assessments.models import SelfAssessment
from zeren.assessments.services import create_self_assessment
from zeren.campaigns.models import Campaign
from zeren.frameworks.models import Framework
from zeren.frameworks.spec import seed_spec

DEMO_PASSWORD = "zeren-demo-2026"

ENTERPRISES = [
    ("示例电商平台有限公司", "9111010800000001A", "电商平台", "shop", "电商"),
    ("示例短视频科技有限公司", "9131011500000002B", "短视频平台", "video", "短视频"),
    ("示例出行服务有限公司", "9144030000000003C", "网约车平台", "ride", "网约车"),
]


# Real, small documents, so previews and downloads show what the product does: a one-page
# report with text (made from a .docx by LibreOffice), a picture of its first page, and the
# pledge rendered by Zeren itself.
DATA = Path(__file__).resolve().parents[2] / "data"


def _demo_file(name: str, stored_as: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(stored_as, (DATA / name).read_bytes())


def _fill_and_submit(sa: SelfAssessment, admin: User, reviewer: User, organizer: User) -> None:
    """One enterprise has already submitted, so the organizer and reviewer have something to see."""
    from zeren.assessments import services, submissions
    from zeren.assessments.models import StoredFile
    from zeren.assessments.uploads import store_upload
    from zeren.reviews.services import assign_reviewer

    sa = services.save_cover(
        assessment=sa,
        by=admin,
        expected_version=sa.version,
        changes={
            "contact_person": "出行平台联系人",
            "contact_info": "010-12345678",
            "pledge_lead": "出行平台负责人",
            "pledge_date": timezone.localdate(),
        },
    )
    report, _ = store_upload(
        assessment=sa,
        upload=_demo_file("demo-report.pdf", "2026年度社会责任报告（节选）.pdf"),
        by=admin,
    )
    picture, _ = store_upload(
        assessment=sa, upload=_demo_file("demo-report-page.png", "社会责任报告首页.png"), by=admin
    )
    for answer in sa.answers.select_related("indicator"):
        level = 1 + answer.indicator.number % 3
        services.save_answer(
            answer=answer,
            by=admin,
            expected_version=answer.version,
            changes={
                "level": level,
                "work_summary": f"本年度围绕“{answer.indicator.name}”开展了制度建设和专项工作，详见佐证材料。",
            },
        )
        services.save_evidence_item(
            answer=answer,
            by=admin,
            title="年度社会责任报告（节选）",
            files=[report, picture] if answer.indicator.number % 4 == 1 else [report],
        )
    scan, _ = store_upload(
        assessment=sa,
        upload=_demo_file("demo-pledge.pdf", "诚信承诺书（盖章）.pdf"),
        by=admin,
        kind=StoredFile.Kind.PLEDGE_SCAN,
    )
    services.set_pledge_scan(assessment=sa, stored_file=scan, by=admin)
    submissions.submit_self_assessment(assessment=sa, by=admin)
    assign_reviewer(assessment=sa, reviewer=reviewer, by=organizer)


class Command(BaseCommand):
    help = "载入演示数据并输出登录信息 / Load demo data and print the logins"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json", action="store_true", help="以 JSON 输出登录信息 / print the logins as JSON"
        )
        parser.add_argument(
            "--cohort",
            type=int,
            default=0,
            metavar="N",
            help="另加 N 家企业、两个年度的评估与结果 / add N enterprises in two yearly campaigns with results",
        )

    def _user(self, username: str, name: str, email: str) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            # The demo password is printed for everyone: exempt from expiry in demo data only.
            defaults={"display_name": name, "email": email, "password_never_expires": True},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _totp(self, login: dict[str, Any], user: User) -> None:
        """Accounts that need a second factor get a confirmed TOTP device with a known secret."""
        from zeren.security.otp import enrol_for_demo, needs_second_factor

        if needs_second_factor(user):
            seed = hashlib.sha256(f"zeren-demo-totp:{user.username}".encode()).hexdigest()[:40]
            login["totp_secret"] = enrol_for_demo(user, seed)

    def handle(self, *args: Any, **opts: Any) -> None:
        # A fresh data directory has no tables yet: create them (and the seed framework) first.
        call_command("migrate", verbosity=0, interactive=False)
        self._load(opts)

    @transaction.atomic
    def _load(self, opts: dict[str, Any]) -> None:
        logins: list[dict[str, Any]] = []
        organizer = self._user("organizer", "主办方演示账号", "organizer@example.com")
        Membership.objects.get_or_create(user=organizer, enterprise=None, role=Role.ORGANIZER)
        if organizer.is_superuser:  # earlier demo data made the organizer a superuser
            organizer.is_superuser = False
            organizer.save(update_fields=["is_superuser"])
        logins.append(
            {
                "role": Role.ORGANIZER.value,
                "enterprise": None,
                "username": "organizer",
                "password": DEMO_PASSWORD,
            }
        )
        reviewer = self._user("reviewer", "评审专家演示账号", "reviewer@example.com")
        Membership.objects.get_or_create(user=reviewer, enterprise=None, role=Role.REVIEWER)
        logins.append(
            {
                "role": Role.REVIEWER.value,
                "enterprise": None,
                "username": "reviewer",
                "password": DEMO_PASSWORD,
            }
        )

        # 三员分立: the system, security and audit administrators, none of them a superuser.
        for username, name, role, staff in (
            ("sysadmin", "系统管理员演示账号", Role.SYSTEM_ADMIN, True),
            ("secadmin", "安全管理员演示账号", Role.SECURITY_ADMIN, True),
            ("auditor", "审计管理员演示账号", Role.AUDIT_ADMIN, False),
        ):
            person = self._user(username, name, f"{username}@example.com")
            Membership.objects.get_or_create(user=person, enterprise=None, role=role)
            if person.is_staff != staff:
                person.is_staff = staff
                person.save(update_fields=["is_staff"])
            logins.append(
                {
                    "role": role.value,
                    "enterprise": None,
                    "username": username,
                    "password": DEMO_PASSWORD,
                }
            )

        spec = seed_spec()
        framework = Framework.objects.get(key=spec.id, version=spec.version)
        now = timezone.now()
        campaign, _ = Campaign.objects.get_or_create(
            framework=framework,
            year=now.year,
            title=f"{now.year}年度互联网平台企业履行社会责任自评",
            defaults={
                "opens_at": now - timedelta(days=1),
                "closes_at": now + timedelta(days=60),
                "status": Campaign.Status.OPEN,
                "instructions": "请各平台企业如实填写自评表，并按指标提供佐证材料。",
            },
        )
        demo_enterprises = []
        for name, code17, scope, slug, segment in ENTERPRISES:
            enterprise, _ = Enterprise.objects.get_or_create(
                credit_code=make_credit_code(code17),
                defaults={
                    "name": name,
                    "segment": segment,
                    "contact_name": f"{slug}管理员",
                    "contact_email": f"{slug}-admin@example.com",
                    "contact_phone": "010-12345678",
                },
            )
            if not enterprise.segment:
                enterprise.segment = segment
                enterprise.save(update_fields=["segment"])
            demo_enterprises.append(enterprise)
            for role, suffix, label in (
                (Role.ENTERPRISE_ADMIN, "admin", "管理员"),
                (Role.ENTERPRISE_MEMBER, "member", "成员"),
            ):
                user = self._user(
                    f"{slug}-{suffix}", f"{name[2:6]}{label}", f"{slug}-{suffix}@example.com"
                )
                Membership.objects.get_or_create(user=user, enterprise=enterprise, role=role)
                logins.append(
                    {
                        "role": role.value,
                        "enterprise": enterprise.name,
                        "username": user.username,
                        "password": DEMO_PASSWORD,
                    }
                )
            if not SelfAssessment.objects.filter(campaign=campaign, enterprise=enterprise).exists():
                create_self_assessment(
                    campaign=campaign, enterprise=enterprise, business_scope=scope, by=None
                )
        ride = SelfAssessment.objects.filter(campaign=campaign, business_scope="网约车平台").first()
        if ride is not None and not ride.submissions.exists():
            _fill_and_submit(ride, User.objects.get(username="ride-admin"), reviewer, organizer)
        if opts["cohort"] < 0:
            raise CommandError("--cohort 应为非负整数 / --cohort must not be negative")
        if opts["cohort"]:
            from zeren.reports.cohort import build_cohort

            second = self._user("reviewer2", "评审专家二", "reviewer2@example.com")
            Membership.objects.get_or_create(user=second, enterprise=None, role=Role.REVIEWER)
            logins.append(
                {
                    "role": Role.REVIEWER.value,
                    "enterprise": None,
                    "username": "reviewer2",
                    "password": DEMO_PASSWORD,
                }
            )
            summary = build_cohort(
                opts["cohort"],
                current=campaign,
                reviewers=(reviewer, second),
                organizer=organizer,
                demo_enterprises=demo_enterprises,
            )
            if not opts["json"]:
                self.stdout.write(
                    f"演示企业群 / cohort: {summary.enterprises} 家企业（新增 {summary.created}），"
                    f"评估工作 / campaigns {summary.campaigns}"
                )
        for login in logins:
            self._totp(login, User.objects.get(username=login["username"]))
        if opts["json"]:
            self.stdout.write(json.dumps(logins, ensure_ascii=False))
            return
        self.stdout.write(
            f"演示数据已就绪 / demo data ready. 登录 / logins (密码 password: {DEMO_PASSWORD}):"
        )
        for login in logins:
            who = login["enterprise"] or "—"
            secret = f"  TOTP: {login['totp_secret']}" if "totp_secret" in login else ""
            self.stdout.write(
                f"  {login['username']:<16} {Role(login['role']).label:<8} {who}{secret}"
            )
