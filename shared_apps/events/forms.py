"""Forms of the sign-up and registration pages; the rules themselves live in services."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from shared_apps.events.services.meetings import SignupData
from shared_apps.events.services.names import PersonData
from shared_apps.events.services.trainings import RegistrationData

PARTICIPANT_ROWS = 6


class MeetingSignupForm(forms.Form):
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(label=_("Your e-mail address"))
    attendees = forms.CharField(
        label=_("Attendees (one name per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        # The service checks the names and says what is wrong in its own words.
        required=False,
    )
    room_offered = forms.CharField(
        label=_("Room offered (optional)"),
        help_text=_("Room name and address, if your school can host the meeting."),
        max_length=300,
        required=False,
    )

    def signup_data(self) -> SignupData:
        """Return the cleaned form as the service's input."""
        data = self.cleaned_data
        return SignupData(
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            attendee_names=data["attendees"].splitlines(),
            room_offered=data["room_offered"],
        )


class TrainingRegistrationForm(forms.Form):
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(label=_("Your e-mail address"))

    def registration_data(self, post: QueryDict) -> RegistrationData:
        """Return the contact and the participant rows of the POST as the service's input."""
        names = post.getlist("participant_name")
        emails = post.getlist("participant_email")
        people = [PersonData(name, email) for name, email in zip(names, emails, strict=False)]
        return RegistrationData(
            contact_name=self.cleaned_data["contact_name"],
            contact_email=self.cleaned_data["contact_email"],
            participants=people,
        )


class PublicTrainingRegistrationForm(TrainingRegistrationForm):
    school = forms.CharField(
        label=_("School"), help_text=_("The name of your school or its BRIN code."), max_length=200
    )

    field_order = ["school", "contact_name", "contact_email"]
