from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "zeren.security"
    verbose_name = _("安全")

    def ready(self) -> None:
        from zeren.security import signals  # noqa: F401
