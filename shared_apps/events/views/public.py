"""Public-site pages: meeting invitations, training registration and calendar files."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.events import calendar, selectors
from shared_apps.events.errors import RegistrationRefused
from shared_apps.events.forms import MeetingSignupForm, PublicTrainingRegistrationForm
from shared_apps.events.models import (
    MeetingInvitation,
    Participant,
    RegionalMeeting,
    SchoolCalendarFeed,
)
from shared_apps.events.services import meetings, trainings
from shared_apps.events.views.registration import handle_registration
from tenants.models import School

BASE = "base.html"


def meeting_list(request: HttpRequest) -> HttpResponse:
    """List the coming regional meetings and open training sessions."""
    context = {
        "meetings": selectors.upcoming_meetings(),
        "sessions": selectors.open_sessions(),
    }
    return render(request, "events/public/overview.html", context)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Show the invitation: the sign-up form, or the school's sign-up to change or cancel."""
    try:
        found = meetings.find_invitation(token)
    except RegistrationRefused as refused:
        return _refused(request, refused, 404 if refused.code == "unknown_token" else 410)

    signup = meetings.active_signup(found.meeting, found.school)
    if request.method == "POST" and signup is None:
        form = MeetingSignupForm(request.POST)
        if form.is_valid():
            try:
                meetings.sign_up_with_invitation(token, form.signup_data())
            except RegistrationRefused as refused:
                return _invitation_page(request, found, form, error=refused.message)
            messages.success(request, _("Thank you, your school has been signed up."))
            return redirect("events:invitation", token=token)
        return _invitation_page(request, found, form)

    if signup is not None:
        initial = {
            "contact_name": signup.contact_name,
            "contact_email": signup.contact_email,
            "attendees": "\n".join(attendee.name for attendee in signup.attendees.all()),
            "room_offered": signup.room_offered,
        }
        return _invitation_page(request, found, MeetingSignupForm(initial=initial), signup=signup)
    if found.used_at is not None:
        used = RegistrationRefused(
            _(
                "This invitation link has already been used and the sign-up was cancelled. "
                "Sign up again from your school's own site."
            ),
            "reused_token",
        )
        return _refused(request, used, 410)
    initial = {"contact_name": found.contact.name, "contact_email": found.contact.email}
    return _invitation_page(request, found, MeetingSignupForm(initial=initial))


@require_POST
def invitation_change(request: HttpRequest, token: str) -> HttpResponse:
    """Change the school's sign-up through the invitation link."""
    try:
        found = meetings.find_invitation(token)
    except RegistrationRefused as refused:
        return _refused(request, refused, 410)
    signup = meetings.active_signup(found.meeting, found.school)
    if signup is None:
        return redirect("events:invitation", token=token)
    form = MeetingSignupForm(request.POST)
    if not form.is_valid():
        return _invitation_page(request, found, form, signup=signup)
    try:
        meetings.change_signup(signup, form.signup_data())
    except RegistrationRefused as refused:
        return _invitation_page(request, found, form, signup=signup, error=refused.message)
    messages.success(request, _("Your sign-up has been changed."))
    return redirect("events:invitation", token=token)


@require_POST
def invitation_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Cancel the school's sign-up through the invitation link."""
    try:
        found = meetings.find_invitation(token)
        signup = meetings.active_signup(found.meeting, found.school)
        if signup is None:
            return redirect("events:invitation", token=token)
        meetings.cancel_signup(signup)
    except RegistrationRefused as refused:
        return _refused(request, refused, 400)
    return render(request, "events/public/cancelled.html", {"meeting": found.meeting})


def training_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register participants of a school for a session (school named in the form)."""
    session = _session_or_404(pk)
    form = PublicTrainingRegistrationForm(request.POST if request.method == "POST" else None)

    def school_of(form: object) -> School:
        assert isinstance(form, PublicTrainingRegistrationForm)
        return trainings.find_school(form.cleaned_data["school"])

    def on_success(result: trainings.RegistrationResult) -> HttpResponse:
        messages.success(request, _("Thank you, the registration has been saved."))
        return redirect("events:registration", token=result.token)

    return handle_registration(request, session, form, school_of, on_success, BASE)


def registration(request: HttpRequest, token: str) -> HttpResponse:
    """Show a registration through its management link, with a cancel button per person."""
    try:
        found = trainings.find_registration(token)
    except RegistrationRefused as refused:
        return _refused(request, refused, 404)
    context = {
        "registration": found,
        "session": found.session,
        "participants": found.participants.order_by("registered_at", "id"),
        "token": token,
    }
    return render(request, "events/public/registration.html", context)


@require_POST
def registration_cancel(request: HttpRequest, token: str, participant: int) -> HttpResponse:
    """Cancel one participant of the registration behind the management link."""
    try:
        found = trainings.find_registration(token)
        person = get_object_or_404(Participant, pk=participant, registration=found)
        trainings.cancel_participant(person)
    except RegistrationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The participant has been cancelled."))
    return redirect("events:registration", token=token)


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """Return a meeting as a calendar file."""
    meeting = get_object_or_404(RegionalMeeting.objects.select_related("region"), pk=pk)
    return _ics(calendar.build_calendar(calendar.meeting_events(meeting)), f"bijeenkomst-{pk}")


def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """Return all days of a training session as a calendar file."""
    session = _session_or_404(pk)
    return _ics(calendar.build_calendar(calendar.session_events(session)), f"training-{pk}")


def school_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Return a school's calendar feed: its meetings and the sessions it has places in."""
    feed = SchoolCalendarFeed.objects.select_related("school").filter(token=token).first()
    if feed is None:
        raise Http404
    return school_calendar_response(feed.school)


def school_calendar_response(school: School) -> HttpResponse:
    """Return the calendar of ``school`` as an .ics response."""
    school_meetings, school_sessions = selectors.school_calendar(school)
    events = [event for meeting in school_meetings for event in calendar.meeting_events(meeting)]
    events += [event for session in school_sessions for event in calendar.session_events(session)]
    text = calendar.build_calendar(events, name=f"Presentis - {school.name}")
    return _ics(text, "presentis", attachment=False)


def _ics(text: str, filename: str, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.ics"'
    return response


def _session_or_404(pk: int) -> "selectors.TrainingSession":
    try:
        return selectors.session_for_registration(pk)
    except selectors.TrainingSession.DoesNotExist:
        raise Http404 from None


def _invitation_page(
    request: HttpRequest,
    found: MeetingInvitation,
    form: MeetingSignupForm,
    signup: object = None,
    error: str | None = None,
) -> HttpResponse:
    context = {
        "invitation": found,
        "meeting": found.meeting,
        "invited_school": found.school,
        "form": form,
        "signup": signup,
        "error": error,
    }
    status = 400 if (error or form.errors) else 200
    return render(request, "events/public/invitation.html", context, status=status)


def _refused(request: HttpRequest, refused: RegistrationRefused, status: int) -> HttpResponse:
    return render(request, "events/refused.html", {"error": refused.message}, status=status)
