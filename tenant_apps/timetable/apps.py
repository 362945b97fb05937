from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimetableConfig(AppConfig):
    """The school's timetable: input, solving, versions and publication."""

    name = "tenant_apps.timetable"
    label = "timetable"
    verbose_name = _("Timetable")
