from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "zeren.intake"
    label = "intake"
    verbose_name = _("导入与识别")

    def ready(self) -> None:
        from zeren.intake import signals  # noqa: F401
        from zeren.jobs.registry import register

        register(
            "import_batch",
            run="zeren.intake.imports.run_batch",
            give_up="zeren.intake.imports.fail_batch",
        )
        register(
            "scan_check",
            run="zeren.intake.scan_checks.run_check",
            give_up="zeren.intake.scan_checks.fail_check",
        )
