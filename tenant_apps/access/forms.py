"""Forms of the administrator's pages: log search, student page locks, a user's roles."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.models import User
from tenant_apps.access.models import Role
from tenant_apps.access.modules import Action, Module
from tenant_apps.access.services import LogFilter


class LogSearchForm(forms.Form):
    username = forms.CharField(label=_("Username"), required=False, max_length=150)
    student_number = forms.CharField(label=_("Student number"), required=False, max_length=20)
    module = forms.ChoiceField(
        label=_("Module"), required=False, choices=[("", "---------"), *Module.choices]
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "---------"), *Action.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def log_filter(self) -> LogFilter:
        """Return the search as a filter (call after ``is_valid``)."""
        data = self.cleaned_data
        return LogFilter(
            username=data.get("username") or "",
            student_number=data.get("student_number") or "",
            module=data.get("module") or "",
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class LockForm(forms.Form):
    """Lock a student's page for one user or one role, opening the chosen modules."""

    user = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.order_by("username"), required=False
    )
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.all(), required=False)
    open_modules = forms.MultipleChoiceField(
        label=_("Open modules"),
        choices=Module.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if (cleaned.get("user") is None) == (cleaned.get("role") is None):
            raise forms.ValidationError(_("Choose either a user or a role."))
        return cleaned


class UserRolesForm(forms.Form):
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"),
        queryset=Role.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
