from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "zeren.documents"
    label = "documents"
    verbose_name = _("文档")

    def ready(self) -> None:
        from zeren.jobs.registry import register

        register(
            "document",
            run="zeren.documents.jobs.run_job",
            give_up="zeren.documents.jobs.fail_job",
        )
