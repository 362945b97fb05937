"""Forms of the timetable input screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.timetable.models import (
    Course,
    LessonRequirement,
    LocationPeriodTime,
    Room,
    Subject,
    TravelTime,
    Weights,
)

FEATURES_HELP = _("Separate several with commas, for example: kitchen, workshop.")


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "location", "capacity", "features"]
        help_texts = {"features": FEATURES_HELP}


class SubjectForm(forms.ModelForm):
    class Meta:
        model = Subject
        fields = ["code", "name"]


class LessonRequirementForm(forms.ModelForm):
    class Meta:
        model = LessonRequirement
        fields = [
            "subject",
            "group",
            "students",
            "teacher",
            "per_week",
            "duration",
            "room",
            "features",
            "spread_days",
            "course",
        ]
        help_texts = {
            "features": FEATURES_HELP,
            "students": _("For an individual lesson, or students who join the group."),
        }
        widgets = {"students": forms.SelectMultiple(attrs={"size": 6})}

    def clean(self) -> dict[str, object]:
        """Require a group or at least one student, and sensible numbers."""
        data = super().clean() or {}
        if not data.get("group") and not data.get("students") and not data.get("course"):
            raise forms.ValidationError(_("Choose a group or at least one student."))
        per_week = data.get("per_week") or 0
        if not 1 <= int(str(per_week)) <= 10:
            self.add_error("per_week", _("Between 1 and 10 lessons a week."))
        duration = data.get("duration") or 0
        if not 1 <= int(str(duration)) <= 4:
            self.add_error("duration", _("A lesson lasts 1 to 4 periods."))
        return data


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["name", "students", "max_size_difference"]
        widgets = {"students": forms.SelectMultiple(attrs={"size": 8})}


class TravelTimeForm(forms.ModelForm):
    class Meta:
        model = TravelTime
        fields = ["origin", "destination", "minutes"]

    def clean(self) -> dict[str, object]:
        """Refuse a travel time from a location to itself."""
        data = super().clean() or {}
        if data.get("origin") and data.get("origin") == data.get("destination"):
            raise forms.ValidationError(_("Choose two different locations."))
        return data


class LocationPeriodTimeForm(forms.ModelForm):
    class Meta:
        model = LocationPeriodTime
        fields = ["location", "period", "starts_at", "ends_at"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
        }

    def clean(self) -> dict[str, object]:
        """Require the period to end after it starts."""
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            raise forms.ValidationError(_("The period must end after it starts."))
        return data


class WeightsForm(forms.ModelForm):
    class Meta:
        model = Weights
        fields = [
            "student_gaps",
            "teacher_gaps",
            "location_changes",
            "spread",
            "moves",
            "time_limit",
        ]


class FetImportForm(forms.Form):
    file = forms.FileField(label=_("FET file"), help_text=_("A .fet file saved by FET."))
