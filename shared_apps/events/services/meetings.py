"""Changes of state of regional meetings: invitations, sign-ups, venue and going online.

A school has at most one sign-up per meeting (a unique constraint). An invitation link
creates that sign-up once; afterwards the same link opens the sign-up to change or cancel
it, while a second sign-up through it is refused. Links stop working when the meeting
starts. Every refusal raises :class:`RegistrationRefused` before anything is written.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.events.emails import send_after_commit
from shared_apps.events.errors import RegistrationRefused
from shared_apps.events.links import public_url
from shared_apps.events.models import (
    MeetingAttendee,
    MeetingInvitation,
    MeetingSignup,
    RegionalMeeting,
)
from shared_apps.events.services.names import clean_attendee_names
from shared_apps.events.tokens import hash_token, new_token
from tenants.models import ContactPerson, School, SchoolStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignupData:
    """What a school fills in to sign up for a meeting."""

    contact_name: str
    contact_email: str
    attendee_names: list[str]
    room_offered: str = ""


def schools_to_invite(meeting: RegionalMeeting) -> QuerySet[School]:
    """Return the schools of the meeting's region, or of its province when none are linked."""
    region = meeting.region
    schools = region.schools.all()
    if not schools.exists():
        schools = School.objects.filter(province=region.province)
    return schools.exclude(status=SchoolStatus.SUSPENDED).exclude(schema_name="public")


def invite_schools(meeting: RegionalMeeting, schools: QuerySet[School] | None = None) -> int:
    """Send every contact person of the schools a personal invitation; return how many.

    Contacts who were invited before are skipped, so staff can run this again after adding
    schools or contacts.
    """
    if schools is None:
        schools = schools_to_invite(meeting)
    already = MeetingInvitation.objects.filter(meeting=meeting).values_list("contact", flat=True)
    contacts = ContactPerson.objects.filter(school__in=schools).exclude(pk__in=already)

    sent = 0
    with transaction.atomic():
        for contact in contacts.select_related("school"):
            token = new_token()
            MeetingInvitation.objects.create(
                meeting=meeting,
                contact=contact,
                token_hash=hash_token(token),
                expires_at=meeting.start,
            )
            send_after_commit(
                "meeting_invitation",
                [contact.email],
                {
                    "meeting": meeting,
                    "contact": contact,
                    "link": public_url("invitation", token=token),
                },
            )
            sent += 1

    logger.info("meeting invitations sent", extra={"meeting": meeting.pk, "count": sent})
    return sent


def find_invitation(token: str) -> MeetingInvitation:
    """Return the invitation of ``token``; refuse an unknown or expired link."""
    invitation = (
        MeetingInvitation.objects.select_related("meeting__region", "contact__school")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise RegistrationRefused(
            _("This invitation link is not valid. Check that you copied the whole link."),
            "unknown_token",
        )
    if invitation.expires_at <= timezone.now():
        raise RegistrationRefused(
            _("This invitation has expired: the meeting has already started."), "expired_token"
        )
    return invitation


def active_signup(meeting: RegionalMeeting, school: School) -> MeetingSignup | None:
    """Return the school's sign-up for the meeting unless there is none or it was cancelled."""
    return (
        MeetingSignup.objects.filter(meeting=meeting, school=school, cancelled_at__isnull=True)
        .prefetch_related("attendees")
        .first()
    )


def sign_up_with_invitation(token: str, data: SignupData) -> MeetingSignup:
    """Sign up the invited school through its invitation link, which is used up by it."""
    names = clean_attendee_names(data.attendee_names)
    with transaction.atomic():
        invitation = find_invitation(token)
        # Lock the invitation so that two quick submits cannot both use it.
        invitation = MeetingInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise RegistrationRefused(
                _(
                    "This invitation link has already been used to sign up. Open the link "
                    "again to change or cancel the sign-up."
                ),
                "reused_token",
            )
        signup = _save_new_signup(invitation.meeting, invitation.contact.school, data, names)
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])

    _confirm_signup(signup, public_url("invitation", token=token))
    return signup


def sign_up_school(meeting: RegionalMeeting, school: School, data: SignupData) -> MeetingSignup:
    """Sign up ``school`` from inside its own site."""
    names = clean_attendee_names(data.attendee_names)
    if meeting.start <= timezone.now():
        raise RegistrationRefused(_("This meeting has already started."), "meeting_started")
    with transaction.atomic():
        signup = _save_new_signup(meeting, school, data, names)
    _confirm_signup(signup, None)
    return signup


