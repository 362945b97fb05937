from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Schools")

    def ready(self) -> None:
        from django.conf import settings

        from config.sentry import init_sentry

        init_sentry(settings.SENTRY_DSN, settings.SENTRY_ENVIRONMENT)
