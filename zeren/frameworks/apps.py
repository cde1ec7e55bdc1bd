from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "zeren.frameworks"
    label = "frameworks"
    verbose_name = _("指标体系")

    def ready(self) -> None:
        from zeren.frameworks.loader import ensure_seed_framework

        # A new installation has the seed framework as soon as its tables exist.
        post_migrate.connect(ensure_seed_framework, sender=self)
