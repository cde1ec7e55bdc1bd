from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "zeren.reports"
    label = "reports"
    verbose_name = _("评估结果")

    def ready(self) -> None:
        from zeren.jobs.registry import register

        register(
            "report",
            run="zeren.reports.jobs.run_report_job",
            give_up="zeren.documents.jobs.fail_job",
        )
