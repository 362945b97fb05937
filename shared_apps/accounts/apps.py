from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """User accounts: Presentis staff in the public schema, school users in each school."""

    name = "shared_apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
