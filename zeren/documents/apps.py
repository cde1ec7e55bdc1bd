from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "zeren.documents"
    label = "documents"
    verbose_name = _("文档")

    def ready(self) -> None:
        from zeren.documents import signals  # noqa: F401
        from zeren.jobs.registry import register

        register(
            "document",
            run="zeren.documents.jobs.run_job",
            give_up="zeren.documents.jobs.fail_job",
        )
        register(
            "import_batch",
            run="zeren.documents.imports.run_batch",
            give_up="zeren.documents.imports.fail_batch",
        )
        register(
            "scan_check",
            run="zeren.documents.scan_checks.run_check",
            give_up="zeren.documents.scan_checks.fail_check",
        )
