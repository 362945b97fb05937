from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "shared_apps.regions"
    label = "regions"
    verbose_name = _("Provinces and regions")
