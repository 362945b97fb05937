"""School-site pages: a signed-in school user signs up for meetings and trainings.

The school is ``request.tenant``; the meeting and training tables live in the public
schema, which is on the school connection's search path, so no schema switch is needed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.events import selectors
from shared_apps.events.errors import RegistrationRefused
from shared_apps.events.forms import MeetingSignupForm, TrainingRegistrationForm
from shared_apps.events.links import public_url
from shared_apps.events.models import Participant, RegionalMeeting
from shared_apps.events.services import meetings, trainings
from shared_apps.events.services.calendars import ensure_calendar_feed
from shared_apps.events.views.public import school_calendar_response
from shared_apps.events.views.registration import handle_registration
from tenant_apps.access.decorators import requires
from tenant_apps.access.modules import Action, Module
from tenants.models import School

# TODO: limit signing up to the roles the school's access matrix allows, once the matrix
# exists (tenant_apps has no roles yet); until then every signed-in school user may do so.


def _school(request: HttpRequest) -> School:
    tenant = getattr(request, "tenant", None)
    if not isinstance(tenant, School):
        raise Http404
    return tenant


@requires(Module.EVENTS, Action.VIEW)
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Show coming meetings, open sessions, the school's sign-ups and its calendar feed."""
    school = _school(request)
    signups = {signup.meeting_id: signup for signup in selectors.school_meeting_signups(school)}
    upcoming = [(meeting, signups.get(meeting.pk)) for meeting in selectors.upcoming_meetings()]
    feed = ensure_calendar_feed(school)
    context = {
        "meetings": upcoming,
        "sessions": selectors.open_sessions(),
        "registrations": selectors.school_registrations(school),
        "feed_url": public_url("school-feed", token=feed.token),
    }
    return render(request, "events/school/overview.html", context)


@requires(Module.EVENTS, Action.EDIT)
@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the school up for a meeting, or change its sign-up."""
    school = _school(request)
    found = get_object_or_404(RegionalMeeting.objects.select_related("region"), pk=pk)
    signup = meetings.active_signup(found, school)
    if request.method != "POST":
        return _meeting_page(request, found, MeetingSignupForm(initial=_initial(request, signup)))

    form = MeetingSignupForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, found, form, signup)
    try:
        if signup is None:
            meetings.sign_up_school(found, school, form.signup_data())
            messages.success(request, _("Thank you, your school has been signed up."))
        else:
            meetings.change_signup(signup, form.signup_data())
            messages.success(request, _("Your sign-up has been changed."))
    except RegistrationRefused as refused:
        return _meeting_page(request, found, form, signup, error=refused.message)
    return redirect("school_events:overview")


@requires(Module.EVENTS, Action.EDIT)
@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel the school's sign-up for a meeting."""
    school = _school(request)
    found = get_object_or_404(RegionalMeeting, pk=pk)
    signup = meetings.active_signup(found, school)
    if signup is None:
        raise Http404
    try:
        meetings.cancel_signup(signup)
    except RegistrationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your sign-up has been cancelled."))
    return redirect("school_events:overview")


@requires(Module.EVENTS, Action.EDIT)
@login_required
def training_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register participants of this school for a session."""
    school = _school(request)
    try:
        session = selectors.session_for_registration(pk)
    except selectors.TrainingSession.DoesNotExist:
        raise Http404 from None
    data = request.POST if request.method == "POST" else None
    form = TrainingRegistrationForm(data, initial=_initial(request, None))

    def on_success(result: trainings.RegistrationResult) -> HttpResponse:
        messages.success(request, _("Thank you, the registration has been saved."))
        return redirect("school_events:overview")

    return handle_registration(
        request, session, form, lambda _form: school, on_success, "base.html"
    )


@requires(Module.EVENTS, Action.EDIT)
@login_required
@require_POST
def participant_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a participant registered by this school."""
    school = _school(request)
    person = get_object_or_404(Participant, pk=pk, registration__school=school)
    try:
        trainings.cancel_participant(person)
    except RegistrationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The participant has been cancelled."))
    return redirect("school_events:overview")


@requires(Module.EVENTS, Action.VIEW)
@login_required
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Return the school's calendar as an .ics file."""
    return school_calendar_response(_school(request))


def _initial(request: HttpRequest, signup: object) -> dict[str, str]:
    if signup is not None:
        from shared_apps.events.models import MeetingSignup

        assert isinstance(signup, MeetingSignup)
        return {
            "contact_name": signup.contact_name,
            "contact_email": signup.contact_email,
            "attendees": "\n".join(attendee.name for attendee in signup.attendees.all()),
            "room_offered": signup.room_offered,
        }
    user = request.user
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return {
        "contact_name": name or getattr(user, "username", ""),
        "contact_email": getattr(user, "email", ""),
    }


def _meeting_page(
    request: HttpRequest,
    found: RegionalMeeting,
    form: MeetingSignupForm,
    signup: object = None,
    error: str | None = None,
) -> HttpResponse:
    context = {"meeting": found, "form": form, "signup": signup, "error": error}
    status = 400 if (error or form.errors) else 200
    return render(request, "events/school/meeting.html", context, status=status)