def change_signup(signup: MeetingSignup, data: SignupData) -> MeetingSignup:
    """Replace the attendees, contact and offered room of an active sign-up."""
    names = clean_attendee_names(data.attendee_names)
    _check_changeable(signup)
    room = data.room_offered.strip()
    if signup.meeting.venue_id == signup.pk and not room:
        raise RegistrationRefused(
            _("Your room has been chosen as the venue; contact Presentis to withdraw it."),
            "venue_withdrawn",
        )

    with transaction.atomic():
        signup.contact_name = data.contact_name.strip()
        signup.contact_email = data.contact_email.strip().lower()
        signup.room_offered = room
        signup.save()
        signup.attendees.all().delete()
        MeetingAttendee.objects.bulk_create(MeetingAttendee(signup=signup, name=n) for n in names)

    logger.info("meeting sign-up changed", extra={"signup": signup.pk})
    return signup


def cancel_signup(signup: MeetingSignup) -> MeetingSignup:
    """Cancel an active sign-up; a school whose room is the venue must ask Presentis."""
    _check_changeable(signup)
    if signup.meeting.venue_id == signup.pk:
        raise RegistrationRefused(
            _("Your room has been chosen as the venue; contact Presentis to cancel."),
            "venue_withdrawn",
        )
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["cancelled_at", "updated_at"])
    send_after_commit("meeting_cancelled", [signup.contact_email], {"signup": signup})
    logger.info("meeting sign-up cancelled", extra={"signup": signup.pk})
    return signup


def choose_venue(meeting: RegionalMeeting, signup: MeetingSignup) -> RegionalMeeting:
    """Hold the meeting in the room that ``signup``'s school offered; tell everyone signed up."""
    if signup.meeting_id != meeting.pk or not signup.is_active or not signup.room_offered:
        raise RegistrationRefused(_("This school offers no room for this meeting."), "no_room")
    meeting.venue = signup
    meeting.is_online = False
    meeting.online_url = ""
    meeting.save(update_fields=["venue", "is_online", "online_url"])
    _notify_signed_up(meeting, "meeting_venue")
    logger.info("meeting venue chosen", extra={"meeting": meeting.pk})
    return meeting


def switch_to_online(meeting: RegionalMeeting, url: str) -> RegionalMeeting:
    """Hold the meeting online at ``url`` and send the link to everyone signed up."""
    if not url.startswith("https://"):
        raise RegistrationRefused(_("Give the https:// link of the online meeting."), "bad_url")
    meeting.is_online = True
    meeting.online_url = url
    meeting.venue = None
    meeting.save(update_fields=["venue", "is_online", "online_url"])
    _notify_signed_up(meeting, "meeting_online")
    logger.info("meeting switched to online", extra={"meeting": meeting.pk})
    return meeting


def _save_new_signup(
    meeting: RegionalMeeting, school: School, data: SignupData, names: list[str]
) -> MeetingSignup:
    contact_name = data.contact_name.strip()
    contact_email = data.contact_email.strip().lower()
    if not contact_name or not contact_email:
        raise RegistrationRefused(
            _("Fill in the name and e-mail address of the contact person."), "no_contact"
        )
    # The row lock makes a second sign-up of the same school wait for the first.
    signup = (
        MeetingSignup.objects.select_for_update().filter(meeting=meeting, school=school).first()
    )
    if signup is not None and signup.is_active:
        raise RegistrationRefused(
            _("Your school has already signed up for this meeting; change that sign-up instead."),
            "already_signed_up",
        )
    if signup is None:
        signup = MeetingSignup(meeting=meeting, school=school)
    signup.contact_name = contact_name
    signup.contact_email = contact_email
    signup.room_offered = data.room_offered.strip()
    signup.cancelled_at = None
    signup.save()
    signup.attendees.all().delete()
    MeetingAttendee.objects.bulk_create(MeetingAttendee(signup=signup, name=n) for n in names)
    logger.info("meeting sign-up saved", extra={"signup": signup.pk, "attendees": len(names)})
    return signup


def _check_changeable(signup: MeetingSignup) -> None:
    if not signup.is_active:
        raise RegistrationRefused(_("This sign-up has been cancelled."), "cancelled")
    if signup.meeting.start <= timezone.now():
        raise RegistrationRefused(_("This meeting has already started."), "meeting_started")


def _confirm_signup(signup: MeetingSignup, manage_link: str | None) -> None:
    context = {
        "signup": signup,
        "meeting": signup.meeting,
        "attendees": [attendee.name for attendee in signup.attendees.all()],
        "manage_link": manage_link,
        "ics_link": public_url("meeting-ics", pk=signup.meeting.pk),
    }
    send_after_commit("meeting_signed_up", [signup.contact_email], context)


def _notify_signed_up(meeting: RegionalMeeting, template: str) -> None:
    addresses = MeetingSignup.objects.filter(meeting=meeting, cancelled_at__isnull=True)
    context = {"meeting": meeting, "ics_link": public_url("meeting-ics", pk=meeting.pk)}
    send_after_commit(template, addresses.values_list("contact_email", flat=True), context)
