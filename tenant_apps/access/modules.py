"""What a school feature declares: the module it belongs to and the action it performs.

Every page and API endpoint of a school names one module and one action; the school's
access matrix says which roles may perform which action in which module.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Module(models.TextChoices):
    GENERAL = "general", _("General")
    ABSENCE = "absence", _("Absence")
    LOGBOOK = "logbook", _("Logbook")
    SUPPORT = "support", _("Support")
    CONVERSATION_FORMS = "conversation_forms", _("Conversation forms")
    PORTFOLIO = "portfolio", _("Portfolio")
    TIMETABLE = "timetable", _("Timetable")
    REPORTS = "reports", _("Reports")
    INTAKE = "intake", _("Intake")
    TRUANCY = "truancy", _("Truancy notifications")
    OUTFLOW = "outflow", _("Outflow")
    EVENTS = "events", _("Regional meetings and trainings")
    ADMINISTRATION = "administration", _("Administration")


class Action(models.TextChoices):
    VIEW = "view", _("View")
    EDIT = "edit", _("Edit")
    EXPORT = "export", _("Export")
