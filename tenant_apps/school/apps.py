from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolConfig(AppConfig):
    """The school's own structure: locations, groups, students and staff."""

    name = "tenant_apps.school"
    label = "school"
    verbose_name = _("School")
